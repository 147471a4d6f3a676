#pragma once
// README.txt of a zip bundle: how to trust the CA and import the p12, in Japanese (the seed's
// wording) and English. Written for Windows Notepad, which every facility PC has: UTF-8 with a
// byte order mark and CRLF line ends (older Notepad shows LF-only UTF-8 as one garbled line).
#include <string>
#include <vector>

namespace inkan::service {

struct TrustedRoot {
  std::string file_name;   // e.g. "ca-root.crt", inside the same zip
  std::string thumbprint;  // SHA-1 as Windows shows it, grouped by eight
};

// `p12_file_name` names the p12 (or a pattern, for a tenant's batch zip).
std::string import_instructions(const std::string& p12_file_name, const std::vector<TrustedRoot>& roots);

// LF text to what Notepad reads: a UTF-8 BOM and CRLF line ends.
std::string windows_text(const std::string& lf_text);

}  // namespace inkan::service
