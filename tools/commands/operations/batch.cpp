// inkan batch reissue / inkan batch issue: many certificates in one resumable job.
#include <CLI/CLI.hpp>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/batch_csv.hpp"
#include "ca/policy/csv_encoding.hpp"
#include "ca/service/batch/batch_runner.hpp"
#include "ca/service/lifecycle/active_names.hpp"
#include "cli/active_names_text.hpp"
#include "cli/context.hpp"
#include "cli/files.hpp"
#include "cli/parse.hpp"
#include "cli/progress.hpp"
#include "commands/commands.hpp"

namespace inkan::cli {
namespace {

struct BatchArgs {
  // reissue
  bool expired = false;
  int within = -1;
  std::string tenant;
  // issue
  std::string from, key = "rsa-2048", not_before, profile = "compat", encoding = "auto";
  bool skip_invalid = false, skip_existing = false, allow_duplicates = false;
  // both
  std::string out, format = "text";
  unsigned jobs = 0;
  bool dry_run = false;
};

// --format json: the outcome of a run, or what a dry run would do.
nlohmann::json summary_json(const service::BatchRunResult& r) {
  const auto& c = r.counts;
  return {{"job_id", r.job.id},         {"resumed", r.resumed},
          {"was_complete", r.was_complete}, {"issued_now", r.issued_now},
          {"issued_total", c.committed},  {"total", c.total()},
          {"skipped", c.skipped},        {"interrupted_reservations_redone", r.dropped_reservations},
          {"reexported", r.reexported},  {"seconds", r.seconds},
          {"workers", r.workers},        {"manifest", r.manifest.string()}};
}

nlohmann::json existing_job_json(Store& store, const service::BatchArguments& args) {
  auto job = store.batches().find_job(args.job_key());
  if (!job) return nullptr;
  auto c = store.batches().counts(job->id);
  return {{"id", job->id}, {"state", to_string(job->state)}, {"issued", c.committed}, {"total", c.total()}};
}

// Bounded read: one byte over the limit is enough to call the file too large.
std::string read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, "cannot read " + path);
  std::string data(policy::kBatchCsvMaxBytes + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  return data;
}

// A selection that is empty makes no job and touches no directory: a job of nothing would only
// be found again by the next run of the same command and reported as "complete".
void print_nothing_to_do(const BatchArgs& a, const std::string& why) {
  if (a.format == "json") {
    std::cout << nlohmann::json{{"job_id", nullptr}, {"nothing_to_do", true}, {"issued_now", 0}, {"total", 0}}.dump(2)
              << "\n";
    return;
  }
  std::cout << "Nothing to do: " << why << "; no batch job was created and " << a.out << " was not touched\n";
}

// What the dry run of an existing job's command does: that job's remaining items, not the selection.
void print_existing_job_dry_run(const BatchJob& job, const BatchCounts& c, const char* verb) {
  const auto remaining = c.total() - c.committed - c.skipped;
  if (job.state == BatchJobState::Completed || remaining == 0)
    std::cout << "Would " << verb << " 0 certificates: batch job " << job.id << " for these arguments and --out is "
              << "complete (" << c.committed << " of " << c.total() << " issued); running it again rewrites its outputs\n";
  else
    std::cout << "Would " << verb << " " << remaining << " more certificates: batch job " << job.id
              << " for these arguments and --out has issued " << c.committed << " of " << c.total() << "\n";
}

void print_summary(const service::BatchRunResult& r) {
  const auto& c = r.counts;
  std::ostringstream rate;
  if (r.issued_now > 0 && r.seconds > 0)
    rate << " in " << std::fixed << std::setprecision(2) << r.seconds << " s ("
         << std::setprecision(0) << static_cast<double>(r.issued_now) / r.seconds << " certs/s, " << r.workers
         << " workers)";
  if (r.was_complete) {
    std::cout << "Batch job " << r.job.id << " was already complete: issued 0 new certificates (" << c.committed
              << " in total, " << c.skipped << " skipped); outputs rebuilt, " << r.reexported << " files re-exported\n";
  } else {
    std::cout << (r.resumed ? "Resumed batch job " : "Batch job ") << r.job.id << ": issued " << r.issued_now
              << " new certificates" << rate.str() << "; " << c.committed << " of " << c.total() << " issued in total, "
              << c.skipped << " skipped";
    if (r.dropped_reservations) std::cout << ", " << r.dropped_reservations << " interrupted reservations redone";
    if (r.reexported) std::cout << ", " << r.reexported << " files re-exported";
    std::cout << "\n";
  }
  std::cout << "Wrote " << r.manifest.string() << "\n";
}

service::BatchRunResult run(Context& ctx, const service::BatchArguments& args,
                            const std::function<std::vector<BatchItem>()>& items, const BatchArgs& a,
                            std::int64_t invalid_rows) {
  service::BatchRunner runner(ctx.store(), ctx.keyring(), ctx.clock(), ctx.rng(), ctx.actor());
  ProgressLine progress("batch");
  service::BatchRunOptions o;
  o.workers = a.jobs;
  o.invalid_rows = invalid_rows;
  o.progress = [&](std::int64_t done, std::int64_t total) { progress.update(done, total); };
  auto r = runner.run(args, items, o);
  progress.finish();
  if (a.format == "json")
    std::cout << summary_json(r).dump(2) << "\n";
  else
    print_summary(r);
  return r;
}

void run_reissue(const BatchArgs& a, Context& ctx) {
  if (a.expired == (a.within >= 0))
    throw Error(ErrorCode::InvalidArgument, "pass exactly one of --expired and --expiring-within DAYS");
  service::BatchArguments args;
  args.command = BatchCommand::Reissue;
  args.out_dir = a.out;
  args.selection = a.expired ? service::ReissueSelection::Expired : service::ReissueSelection::ExpiringWithin;
  args.within_days = std::max(0, a.within);
  if (!a.tenant.empty()) args.tenant = a.tenant;
  args = args.normalized();
  auto& store = ctx.store();
  if (args.tenant && !store.tenants().find(*args.tenant))
    throw Error(ErrorCode::NotFound, "unknown tenant '" + *args.tenant + "'");

  const auto existing = store.batches().find_job(args.job_key());
  if (a.dry_run) {
    if (existing && a.format != "json") {
      print_existing_job_dry_run(*existing, store.batches().counts(existing->id), "reissue");
      return;
    }
    auto items = service::select_reissue(store, args, ctx.clock().now());
    std::map<std::string, int> per_tenant;
    for (const auto& i : items) ++per_tenant[i.tenant_id];
    if (a.format == "json") {
      auto list = nlohmann::json::array();
      for (const auto& i : items) list.push_back({{"tenant", i.tenant_id}, {"serial", i.old_serial->hex()}, {"cn", i.cn}});
      std::cout << nlohmann::json{{"dry_run", true}, {"would_reissue", items.size()}, {"per_tenant", per_tenant},
                                  {"certificates", list}, {"existing_job", existing_job_json(store, args)}}
                       .dump(2)
                << "\n";
      return;
    }
    std::cout << "Would reissue " << items.size() << " certificates" << (items.empty() ? "" : ":") << "\n";
    for (const auto& [t, n] : per_tenant) std::cout << "  " << t << ": " << n << "\n";
    for (const auto& i : items) std::cout << i.tenant_id << " " << i.old_serial->hex() << " " << i.cn << "\n";
    return;
  }
  if (existing) {  // resumed (or complete): the job's own items, whatever the selection is now
    ensure_private_output_dir(a.out);
    run(ctx, args, [&] { return service::select_reissue(store, args, ctx.clock().now()); }, a, 0);
    return;
  }
  auto items = service::select_reissue(store, args, ctx.clock().now());
  if (items.empty()) {
    print_nothing_to_do(a, a.expired ? "no expired certificate is without a successor"
                                     : "no active certificate expiring within " + std::to_string(a.within) +
                                           " days is without a successor");
    return;
  }
  ensure_private_output_dir(a.out);
  run(ctx, args, [&] { return items; }, a, 0);
}

void run_issue(const BatchArgs& a, Context& ctx) {
  const auto text = read_csv(a.from);
  const auto encoding = policy::parse_csv_encoding(a.encoding);
  if (!encoding) throw Error(ErrorCode::InvalidArgument, "--encoding: '" + a.encoding + "' is not one of auto, utf-8, cp932");
  policy::DecodedCsv decoded;
  try {
    decoded = policy::decode_csv(text, *encoding);
  } catch (const Error& e) {
    throw Error(e.code(), a.from + ": " + e.what() + "; nothing was issued");
  }
  if (decoded.read_as == policy::CsvEncoding::Cp932)
    std::cerr << a.from << ": read as CP932 (Shift_JIS, Excel's Japanese CSV) and converted to UTF-8\n";
  auto& store = ctx.store();
  auto csv = policy::parse_batch_csv(decoded.text, [&](std::string_view id) { return store.tenants().find(std::string(id)).has_value(); });
  constexpr std::size_t kShown = 100;
  for (std::size_t i = 0; i < csv.problems.size() && i < kShown; ++i)
    std::cerr << a.from << ": " << csv.problems[i].to_string() << "\n";
  if (csv.problems.size() > kShown) std::cerr << a.from << ": ... and " << csv.problems.size() - kShown << " more problems\n";
  if (csv.file_rejected)
    throw Error(ErrorCode::InvalidArgument, a.from + " was rejected: nothing was issued");
  std::size_t bad_rows = 0;
  {
    std::size_t last = 0;
    for (const auto& p : csv.problems)
      if (p.line != last) ++bad_rows, last = p.line;
  }
  if (bad_rows > 0 && !a.skip_invalid)
    throw Error(ErrorCode::InvalidArgument, std::to_string(bad_rows) + " invalid rows in " + a.from +
                                                ": nothing was issued (fix them, or pass --skip-invalid)");

  // A retired tenant's rows would fail one by one inside a job: refuse the file before one exists.
  for (const auto& row : csv.rows)
    if (const auto t = store.tenants().find(row.tenant); t && t->retired_at)
      throw Error(ErrorCode::InvalidState, a.from + ": tenant '" + row.tenant + "' was retired on " +
                                               ctx.local_time(*t->retired_at, TimeStyle::Date) + ": nothing was issued");

  service::BatchArguments args;
  args.command = BatchCommand::Issue;
  args.out_dir = a.out;
  args.csv_sha256 = crypto::sha256_hex(std::string_view(text));
  args.key_type = parse_key_option("--key", a.key);
  args.not_before = parse_not_before_option(a.not_before);
  args.p12_profile = parse_profile_option(a.profile);
  args.skip_invalid = a.skip_invalid;
  args = args.normalized();
  if (a.skip_existing && a.allow_duplicates)
    throw Error(ErrorCode::InvalidArgument, "pass at most one of --skip-existing and --allow-duplicates");

  // A new job only: a resumed job's own certificates are the active ones it finds.
  const auto existing = store.batches().find_job(args.job_key());
  auto items = service::items_from_csv(csv, args);
  std::vector<CertificateRecord> held;  // working certificates of names in the CSV
  if (!existing && !a.allow_duplicates) {
    service::ActiveNames names(store, ctx.clock().now());
    std::vector<BatchItem> free;
    for (auto& i : items) {
      const auto& h = names.of(i.tenant_id, i.cn);
      if (h.empty()) free.push_back(std::move(i));
      else held.insert(held.end(), h.begin(), h.end());
    }
    items = std::move(free);
  }
  const bool refused = !held.empty() && !a.skip_existing;
  const auto held_text = describe_active_certificates(held, 20, ctx.time_zone());

  if (a.dry_run) {
    std::map<std::string, int> per_tenant;
    for (const auto& i : items) ++per_tenant[i.tenant_id];
    std::int64_t would = refused ? 0 : static_cast<std::int64_t>(items.size());
    if (existing) {
      const auto c = store.batches().counts(existing->id);
      would = c.total() - c.committed - c.skipped;
    }
    if (a.format == "json") {
      auto active = nlohmann::json::array();
      for (const auto& c : held) active.push_back({{"tenant", c.tenant_id}, {"cn", c.cn}, {"serial", c.serial.hex()}});
      std::cout << nlohmann::json{{"dry_run", true}, {"would_issue", would}, {"invalid_rows_skipped", bad_rows},
                                  {"per_tenant", per_tenant}, {"already_active", active}, {"refused", refused},
                                  {"existing_job", existing_job_json(store, args)}}
                       .dump(2)
                << "\n";
      return;
    }
    if (existing) {
      print_existing_job_dry_run(*existing, store.batches().counts(existing->id), "issue");
      return;
    }
    if (refused) {
      std::cout << "Would refuse the CSV: " << held.size() << " of its names already hold an active certificate:\n"
                << held_text << "(leave them out with --skip-existing, or issue anyway with --allow-duplicates)\n";
      return;
    }
    std::cout << "Would issue " << items.size() << " certificates (" << bad_rows << " invalid rows skipped";
    if (!held.empty()) std::cout << ", " << held.size() << " names with an active certificate left out";
    std::cout << ")\n";
    for (const auto& [t, n] : per_tenant) std::cout << "  " << t << ": " << n << "\n";
    return;
  }
  if (refused)
    throw Error(ErrorCode::AlreadyExists,
                std::to_string(held.size()) + " names in " + a.from + " already hold an active certificate; nothing was issued:\n" +
                    held_text +
                    "Renew or reissue those (`inkan batch reissue`), leave them out with --skip-existing, or issue a\n"
                    "second certificate for each with --allow-duplicates.");
  if (!held.empty())
    std::cerr << "Leaving out " << held.size() << " names that already hold an active certificate:\n" << held_text;
  if (!existing && items.empty()) {
    print_nothing_to_do(a, "no row is left to issue");
    return;
  }
  ensure_private_output_dir(a.out);
  run(ctx, args, [&] { return items; }, a, static_cast<std::int64_t>(bad_rows));
}

void add_common(CLI::App* cmd, BatchArgs& a) {
  cmd->add_option("--out", a.out, "Output directory; the same command with the same --out resumes the job")
      ->required()
      ->type_name("DIR");
  cmd->add_option("--jobs", a.jobs, "Worker threads for keys, signatures and PKCS#12 (default: one per core)")
      ->check(CLI::Range(1u, 256u));
  cmd->add_flag("--dry-run", a.dry_run, "Show what would be issued; write nothing");
  cmd->add_option("--format", a.format, "text|json: the summary (or the dry run) as one JSON object on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

}  // namespace

void add_batch(CLI::App& app, Context& ctx) {
  auto* batch = app.add_subcommand("batch", "Issue or reissue many certificates in one resumable job");
  batch->require_subcommand(1);
  batch->footer(
      "Outputs: DIR/<tenant>/<file>.p12, DIR/<tenant>/passwords.csv (0600, kept out of the zips),\n"
      "DIR/<tenant>.zip (p12s, CA chain, import instructions) and DIR/manifest.json.\n"
      "A batch that was interrupted (even by kill -9) finishes when the same command is run again.");

  auto r = std::make_shared<BatchArgs>();
  auto* reissue = batch->add_subcommand("reissue", "Reissue expired or expiring certificates that have no successor");
  reissue->add_flag("--expired", r->expired, "Select certificates past their notAfter (not revoked)");
  reissue->add_option("--expiring-within", r->within, "Select active certificates expiring within DAYS")
      ->type_name("DAYS")
      ->check(CLI::Range(0, 3650));
  reissue->add_option("--tenant", r->tenant, "Only this tenant");
  add_common(reissue, *r);
  reissue->callback([r, &ctx] { run_reissue(*r, ctx); });

  auto i = std::make_shared<BatchArgs>();
  auto* issue = batch->add_subcommand("issue", "Issue certificates for the rows of a CSV (tenant,cn,kind,email)");
  issue->add_option("--from", i->from, "CSV with the header tenant,cn,kind,email (UTF-8 with or without BOM, or CP932)")
      ->required()
      ->type_name("FILE.csv");
  issue->add_option("--encoding", i->encoding,
                    "auto|utf-8|cp932: auto reads valid UTF-8 as UTF-8, otherwise CP932 (Excel's Japanese CSV, "
                    "Shift_JIS) if the whole file is valid CP932, and says so")
      ->check(CLI::IsMember({"auto", "utf-8", "utf8", "cp932", "shift_jis", "sjis"}, CLI::ignore_case))
      ->capture_default_str();
  issue->add_option("--key", i->key, "rsa-2048|rsa-3072|ec-p256 (also rsa-4096|ec-p384)")->capture_default_str();
  issue->add_option("--not-before", i->not_before, "Start of validity, YYYY-MM-DD (default: now)");
  issue->add_option("--p12-profile", i->profile, "compat|modern")->capture_default_str();
  issue->add_flag("--skip-invalid", i->skip_invalid, "Issue the valid rows even when some rows are invalid");
  issue->add_flag("--skip-existing", i->skip_existing,
                  "Leave out rows whose tenant and CN already hold an active certificate (default: refuse the CSV)");
  issue->add_flag("--allow-duplicates", i->allow_duplicates,
                  "Issue rows whose name already holds an active certificate: a second certificate each");
  add_common(issue, *i);
  issue->callback([i, &ctx] { run_issue(*i, ctx); });
}

}  // namespace inkan::cli
