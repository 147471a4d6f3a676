// The management site's pure HTTP rules (web/admin/http_rules.hpp): the peer address the
// throttles are keyed on, cookie attributes, download file names, query strings, path segments.
#include <catch2/catch_test_macros.hpp>

#include "ca/policy/download_name.hpp"
#include "ca/policy/naming.hpp"
#include "web/admin/http_rules.hpp"
#include "web/http/encoding.hpp"

using namespace inkan::web;
using namespace inkan::web::admin;
using namespace inkan;

TEST_CASE("peer addresses are normalised, IPv4-mapped IPv6 becomes IPv4", "[admin][web]") {
  CHECK(normalize_peer_address("::ffff:192.0.2.1") == "192.0.2.1");
  CHECK(normalize_peer_address("::FFFF:10.0.0.7") == "10.0.0.7");
  CHECK(normalize_peer_address("192.0.2.1") == "192.0.2.1");
  CHECK(normalize_peer_address("2001:DB8::1") == "2001:db8::1");
  // Not a dotted quad after the prefix: left as (lower-case) IPv6.
  CHECK(normalize_peer_address("::ffff:c000:201") == "::ffff:c000:201");
  CHECK(normalize_peer_address("::ffff:1.2.3") == "::ffff:1.2.3");
  CHECK(normalize_peer_address("::ffff:1.2.3.4.5") == "::ffff:1.2.3.4.5");
  CHECK(normalize_peer_address("::ffff:1.2.3.4444") == "::ffff:1.2.3.4444");
}

TEST_CASE("the session cookie is __Host-, Secure, HttpOnly, SameSite=Strict, Path=/", "[admin][web]") {
  const auto c = session_cookie("abc123");
  CHECK(c == "__Host-inkan-admin=abc123; Path=/; Secure; HttpOnly; SameSite=Strict");
  CHECK(cleared_cookie(kSessionCookie) == "__Host-inkan-admin=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict");
  CHECK(login_nonce_cookie("n1") == "__Host-inkan-admin-login=n1; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Strict");
  // And the cookie parser reads back what a browser sends.
  auto jar = parse_cookies("__Host-inkan-lang=en; __Host-inkan-admin=abc123 ;x=y");
  CHECK(jar["__Host-inkan-admin"] == "abc123");
  CHECK(jar["__Host-inkan-lang"] == "en");
}

TEST_CASE("download file names are sanitised for the header, the original kept in filename*", "[admin][web]") {
  CHECK(ascii_filename("acme_JP_client300_5A01") == "acme_JP_client300_5A01");
  CHECK(ascii_filename("a\"b\\c\r\nd;e") == "a_b_c__d_e");
  CHECK(ascii_filename("../../etc/passwd") == "_._.._etc_passwd");  // no leading dot, no slash
  CHECK(ascii_filename("") == "certificate");
  CHECK(ascii_filename("端末") == "__");  // one '_' per character, not per octet
  CHECK(ascii_filename(std::string(300, 'x')).size() == 100);
  CHECK(content_disposition("a\"b", "p12") == "attachment; filename=\"a_b.p12\"; filename*=UTF-8''a%22b.p12");
  CHECK(content_disposition("端", "zip") == "attachment; filename=\"_.zip\"; filename*=UTF-8''%E7%AB%AF.zip");
}

TEST_CASE("query strings skip empty values and percent-encode", "[admin][web]") {
  CHECK(query_string({}) == "");
  CHECK(query_string({{"status", ""}, {"q", ""}}) == "");
  CHECK(query_string({{"status", "active"}, {"q", "a b&c"}, {"page", "2"}}) == "?status=active&q=a%20b%26c&page=2");
  CHECK(url_encode("client-300_.~") == "client-300_.~");
}

TEST_CASE("Accept asks for JSON only when it names application/json", "[admin][web]") {
  CHECK(accepts_json("application/json"));
  CHECK(accepts_json("text/html, Application/JSON;q=0.9"));
  CHECK_FALSE(accepts_json("text/html,application/xhtml+xml,*/*;q=0.8"));
  CHECK_FALSE(accepts_json(""));
}

TEST_CASE("path segments after a prefix", "[admin][web]") {
  using V = std::vector<std::string>;
  CHECK(path_segments("/admin/certificates/AB12/renew", "/admin/certificates/") == V{"AB12", "renew"});
  CHECK(path_segments("/admin/certificates/AB12", "/admin/certificates/") == V{"AB12"});
  CHECK(path_segments("/admin/certificates/", "/admin/certificates/").empty());
  CHECK(path_segments("/admin/certificates/a//b", "/admin/certificates/") == V{"a", "", "b"});
  CHECK(path_segments("/other/x", "/admin/certificates/").empty());
  CHECK(is_admin_path("/admin"));
  CHECK(is_admin_path("/admin/users"));
  CHECK_FALSE(is_admin_path("/administrator"));
  CHECK_FALSE(is_admin_path("/"));
}

