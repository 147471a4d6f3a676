#pragma once
// The issuing part of a batch, as a pipeline (issue 6): the calling thread owns the database
// connection, reserves serials and commits certificates in groups (one transaction for up to
// `group_size` certificates or `group_window`) and, once a group is committed, writes its p12s
// under their final names; N worker threads generate keys, sign and build the PKCS#12, each with
// its own Rng and no shared mutable state, and touch no file: with --jobs 1 on two cores the file
// system's per-file work (ext4 inode allocation can cost more than a signature) overlaps the
// worker's crypto instead of adding to it. Bounded queues keep memory flat whatever the batch size.
#include <chrono>
#include <cstdint>
#include <functional>

#include "ca/crypto/rng.hpp"
#include "ca/domain/batch.hpp"
#include "ca/service/batch/batch_files.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// (items finished, items in the job); called on the database thread after each group.
using BatchProgressFn = std::function<void(std::int64_t done, std::int64_t total)>;

struct PipelineOptions {
  unsigned workers = 1;
  std::size_t group_size = 64;
  std::chrono::milliseconds group_window{100};
  std::optional<Timestamp> not_before;  // batch issue --not-before; default: now
};

struct PipelineResult {
  std::int64_t issued = 0;   // committed by this run
  std::int64_t skipped = 0;  // the predecessor gained a successor or was revoked meanwhile
  std::int64_t failed = 0;   // left pending (reservation dropped): a rerun retries them
  std::string first_error;
  WrittenThisRun written;  // the items whose p12 this run put in place (batch_files.hpp)
};

// Issues every pending item of `job`. The job's reserved items must have been recovered first.
PipelineResult run_issuance_pipeline(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng,
                                     const Actor& actor, const BatchJob& job, const PipelineOptions& options,
                                     const BatchProgressFn& progress);

}  // namespace inkan::service
