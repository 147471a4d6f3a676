#include "ca/crypto/ocsp/ocsp_response.hpp"

#include <openssl/evp.h>

#include <ctime>
#include <openssl/objects.h>

#include "ca/crypto/ocsp/ocsp_openssl.hpp"

namespace inkan::crypto {
namespace {

using ossl::Ptr;

Ptr<ASN1_TIME> generalized(Timestamp t) {
  // GeneralizedTime is what RFC 6960 requires for every time in a response.
  Ptr<ASN1_TIME> out(ASN1_GENERALIZEDTIME_set(nullptr, static_cast<time_t>(t.time_since_epoch().count())));
  if (!out) throw Error(ErrorCode::Crypto, "OCSP: cannot encode a time");
  return out;
}

int status_code(OcspCertStatus s) {
  switch (s) {
    case OcspCertStatus::Good: return V_OCSP_CERTSTATUS_GOOD;
    case OcspCertStatus::Revoked: return V_OCSP_CERTSTATUS_REVOKED;
    case OcspCertStatus::Unknown: break;
  }
  return V_OCSP_CERTSTATUS_UNKNOWN;
}

Bytes response_of(int status, OCSP_BASICRESP* basic) {
  Ptr<OCSP_RESPONSE> resp(OCSP_response_create(status, basic));
  if (!resp) throw Error(ErrorCode::Crypto, "OCSP: cannot build the response");
  return ossl::encode(resp.get(), i2d_OCSP_RESPONSE);
}

}  // namespace

Bytes ocsp_failure_response(OcspFailure failure) { return response_of(static_cast<int>(failure), nullptr); }

namespace {

Timestamp to_timestamp(const ASN1_GENERALIZEDTIME* t) {
  if (!t) return {};
  std::tm tm{};
  if (!ASN1_TIME_to_tm(t, &tm)) throw Error(ErrorCode::InvalidArgument, "OCSP response: bad time");
  return Timestamp(std::chrono::seconds(timegm(&tm)));
}

}  // namespace

OcspResponseSummary read_ocsp_response(const Bytes& der) {
  const unsigned char* p = der.data();
  Ptr<OCSP_RESPONSE> resp(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
  if (!resp || p != der.data() + der.size()) throw Error(ErrorCode::InvalidArgument, "not an OCSPResponse");
  OcspResponseSummary out;
  out.response_status = OCSP_response_status(resp.get());
  if (out.response_status != OCSP_RESPONSE_STATUS_SUCCESSFUL) return out;
  Ptr<OCSP_BASICRESP> basic(OCSP_response_get1_basic(resp.get()));
  if (!basic) throw Error(ErrorCode::InvalidArgument, "OCSP response: no BasicOCSPResponse");
  for (int i = 0; i < OCSP_resp_count(basic.get()); ++i) {
    OCSP_SINGLERESP* single = OCSP_resp_get0(basic.get(), i);
    int reason = -1;
    ASN1_GENERALIZEDTIME *revoked = nullptr, *this_update = nullptr, *next_update = nullptr;
    const int status = OCSP_single_get0_status(single, &reason, &revoked, &this_update, &next_update);
    OcspSingleAnswer a;
    a.cert_id_der = ossl::encode(OCSP_SINGLERESP_get0_id(single), i2d_OCSP_CERTID);
    a.status = status == V_OCSP_CERTSTATUS_GOOD      ? OcspCertStatus::Good
               : status == V_OCSP_CERTSTATUS_REVOKED ? OcspCertStatus::Revoked
                                                     : OcspCertStatus::Unknown;
    a.revoked_at = to_timestamp(revoked);
    if (reason >= 0) a.reason = static_cast<RevocationReason>(reason);
    a.this_update = to_timestamp(this_update);
    a.next_update = to_timestamp(next_update);
    out.answers.push_back(std::move(a));
  }
  const int at = OCSP_BASICRESP_get_ext_by_NID(basic.get(), NID_id_pkix_OCSP_Nonce, -1);
  if (at >= 0) {
    const ASN1_OCTET_STRING* v = X509_EXTENSION_get_data(OCSP_BASICRESP_get_ext(basic.get(), at));
    const auto* d = ASN1_STRING_get0_data(v);
    out.nonce = Bytes(d, d + ASN1_STRING_length(v));
  }
  const STACK_OF(X509)* certs = OCSP_resp_get0_certs(basic.get());
  if (certs && sk_X509_num(certs) > 0) out.responder_cert_der = ossl::encode(sk_X509_value(certs, 0), i2d_X509);
  return out;
}

struct OcspSigner::Impl {
  Bytes cert_der;
  Ptr<X509> cert;
  Ptr<EVP_PKEY> key;
};

OcspSigner::OcspSigner(const Bytes& responder_cert_der, const Bytes& key_pkcs8_der) : impl_(std::make_unique<Impl>()) {
  impl_->cert_der = responder_cert_der;
  impl_->cert = ossl::parse_x509(responder_cert_der);
  const unsigned char* p = key_pkcs8_der.data();
  Ptr<PKCS8_PRIV_KEY_INFO> p8(d2i_PKCS8_PRIV_KEY_INFO(nullptr, &p, static_cast<long>(key_pkcs8_der.size())));
  if (p8) impl_->key.reset(EVP_PKCS82PKEY(p8.get()));
  if (!impl_->key) throw Error(ErrorCode::Crypto, "OCSP: the responder key does not parse");
  if (X509_check_private_key(impl_->cert.get(), impl_->key.get()) != 1)
    throw Error(ErrorCode::Crypto, "OCSP: the responder key does not match its certificate");
}

OcspSigner::~OcspSigner() = default;

const Bytes& OcspSigner::cert_der() const { return impl_->cert_der; }

Bytes OcspSigner::sign(const std::vector<OcspSingleAnswer>& answers, const std::optional<Bytes>& nonce) const {
  Ptr<OCSP_BASICRESP> basic(OCSP_BASICRESP_new());
  if (!basic) throw Error(ErrorCode::Crypto, "OCSP: out of memory");
  for (const auto& a : answers) {
    const unsigned char* p = a.cert_id_der.data();
    Ptr<OCSP_CERTID> cid(d2i_OCSP_CERTID(nullptr, &p, static_cast<long>(a.cert_id_der.size())));
    if (!cid) throw Error(ErrorCode::Crypto, "OCSP: unreadable CertID");
    auto this_update = generalized(a.this_update);
    auto next_update = generalized(a.next_update);
    Ptr<ASN1_TIME> revoked_at;
    int reason = -1;  // OCSP_basic_add1_status: no reason
    if (a.status == OcspCertStatus::Revoked) {
      revoked_at = generalized(a.revoked_at);
      // CRLReason unspecified (0) is left out, as in our CRLs (RFC 5280 §5.3.1).
      if (a.reason && *a.reason != RevocationReason::Unspecified) reason = static_cast<int>(*a.reason);
    }
    if (!OCSP_basic_add1_status(basic.get(), cid.get(), status_code(a.status), reason, revoked_at.get(),
                                this_update.get(), next_update.get()))
      throw Error(ErrorCode::Crypto, "OCSP: cannot add a status");
  }
  if (nonce) {
    Ptr<ASN1_OCTET_STRING> value(ASN1_OCTET_STRING_new());
    if (!value || !ASN1_OCTET_STRING_set(value.get(), nonce->data(), static_cast<int>(nonce->size())))
      throw Error(ErrorCode::Crypto, "OCSP: cannot copy the nonce");
    Ptr<X509_EXTENSION> ext(X509_EXTENSION_create_by_NID(nullptr, NID_id_pkix_OCSP_Nonce, 0, value.get()));
    if (!ext || !OCSP_BASICRESP_add_ext(basic.get(), ext.get(), -1))
      throw Error(ErrorCode::Crypto, "OCSP: cannot add the nonce");
  }
  if (!OCSP_basic_sign(basic.get(), impl_->cert.get(), impl_->key.get(), EVP_sha256(), nullptr, OCSP_RESPID_KEY))
    throw Error(ErrorCode::Crypto, "OCSP: signing failed");
  return response_of(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get());
}

}  // namespace inkan::crypto
