#include "ca/lint/x509_parts.hpp"

#include <cctype>

namespace inkan::lint {
namespace {

int digits(const std::string& s, std::size_t at, std::size_t n) {
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

// RFC 5280 §4.1.2.5.1-2: seconds present, no fraction, "Z" only.
std::optional<Timestamp> time_value(std::uint8_t t, const std::string& s) {
  const std::size_t year_len = t == tag::kUtcTime ? 2 : 4;
  if (s.size() != year_len + 11 || s.back() != 'Z') return std::nullopt;
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  int year = digits(s, 0, year_len);
  if (t == tag::kUtcTime) year += year < 50 ? 2000 : 1900;
  const auto month = digits(s, year_len, 2), day = digits(s, year_len + 2, 2);
  const auto hour = digits(s, year_len + 4, 2), minute = digits(s, year_len + 6, 2), second = digits(s, year_len + 8, 2);
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return sys_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
}

TimeField read_time(DerReader& r, const std::string& what) {
  auto t = r.peek_tag();
  if (t != tag::kUtcTime && t != tag::kGeneralizedTime) throw DerError(what + " is neither UTCTime nor GeneralizedTime");
  auto tlv = r.next();
  TimeField f{tlv.tag, std::string(tlv.content.begin(), tlv.content.end()), std::nullopt};
  f.value = time_value(f.tag, f.text);
  return f;
}

NameParts read_name(DerReader& r) {
  auto name = r.next(tag::kSequence);
  NameParts parts{name.whole, name.content.empty(), false};
  DerReader rdns(name.content, "Name");
  while (!rdns.at_end()) {
    DerReader atvs(rdns.next(tag::kSet).content, "RelativeDistinguishedName");
    while (!atvs.at_end()) {
      DerReader atv(atvs.next(tag::kSequence).content, "AttributeTypeAndValue");
      const auto type = oid_text(atv.next(tag::kOid).content);
      auto value = atv.next();
      atv.expect_end();
      if (type == oid::kCommonName && !value.content.empty()) parts.has_common_name = true;
    }
  }
  return parts;
}

std::string algorithm_oid(ByteView algorithm_identifier) {
  DerReader r(read_single(algorithm_identifier, tag::kSequence, "AlgorithmIdentifier").content, "AlgorithmIdentifier");
  return oid_text(r.next(tag::kOid).content);
}

std::vector<Extension> read_extensions(ByteView sequence_of) {
  std::vector<Extension> out;
  DerReader list(sequence_of, "Extensions");
  while (!list.at_end()) {
    DerReader ext(list.next(tag::kSequence).content, "Extension");
    Extension e;
    e.oid = oid_text(ext.next(tag::kOid).content);
    if (auto crit = ext.next_if(tag::kBoolean)) {
      e.critical = boolean_value(crit->content);
      // DER: a DEFAULT value is never encoded.
      if (!e.critical) throw DerError("Extension " + e.oid + " encodes critical FALSE (DER omits DEFAULT values)");
    }
    e.value = ext.next(tag::kOctetString).content;
    ext.expect_end();
    out.push_back(e);
  }
  return out;
}

PublicKeyParts read_spki(DerReader& r) {
  auto spki = r.next(tag::kSequence);
  PublicKeyParts p;
  p.whole = spki.whole;
  DerReader s(spki.content, "SubjectPublicKeyInfo");
  DerReader alg(s.next(tag::kSequence).content, "AlgorithmIdentifier");
  p.algorithm_oid = oid_text(alg.next(tag::kOid).content);
  if (!alg.at_end()) p.parameters = alg.next();
  alg.expect_end();
  p.key = bit_string_octets(s.next(tag::kBitString).content);
  s.expect_end();
  return p;
}

long small_integer(const Tlv& t, const std::string& what) {
  if (t.content.empty() || t.content.size() > 4) throw DerError(what + " is not a small INTEGER");
  long v = 0;
  for (auto b : t.content) v = (v << 8) | b;
  return v;
}

}  // namespace

CertificateParts parse_certificate(ByteView der) {
  CertificateParts c;
  DerReader outer(read_single(der, tag::kSequence, "Certificate").content, "Certificate");
  auto tbs = outer.next(tag::kSequence);
  c.tbs = tbs.whole;
  c.signature_algorithm = outer.next(tag::kSequence).whole;
  c.signature_algorithm_oid = algorithm_oid(c.signature_algorithm);
  outer.next(tag::kBitString);
  outer.expect_end();

  DerReader t(tbs.content, "TBSCertificate");
  if (auto v = t.next_if(tag::context(0, true))) {
    c.version = small_integer(read_single(v->content, tag::kInteger, "version"), "version");
    if (c.version == 0) throw DerError("version v1 encoded explicitly (DER omits DEFAULT values)");
  }
  c.serial = t.next(tag::kInteger);
  c.tbs_signature_algorithm = t.next(tag::kSequence).whole;
  c.issuer = read_name(t);
  DerReader validity(t.next(tag::kSequence).content, "Validity");
  c.not_before = read_time(validity, "notBefore");
  c.not_after = read_time(validity, "notAfter");
  validity.expect_end();
  c.subject = read_name(t);
  c.public_key = read_spki(t);
  t.next_if(tag::context(1, false));  // issuerUniqueID
  t.next_if(tag::context(2, false));  // subjectUniqueID
  if (auto ext = t.next_if(tag::context(3, true))) {
    c.has_extensions = true;
    c.extensions = read_extensions(read_single(ext->content, tag::kSequence, "Extensions").content);
  }
  t.expect_end();
  return c;
}

CrlParts parse_crl(ByteView der) {
  CrlParts c;
  DerReader outer(read_single(der, tag::kSequence, "CertificateList").content, "CertificateList");
  auto tbs = outer.next(tag::kSequence);
  c.signature_algorithm = outer.next(tag::kSequence).whole;
  c.signature_algorithm_oid = algorithm_oid(c.signature_algorithm);
  outer.next(tag::kBitString);
  outer.expect_end();

  DerReader t(tbs.content, "TBSCertList");
  if (auto v = t.next_if(tag::kInteger)) c.version = small_integer(*v, "version");
  c.tbs_signature_algorithm = t.next(tag::kSequence).whole;
  c.issuer = read_name(t);
  c.this_update = read_time(t, "thisUpdate");
  if (t.peek_tag() == tag::kUtcTime || t.peek_tag() == tag::kGeneralizedTime) c.next_update = read_time(t, "nextUpdate");
  if (auto list = t.next_if(tag::kSequence)) {
    c.has_revoked_list = true;
    DerReader entries(list->content, "revokedCertificates");
    while (!entries.at_end()) {
      DerReader e(entries.next(tag::kSequence).content, "revoked entry");
      RevokedParts r;
      r.serial = e.next(tag::kInteger);
      r.date = read_time(e, "revocationDate");
      if (auto ext = e.next_if(tag::kSequence)) r.extensions = read_extensions(ext->content);
      e.expect_end();
      c.revoked.push_back(std::move(r));
    }
  }
  if (auto ext = t.next_if(tag::context(0, true)))
    c.extensions = read_extensions(read_single(ext->content, tag::kSequence, "crlExtensions").content);
  t.expect_end();
  return c;
}

TimeField parse_time_element(ByteView der) {
  DerReader r(der, "Time");
  auto t = read_time(r, "Time");
  r.expect_end();
  return t;
}

const Extension* find_extension(const std::vector<Extension>& extensions, std::string_view id) {
  for (const auto& e : extensions)
    if (e.oid == id) return &e;
  return nullptr;
}

}  // namespace inkan::lint
