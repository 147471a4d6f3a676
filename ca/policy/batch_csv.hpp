#pragma once
// The input of `inkan batch issue`: a CSV with the header `tenant,cn,kind,email`. Untrusted
// (design.md §7): bounded in size, parsed strictly (RFC 4180 quoting), every problem reported
// with its line and field. Pure: the caller says which tenants exist.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ca/domain/enums.hpp"

namespace inkan::policy {

inline constexpr std::size_t kBatchCsvMaxBytes = 16u << 20;   // 16 MiB
inline constexpr std::size_t kBatchCsvMaxRows = 10'000;       // data rows, header excluded
inline constexpr std::size_t kBatchCsvMaxField = 64u << 10;   // 64 KiB per field
inline constexpr std::string_view kBatchCsvHeader = "tenant,cn,kind,email";

struct BatchCsvRow {
  std::size_t line = 0;  // 1-based line where the record starts (the header is line 1)
  std::string tenant;
  std::string cn;
  CertKind kind = CertKind::Terminal;  // empty cell = terminal
  std::optional<std::string> email;    // empty cell = none
};

struct BatchCsvProblem {
  std::size_t line = 0;  // 0: the problem concerns the whole file
  std::string field;     // "tenant", "cn", "kind", "email", "row" or "file"
  std::string message;
  std::string to_string() const;  // "line 7, field cn: ..." / "file: ..."
};

struct BatchCsv {
  std::vector<BatchCsvRow> rows;          // the valid rows, in file order
  std::vector<BatchCsvProblem> problems;  // every invalid row, in file order
  bool file_rejected = false;             // a per-file problem: no row is usable
};

// Never throws for bad input: everything is reported in `problems`.
BatchCsv parse_batch_csv(std::string_view text, const std::function<bool(std::string_view)>& tenant_exists);

}  // namespace inkan::policy
