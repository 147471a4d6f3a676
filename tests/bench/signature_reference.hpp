#pragma once
// The yardstick of issue 17: one RSA-3072 PKCS#1 v1.5 signature with SHA-256, as
// `botan speed --msec=1000 RSA` measures it (Debian's `botan` CLI, the same Botan 2.19 that inkan
// links; its bench reuses one signer, as inkan's CAs now do). The default CA's extra cost per
// certificate is printed in these signatures, measured in the same run, because the shared
// machine's speed changes from one hour to the next.
#include <filesystem>
#include <string>

namespace inkan::bench {

//
// botan's figure is wall time, and Botan 2 computes the two CRT halves of an RSA private operation
// on two threads (its global thread pool): on an idle 2-core machine one signature costs more CPU
// than its ms/op, on a busy one its ms/op include waiting. So next to it this also measures the
// CPU time of RSA-3072 signatures in this process (all threads, getrusage), on one reused signer
// of an inkan CA, which the same run's CPU per certificate can be divided by whatever the load.
// inkan's RSA CAs sign with OpenSSL (issue 17), so that is the in-process yardstick; Botan's own
// signature is timed beside it, the figure botan speed's can be compared with.
struct SignatureReference {
  bool available = false;  // false when the botan CLI is not installed (apt-get install botan)
  double ms_per_signature = 0;  // botan's "ms/op" for RSA-3072 sign: wall time per signature
  // CPU seconds over wall seconds of the whole botan process: above 1 when the CRT halves ran
  // in parallel, well below 1 when the machine was busy.
  double cpu_share = 0;
  std::string line;  // botan's line, as printed (or why there is none)
  // The same, pinned to one CPU (`taskset -c 0 botan speed ...`): the two CRT halves take turns,
  // so its ms/op is the CPU of one signature when the process had that CPU to itself (share near 1).
  double pinned_ms_per_signature = 0, pinned_cpu_share = 0;
  // CPU per signature of a reused inkan signer, all threads: with the engine inkan's RSA CAs sign
  // with (OpenSSL, issue 17), and with Botan's own RSA signature beside it.
  double in_process_cpu_ms = 0;
  double in_process_botan_cpu_ms = 0;

  // "botan speed 2.01 ms/op (98 % of a core); in process 1.7 ms CPU (OpenSSL), 2.6 ms (Botan)"
  std::string describe() const;
};

// Runs `botan speed --msec=1000 RSA` (about 10 s: it also times key generation for every size),
// then the same pinned to CPU 0, outputs in `scratch`, then `signatures` RSA-3072 signatures in
// process.
SignatureReference measure_rsa3072_signature(const std::filesystem::path& scratch, int signatures = 200);

}  // namespace inkan::bench
