#include "ca/service/doctor.hpp"

#include "ca/domain/error.hpp"
#include "ca/policy/profiles.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/security_digest.hpp"
#include "ca/domain/error.hpp"
#include "ca/store/admin_repositories.hpp"

namespace inkan::service {
namespace {

void check_database(Store& store, DoctorReport& r) {
  auto integrity = store.check_integrity();
  if (integrity.ok) {
    r.findings.push_back({Severity::Ok, "database", "integrity check passed"});
    return;
  }
  for (const auto& p : integrity.problems) r.findings.push_back({Severity::Problem, "database", p});
}

void check_audit(Store& store, DoctorReport& r) {
  auto v = store.audit().verify();
  if (v.ok) {
    r.findings.push_back({Severity::Ok, "audit", "hash chain intact over " + std::to_string(v.entries) + " entries"});
  } else {
    r.findings.push_back({Severity::Problem, "audit",
                          "hash chain broken" + (v.first_bad_seq ? " at entry " + std::to_string(*v.first_bad_seq) : "") +
                              (v.problem.empty() ? "" : ": " + v.problem)});
  }
}

void check_reservations(Store& store, const Clock& clock, const DoctorOptions& o, const Actor& actor, DoctorReport& r) {
  auto reservations = store.certificates().reservations();
  if (reservations.empty()) {
    r.findings.push_back({Severity::Ok, "reservations", "no leftover reservations"});
    return;
  }
  for (const auto& res : reservations) {
    std::string what = "serial " + res.serial.hex() + " reserved at " + format_rfc3339(res.requested_at) +
                       " for tenant " + res.tenant_id + " cn " + res.cn;
    if (o.clear_reservations) {
      auto tx = store.begin();
      store.certificates().drop_reservation(res.serial);
      record(store, clock, actor, "reservation.clear", "cert:" + res.serial.hex());
      tx->commit();
      r.findings.push_back({Severity::Ok, "reservations", "cleared " + what});
    } else {
      r.findings.push_back({Severity::Problem, "reservations",
                            "leftover " + what + " (never signed; clear with `inkan doctor --clear-reservations`)"});
    }
  }
}

const std::string kRolloverHint =
    "run `inkan ca rollover` (offline root: `inkan ca csr`, `inkan root sign`, `inkan ca import`)";

void check_ca_expiry(Store& store, const Clock& clock, DoctorReport& r) {
  auto ca = store.cas().active_issuing();
  if (!ca) {
    r.findings.push_back({Severity::Problem, "ca-expiry", "no active issuing CA"});
    return;
  }
  const auto now = clock.now();
  const auto full_term_end = add(now, policy::kDefaultClientValidity);
  if (ca->not_after <= now) {
    r.findings.push_back({Severity::Problem, "ca-expiry",
                          "the issuing CA expired on " + format_date(ca->not_after) + ": " + kRolloverHint});
  } else if (ca->not_after < full_term_end) {
    r.findings.push_back({Severity::Warning, "ca-expiry",
                          "the issuing CA expires on " + format_date(ca->not_after) +
                              ": it can no longer sign a full 3-year certificate; " + kRolloverHint});
  } else {
    r.findings.push_back({Severity::Ok, "ca-expiry", "the issuing CA is valid until " + format_date(ca->not_after)});
  }
  if (auto root = store.cas().root(); root && root->not_after < full_term_end)
    r.findings.push_back({Severity::Warning, "ca-expiry", "the root CA expires on " + format_date(root->not_after)});
  // A half-finished offline rollover: the key waits for its certificate.
  if (auto pending = store.cas().pending_issuing())
    r.findings.push_back({Severity::Warning, "ca-expiry",
                          "an issuing CA key made on " + format_date(pending->created_at) +
                              " awaits its certificate: `inkan ca import --cert FILE.pem`"});
}

void check_lineage(Store& store, DoctorReport& r) {
  auto problems = store.consistency().lineage_problems(50);
  if (problems.empty()) r.findings.push_back({Severity::Ok, "lineage", "successor and predecessor links agree"});
  for (auto& p : problems) r.findings.push_back({Severity::Problem, "lineage", std::move(p)});
}

// Batch jobs: an unfinished one is resumed by running its command again; a journal that
// contradicts the certificates table is a problem.
void check_batches(Store& store, DoctorReport& r) {
  for (const auto& job : store.batches().jobs(BatchJobState::Running)) {
    auto c = store.batches().counts(job.id);
    r.findings.push_back({Severity::Warning, "batch",
                          "batch job " + std::to_string(job.id) + " (" + std::string(to_string(job.command)) +
                              " into " + job.out_dir + ", started " + format_rfc3339(job.created_at) + ") is unfinished: " +
                              std::to_string(c.committed) + " of " + std::to_string(c.total()) +
                              " issued; run the same `inkan batch` command again to finish it"});
  }
  auto problems = store.consistency().journal_problems(50);
  if (problems.empty()) r.findings.push_back({Severity::Ok, "batch", "batch journal agrees with the certificates"});
  for (auto& p : problems) r.findings.push_back({Severity::Problem, "batch", std::move(p)});
}

// Informational: after an upgrade the operator should know the backup exists, where, and that
// it can leave the machine once the new version has proven itself.
void check_upgrade_backup(const DoctorOptions& o, DoctorReport& r) {
  if (o.data_dir.empty()) return;
  const auto newest = newest_pre_migration_backup(o.data_dir);
  if (!newest) return;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(*newest, ec);
  r.findings.push_back({Severity::Ok, "upgrade-backup",
                        "newest pre-migration backup: " + newest->string() +
                            (ec ? "" : " (" + std::to_string(bytes) + " bytes)") +
                            "; keep it until this version has proven itself, then move it off the machine"});
}

// CA keys on a token: reachable, the PIN accepted, the key there and the CA certificate's.
void check_tokens(Store& store, const DoctorOptions& o, DoctorReport& r) {
  for (const auto& ca : store.cas().list()) {
    if (!ca.token_key) continue;
    const std::string who = std::string(to_string(ca.role)) + " CA " + std::to_string(ca.id) + " (" + ca.subject + ")";
    if (!o.token_pin) {
      r.findings.push_back({Severity::Warning, "token", who + ": its key on " + ca.token_key->uri + " was not checked (no PIN)"});
      continue;
    }
    try {
      crypto::SigningCa check(ca.cert_der, open_token_key(*ca.token_key, o.token_pin));
      r.findings.push_back({Severity::Ok, "token", who + ": the token answers and its key " + ca.token_key->uri +
                                                       " matches the certificate"});
    } catch (const Error& e) {
      r.findings.push_back({Severity::Problem, "token", who + ": " + e.what()});
    }
  }
}

// The keyed digest of admin_users, admin_certificates, cas, settings and tenants (issue 14 item 5).
void check_security_tables(Store& store, const Clock& clock, const DoctorOptions& o, const Actor& actor,
                           DoctorReport& r) {
  if (!o.data_key) {
    if (o.reseal) throw Error(ErrorCode::InvalidArgument, "--reseal needs the passphrase");
    r.findings.push_back({Severity::Warning, "security-tables",
                          std::string(o.passphrase_refused
                                          ? "not checked: the passphrase given does not unlock this data directory, and the "
                                          : "not checked: no passphrase given (--passphrase-file or $INKAN_PASSPHRASE_FILE), and the ") +
                          "keyed digest of admin_users, admin_certificates, cas, settings and tenants needs it; "
                          "an edit of those tables made outside inkan goes unnoticed by this run"});
    return;
  }
  if (o.reseal) {
    install_security_sealer(store, *o.data_key);
    auto tx = store.begin();
    store.security_tables().reseal_all();
    record(store, clock, actor, "integrity.reseal", "security-tables", "");
    tx->commit();
    r.findings.push_back({Severity::Ok, "security-tables", "sealed the security tables as they are now"});
    return;
  }
  std::vector<std::string> differ, unsealed;
  for (const auto& c : service::check_security_tables(store, *o.data_key)) {
    if (c.result == SecurityTableCheck::Result::Differs) differ.push_back(c.table);
    if (c.result == SecurityTableCheck::Result::NeverSealed) unsealed.push_back(c.table);
  }
  auto joined = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& t : v) out += (out.empty() ? "" : ", ") + t;
    return out;
  };
  if (!differ.empty())
    r.findings.push_back({Severity::Problem, "security-tables",
                          joined(differ) + " changed since inkan last wrote it with the passphrase: an edit outside "
                                           "inkan (sqlite3, a replaced file) or a change made without the passphrase. "
                                           "Compare with a backup; once the rows are known to be right, "
                                           "`inkan doctor --reseal` records them"});
  if (!unsealed.empty())
    r.findings.push_back({Severity::Problem, "security-tables",
                          joined(unsealed) + " has no keyed digest yet (a database from before schema 11, or the "
                                             "digest setting was removed): check the accounts, tenants and CAs "
                                             "(`inkan user list`, `inkan tenant list`, `inkan ca list`), then run "
                                             "`inkan doctor --reseal` once"});
  if (differ.empty() && unsealed.empty())
    r.findings.push_back({Severity::Ok, "security-tables",
                          "admin_users, admin_certificates, cas, settings and tenants match their keyed digest"});
}

