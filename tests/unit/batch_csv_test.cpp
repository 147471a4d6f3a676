// The CSV of `inkan batch issue`: strict RFC 4180 parsing and every hostile case of issue 3.
#include <catch2/catch_test_macros.hpp>

#include <string>

#include "ca/policy/batch_csv.hpp"

using namespace inkan;
using namespace inkan::policy;

namespace {

bool known(std::string_view t) { return t == "acme" || t == "beta"; }

BatchCsv parse(const std::string& text) { return parse_batch_csv(text, known); }

bool mentions(const BatchCsv& csv, std::size_t line, const std::string& field, const std::string& words) {
  for (const auto& p : csv.problems)
    if (p.line == line && p.field == field && p.message.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a valid file with a BOM, CRLF, quoting and empty kind/email", "[batch]") {
  auto csv = parse("\xEF\xBB\xBFtenant,cn,kind,email\r\nacme,client1,,\r\nbeta,\"Doe, \"\"J\"\"\",tenant-admin,j@example.org\r\n");
  REQUIRE(csv.problems.empty());
  REQUIRE(csv.rows.size() == 2);
  CHECK(csv.rows[0].line == 2);
  CHECK(csv.rows[0].kind == CertKind::Terminal);
  CHECK_FALSE(csv.rows[0].email);
  CHECK(csv.rows[1].cn == "Doe, \"J\"");
  CHECK(csv.rows[1].kind == CertKind::TenantAdmin);
  CHECK(csv.rows[1].email == "j@example.org");
}

TEST_CASE("a quoted field may span lines; later line numbers stay right", "[batch]") {
  auto csv = parse("tenant,cn,kind,email\nacme,\"a\nb\",,\nacme,=bad,,\n");
  CHECK(mentions(csv, 2, "cn", "control"));  // the newline inside the CN
  CHECK(mentions(csv, 4, "cn", "formula"));
}

TEST_CASE("a wrong header is a per-file error naming the expected header", "[batch]") {
  auto csv = parse("tenant,common_name,kind,email\nacme,c,,\n");
  CHECK(csv.file_rejected);
  REQUIRE(csv.problems.size() == 1);
  CHECK(csv.problems[0].to_string().find("tenant,cn,kind,email") != std::string::npos);
  CHECK(parse("").file_rejected);
  CHECK(parse("tenant,cn,kind\n").file_rejected);
}

TEST_CASE("NUL bytes are refused with their line and field", "[batch]") {
  std::string text = "tenant,cn,kind,email\nacme,ok,,\nacme,bad";
  text += '\0';
  text += "cn,,\n";
  auto csv = parse(text);
  CHECK(csv.rows.size() == 1);
  CHECK(mentions(csv, 3, "cn", "NUL"));
}

TEST_CASE("10,001 data rows are a per-file error; 10,000 are fine", "[batch]") {
  std::string ok = "tenant,cn,kind,email\n";
  for (int i = 0; i < 10'000; ++i) ok += "acme,c" + std::to_string(i) + ",,\n";
  auto fine = parse(ok);
  CHECK_FALSE(fine.file_rejected);
  CHECK(fine.rows.size() == 10'000);
  auto over = parse(ok + "acme,last,,\n");
  CHECK(over.file_rejected);
  CHECK(over.problems.back().to_string().find("10000") != std::string::npos);
}

TEST_CASE("a 1 MiB field is refused without echoing it", "[batch]") {
  auto csv = parse("tenant,cn,kind,email\nacme," + std::string(1 << 20, 'x') + ",,\n");
  REQUIRE(csv.problems.size() == 1);
  CHECK(mentions(csv, 2, "cn", "64 KiB"));
  CHECK(csv.problems[0].to_string().size() < 200);
}

TEST_CASE("formula cells are refused in every column", "[batch]") {
  auto csv = parse("tenant,cn,kind,email\nacme,=cmd|' /C calc'!A0,,\nacme,+1,,\nacme,-2,,\nacme,@SUM(1),,\n"
                   "acme,ok,,=x@example.org\n");
  for (std::size_t line = 2; line <= 5; ++line) CHECK(mentions(csv, line, "cn", "formula"));
  CHECK(mentions(csv, 6, "email", "formula"));
  CHECK(csv.rows.empty());
}

TEST_CASE("invalid UTF-8 is refused", "[batch]") {
  CHECK(mentions(parse("tenant,cn,kind,email\nacme,\xC3\x28,,\n"), 2, "cn", "UTF-8"));
  CHECK(mentions(parse("tenant,cn,kind,email\nacme,\xC0\xAF,,\n"), 2, "cn", "UTF-8"));  // overlong '/'
  CHECK(mentions(parse("tenant,cn,kind,email\nacme,\xED\xA0\x80,,\n"), 2, "cn", "UTF-8"));  // surrogate
  CHECK(parse("tenant,cn,kind,email\nacme,\xE6\x97\xA5\xE6\x9C\xAC,,\n").rows.size() == 1);
}

TEST_CASE("bad quoting, column counts and values are reported per row", "[batch]") {
  auto csv = parse("tenant,cn,kind,email\n"
                   "acme,a\"b,,\n"          // 2: quote in an unquoted field
                   "acme,\"x\"y,,\n"        // 3: text after a closing quote
                   "acme,c,,,extra\n"       // 4: five fields
                   "nobody,c,,\n"           // 5: unknown tenant
                   "acme,c,admin,\n"        // 6: bad kind
                   "acme,c2,,not-an-email\n"  // 7: bad email
                   "acme,c3,,\n"
                   "acme,c3,,\n"            // 9: duplicate of 8
                   "acme,\"open,,\n");      // 10: never closed
  CHECK(mentions(csv, 2, "row", "quote"));
  CHECK(mentions(csv, 3, "row", "closing quote"));
  CHECK(mentions(csv, 4, "row", "expected 4"));
  CHECK(mentions(csv, 5, "tenant", "unknown tenant"));
  CHECK(mentions(csv, 6, "kind", "terminal|tenant-admin"));
  CHECK(mentions(csv, 7, "email", "local@domain"));
  CHECK(mentions(csv, 9, "cn", "duplicate of line 8"));
  CHECK(mentions(csv, 10, "row", "never closed"));
  REQUIRE(csv.rows.size() == 1);
  CHECK(csv.rows[0].line == 8);
}

TEST_CASE("a file over 16 MiB is rejected before parsing", "[batch]") {
  std::string big = "tenant,cn,kind,email\n";
  big.resize(kBatchCsvMaxBytes + 1, '\n');
  auto csv = parse(big);
  CHECK(csv.file_rejected);
  CHECK(csv.problems[0].to_string().find("16 MiB") != std::string::npos);
}
