#pragma once
// The batch journal: what `inkan batch` records so that a batch killed at any moment finishes
// when it is run again with the same arguments.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ca/domain/enums.hpp"
#include "ca/domain/serial.hpp"
#include "ca/domain/time.hpp"

namespace inkan {

enum class BatchCommand { Reissue, Issue };
enum class BatchJobState { Running, Completed };
// pending -> reserved (serial reserved, not yet signed) -> committed (certificate in the store);
// skipped: nothing will be issued (the predecessor gained a successor or was revoked elsewhere).
enum class BatchItemState { Pending, Reserved, Committed, Skipped };

std::string_view to_string(BatchCommand v);
std::string_view to_string(BatchJobState v);
std::string_view to_string(BatchItemState v);
std::optional<BatchCommand> parse_batch_command(std::string_view s);
std::optional<BatchJobState> parse_batch_job_state(std::string_view s);
std::optional<BatchItemState> parse_batch_item_state(std::string_view s);

struct BatchJob {
  std::int64_t id = 0;  // assigned by the store
  std::string job_key;  // hex SHA-256 of the normalized arguments: the same command resumes it
  BatchCommand command = BatchCommand::Reissue;
  std::string arguments;  // the normalized arguments as JSON, for people and for checks on resume
  std::string out_dir;    // absolute
  BatchJobState state = BatchJobState::Running;
  Timestamp created_at{};
  std::optional<Timestamp> completed_at;
  std::int64_t total = 0;  // items
};

struct BatchItem {
  std::int64_t job_id = 0;
  std::int64_t seq = 0;  // order in the selection (reissue) or the CSV line (issue)
  std::string tenant_id;
  std::string cn;
  CertKind kind = CertKind::Terminal;
  std::optional<std::string> email;
  KeyType key_type = KeyType::EcP256;          // reissue: the predecessor's; issue: --key
  P12Profile p12_profile = P12Profile::Compat;  // reissue: the predecessor's; issue: --p12-profile
  std::optional<Serial> old_serial;  // reissue: the predecessor
  std::optional<Serial> new_serial;  // once reserved
  BatchItemState state = BatchItemState::Pending;
  std::string note;  // why it was skipped
};

struct BatchCounts {
  std::int64_t pending = 0, reserved = 0, committed = 0, skipped = 0;
  std::int64_t total() const { return pending + reserved + committed + skipped; }
};

}  // namespace inkan
