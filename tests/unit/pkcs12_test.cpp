// PKCS#12 adapter: round trip, error codes, and the real readers (design.md §5):
// openssl pkcs12, GnuTLS certtool, NSS pk12util/certutil, JDK keytool, python3 cryptography.
// Keys and certificates are made with the openssl CLI in a temporary directory: a throwaway root,
// an issuing CA, and an RSA-2048 and an EC P-256 client leaf.
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "ca/crypto/pkcs12/pkcs12.hpp"
#include "ca/domain/error.hpp"

namespace fs = std::filesystem;
using inkan::Bytes;
using inkan::Error;
using inkan::ErrorCode;
using inkan::P12Profile;
using inkan::crypto::build_pkcs12;
using inkan::crypto::parse_pkcs12;
using inkan::crypto::Pkcs12Input;

namespace {

// Only [A-Za-z0-9-]: it may appear in certtool's argv, which has no password-file option.
const std::string kPassword = "Tq7k-Mx4P-9hZa-Wd3E-rN6u";

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "inkan-p12-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

std::string read_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

Bytes read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

void write_bytes(const fs::path& p, const Bytes& b) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
  if (!f) throw std::runtime_error("cannot write " + p.string());
}

void write_text(const fs::path& p, const std::string& s) {
  write_bytes(p, Bytes(s.begin(), s.end()));
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
}

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs `cmd` with /bin/sh in `dir`, in the C locale (messages in English), output to a file.
Run run(const std::string& cmd, const fs::path& dir) {
  static int counter = 0;
  const fs::path out = dir / ("cmd-" + std::to_string(counter++) + ".out");
  const std::string full = "export LC_ALL=C.UTF-8 LANG=C.UTF-8; cd " + quote(dir.string()) + " && (" + cmd +
                           ") >" + quote(out.string()) + " 2>&1 </dev/null";
  const int rc = std::system(full.c_str());
  Run r;
  r.status = (rc != -1 && WIFEXITED(rc)) ? WEXITSTATUS(rc) : -1;
  r.output = read_text(out);
  return r;
}

void require_ok(const Run& r, const std::string& what) {
  INFO(what << " exited " << r.status << ":\n" << r.output);
  REQUIRE(r.status == 0);
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// Text outside -----BEGIN/-----END blocks.
std::string without_pem_blocks(const std::string& text) {
  std::string out, line;
  bool inside = false;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto end = text.find('\n', pos);
    line = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    pos = end == std::string::npos ? text.size() : end + 1;
    if (line.rfind("-----BEGIN ", 0) == 0) inside = true;
    if (!inside) out += line + "\n";
    if (line.rfind("-----END ", 0) == 0) inside = false;
  }
  return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct Leaf {
  Bytes p8;
  Bytes cert;
  std::string sha1_hex;  // "30:A6:..." (SHA-1 of the DER = the expected localKeyID)
};

struct Pki {
  TempDir dir;
  Bytes root;
  Bytes issuing;
  Leaf rsa;
  Leaf ec;
};

void make_pki(Pki& k) {
    const fs::path& d = k.dir.path();
    require_ok(run("command -v openssl", d), "openssl");
    write_text(d / "ca.ext", "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
    write_text(d / "leaf.ext",
               "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
               "extendedKeyUsage=clientAuth\n");
    require_ok(run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key "
                   "-out root.pem -subj '/CN=Test Root' -days 30",
                   d),
               "root");
    require_ok(run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout iss.key "
                   "-out iss.csr -subj '/CN=Test Issuing' && openssl x509 -req -in iss.csr -CA root.pem "
                   "-CAkey root.key -set_serial 2 -days 30 -extfile ca.ext -out iss.pem",
                   d),
               "issuing CA");
    require_ok(run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.key", d), "rsa key");
    require_ok(run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key", d), "ec key");
    int serial = 10;
    for (const std::string name : {"rsa", "ec"}) {
      require_ok(run("openssl req -new -key " + name + ".key -subj '/CN=leaf " + name + "/O=tenant' -out " +
                         name + ".csr && openssl x509 -req -in " + name +
                         ".csr -CA iss.pem -CAkey iss.key -set_serial " + std::to_string(serial++) +
                         " -days 20 -extfile leaf.ext -out " + name + ".pem && openssl pkcs8 -topk8 -nocrypt -in " +
                         name + ".key -outform DER -out " + name + ".p8 && openssl x509 -in " + name +
                         ".pem -outform DER -out " + name + ".der",
                     d),
                 "leaf " + name);
    }
    require_ok(run("openssl x509 -in iss.pem -outform DER -out iss.der && "
                   "openssl x509 -in root.pem -outform DER -out root.der",
                   d),
               "CA DER");
    k.root = read_bytes(d / "root.der");
    k.issuing = read_bytes(d / "iss.der");
    for (auto [leaf, name] : {std::pair{&k.rsa, "rsa"}, std::pair{&k.ec, "ec"}}) {
      leaf->p8 = read_bytes(d / (std::string(name) + ".p8"));
      leaf->cert = read_bytes(d / (std::string(name) + ".der"));
      const Run fp = run(std::string("openssl x509 -inform DER -in ") + name + ".der -noout -fingerprint -sha1", d);
      require_ok(fp, "fingerprint");
      const auto eq = fp.output.find('=');
      REQUIRE(eq != std::string::npos);
      leaf->sha1_hex = fp.output.substr(eq + 1, 59);  // 20 octets "AA:BB:..."
    }
}

// Made once per test run (RSA key generation is the slow part).
const Pki& pki() {
  static Pki p;
  static bool made = (make_pki(p), true);
  (void)made;
  return p;
}

struct Case {
  const char* label;
  bool rsa;
  P12Profile profile;
  std::string friendly_name;
};

// One ASCII and one non-ASCII friendlyName (UTF-8 in, BMPString in the file).
const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"rsa-compat", true, P12Profile::Compat, "leaf rsa (2026-01-02)"},
      {"rsa-modern", true, P12Profile::Modern, "leaf rsa (2026-01-02)"},
      {"ec-compat", false, P12Profile::Compat, "Zo\xc3\xab ec (2026-01-02)"},
      {"ec-modern", false, P12Profile::Modern, "Zo\xc3\xab ec (2026-01-02)"},
  };
  return c;
}

