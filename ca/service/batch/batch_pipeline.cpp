#include "ca/service/batch/batch_pipeline.hpp"

#include <deque>
#include <filesystem>
#include <map>
#include <thread>

#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/service/batch/batch_files.hpp"
#include "ca/service/batch/bounded_queue.hpp"
#include "ca/service/issuance/issuance_steps.hpp"

namespace inkan::service {
namespace fs = std::filesystem;
namespace {

using Stopwatch = std::chrono::steady_clock;

struct Work {
  BatchItem item;
  IssuancePlan plan;
  const IssuanceContext* ctx = nullptr;
  fs::path final_path;
};

struct Done {
  BatchItem item;
  Reservation reservation;
  IssuedCertificate issued;
  fs::path final_path;
  std::string error;  // empty on success
};

// Worker: everything it touches is either its own or const (SigningCa, DataKey, contexts). It
// writes no file: the database thread writes the p12 after the commit (Pipeline::commit).
void work(BoundedQueue<Work>& in, BoundedQueue<Done>& out, const crypto::SigningCa& signer,
          const crypto::DataKey& data_key, const Clock& clock) {
  auto rng = crypto::Rng::system();
  while (auto w = in.pop()) {
    Done d{std::move(w->item), w->plan.reservation, {}, std::move(w->final_path), {}};
    try {
      auto pkg = sign_and_package(signer, w->plan, w->ctx->chain_der, data_key, d.item.p12_profile, clock.now(), *rng);
      d.issued = std::move(pkg.issued);
    } catch (const std::exception& e) {
      d.error = e.what();
    }
    if (!out.push(std::move(d))) return;
  }
}

class Pipeline {
 public:
  Pipeline(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng, const Actor& actor,
           const BatchJob& job, const PipelineOptions& o, const BatchProgressFn& progress)
      : store_(store), keyring_(keyring), clock_(clock), rng_(rng), actor_(actor), job_(job), o_(o),
        // Room for the workers to keep signing while this thread commits a group and writes its files.
        progress_(progress), work_(std::max<std::size_t>(o.workers * 32, 128)),
        done_(o.group_size * 2 + o.workers * 16 + 64) {}

  PipelineResult run() {
    const auto& signer = keyring_.issuing_ca(store_);  // decrypted here, before any thread starts
    auto counts = store_.batches().counts(job_.id);
    finished_ = counts.committed + counts.skipped;
    if (progress_) progress_(finished_, job_.total);  // the starting point of the rate
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < std::max(1u, o_.workers); ++i)
      threads.emplace_back(work, std::ref(work_), std::ref(done_), std::cref(signer), std::cref(keyring_.data_key()),
                           std::cref(clock_));
    try {
      loop();
    } catch (...) {
      stop(threads);
      throw;
    }
    stop(threads);
    return result_;
  }

 private:
  void stop(std::vector<std::thread>& threads) {
    work_.close();
    done_.close();
    for (auto& t : threads) t.join();
    // Whatever was still in flight keeps its reservation: the next run's recovery drops it.
  }

  void loop() {
    std::vector<Done> group;
    Stopwatch::time_point group_start{};
    for (;;) {
      refill();
      if (in_flight_ == 0 && exhausted_ && group.empty()) return;
      const auto wait = group.empty() ? o_.group_window
                                      : std::max(std::chrono::milliseconds(0),
                                                 std::chrono::duration_cast<std::chrono::milliseconds>(
                                                     group_start + o_.group_window - Stopwatch::now()));
      if (auto d = done_.pop_for(wait)) {
        if (group.empty()) group_start = Stopwatch::now();
        group.push_back(std::move(*d));
        // Take whatever else is ready without waiting.
        while (group.size() < o_.group_size)
          if (auto more = done_.pop_for(std::chrono::milliseconds(0))) group.push_back(std::move(*more));
          else break;
      }
      const bool all_in = exhausted_ && in_flight_ == group.size();
      if (!group.empty() && (group.size() >= o_.group_size || all_in || Stopwatch::now() - group_start >= o_.group_window)) {
        commit(group);
        group.clear();
      }
    }
  }

  const IssuanceContext& context(const std::string& tenant) {
    auto it = contexts_.find(tenant);
    if (it == contexts_.end()) {
      it = contexts_.emplace(tenant, load_issuance_context(store_, tenant)).first;
      make_private_dir(fs::path(job_.out_dir) / tenant);
    }
    return it->second;
  }

