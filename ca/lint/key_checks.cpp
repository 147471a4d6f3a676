#include "ca/lint/key_checks.hpp"

#include <bit>

#include "ca/lint/field_checks.hpp"

namespace inkan::lint {
namespace {

ByteView magnitude(ByteView integer) {
  while (!integer.empty() && integer[0] == 0) integer = integer.subspan(1);
  return integer;
}

void check_rsa(LintReport& report, const PublicKeyParts& key) {
  if (!key.parameters || key.parameters->tag != tag::kNull || !key.parameters->content.empty())
    report.add(LintRule::RsaParametersNotNull);
  DerReader r(read_single(key.key, tag::kSequence, "RSAPublicKey").content, "RSAPublicKey");
  const auto n = magnitude(r.next(tag::kInteger).content);
  const auto e = magnitude(r.next(tag::kInteger).content);
  r.expect_end();
  const auto bits = n.empty() ? 0 : n.size() * 8 - std::countl_zero(n[0]);
  if (bits < 2048) report.add(LintRule::RsaModulusTooSmall, std::to_string(bits) + " bits");
  else if (bits != 2048 && bits != 3072 && bits != 4096) report.add(LintRule::RsaModulusUnusualSize, std::to_string(bits) + " bits");
  std::uint64_t exponent = 0;
  for (auto b : e) exponent = exponent > (UINT64_MAX >> 8) ? UINT64_MAX : (exponent << 8) | b;
  if (exponent < 65537 || !(e.empty() ? false : (e.back() & 1)))
    report.add(LintRule::RsaExponentInvalid, "e = " + hex(e));
}

void check_ec(LintReport& report, const PublicKeyParts& key) {
  if (!key.parameters || key.parameters->tag != tag::kOid) {
    report.add(LintRule::EcCurveUnsupported, "parameters are not a named curve");
    return;
  }
  const auto curve = oid_text(key.parameters->content);
  std::size_t coordinate = 0;
  if (curve == oid::kP256) coordinate = 32;
  else if (curve == oid::kP384) coordinate = 48;
  else {
    report.add(LintRule::EcCurveUnsupported, curve);
    return;
  }
  if (key.key.size() != 1 + 2 * coordinate || key.key[0] != 0x04)
    report.add(LintRule::EcPointInvalid, std::to_string(key.key.size()) + " octets");
}

}  // namespace

void check_public_key(LintReport& report, const PublicKeyParts& key) {
  if (key.algorithm_oid == oid::kRsaEncryption) check_rsa(report, key);
  else if (key.algorithm_oid == oid::kEcPublicKey) check_ec(report, key);
  else report.add(LintRule::KeyAlgorithmUnsupported, key.algorithm_oid);
}

}  // namespace inkan::lint