Pkcs12Input input_for(const Case& c, const std::string& password = kPassword) {
  const Leaf& leaf = c.rsa ? pki().rsa : pki().ec;
  Pkcs12Input in;
  in.private_key_pkcs8_der = leaf.p8;
  in.cert_der = leaf.cert;
  in.chain_der = {pki().issuing, pki().root};
  in.friendly_name = c.friendly_name;
  in.password = password;
  in.profile = c.profile;
  return in;
}

ErrorCode error_code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  FAIL("no inkan::Error thrown");
  return ErrorCode::Crypto;
}

// "30:A6:F7" -> "30 A6 F7" (openssl -info prints localKeyID with spaces).
std::string spaced(std::string colon_hex) {
  std::replace(colon_hex.begin(), colon_hex.end(), ':', ' ');
  return colon_hex;
}

// Splits `openssl pkcs12 -info -nodes` output into bags: for each, its attribute lines and what
// it holds ("subject=..." for a certificate, "key" for the private key).
struct InfoBag {
  std::string holds;
  std::vector<std::string> attributes;
};

std::vector<InfoBag> openssl_info_bags(const std::string& output) {
  std::vector<InfoBag> bags;
  std::istringstream in(output);
  std::string line;
  InfoBag cur;
  bool open = false;
  while (std::getline(in, line)) {
    if (line.rfind("Bag Attributes", 0) == 0) {
      cur = InfoBag{};
      open = true;
    } else if (open && line.rfind("    ", 0) == 0) {
      cur.attributes.push_back(line.substr(4));
    } else if (open && line.rfind("subject=", 0) == 0) {
      cur.holds = line;
      bags.push_back(cur);
      open = false;
    } else if (open && line.rfind("Key Attributes", 0) == 0) {
      cur.holds = "key";
      bags.push_back(cur);
      open = false;
    }
  }
  return bags;
}

bool has_attribute(const InfoBag& b, const std::string& prefix) {
  return std::any_of(b.attributes.begin(), b.attributes.end(),
                     [&](const std::string& a) { return a.rfind(prefix, 0) == 0; });
}