  // Reserves as many pending items as the work queue has room for, in one transaction.
  // Waits until the queue is half empty, so reservations go in few, larger transactions.
  void refill() {
    if (exhausted_ || work_.size() > work_.capacity() / 2) return;
    const std::size_t room = std::min(work_.capacity() - work_.size(), o_.group_size);
    if (pending_.size() < room) {
      auto page = store_.batches().items(job_.id, BatchItemState::Pending, cursor_, 512);
      if (page.empty() && pending_.empty()) {
        exhausted_ = true;
        return;
      }
      if (!page.empty()) cursor_ = page.back().seq;
      for (auto& i : page) pending_.push_back(std::move(i));
    }
    std::vector<Work> ready;
    const auto now = clock_.now();
    auto tx = store_.begin();
    while (ready.size() < room && !pending_.empty()) {
      auto item = std::move(pending_.front());
      pending_.pop_front();
      const auto& ctx = context(item.tenant_id);
      IssuanceSpec spec{item.tenant_id, item.cn, item.kind, item.key_type, std::nullopt,
                        item.old_serial ? std::nullopt : o_.not_before, item.email, item.old_serial};
      auto plan = plan_issuance(ctx, spec, now, rng_);
      try {
        store_.certificates().reserve(plan.reservation);
      } catch (const Error& e) {
        // The unique predecessor index: someone else is renewing (or renewed) this certificate.
        if (e.code() != ErrorCode::AlreadyExists || !item.old_serial) throw;
        store_.batches().mark_skipped(job_.id, item.seq, e.what());
        ++result_.skipped;
        ++finished_;
        continue;
      }
      store_.batches().mark_reserved(job_.id, item.seq, plan.reservation.serial);
      auto stem = policy::credential_file_stem(item.tenant_id, item.cn, plan.reservation.serial);
      auto final_path = fs::path(job_.out_dir) / item.tenant_id / (stem + ".p12");
      ready.push_back(Work{std::move(item), std::move(plan), &ctx, std::move(final_path)});
    }
    tx->commit();
    for (auto& w : ready) {
      if (!work_.try_push(w)) throw Error(ErrorCode::Store, "batch work queue overflow");  // room was checked
      ++in_flight_;
    }
  }

  void commit(std::vector<Done>& group) {
    const std::string detail = "batch=" + std::to_string(job_.id);
    std::vector<Done*> published, discarded;
    std::int64_t failed_here = 0;
    {
      auto tx = store_.begin();
      for (auto& d : group) {
        if (!d.error.empty()) {
          store_.certificates().drop_reservation(d.reservation.serial);
          store_.batches().mark_pending(job_.id, d.item.seq);
          if (result_.first_error.empty()) result_.first_error = d.error;
          ++result_.failed;
          ++failed_here;
          discarded.push_back(&d);
          continue;
        }
        try {
          commit_issuance(store_, clock_, actor_, d.reservation, d.issued,
                          d.item.old_serial ? IssueReason::Reissue : IssueReason::New, false, detail);
        } catch (const Error& e) {
          if (e.code() != ErrorCode::Conflict) throw;
          // Renewed or revoked since the selection: nothing was written for this one.
          store_.certificates().drop_reservation(d.reservation.serial);
          store_.batches().mark_skipped(job_.id, d.item.seq, e.what());
          ++result_.skipped;
          discarded.push_back(&d);
          continue;
        }
        store_.batches().mark_committed(job_.id, d.item.seq);
        ++result_.issued;
        published.push_back(&d);
      }
      tx->commit();
    }
    // Only now may the files appear under their final names: never a p12 of an unrecorded
    // certificate (a crash before the rename leaves a partial, which the next run removes). No
    // fsync per file (it serialised the pipeline on the disk): the store holds the p12, the output
    // pass of every later run rewrites a file a power loss damaged, and the runner syncs the file
    // system once before it marks the job complete (batch_files.hpp). A write that fails is
    // repaired by this run's output pass, from the store.
    for (auto* d : published) {
      try {
        const auto& p12 = d->issued.credential->p12;
        publish_partial(write_partial(d->final_path,
                                      std::string_view(reinterpret_cast<const char*>(p12.data()), p12.size()),
                                      FileSync::Deferred),
                        d->final_path);
        result_.written.add(d->item.seq);
      } catch (const Error&) {
      }
    }
    in_flight_ -= group.size();
    finished_ += static_cast<std::int64_t>(published.size() + discarded.size()) - failed_here;
    if (progress_) progress_(finished_, job_.total);
  }

  Store& store_;
  Keyring& keyring_;
  const Clock& clock_;
  crypto::Rng& rng_;
  const Actor& actor_;
  const BatchJob& job_;
  const PipelineOptions& o_;
  const BatchProgressFn& progress_;
  BoundedQueue<Work> work_;
  BoundedQueue<Done> done_;
  std::map<std::string, IssuanceContext> contexts_;  // node-based: workers hold pointers
  std::deque<BatchItem> pending_;
  std::int64_t cursor_ = 0;
  bool exhausted_ = false;
  std::size_t in_flight_ = 0;
  std::int64_t finished_ = 0;
  PipelineResult result_;
};

}  // namespace

PipelineResult run_issuance_pipeline(Store& store, Keyring& keyring, const Clock& clock, crypto::Rng& rng,
                                     const Actor& actor, const BatchJob& job, const PipelineOptions& options,
                                     const BatchProgressFn& progress) {
  return Pipeline(store, keyring, clock, rng, actor, job, options, progress).run();
}

}  // namespace inkan::service
