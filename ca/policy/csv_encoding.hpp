#pragma once
// The character encoding of an input CSV. Japanese Excel saves "CSV (comma delimited)" in
// Shift_JIS, precisely Microsoft's CP932; "CSV UTF-8" adds a BOM. Both are read: CP932 is
// converted to UTF-8 by glibc's iconv ("CP932"), strictly (an undefined octet is an error, never
// skipped or guessed), before the CSV is parsed.
#include <optional>
#include <string>
#include <string_view>

namespace inkan::policy {

enum class CsvEncoding { Auto, Utf8, Cp932 };

// "auto", "utf-8" (also "utf8"), "cp932" (also "shift_jis", "sjis"), case-insensitive.
std::optional<CsvEncoding> parse_csv_encoding(std::string_view name);
std::string_view to_string(CsvEncoding e);  // "auto", "utf-8", "cp932"

struct DecodedCsv {
  std::string text;     // UTF-8, a leading BOM kept as it was
  CsvEncoding read_as;  // Utf8 or Cp932, never Auto
};

// Auto: valid UTF-8 (with or without a BOM) is UTF-8; otherwise CP932 if the whole file is
// valid CP932. Throws Error(InvalidArgument) naming the line and byte offset of the first octet
// that is not valid in the encoding tried, and the --encoding that may read it.
DecodedCsv decode_csv(std::string_view bytes, CsvEncoding requested);

}  // namespace inkan::policy