// UTF-8 (at most U+FFFF) -> UTF-16BE, as a BMPString holds it.
Bytes utf16be(const std::string& s) {
  Bytes out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    unsigned cp = 0;
    if (c < 0x80) { cp = c; i += 1; }
    else if (c < 0xe0) { cp = ((c & 0x1fu) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3fu); i += 2; }
    else {
      cp = ((c & 0x0fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3fu);
      i += 3;
    }
    out.push_back(static_cast<std::uint8_t>(cp >> 8));
    out.push_back(static_cast<std::uint8_t>(cp & 0xff));
  }
  return out;
}

// Each UTF-16 unit's low octet: how OpenSSL 3.0's `pkcs12 -info` prints a BMPString.
std::string latin1(const std::string& utf8) {
  const Bytes u = utf16be(utf8);
  std::string out;
  for (std::size_t i = 1; i < u.size(); i += 2) out.push_back(static_cast<char>(u[i]));
  return out;
}

}  // namespace

TEST_CASE("pkcs12: friendlyName is a BMPString (UTF-16BE), not widened UTF-8 octets", "[pkcs12]") {
  // The key bag's attributes sit in the unencrypted data safe, so the DER shows them.
  for (const Case& c : cases()) {
    DYNAMIC_SECTION(c.label) {
      const Bytes p12 = build_pkcs12(input_for(c));
      Bytes bmp = utf16be(c.friendly_name);
      Bytes tlv = {0x1e, static_cast<std::uint8_t>(bmp.size())};
      tlv.insert(tlv.end(), bmp.begin(), bmp.end());
      REQUIRE(std::search(p12.begin(), p12.end(), tlv.begin(), tlv.end()) != p12.end());
    }
  }
}

TEST_CASE("pkcs12: round trip in both profiles and both key types", "[pkcs12]") {
  for (const Case& c : cases()) {
    DYNAMIC_SECTION(c.label) {
      const Pkcs12Input in = input_for(c);
      const Bytes p12 = build_pkcs12(in);
      REQUIRE(!p12.empty());
      const auto out = parse_pkcs12(p12, kPassword);
      REQUIRE(out.private_key_pkcs8_der == in.private_key_pkcs8_der);
      REQUIRE(out.cert_der == in.cert_der);
      REQUIRE(out.chain_der == in.chain_der);  // issuing CA first, then the root
      REQUIRE(out.friendly_name == c.friendly_name);
      // Fresh salts every time.
      REQUIRE(build_pkcs12(in) != p12);
    }
  }
}

TEST_CASE("pkcs12: without chain or friendlyName", "[pkcs12]") {
  Pkcs12Input in = input_for(cases()[2]);
  in.chain_der.clear();
  in.friendly_name.clear();
  const auto out = parse_pkcs12(build_pkcs12(in), kPassword);
  REQUIRE(out.cert_der == in.cert_der);
  REQUIRE(out.chain_der.empty());
  REQUIRE(out.friendly_name.empty());
}

TEST_CASE("pkcs12: any printable ASCII password works", "[pkcs12]") {
  const std::string pw = " !\"#$%&'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~";
  const Bytes p12 = build_pkcs12(input_for(cases()[1], pw));
  REQUIRE(parse_pkcs12(p12, pw).cert_der == pki().rsa.cert);
  // And OpenSSL reads it from a file (first line).
  TempDir d;
  write_bytes(d.path() / "f.p12", p12);
  write_text(d.path() / "pw", pw + "\n");
  require_ok(run("openssl pkcs12 -info -noout -passin file:pw -in f.p12", d.path()), "openssl with special password");
}

