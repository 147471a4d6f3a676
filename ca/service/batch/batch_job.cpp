#include "ca/service/batch/batch_job.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ca/crypto/x509/certificate.hpp"
#include "ca/domain/error.hpp"

namespace inkan::service {
namespace fs = std::filesystem;
namespace {

nlohmann::json identity_json(const BatchArguments& a) {
  nlohmann::json j;
  j["command"] = std::string(to_string(a.command));
  j["out_dir"] = a.out_dir.string();
  if (a.command == BatchCommand::Reissue) {
    j["selection"] = a.selection == ReissueSelection::Expired ? "expired"
                                                             : "expiring-within:" + std::to_string(a.within_days);
    j["tenant"] = a.tenant ? nlohmann::json(*a.tenant) : nlohmann::json(nullptr);
  } else {
    j["csv_sha256"] = a.csv_sha256;
  }
  return j;
}

}  // namespace

BatchArguments BatchArguments::normalized() const {
  BatchArguments a = *this;
  if (a.out_dir.empty()) throw Error(ErrorCode::InvalidArgument, "--out is required");
  a.out_dir = fs::absolute(a.out_dir).lexically_normal();
  if (a.out_dir.has_filename() == false && a.out_dir.has_parent_path()) a.out_dir = a.out_dir.parent_path();
  if (a.command == BatchCommand::Reissue && a.selection == ReissueSelection::ExpiringWithin &&
      (a.within_days < 0 || a.within_days > 3650))
    throw Error(ErrorCode::InvalidArgument, "--expiring-within must be 0 to 3650 days");
  if (a.command == BatchCommand::Issue && a.csv_sha256.empty())
    throw Error(ErrorCode::InvalidArgument, "batch issue needs the CSV's SHA-256");
  return a;
}

std::string BatchArguments::job_key() const { return crypto::sha256_hex(identity_json(*this).dump()); }

std::string BatchArguments::to_json() const {
  auto j = identity_json(*this);
  if (command == BatchCommand::Issue) {
    j["key"] = std::string(to_string(key_type));
    j["not_before"] = not_before ? nlohmann::json(format_rfc3339(*not_before)) : nlohmann::json(nullptr);
    j["p12_profile"] = std::string(to_string(p12_profile));
    j["skip_invalid"] = skip_invalid;
  }
  return j.dump();  // nlohmann orders keys: the text is canonical
}

std::vector<BatchItem> select_reissue(Store& store, const BatchArguments& args, Timestamp now) {
  CertificateFilter f;
  f.tenant_id = args.tenant;
  f.now = now;
  if (args.selection == ReissueSelection::Expired) {
    f.status = CertStatus::Expired;
  } else {
    f.status = CertStatus::Active;
    f.expiring_before = now + std::chrono::days(args.within_days);
  }
  auto certs = store.certificates().list(f);
  std::stable_sort(certs.begin(), certs.end(),
                   [](const auto& a, const auto& b) { return a.tenant_id < b.tenant_id; });
  std::vector<BatchItem> items;
  std::int64_t seq = 0;
  for (const auto& c : certs) {
    if (c.successor || c.state != CertState::Active) continue;
    if (store.certificates().find_successor_of(c.serial)) continue;  // a renewal is in flight
    BatchItem i;
    i.seq = ++seq;
    i.tenant_id = c.tenant_id;
    i.cn = c.cn;
    i.kind = c.kind;
    i.email = c.email;
    i.key_type = c.key_type;
    if (auto cred = store.certificates().credential(c.serial)) i.p12_profile = cred->profile;
    i.old_serial = c.serial;
    items.push_back(std::move(i));
  }
  return items;
}

std::vector<BatchItem> items_from_csv(const policy::BatchCsv& csv, const BatchArguments& args) {
  std::vector<BatchItem> items;
  items.reserve(csv.rows.size());
  for (const auto& r : csv.rows) {
    BatchItem i;
    i.seq = static_cast<std::int64_t>(r.line);
    i.tenant_id = r.tenant;
    i.cn = r.cn;
    i.kind = r.kind;
    i.email = r.email;
    i.key_type = args.key_type;
    i.p12_profile = args.p12_profile;
    items.push_back(std::move(i));
  }
  return items;
}

OpenedJob open_job(Store& store, const BatchArguments& args, Timestamp now,
                   const std::function<std::vector<BatchItem>()>& items) {
  const auto key = args.job_key();
  if (auto job = store.batches().find_job(key)) {
    if (job->arguments != args.to_json())
      throw Error(ErrorCode::InvalidArgument,
                  "batch job " + std::to_string(job->id) + " for " + args.out_dir.string() +
                      " was started with other options (" + job->arguments + "); run it again with those");
    return {*job, false};
  }
  for (const auto& other : store.batches().jobs(std::nullopt))
    if (other.out_dir == args.out_dir.string())
      throw Error(ErrorCode::AlreadyExists, args.out_dir.string() + " holds the output of batch job " +
                                                std::to_string(other.id) + " (other arguments): use a new --out directory");
  auto list = items();
  BatchJob job;
  job.job_key = key;
  job.command = args.command;
  job.arguments = args.to_json();
  job.out_dir = args.out_dir.string();
  job.created_at = now;
  auto tx = store.begin();
  job.id = store.batches().create_job(job, list);
  tx->commit();
  job.total = static_cast<std::int64_t>(list.size());
  return {job, true};
}

}  // namespace inkan::service
