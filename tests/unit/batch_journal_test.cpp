// The batch journal and its resume logic, through the real services and SQLite file.
#include <catch2/catch_test_macros.hpp>
#include <zip.h>

#include <fstream>
#include <set>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/service/batch/batch_files.hpp"
#include "ca/service/batch/batch_runner.hpp"
#include "ca/service/doctor.hpp"
#include "ca/service/issuance/issuance_steps.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "service_fixture.hpp"

using namespace inkan;
using namespace inkan::service_test;
namespace fs = std::filesystem;

namespace {

std::vector<Serial> issue_expired(CaFixture& f, service::Keyring& keyring, int n) {
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  std::vector<Serial> out;
  for (int i = 0; i < n; ++i) {
    service::IssueRequest req;
    req.tenant_id = "acme";
    req.common_name = "terminal-" + std::to_string(i);
    req.key_type = KeyType::EcP256;
    req.not_before = add(f.clock.now() - std::chrono::days(10), Validity{-3, 0, 0});
    out.push_back(issuer.issue(req).record.serial);
  }
  return out;
}

service::BatchArguments reissue_args(const fs::path& out) {
  service::BatchArguments a;
  a.command = BatchCommand::Reissue;
  a.selection = service::ReissueSelection::Expired;
  a.out_dir = out;
  return a.normalized();
}

service::BatchRunResult run(CaFixture& f, service::Keyring& keyring, const service::BatchArguments& a) {
  service::BatchRunner runner(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::BatchRunOptions o;
  o.workers = 2;
  o.group_size = 2;  // several groups even for a few certificates
  return runner.run(a, [&] { return service::select_reissue(*f.store, a, f.clock.now()); }, o);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("the job key depends on the selection and the output directory only", "[batch]") {
  auto a = reissue_args("/tmp/x");
  auto b = a;
  CHECK(a.job_key() == b.job_key());
  b.out_dir = "/tmp/y";
  CHECK(a.job_key() != b.job_key());
  auto c = a;
  c.selection = service::ReissueSelection::ExpiringWithin;
  c.within_days = 30;
  CHECK(a.job_key() != c.job_key());
  auto d = reissue_args("/tmp/x/../x/");
  CHECK(d.job_key() == a.job_key());
}

TEST_CASE("a crashed batch resumes: reservations redone, one successor each, outputs rebuilt", "[batch]") {
  CaFixture f;
  auto keyring = f.unlock();
  auto olds = issue_expired(f, keyring, 5);
  const auto out = f.dir.path() / "out";
  const auto args = reissue_args(out);

  // What a run killed mid-way leaves: a job, two items reserved (one with a partial p12).
  fs::create_directories(out / "acme");
  auto opened = service::open_job(*f.store, args, f.clock.now(),
                                  [&] { return service::select_reissue(*f.store, args, f.clock.now()); });
  REQUIRE(opened.created);
  REQUIRE(opened.job.total == 5);
  {
    auto items = f.store->batches().items(opened.job.id, BatchItemState::Pending, 0, 2);
    auto ctx = service::load_issuance_context(*f.store, "acme");
    auto tx = f.store->begin();
    for (const auto& item : items) {
      service::IssuanceSpec spec{item.tenant_id, item.cn, item.kind, item.key_type, std::nullopt, std::nullopt,
                                 item.email, item.old_serial};
      auto plan = service::plan_issuance(ctx, spec, f.clock.now(), *f.rng);
      f.store->certificates().reserve(plan.reservation);
      f.store->batches().mark_reserved(opened.job.id, item.seq, plan.reservation.serial);
    }
    tx->commit();
    service::write_partial(out / "acme" / "x.p12", "half a p12");
  }
  CHECK(f.store->certificates().reservations().size() == 2);
  auto sick = service::run_doctor(*f.store, f.clock, {}, f.actor);
  CHECK_FALSE(sick.healthy());  // leftover reservations (and a warning for the unfinished job)

  auto r = run(f, keyring, args);
  CHECK(r.resumed);
  CHECK(r.dropped_reservations == 2);
  CHECK(r.issued_now == 5);
  CHECK(r.counts.committed == 5);
  CHECK(f.store->certificates().reservations().empty());
  CHECK_FALSE(fs::exists(service::partial_path(out / "acme" / "x.p12")));
  std::set<std::string> successors;
  for (const auto& s : olds) {
    auto old = f.store->certificates().find(s);
    REQUIRE(old->successor);
    successors.insert(old->successor->hex());
    auto fresh = f.store->certificates().find(*old->successor);
    CHECK(fresh->predecessor == s);
    CHECK(fresh->cn == old->cn);
  }
  CHECK(successors.size() == 5);
  CHECK(service::run_doctor(*f.store, f.clock, {}, f.actor).healthy());

  // Damage the outputs: a second run issues nothing and repairs them from the store.
  std::vector<fs::path> p12s;
  for (const auto& e : fs::directory_iterator(out / "acme"))
    if (e.path().extension() == ".p12") p12s.push_back(e.path());
  REQUIRE(p12s.size() == 5);
  const auto original = read_file(p12s[0]);
  fs::remove(p12s[0]);
  { std::ofstream(p12s[1], std::ios::trunc) << "x"; }
  fs::remove(out / "manifest.json");
  auto again = run(f, keyring, args);
  CHECK(again.was_complete);
  CHECK(again.issued_now == 0);
  CHECK(again.reexported == 2);
  CHECK(read_file(p12s[0]) == original);
  CHECK(fs::exists(out / "manifest.json"));
  CHECK(fs::exists(out / "acme.zip"));
  CHECK((fs::status(out / "acme" / "passwords.csv").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(read_file(out / "acme" / "passwords.csv").starts_with("\xEF\xBB\xBF" "file,serial,cn,password\r\n"));
}

TEST_CASE("an item whose predecessor was renewed elsewhere is skipped, not doubled", "[batch]") {
  CaFixture f;
  auto keyring = f.unlock();
  auto olds = issue_expired(f, keyring, 3);
  const auto args = reissue_args(f.dir.path() / "out");
  service::open_job(*f.store, args, f.clock.now(), [&] { return service::select_reissue(*f.store, args, f.clock.now()); });
  // Someone reissues one of them before the batch gets to it.
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest req;
  req.tenant_id = "acme";
  req.common_name = "terminal-1";
  req.key_type = KeyType::EcP256;
  req.predecessor = olds[1];
  req.reason = service::IssueReason::Reissue;
  auto elsewhere = issuer.issue(req).record.serial;

  auto r = run(f, keyring, args);
  CHECK(r.issued_now == 2);
  CHECK(r.counts.skipped == 1);
  CHECK(f.store->certificates().find(olds[1])->successor == elsewhere);
  CHECK(service::run_doctor(*f.store, f.clock, {}, f.actor).healthy());
}

TEST_CASE("another job may not write into a directory that holds a job's output", "[batch]") {
  CaFixture f;
  auto keyring = f.unlock();
  issue_expired(f, keyring, 1);
  const auto out = f.dir.path() / "out";
  run(f, keyring, reissue_args(out));
  auto other = reissue_args(out);
  other.selection = service::ReissueSelection::ExpiringWithin;
  other.within_days = 30;
  CHECK_THROWS_AS(run(f, keyring, other), Error);
}

// The pipeline writes p12s without an fsync each (FileSync::Deferred). What a power loss can then
// leave: the job still running, the certificate committed, its file renamed into place but empty
// (the rename reached the disk, the data did not). The next run must rewrite it from the store.
TEST_CASE("a committed p12 whose data a power loss lost is rewritten by the next run", "[batch]") {
  CaFixture f;
  auto keyring = f.unlock();
  issue_expired(f, keyring, 3);
  const auto out = f.dir.path() / "out";
  const auto args = reissue_args(out);
  auto first = run(f, keyring, args);
  REQUIRE(first.counts.committed == 3);

  std::vector<fs::path> p12s;
  for (const auto& e : fs::directory_iterator(out / "acme"))
    if (e.path().extension() == ".p12") p12s.push_back(e.path());
  REQUIRE(p12s.size() == 3);
  const auto original = read_file(p12s[2]);
  { std::ofstream(p12s[2], std::ios::trunc); }  // zero length under its final name
  f.store->batches().reopen_job(first.job.id);   // the crash came before the job was completed

  auto again = run(f, keyring, args);
  CHECK(again.resumed);
  CHECK_FALSE(again.was_complete);
  CHECK(again.issued_now == 0);
  CHECK(again.reexported == 1);
  CHECK(read_file(p12s[2]) == original);
  CHECK(f.store->batches().job(first.job.id)->state == BatchJobState::Completed);
}

TEST_CASE("a first run re-exports nothing, and its zip stores the p12s byte for byte", "[batch]") {
  CaFixture f;
  auto keyring = f.unlock();
  issue_expired(f, keyring, 3);
  const auto out = f.dir.path() / "out";
  auto r = run(f, keyring, reissue_args(out));
  REQUIRE(r.counts.committed == 3);
  CHECK(r.reexported == 0);  // the pipeline wrote every p12 once, after its commit

  int err = 0;
  zip_t* z = zip_open((out / "acme.zip").c_str(), ZIP_RDONLY, &err);
  REQUIRE(z != nullptr);
  int p12s = 0;
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    REQUIRE(zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st) == 0);
    const std::string name = st.name;
    if (!name.ends_with(".p12")) continue;
    ++p12s;
    CHECK(st.comp_method == ZIP_CM_STORE);  // encrypted, incompressible: not deflated
    std::string bytes(static_cast<std::size_t>(st.size), '\0');
    zip_file_t* zf = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    REQUIRE(zf != nullptr);
    CHECK(zip_fread(zf, bytes.data(), bytes.size()) == static_cast<zip_int64_t>(bytes.size()));
    zip_fclose(zf);
    CHECK(bytes == read_file(out / "acme" / name));
  }
  zip_close(z);
  CHECK(p12s == 3);
}

TEST_CASE("the set of files a run wrote grows with any seq and holds only those", "[batch]") {
  service::WrittenThisRun w;
  CHECK_FALSE(w.contains(0));
  w.add(3);
  w.add(1000);
  w.add(-1);  // never a seq; ignored
  CHECK(w.contains(3));
  CHECK(w.contains(1000));
  CHECK_FALSE(w.contains(4));
  CHECK_FALSE(w.contains(999));
  CHECK_FALSE(w.contains(5000));
  CHECK_FALSE(w.contains(-1));
}

TEST_CASE("a deferred-sync partial file has the content and mode of a synced one", "[batch]") {
  CaFixture f;
  const auto final = f.dir.path() / "x.p12";
  const auto partial = service::write_partial(final, "p12 bytes", service::FileSync::Deferred);
  CHECK(read_file(partial) == "p12 bytes");
  CHECK((fs::status(partial).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
  service::publish_partial(partial, final);
  service::sync_filesystem(f.dir.path());
  CHECK(read_file(final) == "p12 bytes");
  CHECK_THROWS_AS(service::sync_filesystem(f.dir.path() / "missing"), Error);
}
