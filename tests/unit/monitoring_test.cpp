// Issue 19: the expiring-within gauges from the day buckets equal a count of every row; the
// health rules; the route families; the registry's histogram; the operation events; the MIME
// message of the expiry mail (RFC 2047 subject, RFC 5322 date, header injection refused).
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>

#include "ca/domain/error.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/lifecycle/renewal.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/service/monitoring/certificate_gauges.hpp"
#include "ca/store/admin_repositories.hpp"
#include "mail/mime_message.hpp"
#include "service_fixture.hpp"
#include "web/monitoring/health.hpp"
#include "web/monitoring/route_family.hpp"

using namespace inkan;
using namespace inkan::service_test;
using Catch::Matchers::ContainsSubstring;

namespace {

std::int64_t brute_force_expiring(Store& store, const std::optional<std::string>& tenant, Timestamp now, int days) {
  CertificateFilter f;
  f.tenant_id = tenant;
  f.now = now;
  std::int64_t n = 0;
  for (const auto& r : store.certificates().list(f))
    if (r.state == CertState::Active && r.not_after > now && r.not_after <= now + std::chrono::days(days)) ++n;
  return n;
}

}  // namespace

TEST_CASE("expiring-within gauges from the day buckets equal a count of every row") {
  CaFixture f;
  auto keyring = f.unlock();
  service::Tenants(*f.store, f.clock, f.actor).add("beta", "Beta");
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  std::vector<CertificateRecord> issued;
  // Around every boundary: today, N days, N days +- an hour, for N = 7, 30, 90.
  const int offsets_hours[] = {-48, -1, 1, 5, 23, 25, 7 * 24 - 1, 7 * 24, 7 * 24 + 1, 29 * 24, 30 * 24,
                               30 * 24 + 2, 89 * 24 + 23, 90 * 24, 90 * 24 + 1, 200 * 24};
  int i = 0;
  for (int h : offsets_hours) {
    service::IssueRequest req;
    req.tenant_id = i % 2 ? "beta" : "acme";
    req.common_name = "c" + std::to_string(i++);
    req.key_type = KeyType::EcP256;
    req.not_before = add(f.clock.now() + std::chrono::hours(h), Validity{-3, 0, 0});
    issued.push_back(issuer.issue(req).record);
  }
  service::Revocation(*f.store, f.clock, f.actor).revoke(issued[4].serial, RevocationReason::KeyCompromise);
  service::Renewer(*f.store, keyring, f.clock, *f.rng, f.actor).renew(issued[9].serial, {});

  for (int h : {0, 1, 3, 13, 24 * 6 + 23, 24 * 29}) {
    const auto now = f.clock.now() + std::chrono::hours(h) + std::chrono::minutes(7);
    for (const auto& tenant : {std::optional<std::string>{}, std::optional<std::string>{"acme"},
                               std::optional<std::string>{"beta"}}) {
      const auto g = service::certificate_gauges(*f.store, now, tenant);
      for (std::size_t k = 0; k < service::kExpiringWithinDays.size(); ++k) {
        INFO("hours " << h << " tenant " << tenant.value_or("*") << " within " << service::kExpiringWithinDays[k]);
        CHECK(g.expiring[k] == brute_force_expiring(*f.store, tenant, now, service::kExpiringWithinDays[k]));
      }
    }
  }
  CHECK(service::tenants_with_certificates(*f.store) == std::vector<std::string>{"acme", "beta"});
}

