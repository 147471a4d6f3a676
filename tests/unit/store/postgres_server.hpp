#pragma once
// A throwaway PostgreSQL 15 for the store tests (issue 22): one server per test process, started
// on first use and stopped when the process exits, and a fresh database per test case.
//
// initdb and pg_ctl come from /usr/lib/postgresql/15/bin (Debian's postgresql-15; INKAN_PG_BIN
// overrides the folder). The cluster lives in a private temp directory and listens on a Unix
// socket in that directory only (listen_addresses = ''), with fsync and synchronous_commit off:
// nothing here must survive a crash. initdb refuses to run as root, and the tests run as root in
// CI, so as root the server runs as `nobody` through `setpriv --reuid=nobody --regid=nogroup
// --clear-groups` (util-linux, always present), with the directory chowned to it; as any other
// user it runs as that user.
#include <string>

namespace inkan::store_test {

class PostgresServer {
 public:
  // The process's server, started on the first call (throws std::runtime_error, naming the
  // server log, when it cannot start).
  static PostgresServer& instance();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A new, empty database; its libpq URI (a Unix socket, no password).
  std::string empty_database();
  // A new database already migrated to this inkan's schema (a copy of a template migrated once).
  std::string migrated_database();
  // The URI of the database `name` on this server.
  std::string uri(const std::string& name) const;
  // Runs one SQL statement as the superuser on database `name` (tests that tamper or inspect);
  // returns the first column of the first row, or "" (throws on error).
  std::string sql(const std::string& name, const std::string& statement) const;
  double startup_seconds() const { return startup_seconds_; }

 private:
  PostgresServer();
  std::string create_database(const std::string& template_name);
  std::string dir_;
  std::string bin_;
  std::string run_as_;  // "setpriv ... " prefix when running as root, else ""
  int next_database_ = 0;
  bool template_ready_ = false;
  double startup_seconds_ = 0;
};

}  // namespace inkan::store_test
