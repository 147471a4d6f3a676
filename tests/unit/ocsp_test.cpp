// The OCSP responder's rules with a real CA, a real SQLite file and an injected clock: responder
// certificates (issued once, renewed near their end, lint-clean), statuses, the pre-produced
// cache and its refresh from the status change log, and the refusals. Real clients (openssl,
// python cryptography, nginx) check the same responses in tests/suites/serve/test_serve_ocsp.py.
#include <catch2/catch_test_macros.hpp>

#include "ca/crypto/ocsp/ocsp_request.hpp"
#include "ca/crypto/ocsp/ocsp_response.hpp"
#include "ca/crypto/x509/certificate.hpp"
#include "ca/lint/certificate_lint.hpp"
#include "ca/service/issuance/issuer.hpp"
#include "ca/service/lifecycle/revocation.hpp"
#include "ca/service/ocsp/ocsp_responder.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/ocsp/responder_certificates.hpp"
#include "service_fixture.hpp"

namespace inkan {
namespace {

using service_test::CaFixture;

Serial issue_one(CaFixture& f, service::Keyring& keyring, const std::string& cn) {
  service::Issuer issuer(*f.store, keyring, f.clock, *f.rng, f.actor);
  service::IssueRequest spec;
  spec.tenant_id = "acme";
  spec.common_name = cn;
  spec.key_type = KeyType::EcP256;
  return issuer.issue(spec).record.serial;
}

Bytes request_for(const CaFixture& f, const Serial& serial, crypto::OcspHash hash = crypto::OcspHash::Sha1,
                  std::optional<Bytes> nonce = std::nullopt) {
  return crypto::make_ocsp_request({crypto::make_ocsp_cert_id(f.ca.issuing.cert_der, serial, hash)}, nonce);
}

crypto::OcspSingleAnswer only_answer(const service::OcspReply& reply) {
  REQUIRE(reply.outcome == service::OcspOutcome::Successful);
  auto summary = crypto::read_ocsp_response(reply.der);
  REQUIRE(summary.response_status == 0);
  REQUIRE(summary.answers.size() == 1);
  return summary.answers.front();
}

}  // namespace

TEST_CASE("a responder certificate is issued once, lint-clean, and renewed near its end", "[ocsp]") {
  CaFixture f;
  auto keyring = f.unlock();
  service::ResponderCertificates certs(*f.store, keyring, f.clock, *f.rng, f.actor);
  auto first = certs.ensure(f.ca.issuing.id);
  CHECK(first.issued_now);
  const auto report = lint::lint_certificate(first.cert_der, f.ca.issuing.cert_der);
  CHECK(report.findings.empty());
  CHECK(first.not_after == f.clock.now() + std::chrono::days(7));
  crypto::OcspSigner signer(first.cert_der, first.key_pkcs8_der);  // the unsealed key matches

  auto again = certs.ensure(f.ca.issuing.id);
  CHECK_FALSE(again.issued_now);
  CHECK(again.serial == first.serial);
  CHECK(again.key_pkcs8_der == first.key_pkcs8_der);

  f.clock.advance(std::chrono::days(5) + std::chrono::seconds(1));  // fewer than 2 days left
  auto renewed = certs.ensure(f.ca.issuing.id);
  CHECK(renewed.issued_now);
  CHECK(renewed.serial != first.serial);
}

TEST_CASE("statuses: good, revoked with time and reason, unknown; nonce echoed", "[ocsp]") {
  CaFixture f;
  auto keyring = f.unlock();
  const auto good = issue_one(f, keyring, "good");
  const auto revoked = issue_one(f, keyring, "revoked");
  service::Revocation(*f.store, f.clock, f.actor).revoke(revoked, RevocationReason::KeyCompromise);
  service::OcspResponder responder(keyring, f.clock, f.actor);
  responder.prepare(*f.store, *f.rng);

  for (auto hash : {crypto::OcspHash::Sha1, crypto::OcspHash::Sha256}) {
    auto a = only_answer(responder.answer(*f.store, *f.rng, request_for(f, good, hash)));
    CHECK(a.status == crypto::OcspCertStatus::Good);
    CHECK(a.this_update == f.clock.now());
    CHECK(a.next_update == f.clock.now() + std::chrono::hours(1));
    auto r = only_answer(responder.answer(*f.store, *f.rng, request_for(f, revoked, hash)));
    CHECK(r.status == crypto::OcspCertStatus::Revoked);
    CHECK(r.revoked_at == f.clock.now());
    CHECK(r.reason == RevocationReason::KeyCompromise);
    auto u = only_answer(responder.answer(*f.store, *f.rng, request_for(f, Serial::parse("7A3B9C1D2E3F4051"), hash)));
    CHECK(u.status == crypto::OcspCertStatus::Unknown);
  }
  const Bytes nonce{1, 2, 3, 4, 5, 6, 7, 8};
  auto reply = responder.answer(*f.store, *f.rng, request_for(f, good, crypto::OcspHash::Sha1, nonce));
  CHECK_FALSE(reply.cacheable);
  auto summary = crypto::read_ocsp_response(reply.der);
  REQUIRE(summary.nonce);
  CHECK(*summary.nonce == Bytes{0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("a revocation reaches the cached response at the next refresh", "[ocsp]") {
  CaFixture f;
  auto keyring = f.unlock();
  const auto serial = issue_one(f, keyring, "laptop");
  service::OcspResponder responder(keyring, f.clock, f.actor);
  responder.prepare(*f.store, *f.rng);
  const auto req = request_for(f, serial);
  auto before = responder.answer(*f.store, *f.rng, req);
  CHECK(before.cacheable);
  CHECK(responder.answer(*f.store, *f.rng, req).der == before.der);  // pre-produced: same bytes

  // Another process revokes (the responder only sees the database).
  auto other = service::open_data_dir(f.dir.path() / "data");
  service::Revocation(*other, f.clock, service::Actor{"cli:other"}).revoke(serial, RevocationReason::KeyCompromise);
  CHECK(only_answer(responder.answer(*f.store, *f.rng, req)).status == crypto::OcspCertStatus::Good);  // not yet seen

  auto refreshed = responder.refresh(*f.store, *f.rng);
  CHECK(refreshed.changes == 1);
  CHECK(refreshed.resigned >= 1);  // signed ahead, before anyone asks
  CHECK(only_answer(responder.answer(*f.store, *f.rng, req)).status == crypto::OcspCertStatus::Revoked);
  CHECK(responder.refresh(*f.store, *f.rng).changes == 0);
}

TEST_CASE("cached responses are signed again before their nextUpdate", "[ocsp]") {
  CaFixture f;
  auto keyring = f.unlock();
  const auto serial = issue_one(f, keyring, "desk");
  service::OcspResponder responder(keyring, f.clock, f.actor);
  responder.prepare(*f.store, *f.rng);
  const auto req = request_for(f, serial);
  const auto first = only_answer(responder.answer(*f.store, *f.rng, req));
  f.clock.advance(std::chrono::minutes(20));
  CHECK(responder.refresh(*f.store, *f.rng).resigned == 0);
  f.clock.advance(std::chrono::minutes(11));  // 29 minutes before nextUpdate
  CHECK(responder.refresh(*f.store, *f.rng).resigned == 1);
  const auto second = only_answer(responder.answer(*f.store, *f.rng, req));
  CHECK(second.this_update == f.clock.now());
  CHECK(second.this_update > first.this_update);
}

TEST_CASE("malformed and unauthorized requests get the unsigned statuses", "[ocsp]") {
  CaFixture f;
  auto keyring = f.unlock();
  service::OcspResponder responder(keyring, f.clock, f.actor);
  responder.prepare(*f.store, *f.rng);
  const auto serial = issue_one(f, keyring, "x");
  auto outcome = [&](const Bytes& der) { return responder.answer(*f.store, *f.rng, der).outcome; };
  CHECK(outcome({}) == service::OcspOutcome::MalformedRequest);
  CHECK(outcome({0x30, 0x00}) == service::OcspOutcome::MalformedRequest);
  auto trailing = request_for(f, serial);
  trailing.push_back(0);
  CHECK(outcome(trailing) == service::OcspOutcome::MalformedRequest);
  CHECK(outcome(request_for(f, serial, crypto::OcspHash::Sha1, Bytes(33, 'n'))) == service::OcspOutcome::MalformedRequest);
  CHECK(outcome(request_for(f, serial, crypto::OcspHash::Sha1, Bytes(32, 'n'))) == service::OcspOutcome::Successful);

  std::vector<crypto::OcspCertId> many;
  for (int i = 1; i <= 17; ++i)
    many.push_back(crypto::make_ocsp_cert_id(f.ca.issuing.cert_der, Serial::from_bytes({std::uint8_t(i)}), crypto::OcspHash::Sha1));
  CHECK(outcome(crypto::make_ocsp_request(many)) == service::OcspOutcome::MalformedRequest);
  many.pop_back();
  CHECK(outcome(crypto::make_ocsp_request(many)) == service::OcspOutcome::Successful);

  CaFixture other;  // another installation's CA: same profile, other key and name
  CHECK(outcome(crypto::make_ocsp_request({crypto::make_ocsp_cert_id(other.ca.issuing.cert_der, serial,
                                                                     crypto::OcspHash::Sha1)})) ==
        service::OcspOutcome::Unauthorized);
  const auto failure = responder.answer(*f.store, *f.rng, {});
  CHECK(failure.der == Bytes{0x30, 0x03, 0x0a, 0x01, 0x01});
}

TEST_CASE("the root answers for the issuing CA certificates it signed", "[ocsp]") {
  CaFixture f;
  auto keyring = f.unlock();
  service::OcspResponder responder(keyring, f.clock, f.actor);
  responder.prepare(*f.store, *f.rng);
  const auto issuing_serial = crypto::inspect_certificate(f.ca.issuing.cert_der).serial;
  auto req = crypto::make_ocsp_request({crypto::make_ocsp_cert_id(f.ca.root.cert_der, issuing_serial, crypto::OcspHash::Sha1)});
  CHECK(only_answer(responder.answer(*f.store, *f.rng, req)).status == crypto::OcspCertStatus::Good);
}

TEST_CASE("answer_at_once: malformed, unauthorized and fresh cached answers, never a signature", "[ocsp]") {
  CaFixture f;
  auto keyring = f.unlock();
  const auto serial = issue_one(f, keyring, "kiosk");
  service::OcspResponder responder(keyring, f.clock, f.actor);
  responder.prepare(*f.store, *f.rng);
  const auto req = request_for(f, serial);

  auto malformed = responder.answer_at_once(Bytes{0x30, 0x03, 0x02, 0x01, 0x01});
  REQUIRE(malformed);
  CHECK(malformed->outcome == service::OcspOutcome::MalformedRequest);
  CHECK_FALSE(responder.answer_at_once(req));  // nothing cached yet: answer() must sign
  CHECK(responder.cached_responses() == 0);
  CaFixture other;  // another installation's CA
  auto foreign = responder.answer_at_once(
      crypto::make_ocsp_request({crypto::make_ocsp_cert_id(other.ca.issuing.cert_der, serial, crypto::OcspHash::Sha1)}));
  REQUIRE(foreign);
  CHECK(foreign->outcome == service::OcspOutcome::Unauthorized);

  const auto signed_reply = responder.answer(*f.store, *f.rng, req);
  auto cached = responder.answer_at_once(req);
  REQUIRE(cached);
  CHECK(cached->der == signed_reply.der);
  CHECK(cached->cacheable);
  CHECK(cached->etag == signed_reply.etag);
  // A nonce always needs a fresh signature.
  CHECK_FALSE(responder.answer_at_once(request_for(f, serial, crypto::OcspHash::Sha1, Bytes{9, 9, 9, 9})));
  // Past the freshness bound the cached one is not handed out.
  f.clock.advance(std::chrono::minutes(46));
  CHECK_FALSE(responder.answer_at_once(req));
}

}  // namespace inkan
