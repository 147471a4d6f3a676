#include "ca/service/audit/audit_reader.hpp"

#include <cctype>

#include "ca/domain/error.hpp"

namespace inkan::service {
namespace {

bool lower_hex(std::string_view s) {
  for (char c : s)
    if (!std::isxdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

AuditHead parse_audit_head(std::string_view text) {
  const auto colon = text.find(':');
  const auto bad = [&] {
    return Error(ErrorCode::InvalidArgument,
                 "--head must be SEQ:HASH as `inkan audit head` prints it (a number, a colon, 64 hex digits)");
  };
  if (colon == std::string_view::npos || colon == 0 || colon > 18) throw bad();
  AuditHead h;
  for (char c : text.substr(0, colon)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) throw bad();
    h.seq = h.seq * 10 + (c - '0');
  }
  std::string hash(text.substr(colon + 1));
  for (auto& c : hash) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (h.seq < 1 || hash.size() != 64 || !lower_hex(hash)) throw bad();
  h.hash = std::move(hash);
  return h;
}

std::string format_audit_head(const AuditHead& head) { return std::to_string(head.seq) + ":" + head.hash; }

std::string_view audit_result(std::string_view action) {
  if (action == "admin.lock") return "locked";
  return "success";
}

AuditPage AuditReader::page(const AuditFilter& f) const {
  if (f.limit < 1 || f.limit > 1000)
    throw Error(ErrorCode::InvalidArgument, "the page size must be 1-1000, not " + std::to_string(f.limit));
  if (f.since && f.until && *f.until <= *f.since)
    throw Error(ErrorCode::InvalidArgument, "--until must be later than --since");
  AuditQuery q;
  q.since = f.since;
  q.until = f.until;
  q.tenant_id = scope_.narrow(store_, f.tenant_id);
  if (q.tenant_id) scope_.tenant(store_, *q.tenant_id);  // an unknown tenant is NotFound, not an empty page
  if (f.serial) q.object = "cert:" + f.serial->hex();
  q.actor = f.actor;
  q.action = f.action;
  q.before_seq = f.before_seq;
  q.limit = f.limit + 1;  // one more says whether another page follows
  AuditPage page;
  page.entries = store_.audit().query(q);
  if (page.entries.size() > f.limit) {
    page.entries.resize(f.limit);
    page.next_before = page.entries.back().seq;
  }
  return page;
}

std::optional<AuditHead> AuditReader::head() const {
  auto e = store_.audit().head();
  if (!e) return std::nullopt;
  return AuditHead{e->seq, e->hash};
}

HeadCheck AuditReader::verify_head(const AuditHead& expected) const {
  HeadCheck out;
  out.chain = store_.audit().verify();
  if (!out.chain.ok && out.chain.first_bad_seq && *out.chain.first_bad_seq <= expected.seq) {
    out.problem = out.chain.problem;
    return out;
  }
  auto e = store_.audit().entry(expected.seq);
  if (!e) {
    out.problem = "entry " + std::to_string(expected.seq) + " is no longer in the log";
    return out;
  }
  if (e->hash != expected.hash) {
    out.problem = "entry " + std::to_string(expected.seq) + " has hash " + e->hash +
                  ", not the one written down: the log before it was rewritten";
    return out;
  }
  if (!out.chain.ok) {
    out.problem = out.chain.problem + " (after the head written down)";
    return out;
  }
  out.ok = true;
  return out;
}

}  // namespace inkan::service
