#include "ca/policy/ocsp_responder_profile.hpp"

#include <string>

namespace inkan::policy {

CertificateTemplate ocsp_responder_template(const DistinguishedName& ca_subject, const Serial& serial,
                                            Timestamp not_before, Timestamp not_after) {
  CertificateTemplate t;
  t.serial = serial;
  // X.520 bounds a CN at 64 characters: a long CA name is shortened, the suffix stays.
  const std::string suffix = " OCSP Responder";
  t.subject = {ca_subject.common_name.substr(0, 64 - suffix.size()) + suffix, ca_subject.organization};
  t.not_before = not_before;
  t.not_after = not_after;
  t.is_ca = false;
  t.key_usage = unsigned(KeyUsage::DigitalSignature);
  t.extended_key_usage = {ExtendedKeyUsage::OcspSigning};
  t.ocsp_no_check = true;
  return t;
}

}  // namespace inkan::policy
