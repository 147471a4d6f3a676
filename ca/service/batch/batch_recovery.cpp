#include "ca/service/batch/batch_recovery.hpp"

namespace inkan::service {

RecoveryResult recover_job(Store& store, const Clock& clock, const Actor& actor, const BatchJob& job) {
  RecoveryResult r;
  for (;;) {
    // Each pass changes the state of the items it reads, so always read from the start.
    auto page = store.batches().items(job.id, BatchItemState::Reserved, 0, 256);
    if (page.empty()) return r;
    auto tx = store.begin();
    for (const auto& item : page) {
      auto cert = store.certificates().find(*item.new_serial);
      if (cert && cert->state != CertState::Reserved) {
        // Cannot happen with one transaction per commit; kept so a hand-edited journal heals.
        store.batches().mark_committed(job.id, item.seq);
        ++r.recorded;
        continue;
      }
      if (cert) {
        store.certificates().drop_reservation(cert->serial);
        record(store, clock, actor, "reservation.clear", "cert:" + cert->serial.hex(),
               "batch=" + std::to_string(job.id) + " (interrupted run)");
      }
      store.batches().mark_pending(job.id, item.seq);
      ++r.dropped_reservations;
    }
    tx->commit();
  }
}

}  // namespace inkan::service
