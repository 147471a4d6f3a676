// The batch CSV parser: never throws; every row and problem respects the documented bounds.
#include <string_view>

#include "ca/policy/batch_csv.hpp"
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
  return 0;
}
