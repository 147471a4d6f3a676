#include "ca/service/batch/batch_runner.hpp"

#include <thread>

#include "ca/domain/error.hpp"
#include "ca/service/batch/batch_files.hpp"
#include "ca/service/batch/batch_outputs.hpp"
#include "ca/service/batch/batch_recovery.hpp"

namespace inkan::service {
namespace fs = std::filesystem;

BatchRunResult BatchRunner::run(const BatchArguments& raw, const std::function<std::vector<BatchItem>()>& items,
                                const BatchRunOptions& o) {
  const auto args = raw.normalized();
  keyring_.issuing_ca(store_);  // a wrong passphrase fails before anything is written
  make_private_dir(args.out_dir);  // ours and writable by nobody else, or refused
  OutputDirLock lock(args.out_dir);
  // Every tenant directory already there passes the same check before anything is reserved.
  for (const auto& e : fs::directory_iterator(args.out_dir))
    if (e.is_directory() || e.is_symlink()) require_private_dir(e.path());

  BatchRunResult r;
  auto opened = open_job(store_, args, clock_.now(), items);
  r.job = opened.job;
  r.resumed = !opened.created;
  r.was_complete = r.job.state == BatchJobState::Completed;

  // Leftovers of a killed run: temporary files, and reservations that were never delivered.
  remove_partials(args.out_dir);
  for (const auto& e : fs::directory_iterator(args.out_dir))
    if (e.is_directory() && !e.is_symlink()) remove_partials(e.path());
  auto recovery = recover_job(store_, clock_, actor_, r.job);
  r.dropped_reservations = recovery.dropped_reservations;

  r.workers = o.workers ? o.workers : std::max(1u, std::thread::hardware_concurrency());
  const auto started = std::chrono::steady_clock::now();
  WrittenThisRun written;
  if (!r.was_complete) {
    PipelineOptions po;
    po.workers = r.workers;
    po.group_size = o.group_size;
    po.group_window = o.group_window;
    po.not_before = args.not_before;
    auto p = run_issuance_pipeline(store_, keyring_, clock_, rng_, actor_, r.job, po, o.progress);
    r.issued_now = p.issued;
    r.skipped_now = p.skipped;
    written = std::move(p.written);
    if (p.failed > 0)
      throw Error(ErrorCode::Crypto, std::to_string(p.failed) + " certificates of batch job " + std::to_string(r.job.id) +
                                         " failed (first: " + p.first_error + "); run the same command again to retry them");
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  RunFigures figures{r.issued_now, r.skipped_now, r.dropped_reservations, o.invalid_rows};
  auto out = write_batch_outputs(store_, keyring_, clock_, actor_, r.job, figures, written);
  r.reexported = out.reexported;
  r.manifest = args.out_dir / "manifest.json";
  // The pipeline's p12s were written without fsync (FileSync::Deferred): make them durable before
  // the job says it is complete. Until then a rerun re-verifies every file against the store.
  sync_filesystem(args.out_dir);
  if (!r.was_complete) {
    auto tx = store_.begin();
    store_.batches().complete_job(r.job.id, clock_.now());
    record(store_, clock_, actor_, "batch.complete", "batch:" + std::to_string(r.job.id),
           "issued_this_run=" + std::to_string(r.issued_now) + " total=" + std::to_string(r.job.total));
    tx->commit();
  }
  r.counts = store_.batches().counts(r.job.id);
  return r;
}

}  // namespace inkan::service
