#pragma once
// What a batch is about: its normalized arguments (whose hash keys the job, so running the
// same command again resumes it) and its items (the reissue selection or the CSV rows).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "ca/domain/batch.hpp"
#include "ca/policy/batch_csv.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

enum class ReissueSelection { Expired, ExpiringWithin };

struct BatchArguments {
  BatchCommand command = BatchCommand::Reissue;
  std::filesystem::path out_dir;  // made absolute by normalized()
  // reissue
  ReissueSelection selection = ReissueSelection::Expired;
  int within_days = 0;  // ExpiringWithin only
  std::optional<std::string> tenant;
  // issue
  std::string csv_sha256;
  KeyType key_type = KeyType::Rsa2048;
  std::optional<Timestamp> not_before;
  P12Profile p12_profile = P12Profile::Compat;
  bool skip_invalid = false;

  // Absolute, lexically normal out_dir; Error(InvalidArgument) for an impossible combination.
  BatchArguments normalized() const;
  // The identity of the job: command, selection, tenant, CSV hash and output directory.
  std::string job_key() const;
  // Every argument as canonical JSON: stored with the job, compared on resume.
  std::string to_json() const;
};

// Certificates in the selected state at `now` with no successor at all (not even a reserved
// one), in (tenant, notAfter, serial) order, as pending items.
std::vector<BatchItem> select_reissue(Store& store, const BatchArguments& args, Timestamp now);

// The valid CSV rows as pending items; seq is the row's line number.
std::vector<BatchItem> items_from_csv(const policy::BatchCsv& csv, const BatchArguments& args);

struct OpenedJob {
  BatchJob job;
  bool created = false;  // false: an earlier run's job is resumed
};

// Finds the job of these arguments or records a new one with `items` (computed only when
// needed). Error(InvalidArgument) when the job exists with different options (--key ...), and
// Error(AlreadyExists) when the output directory belongs to another job.
OpenedJob open_job(Store& store, const BatchArguments& args, Timestamp now,
                   const std::function<std::vector<BatchItem>()>& items);

}  // namespace inkan::service
