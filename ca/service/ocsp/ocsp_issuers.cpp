#include "ca/service/ocsp/ocsp_issuers.hpp"

namespace inkan::service {

OcspIssuers OcspIssuers::load(Store& store) {
  OcspIssuers out;
  for (auto& ca : store.cas().list()) {
    if (!ca.key_held()) continue;  // an offline root: nothing here can sign for it
    out.hashes_.push_back({crypto::ocsp_issuer_hashes(ca.cert_der, crypto::OcspHash::Sha1),
                           crypto::ocsp_issuer_hashes(ca.cert_der, crypto::OcspHash::Sha256)});
    ca.encrypted_key_pem.clear();  // not needed here
    out.cas_.push_back(std::move(ca));
  }
  return out;
}

const CaRecord* OcspIssuers::match(const crypto::OcspCertId& id) const {
  if (id.hash == crypto::OcspHash::Unsupported) return nullptr;
  for (std::size_t i = 0; i < cas_.size(); ++i) {
    const auto& h = id.hash == crypto::OcspHash::Sha1 ? hashes_[i].sha1 : hashes_[i].sha256;
    if (h.name_hash == id.issuer_name_hash && h.key_hash == id.issuer_key_hash) return &cas_[i];
  }
  return nullptr;
}

}  // namespace inkan::service
