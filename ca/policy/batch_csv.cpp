#include "ca/policy/batch_csv.hpp"

#include <array>
#include <map>
#include <utility>

#include "ca/domain/error.hpp"
#include "ca/policy/naming.hpp"

namespace inkan::policy {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::array<std::string_view, 4> kColumns{"tenant", "cn", "kind", "email"};

// One CSV record as scanned: its fields and the problems the scanner itself found.
struct Record {
  std::size_t line = 0;
  std::vector<std::string> fields;
  std::vector<BatchCsvProblem> problems;
};

// Messages go to a terminal: no control characters, and never a megabyte of hostile text.
std::string printable(std::string_view s, std::size_t max = 80) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && out.size() < max; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (out.size() >= max) out += "...";
  return out;
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len;
    std::uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c >> 5) == 0x6) { len = 2; cp = c & 0x1f; }
    else if ((c >> 4) == 0xe) { len = 3; cp = c & 0x0f; }
    else if ((c >> 3) == 0x1e) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += len;
  }
  return true;
}

// Scans RFC 4180 records (CRLF or LF line ends). Fields beyond the size limit are flagged
// and truncated, so a hostile file cannot make us copy it twice.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  std::size_t line() const { return line_; }

  Record next() {
    Record r;
    r.line = line_;
    for (;;) {
      std::string field;
      bool too_long = false;
      auto append = [&](char c) {
        if (field.size() < kBatchCsvMaxField) field += c;
        else too_long = true;
      };
      if (pos_ < text_.size() && text_[pos_] == '"') {
        const std::size_t start_line = line_;
        ++pos_;
        bool closed = false;
        while (pos_ < text_.size()) {
          char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              append('"');
              ++pos_;
              continue;
            }
            closed = true;
            break;
          }
          if (c == '\n') ++line_;
          append(c);
        }
        if (!closed) {
          r.problems.push_back({start_line, "row", "a quoted field is never closed (missing '\"')"});
          r.fields.push_back(std::move(field));
          return r;
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && !at_crlf())
          r.problems.push_back({r.line, "row", "unexpected characters after a closing quote"});
        // Skip to the separator so the scan stays in step.
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && !at_crlf()) ++pos_;
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' && !at_crlf()) {
          char c = text_[pos_++];
          if (c == '"') r.problems.push_back({r.line, "row", "a quote inside an unquoted field (quote the whole field)"});
          append(c);
        }
      }
      if (too_long) field_too_long_.push_back(r.fields.size());
      r.fields.push_back(std::move(field));
      if (pos_ >= text_.size()) return r;
      if (text_[pos_] == ',') { ++pos_; continue; }
      pos_ += at_crlf() ? 2 : 1;
      ++line_;
      return r;
    }
  }

  // Indices of fields of the last record that exceeded the size limit (cleared by the caller).
  std::vector<std::size_t> field_too_long_;

 private:
  bool at_crlf() const { return text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n'; }
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
};

bool is_formula(std::string_view v) {
  return !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
}

// Runs a naming rule and turns its Error into a message, made safe for a terminal.
std::optional<std::string> rule(void (*check)(std::string_view), std::string_view value) {
  try {
    check(value);
    return std::nullopt;
  } catch (const Error& e) {
    return printable(e.what(), 200);
  }
}

