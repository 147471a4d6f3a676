#pragma once
// What every command shares: the global options, and lazily opened store, keyring, clock, RNG.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "ca/crypto/rng.hpp"
#include "ca/crypto/secrets/secret_string.hpp"
#include "ca/domain/local_time.hpp"
#include "ca/domain/time.hpp"
#include "ca/service/audit_trail.hpp"
#include "ca/service/data_dir.hpp"
#include "ca/service/keys/keyring.hpp"
#include "ca/store/store.hpp"
#include "cli/test_clock.hpp"

namespace CLI { class App; }

namespace inkan::cli {

struct GlobalOptions {
  std::string dir;              // --dir, else $INKAN_DIR, else ./inkan-data
  std::string passphrase_file;  // --passphrase-file, else $INKAN_PASSPHRASE_FILE, else a TTY prompt
  std::string pkcs11_pin_file;  // --pkcs11-pin-file, else $INKAN_PKCS11_PIN_FILE, else a TTY prompt
  std::string db;               // --db, else $INKAN_DB, else the SQLite file in the data directory
};

class Context {
 public:
  GlobalOptions options;

  std::filesystem::path data_dir() const;
  // The shared database (--db, else $INKAN_DB): a libpq URI, or "" for the SQLite default.
  std::string database_uri() const;
  Store& store();                 // opens an existing data directory
  Store& create_store();          // for init: creates the directory if needed
  service::Keyring& keyring();    // reads the passphrase once and unlocks
  // For a command that changes a security table (tenants, administrators and their certificates,
  // CAs, settings): the store, with the keyring unlocked first, so that the change's keyed digest
  // is written with it (issue 14 item 5). Asks for the passphrase like keyring().
  Store& sealed_store() {
    keyring();
    return store();
  }
  // For init: the passphrase, asked twice on a TTY.
  crypto::SecretString new_passphrase();
  // `passphrase change`, `root passphrase`: the replacement passphrase from FILE's first line,
  // or asked twice on the terminal when FILE is empty.
  crypto::SecretString replacement_passphrase(const std::string& file);
  // For commands without a data directory (`root sign`): the passphrase, asked once.
  crypto::SecretString passphrase() { return read_passphrase(false); }
  const Clock& clock() const { return *clock_; }
  // The zone of human-readable output (`inkan settings set --time-zone`, else the system's),
  // read from the store once. JSON output stays RFC 3339 UTC.
  const TimeZone& time_zone();
  // "2027-01-06 09:00 JST": a time for people, in time_zone().
  std::string local_time(Timestamp t, TimeStyle style = TimeStyle::Minute) {
    return format_local(t, time_zone(), TimeNotation::English, style);
  }
  crypto::Rng& rng();
  // The PIN of a token holding a CA key (issue 21): from --pkcs11-pin-file, $INKAN_PKCS11_PIN_FILE
  // or asked on the terminal (once per process: the same token usually holds both CA keys).
  crypto::SecretString token_pin(const TokenKeyRef& ref);
  service::Keyring::TokenPinSource token_pin_source() {
    return [this](const TokenKeyRef& ref) { return token_pin(ref); };
  }
  service::Actor actor() const;  // "cli:<user>"
  // The passphrase from --passphrase-file or $INKAN_PASSPHRASE_FILE; never prompts, so a
  // command for which it is optional (`restore`) can tell whether one was given.
  std::optional<std::string> configured_passphrase() const;

 private:
  service::OpenOptions open_options() const;  // announces backups; the shared database if any
  crypto::SecretString read_passphrase(bool confirm);
  std::unique_ptr<Clock> clock_ = process_clock();  // the system clock unless a suite shifts it
  std::unique_ptr<crypto::Rng> rng_;
  std::unique_ptr<Store> store_;
  std::optional<service::Keyring> keyring_;
  std::optional<TimeZone> time_zone_;
  std::optional<crypto::SecretString> prompted_pin_;
};

// Adds --dir and --passphrase-file to `app` (they are accepted before or after a subcommand).
void add_global_options(CLI::App& app, GlobalOptions& options);

}  // namespace inkan::cli
