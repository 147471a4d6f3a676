#include "ca/service/backup/backup_manifest.hpp"

#include <nlohmann/json.hpp>

#include <regex>

#include "ca/domain/error.hpp"

namespace inkan::service {
namespace {

using nlohmann::json;

[[noreturn]] void bad(const std::string& field, const std::string& why) {
  throw Error(ErrorCode::Integrity, "backup manifest: " + field + " " + why);
}

const json& field(const json& obj, const std::string& path, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) bad(path + key, "is missing");
  return *it;
}

std::string text(const json& obj, const std::string& path, const char* key) {
  const json& v = field(obj, path, key);
  if (!v.is_string()) bad(path + key, "must be a string");
  return v.get<std::string>();
}

std::int64_t count(const json& obj, const std::string& path, const char* key) {
  const json& v = field(obj, path, key);
  if (!v.is_number_integer() || v.get<std::int64_t>() < 0) bad(path + key, "must be a non-negative integer");
  return v.get<std::int64_t>();
}

bool is_sha256_hex(const std::string& s) {
  static const std::regex hex("[0-9a-f]{64}");
  return std::regex_match(s, hex);
}

BackupFileEntry parse_file(const json& f, std::size_t i) {
  const std::string path = "files[" + std::to_string(i) + "].";
  if (!f.is_object()) bad("files[" + std::to_string(i) + "]", "must be an object");
  BackupFileEntry e;
  e.name = text(f, path, "name");
  e.size = static_cast<std::uint64_t>(count(f, path, "size"));
  e.sha256 = text(f, path, "sha256");
  if (!is_sha256_hex(e.sha256)) bad(path + "sha256", "must be 64 lowercase hex digits");
  return e;
}

}  // namespace

std::string to_json(const BackupManifest& m) {
  json files = json::array();
  for (const auto& f : m.files) files.push_back({{"name", f.name}, {"size", f.size}, {"sha256", f.sha256}});
  json j = {
      {"format", kBackupFormat},
      {"format_version", m.format_version},
      {"created_at", format_rfc3339(m.created_at)},
      {"inkan_version", m.inkan_version},
      {"schema_version", m.content.schema_version},
      {"files", files},
      {"counts",
       {{"certificates", m.content.certificates},
        {"tenants", m.content.tenants},
        {"cas", m.content.cas},
        {"audit_entries", m.content.audit_entries}}},
      {"audit_head_hash", m.content.audit_head_hash},
  };
  return j.dump(2) + "\n";
}

BackupManifest parse_backup_manifest(std::string_view text_in) {
  const json j = json::parse(text_in.begin(), text_in.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || !j.contains("format") || j["format"] != kBackupFormat)
    throw Error(ErrorCode::InvalidArgument, "not an inkan backup (manifest.json is not an inkan backup manifest)");
  BackupManifest m;
  m.format_version = static_cast<int>(count(j, "", "format_version"));
  if (m.format_version != kBackupFormatVersion)
    throw Error(ErrorCode::InvalidState, "backup format version " + std::to_string(m.format_version) +
                                             " is not supported by this inkan (it reads version " +
                                             std::to_string(kBackupFormatVersion) + ")");
  try {
    m.created_at = parse_date_or_time(text(j, "", "created_at"));
  } catch (const Error&) {
    bad("created_at", "is not an RFC 3339 time");
  }
  m.inkan_version = text(j, "", "inkan_version");
  m.content.schema_version = static_cast<int>(count(j, "", "schema_version"));
  const json& files = field(j, "", "files");
  if (!files.is_array()) bad("files", "must be an array");
  for (std::size_t i = 0; i < files.size(); ++i) m.files.push_back(parse_file(files[i], i));
  const json& counts = field(j, "", "counts");
  if (!counts.is_object()) bad("counts", "must be an object");
  m.content.certificates = count(counts, "counts.", "certificates");
  m.content.tenants = count(counts, "counts.", "tenants");
  m.content.cas = count(counts, "counts.", "cas");
  m.content.audit_entries = count(counts, "counts.", "audit_entries");
  m.content.audit_head_hash = text(j, "", "audit_head_hash");
  if (!m.content.audit_head_hash.empty() && !is_sha256_hex(m.content.audit_head_hash))
    bad("audit_head_hash", "must be 64 lowercase hex digits or empty");
  return m;
}

std::string backup_mac_text(const crypto::DataKey& key, std::string_view manifest_json) {
  return "hmac-sha256 " + key.mac_hex(kBackupMacPurpose, manifest_json) + "\n";
}

}  // namespace inkan::service