// Accounts that cannot log in while the site requires client certificates (the default): the
// one-time step after upgrading to schema 11 (issue 14 item 4), or a certificate run out.
void check_admin_certificates(Store& store, const Clock& clock, DoctorReport& r) {
  const auto users = store.admin_certificates().without_usable_certificate(clock.now());
  if (users.empty()) {
    r.findings.push_back({Severity::Ok, "admin-certificates", "every enabled administrator has a usable certificate"});
    return;
  }
  std::string names;
  for (const auto& u : users)
    names += (names.empty() ? "" : ", ") + u.username + " (" + (u.is_operator() ? "operator" : *u.tenant_id) + ")";
  r.findings.push_back(
      {Severity::Warning, "admin-certificates",
       std::to_string(users.size()) + " administrator(s) have no valid certificate bound to their account and cannot " +
           "log in while the site requires client certificates: " + names +
           ". Bind an issued one with `inkan user bind-certificate NAME SERIAL`, or issue one with `inkan issue "
           "--kind tenant-admin --admin NAME ...` (an operator: --kind operator)"});
}

}  // namespace

bool DoctorReport::healthy() const {
  for (const auto& f : findings)
    if (f.severity == Severity::Problem) return false;
  return true;
}

DoctorReport run_doctor(Store& store, const Clock& clock, const DoctorOptions& options, const Actor& actor) {
  DoctorReport r;
  check_database(store, r);
  check_audit(store, r);
  check_reservations(store, clock, options, actor, r);
  check_ca_expiry(store, clock, r);
  check_lineage(store, r);
  check_batches(store, r);
  check_upgrade_backup(options, r);
  check_tokens(store, options, r);
  check_security_tables(store, clock, options, actor, r);
  check_admin_certificates(store, clock, r);
  return r;
}

}  // namespace inkan::service
