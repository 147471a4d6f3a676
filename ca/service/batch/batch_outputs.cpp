#include "ca/service/batch/batch_outputs.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"
#include "ca/service/batch/batch_files.hpp"
#include "ca/service/issuance/credentials.hpp"
#include "ca/service/issuance/import_instructions.hpp"
#include "ca/service/files/private_paths.hpp"
#include "ca/service/files/zip_file_writer.hpp"

namespace inkan::service {
namespace fs = std::filesystem;
namespace {

struct TenantOutput {
  std::unique_ptr<PartialFile> passwords;
  std::vector<std::string> p12_names;  // names only: the zip reads the files from disk
  std::set<std::int64_t> ca_ids;
};

nlohmann::json serial_or_null(const std::optional<Serial>& s) {
  return s ? nlohmann::json(s->hex()) : nlohmann::json(nullptr);
}

void write_zip(Store& store, const fs::path& dir, const std::string& tenant, const TenantOutput& t) {
  const auto final = dir / (tenant + ".zip");
  const auto partial = partial_path(final);
  ::unlink(partial.c_str());  // libzip replaces the target by rename at close; start from nothing
  {
    ZipFileWriter zip(partial);
    for (const auto& name : t.p12_names) zip.add_file(name, dir / tenant / name);
    std::string chain;
    std::set<std::string> seen;  // two issuing CAs after a rollover share their root
    for (auto id : t.ca_ids)
      for (const auto& der : crypto::pem_decode_all(chain_pem(store, id), "CERTIFICATE"))
        if (seen.insert(crypto::sha256_hex(der)).second) chain += crypto::pem_encode(der, "CERTIFICATE");
    zip.add_bytes("ca-chain.pem", std::move(chain));
    const auto roots = root_files(store, std::vector<std::int64_t>(t.ca_ids.begin(), t.ca_ids.end()));
    for (const auto& r : roots) zip.add_bytes(r.name, r.pem);
    zip.add_bytes("README.txt", bundle_readme(tenant + "_<CN>_<serial>.p12", roots));
    zip.close();
  }
  restrict_private_file(partial);  // ours, one link, 0600 (on the descriptor, no symlink followed)
  // Not fsynced: every run rebuilds the zips, so one lost to a power cut is made again.
  publish_partial(partial, final);
}

}  // namespace

std::string csv_cell(const std::string& value) {
  std::string v = value;
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

OutputsResult write_batch_outputs(Store& store, Keyring& keyring, const Clock& clock, const Actor& actor,
                                  const BatchJob& job, const RunFigures& run, const WrittenThisRun& written) {
  const fs::path dir(job.out_dir);
  OutputsResult r;
  std::map<std::string, TenantOutput> tenants;
  std::vector<nlohmann::json> skipped;

  PartialFile manifest(dir / "manifest.json");
  manifest.write("{\n  \"entries\": [");
  bool first = true;
  std::int64_t cursor = 0;
  for (;;) {
    auto page = store.batches().items(job.id, std::nullopt, cursor, 512);
    if (page.empty()) break;
    cursor = page.back().seq;
    for (const auto& item : page) {
      if (item.state == BatchItemState::Skipped) {
        skipped.push_back({{"tenant", item.tenant_id}, {"cn", item.cn}, {"old_serial", serial_or_null(item.old_serial)},
                           {"reason", item.note}});
        continue;
      }
      if (item.state != BatchItemState::Committed)
        throw Error(ErrorCode::InvalidState, "batch job " + std::to_string(job.id) + " item " +
                                                 std::to_string(item.seq) + " is still " + std::string(to_string(item.state)));
      auto cert = store.certificates().find(*item.new_serial);
      auto cred = store.certificates().credential(*item.new_serial);
      if (!cert || !cred)
        throw Error(ErrorCode::Integrity, "batch job " + std::to_string(job.id) + " item " + std::to_string(item.seq) +
                                              ": certificate " + item.new_serial->hex() + " or its credential is missing");
      auto& t = tenants[item.tenant_id];
      if (!t.passwords) {
        make_private_dir(dir / item.tenant_id);
        t.passwords = std::make_unique<PartialFile>(dir / item.tenant_id / "passwords.csv");
        // UTF-8 with a BOM: without it, Japanese Excel reads the file as Shift_JIS (mojibake).
        t.passwords->write("\xEF\xBB\xBF" "file,serial,cn,password\r\n");
      }
      const std::string name = policy::credential_file_stem(item.tenant_id, item.cn, cert->serial) + ".p12";
      const auto path = dir / item.tenant_id / name;
      const auto sha = crypto::sha256_hex(cred->p12);
      // A p12 this run's pipeline wrote is not read back: it wrote exactly these bytes (the
      // credential it committed, after that commit) and renamed them into place, so a read would
      // compare the page cache with itself. Against a power loss the read proves nothing either:
      // no file is durable before sync_filesystem() in the runner, and until the job is marked
      // complete after it, the next run re-hashes every file, as it does every file an earlier
      // run wrote (`written` holds only this run's).
      if (!written.contains(item.seq) && sha256_of_file(path) != sha) {
        write_file_atomically(path, cred->p12);  // missing, partial or altered: the store has it
        ++r.reexported;
      }
      const auto password = keyring.data_key().open({cred->password_nonce, cred->password_ciphertext}, cert->serial.hex());
      t.passwords->write(csv_cell(name) + "," + cert->serial.hex() + "," + csv_cell(cert->cn) + "," + csv_cell(password) + "\r\n");
      t.p12_names.push_back(name);
      t.ca_ids.insert(cert->ca_id);

      nlohmann::json e{{"tenant", item.tenant_id},
                       {"cn", item.cn},
                       {"old_serial", serial_or_null(item.old_serial)},
                       {"new_serial", cert->serial.hex()},
                       {"p12", item.tenant_id + "/" + name},
                       {"sha256", sha}};
      manifest.write(std::string(first ? "\n    " : ",\n    ") + e.dump());
      first = false;
      ++r.entries;
    }
  }
  manifest.write(first ? "],\n" : "\n  ],\n");

  for (auto& [tenant, t] : tenants) {
    t.passwords->publish();
    sync_dir(dir / tenant);
    write_zip(store, dir, tenant, t);
  }
  r.tenants = static_cast<std::int64_t>(tenants.size());

  const auto counts = store.batches().counts(job.id);
  nlohmann::json tail;
  tail["skipped"] = skipped;
  tail["job"] = {{"id", job.id},
                 {"command", std::string(to_string(job.command))},
                 {"arguments", nlohmann::json::parse(job.arguments)},
                 {"created_at", format_rfc3339(job.created_at)},
                 {"completed_at", format_rfc3339(clock.now())}};
  tail["counts"] = {{"total", counts.total()},
                    {"issued", counts.committed},
                    {"skipped", counts.skipped},
                    {"issued_this_run", run.issued},
                    {"skipped_this_run", run.skipped},
                    {"reexported_this_run", r.reexported},
                    {"dropped_reservations_this_run", run.dropped_reservations},
                    {"invalid_rows", run.invalid_rows},
                    {"tenants", r.tenants}};
  tail["schema"] = "inkan-batch-manifest/1";
  const auto text = tail.dump(2);  // "{\n  ...\n}": splice its members after "entries"
  manifest.write(text.substr(2));
  manifest.write("\n");
  manifest.publish();
  sync_dir(dir);

  // The passwords left the store in clear text (into 0600 files): that is a reveal.
  auto tx = store.begin();
  record(store, clock, actor, "password.reveal", "batch:" + std::to_string(job.id),
         "passwords.csv for " + std::to_string(r.entries) + " certificates in " + dir.string());
  tx->commit();
  return r;
}

}  // namespace inkan::service
