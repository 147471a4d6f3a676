// inkan-bench admin-list: the management site's certificate list (GET /admin/certificates) over
// HTTPS with a logged-in operator session, with 100,000 certificates in the store (bulk-seeded,
// tests/bench/seed.hpp). Each request is a fresh connection and full handshake, so the figure
// is what a browser without keep-alive would see; the portal status page is measured next to it
// in the same run, as the cost of the handshake and a page that reads one row.
#include <cstdio>
#include <regex>
#include <stdexcept>

#include "tests/bench/bench.hpp"
#include "tests/bench/bench_process.hpp"
#include "tests/bench/inkan_instance.hpp"
#include "tests/bench/measure.hpp"
#include "tests/bench/seed.hpp"
#include "tests/bench/tls_load.hpp"

namespace inkan::bench {
namespace {

constexpr const char* kOperator = "bench-operator";

std::string csrf_of(const std::string& page) {
  static const std::regex token(R"re(name="csrf" value="([0-9a-f]{64})")re");
  std::smatch m;
  if (!std::regex_search(page, m, token)) throw std::runtime_error("no CSRF token in the login page");
  return m[1];
}

std::string joined_cookies(const std::vector<std::string>& cookies) {
  std::string s;
  for (const auto& c : cookies) s += (s.empty() ? "" : "; ") + c;
  return s;
}

// Logs the operator in; returns the Cookie header value of the session.
std::string log_in(const TlsClient& client, int port, const std::string& password) {
  auto form = client.exchange(port, nullptr, get_request("/admin/login"));
  if (!form.ok || form.status != 200) throw std::runtime_error("GET /admin/login: " + std::to_string(form.status) + form.error);
  const auto nonce = joined_cookies(set_cookies(form));
  auto done = client.exchange(port, nullptr,
                              post_form_request("/admin/login",
                                                "csrf=" + csrf_of(form.body) + "&username=" + kOperator +
                                                    "&password=" + password,
                                                nonce));
  auto cookies = set_cookies(done);
  std::string session;
  for (const auto& c : cookies)
    if (c.rfind("__Host-inkan-admin=", 0) == 0) session = c;
  if (session.empty())
    throw std::runtime_error("login refused: status " + std::to_string(done.status) + " " + done.body.substr(0, 300));
  return session;
}

int run(const Options& o) {
  const std::int64_t rows = o.smoke ? 5'000 : std::stoll(arg_value(o.args, "--rows", "100000"));
  const int repeats = o.smoke ? 3 : std::stoi(arg_value(o.args, "--repeats", "21"));
  std::printf("inkan-bench admin-list: %s\n", to_string(describe_machine()).c_str());
  TempDir tmp("inkan-bench-admin");
  InkanDir dir(inkan_binary(o.args), tmp.path());
  dir.init("ec-p256", "ec-p256", seed_tenant_ids());  // CA keys play no part in listing
  auto cred = dir.issue_in_window("t00", 1, 30, "admin").front();
  auto seeded = seed_certificates(dir.database(), rows, SystemClock().now());
  const std::string password = "bench-operator-password-9e2f";  // form-safe: no encoding needed
  write_private_file(tmp.path() / "operator.pass", password + "\n");
  dir.run({"user", "add", kOperator, "--operator", "--password-file", (tmp.path() / "operator.pass").string()});

  ServeProcess serve(dir, {"--admin-client-cert", "off"});
  serve.wait_until_serving(*cred, 120);
  TlsClient client;
  const auto session = log_in(client, serve.port(), password);
  std::printf("\n[GET /admin/certificates, operator session, %lld certificates, fresh TLS connection each, %d runs] %s\n",
              static_cast<long long>(seeded.rows + 1), repeats, load_average().c_str());
  std::printf("  %-36s %9s %9s %9s\n", "page", "p50 ms", "p90 ms", "bytes");
  double worst = 0;
  auto measure = [&](const std::string& label, const std::string& path, const ClientCredential* c, const std::string& cookie) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int i = 0; i < repeats; ++i) {
      Stopwatch w;
      auto r = client.exchange(serve.port(), c, get_request(path, cookie));
      ms.push_back(w.milliseconds());
      if (!r.ok || r.status != 200)
        throw std::runtime_error(path + ": status " + std::to_string(r.status) + " " + r.error + " " + r.body.substr(0, 200));
      bytes = r.body.size();
    }
    const double p50 = percentile(ms, 50);
    std::printf("  %-36s %9.1f %9.1f %9zu\n", label.c_str(), p50, percentile(ms, 90), bytes);
    return p50;
  };
  for (const auto& [label, path] : std::vector<std::pair<std::string, std::string>>{
           {"every tenant, page 1", "/admin/certificates"},
           {"every tenant, page 100", "/admin/certificates?page=100"},
           {"status active", "/admin/certificates?status=active"},
           {"status revoked", "/admin/certificates?status=revoked"},
           {"type tenant-admin", "/admin/certificates?type=tenant-admin"},
           {"expiring within 30 days", "/admin/certificates?expiring=30"},
           {"tenant t03", "/admin/certificates?tenant=t03"},
           {"search CN prefix", "/admin/certificates?q=device-00012"}})
    worst = std::max(worst, measure(label, path, nullptr, session));
  const double portal = measure("(portal status page, same run)", "/", cred.get(), "");
  std::printf("  slowest list page: p50 %.1f ms (target < 200 ms); the portal page, for the handshake: %.1f ms   %s\n",
              worst, portal, load_average().c_str());
  if (const int rc = serve.stop(); rc != 0) throw std::runtime_error("inkan serve exited with " + std::to_string(rc));
  return 0;
}

const bool registered = register_benchmark(
    {"admin-list", "management site certificate list over HTTPS at 100,000 certificates",
     "inkan-bench admin-list [--inkan PATH] [--rows N] [--repeats R]\n"
     "  --inkan defaults to $INKAN_BIN. Defaults: 100000 rows, 21 repeats per page (p50 reported).\n",
     run});

}  // namespace
}  // namespace inkan::bench
