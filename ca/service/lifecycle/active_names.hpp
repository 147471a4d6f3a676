#pragma once
// Which names already hold a working certificate (issue 16 item 6): a second `inkan issue` or a
// batch row for such a name would leave two valid certificates for one terminal, which is what
// `renew` and `batch reissue` are for. Reads the store once per tenant asked about.
#include <map>
#include <string>
#include <vector>

#include "ca/domain/records.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

class ActiveNames {
 public:
  ActiveNames(Store& store, Timestamp now) : store_(store), now_(now) {}

  // The certificates of `cn` in `tenant_id` that are active at `now` (not expired, not revoked,
  // not superseded by a successor), oldest first; empty when the name is free.
  const std::vector<CertificateRecord>& of(const std::string& tenant_id, const std::string& cn);

 private:
  Store& store_;
  Timestamp now_;
  std::map<std::string, std::map<std::string, std::vector<CertificateRecord>>> by_tenant_;
};

}  // namespace inkan::service
