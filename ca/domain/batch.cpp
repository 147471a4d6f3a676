#include "ca/domain/batch.hpp"

#include <array>
#include <utility>

namespace inkan {
namespace {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<BatchCommand, 2> kCommands{{{BatchCommand::Reissue, "reissue"}, {BatchCommand::Issue, "issue"}}};
constexpr Table<BatchJobState, 2> kJobStates{{{BatchJobState::Running, "running"},
                                              {BatchJobState::Completed, "completed"}}};
constexpr Table<BatchItemState, 4> kItemStates{{{BatchItemState::Pending, "pending"},
                                                {BatchItemState::Reserved, "reserved"},
                                                {BatchItemState::Committed, "committed"},
                                                {BatchItemState::Skipped, "skipped"}}};

template <typename E, std::size_t N>
std::string_view name_of(const Table<E, N>& t, E v) {
  for (const auto& [e, s] : t)
    if (e == v) return s;
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> parse_in(const Table<E, N>& t, std::string_view s) {
  for (const auto& [e, name] : t)
    if (name == s) return e;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(BatchCommand v) { return name_of(kCommands, v); }
std::string_view to_string(BatchJobState v) { return name_of(kJobStates, v); }
std::string_view to_string(BatchItemState v) { return name_of(kItemStates, v); }
std::optional<BatchCommand> parse_batch_command(std::string_view s) { return parse_in(kCommands, s); }
std::optional<BatchJobState> parse_batch_job_state(std::string_view s) { return parse_in(kJobStates, s); }
std::optional<BatchItemState> parse_batch_item_state(std::string_view s) { return parse_in(kItemStates, s); }

}  // namespace inkan
