#pragma once
// Each issuing CA's CRL URL (issue 16 item 1): set at init, derived or given at rollover,
// changed with `inkan ca set --crl-url`, and looked up by path when a relying party fetches it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ca/domain/time.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// Makes `url` the CRL URL of issuing CA `ca_id`'s new certificates (nullopt: none), audited as
// "ca.set". Refused (AlreadyExists) when the URL, or another URL with the same path, leads to
// another CA's CRL: the appliance serves CRLs by path. Certificates issued before keep the URL
// they name, which keeps leading to this CA's CRL. Its own transaction.
void set_crl_url(Store& store, const Clock& clock, const Actor& actor, std::int64_t ca_id,
                 const std::optional<std::string>& url);

// The checks and the change of set_crl_url, without a transaction or audit record: for a caller
// that holds the transaction and records the change itself (rollover).
void assign_crl_url(Store& store, std::int64_t ca_id, const std::optional<std::string>& url);

// The URL for a new issuing CA after a rollover: `given` when the operator named one, else
// derived from the previous CA's (policy::derived_crl_url), else none.
std::optional<std::string> crl_url_for_new_ca(const std::optional<std::string>& given,
                                              const std::optional<CaRecord>& previous, std::int64_t new_ca_id);

// The CA whose CRL a request for `path` ("/pki/inkan.crl") asks for, if any of its URLs has
// that path.
std::optional<std::int64_t> ca_for_crl_path(Store& store, std::string_view path);

}  // namespace inkan::service