TEST_CASE("pkcs12: error codes", "[pkcs12]") {
  const Case& c = cases()[0];
  const Bytes p12 = build_pkcs12(input_for(c));

  SECTION("wrong password") {
    try {
      (void)parse_pkcs12(p12, "Tq7k-Mx4P-9hZa-Wd3E-rN6v");
      FAIL("expected WrongPassphrase");
    } catch (const Error& e) {
      REQUIRE(e.code() == ErrorCode::WrongPassphrase);
      REQUIRE(std::string(e.what()) == "wrong p12 password");
    }
  }
  SECTION("non-ASCII, control, empty passwords are refused when building") {
    for (const std::string& pw : {std::string("p\xc3\xa4sswort"), std::string("tab\there"), std::string("nl\n"),
                                 std::string("del\x7f"), std::string()}) {
      INFO("password " << quote(pw));
      REQUIRE(error_code_of([&] { (void)build_pkcs12(input_for(c, pw)); }) == ErrorCode::InvalidArgument);
    }
  }
  SECTION("garbage, truncation, trailing data, oversize") {
    REQUIRE(error_code_of([&] { (void)parse_pkcs12(Bytes{}, kPassword); }) == ErrorCode::InvalidArgument);
    REQUIRE(error_code_of([&] { (void)parse_pkcs12(Bytes{'h', 'e', 'l', 'l', 'o'}, kPassword); }) ==
            ErrorCode::InvalidArgument);
    REQUIRE(error_code_of([&] { (void)parse_pkcs12(Bytes(p12.begin(), p12.end() - 10), kPassword); }) ==
            ErrorCode::InvalidArgument);
    Bytes trailing = p12;
    trailing.push_back(0);
    REQUIRE(error_code_of([&] { (void)parse_pkcs12(trailing, kPassword); }) == ErrorCode::InvalidArgument);
    REQUIRE(error_code_of([&] { (void)parse_pkcs12(Bytes(1024 * 1024 + 1, 0x30), kPassword); }) ==
            ErrorCode::InvalidArgument);
    REQUIRE(error_code_of([&] { (void)parse_pkcs12(pki().rsa.cert, kPassword); }) == ErrorCode::InvalidArgument);
  }
  SECTION("a key that does not match the certificate") {
    Pkcs12Input in = input_for(c);
    in.private_key_pkcs8_der = pki().ec.p8;
    REQUIRE(error_code_of([&] { (void)build_pkcs12(in); }) == ErrorCode::InvalidArgument);
  }
  SECTION("malformed inputs when building") {
    Pkcs12Input in = input_for(c);
    in.friendly_name = "bad \xff utf-8";
    REQUIRE(error_code_of([&] { (void)build_pkcs12(in); }) == ErrorCode::InvalidArgument);
    in = input_for(c);
    in.cert_der.push_back(0);
    REQUIRE(error_code_of([&] { (void)build_pkcs12(in); }) == ErrorCode::InvalidArgument);
    in = input_for(c);
    in.chain_der.push_back(Bytes{1, 2, 3});
    REQUIRE(error_code_of([&] { (void)build_pkcs12(in); }) == ErrorCode::InvalidArgument);
    in = input_for(c);
    in.private_key_pkcs8_der = pki().rsa.cert;
    REQUIRE(error_code_of([&] { (void)build_pkcs12(in); }) == ErrorCode::InvalidArgument);
  }
}

TEST_CASE("pkcs12: reads a file written by the openssl CLI", "[pkcs12]") {
  TempDir d;
  const fs::path& dir = pki().dir.path();
  write_text(d.path() / "pw", kPassword);
  require_ok(run("openssl pkcs12 -export -inkey " + quote((dir / "ec.key").string()) + " -in " +
                     quote((dir / "ec.pem").string()) + " -certfile " + quote((dir / "iss.pem").string()) +
                     " -name cli -passout file:pw -out cli.p12",
                 d.path()),
             "openssl pkcs12 -export");
  const auto out = parse_pkcs12(read_bytes(d.path() / "cli.p12"), kPassword);
  REQUIRE(out.cert_der == pki().ec.cert);
  REQUIRE(out.private_key_pkcs8_der == pki().ec.p8);
  REQUIRE(out.chain_der == std::vector<Bytes>{pki().issuing});
  REQUIRE(out.friendly_name == "cli");
}

