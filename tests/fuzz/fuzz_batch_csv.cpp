// The batch CSV parser: never throws; every row and problem respects the documented bounds. The
// input decoding before it (auto: UTF-8, else CP932 through iconv) either refuses the file with
// Error(InvalidArgument) naming a line and byte offset, or yields UTF-8 that the parser takes.
#include <string_view>

#include "ca/domain/error.hpp"
#include "ca/policy/batch_csv.hpp"
#include "ca/policy/csv_encoding.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace inkan::policy;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // Tenants "acme" and "t1" exist, so both the known and unknown paths run.
  auto csv = parse_batch_csv(text, [](std::string_view t) { return t == "acme" || t == "t1"; });
  if (csv.file_rejected) FUZZ_CHECK(csv.rows.empty());
  FUZZ_CHECK(csv.rows.size() <= kBatchCsvMaxRows);
  std::size_t last = 1;
  for (const auto& row : csv.rows) {
    FUZZ_CHECK(row.line > last);  // data rows start after the header, in file order
    last = row.line;
    FUZZ_CHECK(row.tenant == "acme" || row.tenant == "t1");
    FUZZ_CHECK(!row.cn.empty() && row.cn.size() <= kBatchCsvMaxField);
    if (row.email) FUZZ_CHECK(!row.email->empty());
  }
  for (const auto& p : csv.problems) {
    FUZZ_CHECK(!p.field.empty() && !p.message.empty());
    (void)p.to_string();
  }

  for (auto encoding : {CsvEncoding::Auto, CsvEncoding::Utf8, CsvEncoding::Cp932}) {
    try {
      const auto decoded = decode_csv(text, encoding);
      FUZZ_CHECK(decoded.read_as != CsvEncoding::Auto);
      if (encoding != CsvEncoding::Auto) FUZZ_CHECK(decoded.read_as == encoding);
      if (decoded.read_as == CsvEncoding::Utf8) FUZZ_CHECK(decoded.text == text);
      // What was decoded is UTF-8: no row fails the parser's UTF-8 check.
      auto again = parse_batch_csv(decoded.text, [](std::string_view) { return true; });
      for (const auto& p : again.problems) FUZZ_CHECK(p.message.find("not valid UTF-8") == std::string::npos);
    } catch (const inkan::Error& e) {
      FUZZ_CHECK(e.code() == inkan::ErrorCode::InvalidArgument);
      FUZZ_CHECK(std::string_view(e.what()).find("byte offset") != std::string_view::npos);
    }
  }
  return 0;
}
