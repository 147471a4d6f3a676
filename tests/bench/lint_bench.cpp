// inkan-bench lint: issue 7's acceptance point "the linter accepts 10,000 freshly issued
// certificates of every key type". For each issuing CA (inkan init in a temporary data
// directory, real SQLite store) and each key type it issues N certificates through the service
// code the CLI runs (which already lints before storing, without the signature), then lints
// every stored DER again with lint::lint_certificate and everything: the issuing CA as issuer,
// signature verified. Then the CA certificates and a CRL with revoked entries. Prints a table
// of findings by severity and by rule; exits 1 when anything has an error finding or an
// issuance was refused by the linter.
//
// Subject keys: ec-p256 and ec-p384 go through Issuer::issue (`inkan issue`): a fresh key per
// certificate, PKCS#12 and all. RSA key generation costs up to a second (rsa-4096), so rsa-*
// go through Issuer::sign_csr (`inkan sign`) with CSRs over a pool of keys made once per type
// by the product's own key generation (crypto::PrivateKey::generate), reused round-robin; every
// certificate is still freshly issued (own serial, CN, signature). The CSRs are made with
// OpenSSL, as a device would make them. `--path csr` sends every key type through sign_csr.
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdio>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "ca/crypto/x509/key.hpp"
#include "ca/crypto/rng.hpp"
#include "ca/domain/error.hpp"
#include "ca/lint/certificate_lint.hpp"
#include "ca/service/keys/ca_setup.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/service/tenants.hpp"
#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/measure.hpp"

