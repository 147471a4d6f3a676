#pragma once
// Which certificate an operator means (issue 16 item 5): a whole serial, the 8-digit serial
// prefix every credential file name carries (acme_pc1_55C9613F.p12), or a tenant and CN.
#include <string>
#include <string_view>

#include "ca/domain/records.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// A serial as typed (colons and case ignored) or a unique prefix of at least 8 hex digits.
// NotFound when nothing matches; InvalidArgument naming up to 5 candidates when several do.
Serial resolve_serial(Store& store, std::string_view text);

// The one certificate of `cn` in `tenant_id` that is not revoked (the newest of a lineage when
// `newest_of_lineage`: its predecessors are reached through it). NotFound when none;
// InvalidArgument listing their serials when several unrelated ones share the name.
Serial resolve_by_name(Store& store, const std::string& tenant_id, const std::string& cn, bool newest_of_lineage);

}  // namespace inkan::service