TEST_CASE("pkcs12: real readers accept the files", "[pkcs12][readers]") {
  const Case& c = cases()[static_cast<std::size_t>(GENERATE(0, 1, 2, 3))];
  const bool modern = c.profile == P12Profile::Modern;
  const Leaf& leaf = c.rsa ? pki().rsa : pki().ec;
  INFO("case " << c.label);

  TempDir d;
  const fs::path& dir = d.path();
  write_bytes(dir / "f.p12", build_pkcs12(input_for(c)));
  write_text(dir / "pw", kPassword);

  SECTION("openssl pkcs12 -info") {
    const Run r = run("openssl pkcs12 -info -nodes -passin file:pw -in f.p12", dir);
    require_ok(r, "openssl pkcs12 -info");
    const std::string& o = r.output;
    INFO(o);
    if (modern) {
      REQUIRE(contains(o, "MAC: sha256, Iteration 2048"));
      REQUIRE(contains(o, "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"));
      REQUIRE(contains(o, "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"));
    } else {
      REQUIRE(contains(o, "MAC: sha1, Iteration 2048"));
      REQUIRE(contains(o, "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"));
      REQUIRE(contains(o, "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"));
    }
    // The algorithm lines only: base64 in the printed PEM blocks may spell "RC2" by chance.
    const std::string algorithms = without_pem_blocks(o);
    REQUIRE(!contains(algorithms, "RC2"));
    REQUIRE(!contains(algorithms, "hmacWithSHA1"));
    REQUIRE(count(o, "Certificate bag") == 3);
    REQUIRE(contains(o, "-----BEGIN PRIVATE KEY-----"));
    // localKeyID = SHA-1 of the leaf, on the key bag and the leaf only; friendlyName likewise.
    REQUIRE(count(o, "localKeyID: ") == 2);
    REQUIRE(count(o, "localKeyID: " + spaced(leaf.sha1_hex)) == 2);
    // OpenSSL 3.0 prints a BMPString by dropping each character's high octet ("Zo\xeb"), later
    // versions print UTF-8; the exact encoding is checked on the raw bytes below.
    REQUIRE(count(o, "friendlyName: " + c.friendly_name + "\n") +
                count(o, "friendlyName: " + latin1(c.friendly_name) + "\n") ==
            (c.friendly_name == latin1(c.friendly_name) ? 4 : 2));
    const auto bags = openssl_info_bags(o);
    REQUIRE(bags.size() == 4);
    int leaves = 0, cas = 0, keys = 0;
    for (const auto& b : bags) {
      INFO("bag " << b.holds);
      const bool is_ca = contains(b.holds, "subject=CN = Test ");
      if (is_ca) {
        ++cas;
        REQUIRE(b.attributes.empty());
      } else {
        if (b.holds == "key") ++keys;
        else ++leaves;
        REQUIRE(has_attribute(b, "localKeyID: "));
        REQUIRE(has_attribute(b, "friendlyName: "));
      }
    }
    REQUIRE(leaves == 1);
    REQUIRE(cas == 2);
    REQUIRE(keys == 1);
    // Order in the file: leaf, issuing CA, root.
    REQUIRE(contains(bags[1].holds, "Test Issuing"));
    REQUIRE(contains(bags[2].holds, "subject=CN = Test Root"));
  }

  SECTION("openssl refuses a wrong password") {
    write_text(dir / "bad", "not-the-password");
    const Run r = run("openssl pkcs12 -info -noout -passin file:bad -in f.p12", dir);
    REQUIRE(r.status != 0);
    REQUIRE(contains(r.output, "Mac verify error"));
  }

  SECTION("GnuTLS certtool") {
    require_ok(run("command -v certtool", dir), "certtool");
    // certtool has no password-file option; this throwaway password goes in argv.
    const Run r = run("certtool --p12-info --inder --infile f.p12 --password " + quote(kPassword), dir);
    const std::string& o = r.output;
    INFO(o);
    REQUIRE(r.status == 0);
    // certtool prints nothing on a good MAC; a bad one prints "verify_mac: ... failed".
    REQUIRE(!contains(o, "verify_mac"));
    REQUIRE(!contains(o, "failed"));
    REQUIRE(!contains(o, "errors parsing"));
    if (modern) {
      REQUIRE(contains(o, "MAC: SHA256 (2.16.840.1.101.3.4.2.1)"));
      REQUIRE(count(o, "Schema: PBES2-AES256-CBC (2.16.840.1.101.3.4.1.42)") == 2);
    } else {
      REQUIRE(contains(o, "MAC: SHA1 (1.3.14.3.2.26)"));
      REQUIRE(count(o, "Schema: PKCS12-3DES-SHA1 (1.2.840.113549.1.12.1.3)") == 2);
    }
    REQUIRE(count(o, "Iteration count: 2048") == 3);
    REQUIRE(count(o, "Type: Certificate") == 3);
    REQUIRE(contains(o, "Type: PKCS #8 Encrypted key"));
    REQUIRE(count(o, "Key ID: " + leaf.sha1_hex) == 2);
    REQUIRE(count(o, "Key ID: ") == 2);
    REQUIRE(count(o, "Friendly name: " + c.friendly_name + "\n") == 2);

    // certtool -k decrypts the key through the PKCS#12 path.
    const Run k = run("certtool -k --inder --infile f.p12 --password " + quote(kPassword), dir);
    INFO(k.output);
    REQUIRE(k.status == 0);
    REQUIRE(contains(k.output, c.rsa ? "Public Key Algorithm: RSA" : "Public Key Algorithm: EC/ECDSA"));

    // And the grep above is meaningful: a wrong password is reported in the text.
    const Run bad = run("certtool --p12-info --inder --infile f.p12 --password not-the-password", dir);
    REQUIRE(contains(bad.output, "verify_mac"));
  }

  SECTION("NSS pk12util into a fresh database") {
    require_ok(run("command -v pk12util && command -v certutil", dir), "NSS tools");
    require_ok(run("mkdir db && certutil -N -d sql:db --empty-password", dir), "certutil -N");
    const Run imp = run("pk12util -i f.p12 -d sql:db -w pw", dir);
    require_ok(imp, "pk12util -i");
    REQUIRE(contains(imp.output, "PKCS12 IMPORT SUCCESSFUL"));
    const Run list = run("certutil -L -d sql:db", dir);
    require_ok(list, "certutil -L");
    INFO(list.output);
    REQUIRE(contains(list.output, c.friendly_name));
    REQUIRE(contains(list.output, "u,u,u"));  // the user's own certificate (it has a key)
    REQUIRE(contains(list.output, "Test Issuing"));
    REQUIRE(contains(list.output, "Test Root"));
    const Run keys = run("certutil -K -d sql:db", dir);
    require_ok(keys, "certutil -K");
    INFO(keys.output);
    REQUIRE(contains(keys.output, c.rsa ? "> rsa " : "> ec "));
    REQUIRE(contains(keys.output, c.friendly_name));
  }

  SECTION("JDK keytool") {
    require_ok(run("command -v keytool", dir), "keytool");
    const Run r = run("keytool -J-Duser.language=en -J-Duser.country=US -list -v -storetype PKCS12 "
                      "-keystore f.p12 -storepass:file pw",
                      dir);
    require_ok(r, "keytool -list");
    INFO(r.output);
    REQUIRE(contains(r.output, "Your keystore contains 1 entry"));
    REQUIRE(contains(r.output, "Entry type: PrivateKeyEntry"));
    REQUIRE(contains(r.output, "Certificate chain length: 3"));
  }

  SECTION("python3 cryptography") {
    write_text(dir / "load.py",
               "import sys\n"
               "from cryptography.hazmat.primitives.serialization import pkcs12\n"
               "data = open('f.p12', 'rb').read()\n"
               "pw = open('pw', 'rb').read()\n"
               "key, cert, extra = pkcs12.load_key_and_certificates(data, pw)\n"
               "p = pkcs12.load_pkcs12(data, pw)\n"
               "print('key', type(key).__name__, key.key_size)\n"
               "print('cert', cert.subject.rfc4514_string())\n"
               "print('extra', ';'.join(c.subject.rfc4514_string() for c in extra))\n"
               "print('name', p.cert.friendly_name.decode('utf-8'))\n"
               "print('extra names', [c.friendly_name for c in p.additional_certs])\n");
    const Run r = run("/usr/bin/python3 load.py", dir);
    require_ok(r, "python3 cryptography");
    INFO(r.output);
    REQUIRE(contains(r.output, c.rsa ? "key _RSAPrivateKey 2048" : "key _EllipticCurvePrivateKey 256"));
    REQUIRE(contains(r.output, c.rsa ? "cert O=tenant,CN=leaf rsa" : "cert O=tenant,CN=leaf ec"));
    REQUIRE(contains(r.output, "extra CN=Test Issuing;CN=Test Root"));
    REQUIRE(contains(r.output, "name " + c.friendly_name + "\n"));
    REQUIRE(contains(r.output, "extra names [None, None]"));
  }
}