namespace inkan::bench::lintbench {
namespace {

constexpr const char* kUsage =
    "inkan-bench lint [--n N] [--keys rsa-2048,rsa-3072,rsa-4096,ec-p256,ec-p384]\n"
    "                 [--cas ROOT:ISSUING,...] [--pool P] [--path auto|csr] [--crl-url URL|none]\n"
    "  Defaults: --n 10000 per key type and CA, every key type, --cas rsa-4096:rsa-3072 (inkan init's\n"
    "  default),ec-p384:ec-p256, --pool 16 RSA subject keys per type, --path auto (ec-* by\n"
    "  Issuer::issue with a fresh key each, rsa-* by Issuer::sign_csr over the pool).\n";

enum class PathMode { Auto, Csr };

struct CaSpec {
  KeyType root, issuing;
};

struct Config {
  std::int64_t n = 10'000;
  std::vector<KeyType> keys{KeyType::Rsa2048, KeyType::Rsa3072, KeyType::Rsa4096, KeyType::EcP256, KeyType::EcP384};
  std::vector<CaSpec> cas{{KeyType::Rsa4096, KeyType::Rsa3072}, {KeyType::EcP384, KeyType::EcP256}};
  int pool = 16;
  PathMode path = PathMode::Auto;
  std::optional<std::string> crl_url = std::string("http://crl.example.test/inkan.crl");
};

std::vector<std::string> split(const std::string& list, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto at = list.find(sep, start);
    out.push_back(list.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

KeyType key_type(const std::string& name) {
  auto k = parse_key_type(name);
  if (!k) throw std::invalid_argument("unknown key type '" + name + "'");
  return *k;
}

Config parse(const Options& o) {
  Config c;
  if (o.smoke) c.n = 5, c.pool = 1, c.cas = {{KeyType::EcP256, KeyType::EcP256}};
  const auto& a = o.args;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (i + 1 >= a.size()) throw std::invalid_argument(a[i] + " needs a value");
    const auto& flag = a[i];
    const auto& v = a[++i];
    if (flag == "--n") {
      c.n = std::stoll(v);
    } else if (flag == "--pool") {
      c.pool = std::stoi(v);
    } else if (flag == "--keys") {
      c.keys.clear();
      for (const auto& k : split(v, ',')) c.keys.push_back(key_type(k));
    } else if (flag == "--cas") {
      c.cas.clear();
      for (const auto& pair : split(v, ',')) {
        auto parts = split(pair, ':');
        if (parts.size() != 2) throw std::invalid_argument("--cas takes ROOT:ISSUING pairs, not '" + pair + "'");
        c.cas.push_back({key_type(parts[0]), key_type(parts[1])});
      }
    } else if (flag == "--path") {
      if (v == "auto") c.path = PathMode::Auto;
      else if (v == "csr") c.path = PathMode::Csr;
      else throw std::invalid_argument("--path auto|csr, not '" + v + "'");
    } else if (flag == "--crl-url") {
      c.crl_url = v == "none" ? std::nullopt : std::optional<std::string>(v);
    } else {
      throw std::invalid_argument("unknown option " + flag);
    }
  }
  if (c.n < 1 || c.pool < 1) throw std::invalid_argument("--n and --pool must be positive");
  return c;
}

bool is_ec(KeyType k) { return k == KeyType::EcP256 || k == KeyType::EcP384; }

bool uses_pool(const Config& c, KeyType k) { return c.path == PathMode::Csr || !is_ec(k); }

// A PKCS#10 request over `key`, made with OpenSSL as a device would: subject CN only, no
// extensions requested.
std::string device_csr(const crypto::PrivateKey& key, const std::string& cn) {
  const Bytes pkcs8 = key.to_pkcs8_der();
  const unsigned char* p = pkcs8.data();
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(d2i_AutoPrivateKey(nullptr, &p, long(pkcs8.size())),
                                                          &EVP_PKEY_free);
  std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(X509_REQ_new(), &X509_REQ_free);
  if (!pkey || !req) throw std::runtime_error("OpenSSL could not read the pool key");
  auto* name = X509_REQ_get_subject_name(req.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  const EVP_MD* md = key.type() == KeyType::EcP384 ? EVP_sha384() : EVP_sha256();
  if (X509_REQ_set_version(req.get(), 0) != 1 || X509_REQ_set_pubkey(req.get(), pkey.get()) != 1 ||
      X509_REQ_sign(req.get(), pkey.get(), md) <= 0)
    throw std::runtime_error("OpenSSL could not sign the CSR");
  const int len = i2d_X509_REQ(req.get(), nullptr);
  std::string der(static_cast<std::size_t>(len), '\0');
  auto* q = reinterpret_cast<unsigned char*>(der.data());
  i2d_X509_REQ(req.get(), &q);
  return der;
}

// The subject-key pool: `size` CSRs per key type, made once and shared by every CA.
using Pool = std::map<KeyType, std::vector<std::string>>;

Pool make_pool(const Config& c, crypto::Rng& rng) {
  Pool pool;
  for (auto k : c.keys) {
    if (!uses_pool(c, k)) continue;
    Stopwatch w;
    auto& csrs = pool[k];
    for (int i = 0; i < c.pool; ++i) {
      auto key = crypto::PrivateKey::generate(k, rng);
      csrs.push_back(device_csr(key, "pool-" + std::string(to_string(k)) + "-" + std::to_string(i)));
    }
    std::printf("  pool: %d %s keys and CSRs in %.1f s\n", c.pool, std::string(to_string(k)).c_str(), w.seconds());
    std::fflush(stdout);
  }
  return pool;
}

// Findings tallied by severity and by rule, with the first detail seen for each rule.
struct Tally {
  std::int64_t items = 0, with_errors = 0, errors = 0, warnings = 0, refused = 0;
  std::map<std::string, std::int64_t> by_rule;
  std::map<std::string, std::string> example;

  void add(const lint::LintReport& report, const std::string& what) {
    ++items;
    if (report.has_errors()) ++with_errors;
    for (const auto& f : report.findings) {
      const auto& r = lint::info(f.rule);
      (r.severity == lint::Severity::Error ? errors : warnings) += 1;
      const std::string id(r.id);
      if (by_rule[id]++ == 0) example[id] = what + ": " + f.detail;
    }
  }
};

struct Row {
  std::string label, path;
  Tally tally;
  double issue_s = 0, lint_s = 0;
};

void print_rows(const std::vector<Row>& rows) {
  std::printf("\n  | %-24s | %-28s | %12s | %6s | %8s | %7s | %7s | %7s | %7s |\n", "subject key type", "issued through",
              "certificates", "errors", "warnings", "notices", "refused", "issue s", "lint s");
  std::printf("  |%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(26, '-').c_str(), std::string(30, '-').c_str(),
              std::string(14, '-').c_str(), std::string(8, '-').c_str(), std::string(10, '-').c_str(),
              std::string(9, '-').c_str(), std::string(9, '-').c_str(), std::string(9, '-').c_str(),
              std::string(9, '-').c_str());
  for (const auto& r : rows)
    std::printf("  | %-24s | %-28s | %12lld | %6lld | %8lld | %7s | %7lld | %7.1f | %7.1f |\n", r.label.c_str(),
                r.path.c_str(), static_cast<long long>(r.tally.items), static_cast<long long>(r.tally.errors),
                static_cast<long long>(r.tally.warnings), "-", static_cast<long long>(r.tally.refused), r.issue_s,
                r.lint_s);
  std::printf("  (notices: the linter has no notice severity, only error and warning: ca/lint/lint_rules.hpp)\n");
  std::map<std::string, std::int64_t> by_rule;
  std::map<std::string, std::string> example;
  for (const auto& r : rows)
    for (const auto& [id, count] : r.tally.by_rule) {
      by_rule[id] += count;
      example.emplace(id, r.tally.example.at(id));
    }
  if (by_rule.empty()) {
    std::printf("  findings by rule: none\n");
    return;
  }
  std::printf("  findings by rule:\n");
  for (const auto& [id, count] : by_rule)
    std::printf("    %-36s %8lld   first: %s\n", id.c_str(), static_cast<long long>(count), example.at(id).c_str());
}

constexpr const char* kTenant = "lint";

// One CA: init, then every key type, then the CA certificates and a CRL. Returns false when
// anything had an error finding or was refused.
bool run_ca(const Config& c, const CaSpec& spec, const Pool& pool, crypto::Rng& rng) {
  TempDir tmp("inkan-bench-lint");
  const auto data = tmp.path() / "data";
  const std::string passphrase = "inkan-bench lint passphrase";
  SystemClock clock;
  const service::Actor actor{"cli:inkan-bench"};
  auto store = service::open_or_create_data_dir(data);

  Stopwatch init_watch;
  service::InitOptions init;
  init.name = "Lint Bench " + std::string(to_string(spec.root)) + " " + std::string(to_string(spec.issuing));
  init.root_key = spec.root;
  init.issuing_key = spec.issuing;
  init.crl_url = c.crl_url;
  const auto ca = service::initialise_ca(*store, clock, rng, passphrase, init, actor);
  service::Tenants(*store, clock, actor).add(kTenant, "Lint Bench Facility");
  auto keyring = service::Keyring::unlock(*store, passphrase);
  keyring.issuing_ca(*store);  // the CA key is decrypted once (PBKDF2), as in one CLI process
  std::printf("\n[issuing CA %s under root %s, CRL URL %s, data dir %s] init %.1f s, %s\n",
              std::string(to_string(spec.issuing)).c_str(), std::string(to_string(spec.root)).c_str(),
              c.crl_url ? c.crl_url->c_str() : "none", data.c_str(), init_watch.seconds(), load_average().c_str());
  std::fflush(stdout);

  service::Issuer issuer(*store, keyring, clock, rng, actor);
  const lint::LintOptions full{.verify_signature = true};
  std::vector<Row> rows;
  std::vector<Serial> to_revoke;
  std::set<std::string> serials;
  std::int64_t duplicates = 0;

  for (auto k : c.keys) {
    const std::string kname(to_string(k));
    Row row;
    row.label = kname;
    const bool by_csr = uses_pool(c, k);
    row.path = by_csr ? "sign_csr, pool of " + std::to_string(pool.at(k).size()) : "issue, fresh key + p12";
    std::vector<Bytes> ders;
    ders.reserve(static_cast<std::size_t>(c.n));
    Stopwatch w;
    for (std::int64_t i = 0; i < c.n; ++i) {
      char cn[64];
      std::snprintf(cn, sizeof cn, "lint-%s-%06lld", kname.c_str(), static_cast<long long>(i));
      const auto kind = i % 10 == 9 ? CertKind::TenantAdmin : CertKind::Terminal;
      try {
        CertificateRecord rec;
        if (by_csr) {
          service::CsrSignRequest req;
          req.tenant_id = kTenant;
          req.csr = pool.at(k)[static_cast<std::size_t>(i) % pool.at(k).size()];
          req.common_name = cn;
          req.kind = kind;
          rec = issuer.sign_csr(req);
        } else {
          service::IssueRequest req;
          req.tenant_id = kTenant;
          req.common_name = cn;
          req.kind = kind;
          req.key_type = k;
          if (i % 2 == 1) req.email = std::string(cn) + "@example.test";  // a SAN on every other one
          req.p12_profile = i % 2 ? P12Profile::Modern : P12Profile::Compat;
          rec = issuer.issue(req).record;
        }
        if (rec.key_type != k) throw std::runtime_error("issued a " + std::string(to_string(rec.key_type)) + " certificate for " + kname);
        if (!serials.insert(rec.serial.hex()).second) ++duplicates;
        if (i < 2) to_revoke.push_back(rec.serial);
        ders.push_back(std::move(rec.cert_der));  // as the store holds it: Issuer reads the row back
      } catch (const Error& e) {
        if (e.code() != ErrorCode::PolicyViolation) throw;
        if (row.tally.refused++ < 3) std::printf("  REFUSED %s: %s\n", cn, e.what());
      }
    }
    row.issue_s = w.seconds();
    w.restart();
    for (std::size_t i = 0; i < ders.size(); ++i) {
      auto report = lint::lint_certificate(ders[i], ca.issuing.cert_der, full);
      if (report.has_errors() && row.tally.with_errors < 3)
        std::printf("  ERROR %s #%zu:\n%s", kname.c_str(), i, report.describe().c_str());
      row.tally.add(report, kname + " #" + std::to_string(i));
    }
    row.lint_s = w.seconds();
    std::printf("  %s: %lld issued in %.1f s (%.1f ms each), linted in %.1f s (%.3f ms each), %lld with errors, %s\n",
                kname.c_str(), static_cast<long long>(ders.size()), row.issue_s, 1e3 * row.issue_s / double(c.n),
                row.lint_s, ders.empty() ? 0.0 : 1e3 * row.lint_s / double(ders.size()),
                static_cast<long long>(row.tally.with_errors), load_average().c_str());
    std::fflush(stdout);
    rows.push_back(std::move(row));
  }

  // The CA certificates: the root as its own issuer, the issuing CA under the root.
  Row cas;
  cas.label = "CA certs (root, issuing)";
  cas.path = "initialise_ca";
  cas.tally.add(lint::lint_certificate(ca.root.cert_der, std::nullopt, full), "root");
  cas.tally.add(lint::lint_certificate(ca.issuing.cert_der, ca.root.cert_der, full), "issuing CA");
  rows.push_back(std::move(cas));

  // A CRL with entries under several reasons (unspecified is encoded as no reason code).
  Row crl;
  const RevocationReason reasons[] = {RevocationReason::KeyCompromise, RevocationReason::Unspecified,
                                      RevocationReason::Superseded, RevocationReason::AffiliationChanged,
                                      RevocationReason::CessationOfOperation, RevocationReason::PrivilegeWithdrawn};
  service::Revocation revocation(*store, clock, actor);
  for (std::size_t i = 0; i < to_revoke.size(); ++i) revocation.revoke(to_revoke[i], reasons[i % std::size(reasons)]);
  Stopwatch cw;
  const auto published = revocation.publish_crl(keyring, rng);
  crl.issue_s = cw.seconds();
  cw.restart();
  crl.tally.add(lint::lint_crl(published.der, ca.issuing.cert_der), "CRL");
  crl.lint_s = cw.seconds();
  crl.label = "CRL (" + std::to_string(published.entries) + " entries)";
  crl.path = "Revocation::publish_crl";
  rows.push_back(std::move(crl));

  print_rows(rows);
  std::printf("  distinct serials: %zu, duplicates: %lld\n", serials.size(), static_cast<long long>(duplicates));
  std::fflush(stdout);
  bool clean = duplicates == 0;
  for (const auto& r : rows) clean = clean && r.tally.errors == 0 && r.tally.refused == 0;
  return clean;
}

int run(const Options& o) {
  Config c;
  try {
    c = parse(o);
  } catch (const std::invalid_argument& e) {
    if (*e.what()) std::fprintf(stderr, "inkan-bench lint: %s\n", e.what());
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::printf("inkan-bench lint: %s\n  %lld certificates per key type and CA; full lint: issuer given, signature verified\n",
              to_string(describe_machine()).c_str(), static_cast<long long>(c.n));
  std::fflush(stdout);
  auto rng = crypto::Rng::system();
  const auto pool = make_pool(c, *rng);
  bool clean = true;
  Stopwatch total;
  for (const auto& spec : c.cas) clean = run_ca(c, spec, pool, *rng) && clean;
  std::printf("\n%s in %.1f s\n", clean ? "CLEAN: no error finding, nothing refused" : "FAILED: see the errors above",
              total.seconds());
  return clean ? 0 : 1;
}

const bool registered = register_benchmark(
    {"lint", "issue 7: lint N freshly issued certificates of every key type, the CA certificates and a CRL", kUsage,
     run});

}  // namespace
}  // namespace inkan::bench::lintbench
