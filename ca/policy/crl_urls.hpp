#pragma once
// Rules for the CRL URLs written into certificates: each issuing CA has its own, so that the
// URL in any certificate leads to the CRL of the CA that signed it (issue 16 item 1).
#include <cstdint>
#include <string>
#include <string_view>

namespace inkan::policy {

// The path part of an http(s) URL: "http://h:80/pki/a.crl?x" -> "/pki/a.crl"; "/" when none.
std::string crl_url_path(std::string_view url);

// The URL of a new issuing CA's CRL, made from the previous CA's: "-ca<id>" goes before the
// extension of the last path segment (http://h/pki/inkan.crl -> http://h/pki/inkan-ca3.crl),
// replacing a "-ca<digits>" put there by an earlier rollover. InvalidArgument for a URL with a
// query or fragment, or no path to name a file by: the operator then gives --crl-url.
std::string derived_crl_url(std::string_view previous, std::int64_t new_ca_id);

// The file name `inkan crl --all --out-dir` writes a CRL under, so that the directory can be
// copied to the web server's root as is: the URL path's last segment ("inkan-ca3.crl"); "" when
// that segment is empty or holds other than [A-Za-z0-9._-].
std::string crl_file_name(std::string_view url);

}  // namespace inkan::policy
