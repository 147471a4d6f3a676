#include "cli/context.hpp"

#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "ca/crypto/secrets/sealing.hpp"
#include "ca/domain/error.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/display_time_zone.hpp"

namespace inkan::cli {
namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::string(v) : fallback;
}

// A regular passphrase file must be private to its owner, as ssh insists for keys: one that group
// or others may read has leaked already or will. Pipes and inherited descriptors (/dev/fd/N) pass.
void require_private_file(int fd, const std::string& path, const char* what) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) == 0) return;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  throw Error(ErrorCode::InvalidArgument, std::string(what) + " file " + path + " is open to group or others (mode " + mode +
                                              "): run `chmod 600 " + path + "` (and consider changing the passphrase)");
}

crypto::SecretString read_passphrase_file(const std::string& path, const char* what = "passphrase") {
  // "-" is standard input, taken as inherited: `sudo cat /etc/inkan/passphrase | sudo -u inkan
  // inkan --passphrase-file - ...` works where reopening /dev/stdin is refused (a pipe made by root
  // cannot be opened again by another user).
  int fd = path == "-" ? ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::Io, std::string("cannot read ") + what + " file " + path + ": " + std::strerror(errno));
  try {
    require_private_file(fd, path, what);
  } catch (...) {
    ::close(fd);
    throw;
  }
  // The first line only; read in small chunks so that no more of the file than needed is copied.
  std::string text;
  char chunk[256];
  for (;;) {
    auto n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    auto* newline = static_cast<char*>(std::memchr(chunk, '\n', static_cast<std::size_t>(n)));
    text.append(chunk, newline ? static_cast<std::size_t>(newline - chunk) : static_cast<std::size_t>(n));
    if (newline || text.size() > 64 * 1024) break;
  }
  ::explicit_bzero(chunk, sizeof chunk);
  ::close(fd);
  crypto::SecretString line(std::move(text));
  auto v = line.view();
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n')) v.remove_suffix(1);
  if (v.empty()) throw Error(ErrorCode::InvalidArgument, std::string(what) + " file " + path + " is empty");
  if (v.size() == line.size()) return line;
  return crypto::SecretString(std::string(v));
}

// Reads one line from the terminal with echo off.
crypto::SecretString prompt_no_echo(const char* prompt,
                                    const char* missing = "no passphrase: pass --passphrase-file FILE or set "
                                                          "INKAN_PASSPHRASE_FILE (no terminal to ask on)") {
  int fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
  if (fd < 0) throw Error(ErrorCode::InvalidArgument, missing);
  termios old{};
  bool tty = ::tcgetattr(fd, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  (void)!::write(fd, prompt, std::char_traits<char>::length(prompt));
  std::string line;
  line.reserve(256);  // no reallocation, so no stray copy, for any passphrase one would type
  char c = 0;
  while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
  c = 0;
  if (tty) ::tcsetattr(fd, TCSAFLUSH, &old);
  (void)!::write(fd, "\n", 1);
  ::close(fd);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return crypto::SecretString(std::move(line));
}

// An upgrade's first open says where the pre-migration backup went (stderr: a service's journal).
service::OpenOptions announce_backups() {
  service::OpenOptions o;
  o.on_backup = [](const service::PreMigrationBackup& b) {
    std::cerr << "inkan: database schema " << b.from_version << " is older than this inkan ("
              << b.to_version << "): pre-migration backup written to " << b.file.string()
              << " before migrating\n";
  };
  return o;
}

}  // namespace

void add_global_options(CLI::App& app, GlobalOptions& o) {
  app.add_option("--dir", o.dir, "Data directory (default: $INKAN_DIR, else ./inkan-data)")->type_name("DIR");
  app.add_option("--passphrase-file", o.passphrase_file,
                 "File whose first line is the operator passphrase (default: $INKAN_PASSPHRASE_FILE, "
                 "else asked on the terminal); - reads it from standard input. Never pass the passphrase itself on "
                 "the command line.")
      ->type_name("FILE");
  app.add_option("--pkcs11-pin-file", o.pkcs11_pin_file,
                 "File whose first line is the user PIN of the PKCS#11 token holding a CA key (default: "
                 "$INKAN_PKCS11_PIN_FILE, else asked on the terminal). Never on the command line.")
      ->type_name("FILE");
  app.add_option("--db", o.db,
                 "A shared PostgreSQL database instead of the data directory's SQLite file (default: $INKAN_DB): "
                 "a libpq URI such as postgresql:///inkan?host=/run/postgresql, without a password (that comes "
                 "from PGPASSFILE or ~/.pgpass); the data directory then holds only this node's local files. Migrate it "
                 "first with `inkan store migrate` (docs/operations.md, \"Several nodes\")")
      ->type_name("URI");
}

