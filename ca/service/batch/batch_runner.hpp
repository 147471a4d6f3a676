#pragma once
// `inkan batch`: a resumable job that issues many certificates (issue 3 item 4). A run takes the
// output directory's lock, finds or records the job, recovers what a killed run left, issues
// the pending items through the pipeline, then rebuilds every output from the journal.
#include <chrono>
#include <filesystem>
#include <functional>
#include <vector>

#include "ca/crypto/rng.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/batch/batch_job.hpp"
#include "ca/service/batch/batch_pipeline.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct BatchRunOptions {
  unsigned workers = 0;  // 0: std::thread::hardware_concurrency()
  std::size_t group_size = 64;
  std::chrono::milliseconds group_window{100};
  std::int64_t invalid_rows = 0;  // reported in the manifest (batch issue --skip-invalid)
  BatchProgressFn progress;
};

struct BatchRunResult {
  BatchJob job;
  bool resumed = false;           // an earlier run had recorded this job
  bool was_complete = false;      // ... and finished it: nothing was issued
  BatchCounts counts;             // the whole job, after this run
  std::int64_t issued_now = 0;
  std::int64_t skipped_now = 0;
  std::int64_t dropped_reservations = 0;
  std::int64_t reexported = 0;
  unsigned workers = 0;
  double seconds = 0;             // the issuing part of this run
  std::filesystem::path manifest;
};

class BatchRunner {
 public:
  BatchRunner(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, Actor actor)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(std::move(actor)) {}

  // `items` computes the selection; it is called only when the job is new. Error(Crypto) (or
  // the first worker error's code) when items failed: they stay pending and a rerun retries.
  BatchRunResult run(const BatchArguments& args, const std::function<std::vector<BatchItem>()>& items,
                     const BatchRunOptions& options);

 private:
  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  Actor actor_;
};

}  // namespace inkan::service