TEST_CASE("download names keep a Japanese CN, for RFC 6266 filename*, with an ASCII fallback", "[admin][web]") {
  const auto serial = Serial::parse("5A0123456789");
  const auto stem = policy::download_file_stem("acme", "端末-01", serial);
  CHECK(stem == "acme_端末-01_5A012345");
  CHECK(content_disposition(stem, "p12") ==
        "attachment; filename=\"acme___-01_5A012345.p12\"; filename*=UTF-8''acme_%E7%AB%AF%E6%9C%AB-01_5A012345.p12");
  CHECK(policy::download_file_stem("acme", "../a/b:c*?\"<>|\r\n", serial) == "acme__.._a_b_c_________5A012345");
  CHECK(policy::download_file_stem("acme", ".hidden", serial) == "acme__.hidden_5A012345");
  CHECK(policy::download_file_stem("acme", "", serial) == "acme___5A012345");
  CHECK(policy::download_file_stem("acme", "ひまわり 事務PC", serial) == "acme_ひまわり 事務PC_5A012345");
  // Cut at a character boundary so the stem stays within kMaxFileStemOctets: 60 three-octet
  // characters are 180 octets; 155 remain for the CN after "acme_" and "_5A012345", so 51 fit.
  std::string long_cn;
  for (int i = 0; i < 60; ++i) long_cn += "端";
  const auto cut = policy::download_file_stem("acme", long_cn, serial);
  CHECK(cut.size() == 5 + 51 * 3 + 9);
  CHECK(cut.size() <= policy::kMaxFileStemOctets);
}

TEST_CASE("file names on disk and in zips keep a Japanese CN, refuse what Windows or a shell trips on",
          "[policy][names]") {
  const auto serial = Serial::parse("55C9613F01");
  // Issue 16 item 9: this was himawari______________________PC_55C9613F.
  CHECK(policy::credential_file_stem("himawari", "ひまわり苑 事務室PC", serial) == "himawari_ひまわり苑_事務室PC_55C9613F");
  CHECK(policy::credential_file_stem("acme", "端末-01", serial) == "acme_端末-01_55C9613F");
  CHECK(policy::credential_file_stem("acme", "Müller Café", serial) == "acme_Müller_Café_55C9613F");
  // Path separators, Windows' reserved characters, controls (C0 and C1), bidirectional and
  // invisible format characters, Unicode spaces and malformed UTF-8: each one '_'.
  CHECK(policy::credential_file_stem("acme", "a/b\\c:d*e?f\"g<h>i|j", serial) == "acme_a_b_c_d_e_f_g_h_i_j_55C9613F");
  CHECK(policy::credential_file_stem("acme", "x\r\n\x7f\xc2\x85y", serial) == "acme_x____y_55C9613F");
  CHECK(policy::credential_file_stem("acme", "inv\u202Efdp.exe", serial) == "acme_inv_fdp.exe_55C9613F");
  CHECK(policy::credential_file_stem("acme", "a\u200Bb\uFEFFc\u3000d", serial) == "acme_a_b_c_d_55C9613F");
  CHECK(policy::credential_file_stem("acme", "\xff\xfe\xe7\xab", serial) == "acme______55C9613F");
  CHECK(policy::credential_file_stem("acme", "..", serial) == "acme__.._55C9613F");
  // The longest tenant id and 64 CJK characters (192 octets): cut at a character, within bounds.
  const std::string tenant(63, 't');
  std::string cn;
  for (int i = 0; i < 64; ++i) cn += "介";
  const auto stem = policy::credential_file_stem(tenant, cn, serial);
  CHECK(stem.size() <= policy::kMaxFileStemOctets);
  CHECK(stem == tenant + "_" + cn.substr(0, 32 * 3) + "_55C9613F");
  CHECK((stem + ".password.txt").size() < 255);
}

TEST_CASE("Windows device names are recognised whatever the case or extension", "[policy][names]") {
  for (std::string_view n : {"CON", "con.txt", "Nul", "aux.tar.gz", "COM1", "lpt9.p12", "COM\xC2\xB9", "CON .txt"})
    CHECK(policy::windows_reserved_name(n));
  for (std::string_view n : {"CONSOLE", "COM0", "LPT10", "acme_con_01", "x.con", "COM"})
    CHECK_FALSE(policy::windows_reserved_name(n));
}
