#include "ca/service/issuance/admin_binding.hpp"

#include "ca/domain/error.hpp"
#include "ca/store/admin_repositories.hpp"

namespace inkan::service {
namespace {

void check_fit(CertKind kind, const std::string& tenant_id, const AdminUser& user) {
  if (kind == CertKind::Terminal)
    throw Error(ErrorCode::InvalidArgument,
                "only tenant-admin and operator certificates log in an administrator; this one is a terminal certificate");
  if (kind == CertKind::Operator && !user.is_operator())
    throw Error(ErrorCode::PolicyViolation, "'" + user.username +
                                                "' is a tenant administrator: an operator certificate is only for an operator");
  if (kind == CertKind::TenantAdmin && user.is_operator())
    throw Error(ErrorCode::PolicyViolation,
                "'" + user.username + "' is an operator: operators log in with an operator certificate (--kind operator)");
  if (kind == CertKind::TenantAdmin && user.tenant_id != tenant_id)
    throw Error(ErrorCode::PolicyViolation, "administrator '" + user.username + "' belongs to tenant '" +
                                                user.tenant_id.value_or("") + "', not to '" + tenant_id + "'");
}

AdminUser find_admin(Store& store, const std::string& username) {
  auto user = store.admin_users().find_by_username(username);
  if (!user) throw Error(ErrorCode::NotFound, "unknown administrator '" + username + "'");
  return *user;
}

}  // namespace

std::optional<AdminUser> admin_for_new_certificate(Store& store, CertKind kind, const std::string& tenant_id,
                                                   const std::optional<std::string>& admin_username) {
  if (!admin_username) {
    if (kind == CertKind::Operator)
      throw Error(ErrorCode::InvalidArgument, "an operator certificate needs the operator it logs in: --admin NAME");
    return std::nullopt;
  }
  AdminUser user = find_admin(store, *admin_username);
  check_fit(kind, tenant_id, user);
  return user;
}

void check_binding(Store& store, const CertificateRecord& cert, const AdminUser& user) {
  if (cert.state == CertState::Reserved)
    throw Error(ErrorCode::InvalidState, "certificate " + cert.serial.hex() + " is still reserved, not issued");
  check_fit(cert.kind, cert.tenant_id, user);
  if (auto owner = store.admin_certificates().owner(cert.serial))
    throw Error(ErrorCode::AlreadyExists, "certificate " + cert.serial.hex() + " is already bound to " +
                                              (*owner == user.id ? "'" + user.username + "'" : "another administrator"));
}

}  // namespace inkan::service
