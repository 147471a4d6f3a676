#include "ca/policy/profiles.hpp"

#include "ca/domain/error.hpp"

namespace inkan::policy {

CertificateTemplate root_ca_template(const std::string& ca_name, const Serial& serial, Timestamp now,
                                     const Validity& validity) {
  CertificateTemplate t;
  t.serial = serial;
  t.subject = {ca_name + " Root CA", ca_name};
  t.not_before = now;
  t.not_after = add(now, validity);
  t.is_ca = true;
  t.key_usage = KeyUsage::KeyCertSign | KeyUsage::CrlSign;
  return t;
}

CertificateTemplate issuing_ca_template(const std::string& ca_name, const Serial& serial,
                                        Timestamp now, const Validity& validity) {
  return issuing_ca_template(issuing_ca_subject(ca_name, now), serial, now, validity);
}

DistinguishedName issuing_ca_subject(const std::string& ca_name, Timestamp now, unsigned generation) {
  // The year keeps successive issuing CAs (after a rollover) apart in a certificate picker.
  std::string cn = ca_name + " Issuing CA " + format_date(now).substr(0, 4);
  if (generation > 1) cn += " G" + std::to_string(generation);
  return {cn, ca_name};
}

CertificateTemplate issuing_ca_template(const DistinguishedName& subject, const Serial& serial,
                                        Timestamp now, const Validity& validity) {
  CertificateTemplate t;
  t.serial = serial;
  t.subject = subject;
  t.not_before = now;
  t.not_after = add(now, validity);
  t.is_ca = true;
  t.path_length = 0;  // it signs end entities only
  t.key_usage = KeyUsage::KeyCertSign | KeyUsage::CrlSign | KeyUsage::DigitalSignature;
  return t;
}

CertificateTemplate client_template(const ClientCertificateRequest& req, const Serial& serial) {
  CertificateTemplate t;
  t.serial = serial;
  t.subject = {req.common_name, req.organization};
  t.not_before = req.not_before;
  t.not_after = add(req.not_before, req.validity);
  t.is_ca = false;
  t.key_usage = unsigned(KeyUsage::DigitalSignature);
  if (is_rsa(req.key_type)) t.key_usage |= unsigned(KeyUsage::KeyEncipherment);
  t.extended_key_usage = {ExtendedKeyUsage::ClientAuth};
  if (req.email) t.san_emails = {*req.email};
  t.crl_url = req.crl_url;
  t.ocsp_url = req.ocsp_url;
  return t;
}

void check_within_issuer(const CertificateTemplate& tmpl, Timestamp issuer_not_after) {
  if (tmpl.not_after > issuer_not_after)
    throw Error(ErrorCode::PolicyViolation,
                "certificate would expire on " + format_date(tmpl.not_after) +
                    ", after the issuing CA, which expires on " + format_date(issuer_not_after) +
                    ": shorten --validity or roll the issuing CA over");
}

}  // namespace inkan::policy