TEST_CASE("health: each check fails on its own and names itself") {
  const Timestamp now{std::chrono::seconds(2'000'000'000)};
  web::HealthFacts ok{true, true, now + std::chrono::days(8), {now + std::chrono::hours(1)}};
  CHECK(web::healthy(web::evaluate_health(ok, now)));
  CHECK(web::health_json(web::evaluate_health(ok, now)) ==
        R"({"status":"ok","checks":{"database":"ok","keys":"ok","server_certificate":"ok","crl":"ok"},"failing":[]})"
        "\n");

  auto near = ok;
  near.server_not_after = now + std::chrono::days(7);
  auto checks = web::evaluate_health(near, now);
  CHECK_FALSE(web::healthy(checks));
  CHECK(web::health_json(checks).find(R"("failing":["server_certificate"])") != std::string::npos);

  auto stale = ok;
  stale.crl_next_updates.push_back(now);  // an offline root's CRL at its nextUpdate: stale
  CHECK(web::health_json(web::evaluate_health(stale, now)).find(R"("crl":"stale")") != std::string::npos);

  auto locked = ok;
  locked.issuing_key_held = false;
  CHECK(web::health_json(web::evaluate_health(locked, now)).find(R"("failing":["keys"])") != std::string::npos);

  web::HealthFacts down{};
  down.server_not_after = ok.server_not_after;
  const auto j = web::health_json(web::evaluate_health(down, now));
  CHECK_THAT(j, ContainsSubstring(R"("database":"unavailable")"));
  CHECK_THAT(j, ContainsSubstring(R"("crl":"unavailable")"));
}

TEST_CASE("route families have a handful of values whatever the path") {
  CHECK(web::route_family("/api/v1/renew") == web::RouteFamily::Api);
  CHECK(web::route_family("/apix") == web::RouteFamily::Other);
  CHECK(web::route_family("/admin/certificates/5EED") == web::RouteFamily::Admin);
  CHECK(web::route_family("/.well-known/est/simplereenroll") == web::RouteFamily::Est);
  CHECK(web::route_family("/ocsp/MEUw") == web::RouteFamily::Ocsp);
  CHECK(web::route_family("/crl.pem") == web::RouteFamily::Public);
  CHECK(web::route_family("/healthz") == web::RouteFamily::Health);
  CHECK(web::route_family("/") == web::RouteFamily::Portal);
  CHECK(web::route_family("/download/5EED.p12") == web::RouteFamily::Portal);
}

TEST_CASE("the registry's histogram is cumulative and counts operations from the service") {
  web::MetricsRegistry r;
  r.request(web::RouteFamily::Api, 201, std::chrono::microseconds(3000));
  r.request(web::RouteFamily::Api, 404, std::chrono::microseconds(700'000));
  CHECK(r.requests(web::RouteFamily::Api, 2) == 1);
  CHECK(r.requests(web::RouteFamily::Api, 4) == 1);
  const auto& h = r.latency(web::RouteFamily::Api);
  CHECK(h.bucket(0) == 1);  // <= 5 ms
  CHECK(h.bucket(web::kLatencyBuckets.size() - 1) == 2);
  CHECK(h.count() == 2);
  service::set_operation_events(&r);
  CHECK_THROWS(service::observed(service::Operation::Renewal, []() -> int {
    throw Error(ErrorCode::InvalidState, "not renewable");
  }));
  CHECK(service::observed(service::Operation::Renewal, [] { return 1; }) == 1);
  service::set_operation_events(nullptr);
  CHECK(r.operations(service::Operation::Renewal, service::OperationResult::Refused) == 1);
  CHECK(r.operations(service::Operation::Renewal, service::OperationResult::Success) == 1);
}

TEST_CASE("MIME: RFC 2047 subject in short encoded words, RFC 5322 date, no header injection") {
  const std::string subject = "【inkan】クライアント証明書の有効期限が近づいています（残り7日以内、アクメ介護、12件）";
  const auto encoded = mail::encode_header_words(subject);
  std::size_t start = 0;
  while (start < encoded.size()) {
    auto end = encoded.find("\r\n ", start);
    const auto word = encoded.substr(start, end == std::string::npos ? std::string::npos : end - start);
    CHECK(word.starts_with("=?UTF-8?B?"));
    CHECK(word.ends_with("?="));
    CHECK(word.size() <= 75);
    if (end == std::string::npos) break;
    start = end + 3;
  }
  CHECK(mail::encode_header_words("plain ascii") == "plain ascii");
  CHECK(mail::rfc5322_date(Timestamp{std::chrono::seconds(1'796'247'456)}) == "Wed, 02 Dec 2026 21:37:36 +0000");
  service::OutgoingMail m{"a@b.example", "x\r\nBcc: evil@example", "body"};
  CHECK_THROWS_AS(mail::build_mime_message(m, {"inkan@ca.example", {}, "t@ca.example"}), Error);
  m.subject = "ok";
  const auto text = mail::build_mime_message(m, {"inkan@ca.example", {}, "t@ca.example"});
  CHECK_THAT(text, ContainsSubstring("Message-ID: <t@ca.example>\r\n"));
  CHECK_THAT(text, ContainsSubstring("Content-Type: text/plain; charset=UTF-8\r\n"));
}
