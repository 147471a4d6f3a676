#pragma once
// Which administrator a tenant-admin or operator certificate logs in (issue 14 item 4): the rules
// for binding one, shared by issuance (`issue --admin`, the site's issue form) and
// `inkan user bind-certificate`.
#include <optional>
#include <string>

#include "ca/domain/admin.hpp"
#include "ca/domain/records.hpp"
#include "ca/store/store.hpp"

namespace inkan::service {

// The account a new certificate of `kind` for `tenant_id` is to be bound to, checked: nullopt
// when none is named (allowed for terminal and tenant-admin certificates; an unbound tenant-admin
// certificate logs no one in until bound). InvalidArgument for a terminal certificate with an
// account or an operator certificate without one; NotFound for an unknown account;
// PolicyViolation when the account's role or tenant does not fit the certificate.
std::optional<AdminUser> admin_for_new_certificate(Store& store, CertKind kind, const std::string& tenant_id,
                                                   const std::optional<std::string>& admin_username);

// The same checks for an existing certificate, which must also be issued (not reserved), and not
// be bound yet (AlreadyExists).
void check_binding(Store& store, const CertificateRecord& cert, const AdminUser& user);

}  // namespace inkan::service
