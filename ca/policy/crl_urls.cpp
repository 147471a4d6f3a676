#include "ca/policy/crl_urls.hpp"

#include <cctype>

#include "ca/domain/error.hpp"

namespace inkan::policy {
namespace {

// Offset where the path starts (after scheme://authority), or npos when the URL has none.
std::size_t path_start(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string_view::npos;
  return url.find('/', scheme + 3);
}

bool is_ca_suffix(std::string_view stem, std::size_t dash) {
  if (dash == std::string_view::npos || stem.substr(dash, 3) != "-ca" || dash + 3 == stem.size()) return false;
  for (std::size_t i = dash + 3; i < stem.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(stem[i]))) return false;
  return true;
}

}  // namespace

std::string crl_url_path(std::string_view url) {
  const auto start = path_start(url);
  if (start == std::string_view::npos) return "/";
  auto path = url.substr(start);
  path = path.substr(0, path.find_first_of("?#"));
  return std::string(path);
}

std::string derived_crl_url(std::string_view previous, std::int64_t new_ca_id) {
  const auto start = path_start(previous);
  const auto last_slash = previous.rfind('/');
  if (previous.find_first_of("?#") != std::string_view::npos || start == std::string_view::npos ||
      last_slash + 1 == previous.size())
    throw Error(ErrorCode::InvalidArgument,
                "cannot derive the new CA's CRL URL from " + std::string(previous) +
                    " (a query, a fragment or no file name): give it with --crl-url URL");
  const auto file = previous.substr(last_slash + 1);
  const auto dot = file.rfind('.');
  auto stem = dot == std::string_view::npos || dot == 0 ? file : file.substr(0, dot);
  const auto extension = file.substr(stem.size());
  if (is_ca_suffix(stem, stem.rfind('-'))) stem = stem.substr(0, stem.rfind('-'));
  return std::string(previous.substr(0, last_slash + 1)) + std::string(stem) + "-ca" + std::to_string(new_ca_id) +
         std::string(extension);
}

std::string crl_file_name(std::string_view url) {
  const auto path = crl_url_path(url);
  const auto name = path.substr(path.rfind('/') + 1);
  if (name.empty() || name == "." || name == "..") return "";
  for (char c : name)  // anything else (%-escapes, '~') would need decoding to match the web server's view
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return "";
  return name;
}

}  // namespace inkan::policy
