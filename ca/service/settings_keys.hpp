#pragma once
// Names of the values kept in the settings table.
namespace inkan::service::settings_keys {
inline constexpr const char* kCaName = "ca.name";
inline constexpr const char* kOcspUrl = "ca.ocsp_url";  // authorityInfoAccess of client certificates
inline constexpr const char* kTimeZone = "display.time_zone";  // IANA name; empty: the system's
inline constexpr const char* kRenewalWindowDays = "renewal.window_days";
inline constexpr const char* kKdfSalt = "vault.kdf_salt";
inline constexpr const char* kKdfIterations = "vault.kdf_iterations";
inline constexpr const char* kDataKeyNonce = "vault.data_key_nonce";
inline constexpr const char* kDataKeyWrapped = "vault.data_key_wrapped";
}  // namespace inkan::service::settings_keys
