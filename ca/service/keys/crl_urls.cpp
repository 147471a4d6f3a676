#include "ca/service/keys/crl_urls.hpp"

#include "ca/domain/error.hpp"
#include "ca/policy/crl_urls.hpp"
#include "ca/policy/naming.hpp"

namespace inkan::service {

void set_crl_url(Store& store, const Clock& clock, const Actor& actor, std::int64_t ca_id,
                 const std::optional<std::string>& url) {
  auto tx = store.begin();
  assign_crl_url(store, ca_id, url);
  record(store, clock, actor, "ca.set", "ca:" + std::to_string(ca_id), "crl_url=" + url.value_or("(none)"));
  tx->commit();
}

void assign_crl_url(Store& store, std::int64_t ca_id, const std::optional<std::string>& url) {
  if (url) policy::validate_crl_url(*url);
  auto ca = store.cas().find(ca_id);
  if (!ca || ca->role != CaRole::Issuing)
    throw Error(ErrorCode::NotFound, "no issuing CA with id " + std::to_string(ca_id) + " (see `inkan ca list`)");
  if (url) {
    const auto path = policy::crl_url_path(*url);
    for (const auto& known : store.cas().crl_urls())
      if (known.ca_id != ca_id && policy::crl_url_path(known.url) == path)
        throw Error(ErrorCode::AlreadyExists, "the path " + path + " already leads to the CRL of ca:" +
                                                  std::to_string(known.ca_id) + " (" + known.url +
                                                  "); each CA's CRL needs a path of its own");
  }
  store.cas().set_crl_url(ca_id, url);
}

std::optional<std::string> crl_url_for_new_ca(const std::optional<std::string>& given,
                                              const std::optional<CaRecord>& previous, std::int64_t new_ca_id) {
  if (given) return given;
  if (previous && previous->crl_url) return policy::derived_crl_url(*previous->crl_url, new_ca_id);
  return std::nullopt;
}

std::optional<std::int64_t> ca_for_crl_path(Store& store, std::string_view path) {
  for (const auto& known : store.cas().crl_urls())
    if (policy::crl_url_path(known.url) == path) return known.ca_id;
  return std::nullopt;
}

}  // namespace inkan::service
