#include "ca/crypto/ocsp/ocsp_request.hpp"

#include <openssl/evp.h>
#include <openssl/objects.h>

#include "ca/crypto/ocsp/ocsp_openssl.hpp"

namespace inkan::crypto {
namespace {

using ossl::Ptr;

Bytes octets(const ASN1_STRING* s) {
  if (!s) return {};
  const auto* d = ASN1_STRING_get0_data(s);
  return Bytes(d, d + ASN1_STRING_length(s));
}

OcspHash hash_of(const ASN1_OBJECT* oid) {
  switch (OBJ_obj2nid(oid)) {
    case NID_sha1: return OcspHash::Sha1;
    case NID_sha256: return OcspHash::Sha256;
    default: return OcspHash::Unsupported;
  }
}

const EVP_MD* md_of(OcspHash h) {
  if (h == OcspHash::Sha1) return EVP_sha1();
  if (h == OcspHash::Sha256) return EVP_sha256();
  throw Error(ErrorCode::InvalidArgument, "OCSP: unsupported CertID hash");
}

// The length of the nonce itself: RFC 8954 wraps it in an OCTET STRING inside extnValue; some
// old clients put the octets there directly.
std::size_t nonce_length(const Bytes& ext_value) {
  const unsigned char* p = ext_value.data();
  long len = 0;
  int tag = 0, cls = 0;
  int r = ASN1_get_object(&p, &len, &tag, &cls, static_cast<long>(ext_value.size()));
  if (!(r & 0x80) && tag == V_ASN1_OCTET_STRING && cls == V_ASN1_UNIVERSAL &&
      p + len == ext_value.data() + ext_value.size())
    return static_cast<std::size_t>(len);
  return ext_value.size();
}

}  // namespace

OcspRequestInfo parse_ocsp_request(const Bytes& der) {
  if (der.empty()) throw Error(ErrorCode::InvalidArgument, "OCSP request: empty");
  if (der.size() > kMaxOcspRequestBytes)
    throw Error(ErrorCode::InvalidArgument, "OCSP request: larger than " + std::to_string(kMaxOcspRequestBytes) + " octets");
  const unsigned char* p = der.data();
  Ptr<OCSP_REQUEST> req(d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(der.size())));
  if (!req) throw Error(ErrorCode::InvalidArgument, "OCSP request: not an OCSPRequest");
  if (p != der.data() + der.size()) throw Error(ErrorCode::InvalidArgument, "OCSP request: trailing data");
  // Strict DER: what we parsed re-encodes to exactly what was sent (no BER lengths, no
  // explicit defaults), so two spellings of one request never count as two.
  if (ossl::encode(req.get(), i2d_OCSP_REQUEST) != der)
    throw Error(ErrorCode::InvalidArgument, "OCSP request: not DER");

  OcspRequestInfo out;
  const int n = OCSP_request_onereq_count(req.get());
  if (n <= 0) throw Error(ErrorCode::InvalidArgument, "OCSP request: no CertID");
  for (int i = 0; i < n; ++i) {
    OCSP_CERTID* cid = OCSP_onereq_get0_id(OCSP_request_onereq_get0(req.get(), i));
    ASN1_OCTET_STRING* name_hash = nullptr;
    ASN1_OBJECT* md = nullptr;
    ASN1_OCTET_STRING* key_hash = nullptr;
    ASN1_INTEGER* serial = nullptr;
    if (!cid || !OCSP_id_get0_info(&name_hash, &md, &key_hash, &serial, cid))
      throw Error(ErrorCode::InvalidArgument, "OCSP request: unreadable CertID");
    OcspCertId id;
    id.hash = hash_of(md);
    id.issuer_name_hash = octets(name_hash);
    id.issuer_key_hash = octets(key_hash);
    id.serial = octets(serial);
    if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) id.serial.clear();  // never one of ours: unknown
    id.der = ossl::encode(cid, i2d_OCSP_CERTID);
    out.cert_ids.push_back(std::move(id));
  }
  const int at = OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, -1);
  if (at >= 0) {
    if (OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, at) >= 0)
      throw Error(ErrorCode::InvalidArgument, "OCSP request: two nonces");
    Bytes value = octets(X509_EXTENSION_get_data(OCSP_REQUEST_get_ext(req.get(), at)));
    const auto len = nonce_length(value);
    if (len == 0 || len > kMaxOcspNonceBytes)
      throw Error(ErrorCode::InvalidArgument, "OCSP request: a nonce must have 1 to 32 octets (RFC 8954)");
    out.nonce = std::move(value);
  }
  return out;
}

OcspIssuerHashes ocsp_issuer_hashes(const Bytes& ca_cert_der, OcspHash hash) {
  auto x = ossl::parse_x509(ca_cert_der);
  const EVP_MD* md = md_of(hash);
  unsigned char buf[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  OcspIssuerHashes out;
  if (!X509_NAME_digest(X509_get_subject_name(x.get()), md, buf, &len))
    throw Error(ErrorCode::Crypto, "OCSP: cannot hash the issuer name");
  out.name_hash.assign(buf, buf + len);
  if (!X509_pubkey_digest(x.get(), md, buf, &len)) throw Error(ErrorCode::Crypto, "OCSP: cannot hash the issuer key");
  out.key_hash.assign(buf, buf + len);
  return out;
}

OcspCertId make_ocsp_cert_id(const Bytes& ca_cert_der, const Serial& serial, OcspHash hash) {
  auto issuer = ossl::parse_x509(ca_cert_der);
  Ptr<ASN1_INTEGER> sn(ASN1_INTEGER_new());
  const auto& b = serial.bytes();
  // ASN1_STRING_set stores the magnitude; the type stays V_ASN1_INTEGER (positive).
  if (!sn || !ASN1_STRING_set(sn.get(), b.data(), static_cast<int>(b.size())))
    throw Error(ErrorCode::Crypto, "OCSP: cannot encode the serial");
  Ptr<OCSP_CERTID> cid(OCSP_cert_id_new(md_of(hash), X509_get_subject_name(issuer.get()),
                                        X509_get0_pubkey_bitstr(issuer.get()), sn.get()));
  if (!cid) throw Error(ErrorCode::Crypto, "OCSP: cannot build a CertID");
  auto hashes = ocsp_issuer_hashes(ca_cert_der, hash);
  return {hash, std::move(hashes.name_hash), std::move(hashes.key_hash), b, ossl::encode(cid.get(), i2d_OCSP_CERTID)};
}

Bytes make_ocsp_request(const std::vector<OcspCertId>& ids, const std::optional<Bytes>& nonce) {
  Ptr<OCSP_REQUEST> req(OCSP_REQUEST_new());
  if (!req) throw Error(ErrorCode::Crypto, "OCSP: out of memory");
  for (const auto& id : ids) {
    const unsigned char* p = id.der.data();
    OCSP_CERTID* cid = d2i_OCSP_CERTID(nullptr, &p, static_cast<long>(id.der.size()));
    if (!cid || !OCSP_request_add0_id(req.get(), cid)) {
      OCSP_CERTID_free(cid);
      throw Error(ErrorCode::Crypto, "OCSP: cannot add a CertID");
    }
  }
  if (nonce && !OCSP_request_add1_nonce(req.get(), const_cast<unsigned char*>(nonce->data()), static_cast<int>(nonce->size())))
    throw Error(ErrorCode::Crypto, "OCSP: cannot add the nonce");
  return ossl::encode(req.get(), i2d_OCSP_REQUEST);
}

}  // namespace inkan::crypto