void validate_row(const Record& r, const std::vector<bool>& long_field,
                  const std::function<bool(std::string_view)>& tenant_exists, BatchCsv& out,
                  std::map<std::pair<std::string, std::string>, std::size_t>& seen) {
  std::vector<BatchCsvProblem> problems = r.problems;
  auto bad = [&](std::size_t col, std::string msg) { problems.push_back({r.line, std::string(kColumns[col]), std::move(msg)}); };

  if (problems.empty() && r.fields.size() != kColumns.size())
    problems.push_back({r.line, "row", "has " + std::to_string(r.fields.size()) + " fields, expected 4 (" +
                                           std::string(kBatchCsvHeader) + ")"});
  if (problems.empty()) {
    for (std::size_t col = 0; col < kColumns.size(); ++col) {
      const std::string& v = r.fields[col];
      if (long_field[col]) bad(col, "longer than " + std::to_string(kBatchCsvMaxField / 1024) + " KiB");
      else if (v.find('\0') != std::string::npos) bad(col, "contains a NUL byte");
      else if (!valid_utf8(v)) bad(col, "is not valid UTF-8");
      else if (is_formula(v))
        bad(col, "starts with '" + printable(v.substr(0, 1)) +
                     "': spreadsheet formulas are refused (they would run when the output is opened)");
    }
  }
  BatchCsvRow row;
  row.line = r.line;
  if (problems.empty()) {
    const auto& f = r.fields;
    row.tenant = f[0];
    row.cn = f[1];
    if (f[0].size() > 63) bad(0, "tenant id is longer than 63 characters");
    else if (auto m = rule(&validate_tenant_id, f[0])) bad(0, *m);
    else if (!tenant_exists(f[0])) bad(0, "unknown tenant '" + printable(f[0]) + "' (add it with `inkan tenant add`)");
    if (f[1].size() > 256) bad(1, "common name is longer than 64 characters");
    else if (auto m = rule(&validate_common_name, f[1])) bad(1, *m);
    if (!f[2].empty()) {
      if (auto k = parse_cert_kind(f[2]); k && *k == CertKind::Operator)
        bad(2, "operator certificates are issued one at a time: inkan issue --kind operator --admin NAME");
      else if (k) row.kind = *k;
      else bad(2, "unknown kind '" + printable(f[2]) + "': expected " + std::string(cert_kind_choices()) + " or empty");
    }
    if (!f[3].empty()) {
      if (f[3].size() > 254) bad(3, "email address is longer than 254 characters");
      else if (auto m = rule(&validate_email, f[3])) bad(3, *m);
      else row.email = f[3];
    }
    if (problems.empty()) {
      auto [it, fresh] = seen.emplace(std::make_pair(row.tenant, row.cn), r.line);
      if (!fresh) problems.push_back({r.line, "cn", "duplicate of line " + std::to_string(it->second) +
                                                        " (same tenant and common name)"});
    }
  }
  if (problems.empty()) out.rows.push_back(std::move(row));
  else for (auto& p : problems) out.problems.push_back(std::move(p));
}

BatchCsv reject(BatchCsvProblem p) {
  BatchCsv out;
  out.file_rejected = true;
  out.problems.push_back(std::move(p));
  return out;
}

}  // namespace

std::string BatchCsvProblem::to_string() const {
  if (field == "file") return "file: " + message + (line ? " (line " + std::to_string(line) + ")" : "");
  const std::string where = "line " + std::to_string(line);
  if (field == "row") return where + ": " + message;
  if (field == "header") return where + ", header: " + message;
  return where + ", field " + field + ": " + message;
}

BatchCsv parse_batch_csv(std::string_view text, const std::function<bool(std::string_view)>& tenant_exists) {
  if (text.size() > kBatchCsvMaxBytes)
    return reject({0, "file", "larger than " + std::to_string(kBatchCsvMaxBytes >> 20) + " MiB"});
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  if (text.empty()) return reject({1, "header", "the file is empty: expected the header '" + std::string(kBatchCsvHeader) + "'"});

  Scanner scan(text);
  auto header = scan.next();
  scan.field_too_long_.clear();
  std::string joined;
  for (std::size_t i = 0; i < header.fields.size(); ++i) joined += (i ? "," : "") + header.fields[i];
  if (!header.problems.empty() || joined != kBatchCsvHeader)
    return reject({1, "header", "expected exactly '" + std::string(kBatchCsvHeader) + "', found '" + printable(joined) + "'"});

  BatchCsv out;
  std::map<std::pair<std::string, std::string>, std::size_t> seen;
  std::size_t rows = 0;
  while (!scan.done()) {
    auto r = scan.next();
    std::vector<bool> long_field(std::max(r.fields.size(), kColumns.size()), false);
    for (auto i : scan.field_too_long_) long_field[i] = true;
    scan.field_too_long_.clear();
    // A blank line carries no data (spreadsheets often end with one).
    if (r.fields.size() == 1 && r.fields[0].empty() && r.problems.empty() && !long_field[0]) continue;
    if (++rows > kBatchCsvMaxRows)
      return reject({r.line, "file", "more than " + std::to_string(kBatchCsvMaxRows) +
                                         " data rows: split the file into smaller batches"});
    validate_row(r, long_field, tenant_exists, out, seen);
  }
  if (rows == 0 && out.problems.empty())
    return reject({0, "file", "no data rows after the header"});
  return out;
}

}  // namespace inkan::policy