std::string Context::database_uri() const { return options.db.empty() ? env_or("INKAN_DB", "") : options.db; }

std::filesystem::path Context::data_dir() const {
  return options.dir.empty() ? env_or("INKAN_DIR", "./inkan-data") : options.dir;
}


service::OpenOptions Context::open_options() const {
  auto o = announce_backups();
  o.database_uri = database_uri();
  return o;
}

Store& Context::store() {
  if (!store_) store_ = service::open_data_dir(data_dir(), open_options());
  return *store_;
}

const TimeZone& Context::time_zone() {
  if (!time_zone_) time_zone_ = service::display_time_zone(store());
  return *time_zone_;
}

Store& Context::create_store() {
  if (!store_) store_ = service::open_or_create_data_dir(data_dir(), open_options());
  return *store_;
}

crypto::SecretString Context::read_passphrase(bool confirm) {
  std::string file = options.passphrase_file.empty() ? env_or("INKAN_PASSPHRASE_FILE", "") : options.passphrase_file;
  if (!file.empty()) return read_passphrase_file(file);
  auto first = prompt_no_echo("inkan passphrase: ");
  if (first.empty()) throw Error(ErrorCode::InvalidArgument, "empty passphrase");
  if (confirm && !crypto::constant_time_equal(prompt_no_echo("repeat passphrase: "), first))
    throw Error(ErrorCode::InvalidArgument, "the two passphrases differ");
  return first;
}

std::optional<std::string> Context::configured_passphrase() const {
  const std::string file =
      options.passphrase_file.empty() ? env_or("INKAN_PASSPHRASE_FILE", "") : options.passphrase_file;
  if (file.empty()) return std::nullopt;
  return std::string(read_passphrase_file(file).view());  // restore's options keep a std::string
}

crypto::SecretString Context::new_passphrase() { return read_passphrase(true); }

crypto::SecretString Context::replacement_passphrase(const std::string& file) {
  if (!file.empty()) return read_passphrase_file(file);
  auto first = prompt_no_echo("new inkan passphrase: ");
  if (first.empty()) throw Error(ErrorCode::InvalidArgument, "empty passphrase");
  if (!crypto::constant_time_equal(prompt_no_echo("repeat new passphrase: "), first))
    throw Error(ErrorCode::InvalidArgument, "the two new passphrases differ");
  return first;
}

service::Keyring& Context::keyring() {
  if (!keyring_) {
    auto& s = store();
    keyring_.emplace(service::Keyring::unlock(s, read_passphrase(false)));
    keyring_->set_token_pin_source(token_pin_source());
  }
  return *keyring_;
}

crypto::SecretString Context::token_pin(const TokenKeyRef& ref) {
  std::string file = options.pkcs11_pin_file.empty() ? env_or("INKAN_PKCS11_PIN_FILE", "") : options.pkcs11_pin_file;
  if (!file.empty()) return read_passphrase_file(file, "PIN");
  if (!prompted_pin_) {
    std::string prompt = "PIN of the PKCS#11 token (" + ref.uri + "): ";
    auto pin = prompt_no_echo(prompt.c_str(), "no token PIN: pass --pkcs11-pin-file FILE or set INKAN_PKCS11_PIN_FILE "
                                              "(no terminal to ask on)");
    if (pin.empty()) throw Error(ErrorCode::InvalidArgument, "empty PIN");
    prompted_pin_.emplace(std::move(pin));
  }
  return crypto::SecretString(std::string(prompted_pin_->view()));
}

crypto::Rng& Context::rng() {
  if (!rng_) rng_ = crypto::Rng::system();
  return *rng_;
}

service::Actor Context::actor() const {
  // The effective uid's entry in the password database, never $USER: the environment is the
  // caller's to set, and USER='x; admin:op1' forged the audit log's actor (issue 14).
  if (const passwd* pw = ::getpwuid(::geteuid()); pw && pw->pw_name && *pw->pw_name)
    return {std::string("cli:") + pw->pw_name};
  return {"cli:uid-" + std::to_string(::geteuid())};
}

}  // namespace inkan::cli
