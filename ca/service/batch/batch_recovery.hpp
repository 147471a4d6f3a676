#pragma once
// Picking up a batch after a crash: every item left `reserved` points at a serial that was
// reserved and perhaps signed, but never committed, so never delivered. Its reservation is
// dropped and the item goes back to pending (it is issued again, under a new serial).
#include <cstdint>

#include "ca/domain/batch.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

struct RecoveryResult {
  std::int64_t dropped_reservations = 0;  // items redone
  std::int64_t recorded = 0;              // items whose certificate was committed after all
};

RecoveryResult recover_job(Store& store, const Clock& clock, const Actor& actor, const BatchJob& job);

}  // namespace inkan::service
