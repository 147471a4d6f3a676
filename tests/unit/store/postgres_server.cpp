#include "postgres_server.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ca/store/postgresql/postgresql_store.hpp"

namespace inkan::store_test {
namespace {

constexpr const char* kDefaultBin = "/usr/lib/postgresql/15/bin";
constexpr const char* kTemplate = "inkan_migrated";

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void run(const std::string& command, const std::string& what, const std::string& log) {
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("throwaway PostgreSQL: " + what + " failed (" + command + "):\n" + read_file(log));
}

}  // namespace

PostgresServer& PostgresServer::instance() {
  static PostgresServer server;  // stopped by its destructor at process exit
  return server;
}

PostgresServer::PostgresServer() {
  const auto started = std::chrono::steady_clock::now();
  const char* bin = std::getenv("INKAN_PG_BIN");
  bin_ = bin ? bin : kDefaultBin;
  if (!std::filesystem::exists(bin_ + "/initdb"))
    throw std::runtime_error("throwaway PostgreSQL: no " + bin_ +
                             "/initdb; install postgresql-15 (tools/setup.sh) or set INKAN_PG_BIN");
  std::string pattern = (std::filesystem::temp_directory_path() / "inkan-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  if (::geteuid() == 0) {
    const passwd* nobody = ::getpwnam("nobody");
    if (nobody == nullptr || ::chown(dir_.c_str(), nobody->pw_uid, nobody->pw_gid) != 0)
      throw std::runtime_error("throwaway PostgreSQL: cannot hand " + dir_ + " to nobody");
    run_as_ = "setpriv --reuid=nobody --regid=nogroup --clear-groups ";
  }
  // Two logs: initdb's output is redirected by this (root) shell, the server's is written by pg_ctl
  // as nobody, who could not write to a file root created.
  try {
    const std::string initdb_log = dir_ + "/initdb.log";
    const std::string log = dir_ + "/server.log";
    run(run_as_ + bin_ + "/initdb -D " + dir_ + "/data -U inkan --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync > " +
            initdb_log + " 2>&1",
        "initdb", initdb_log);
    run(run_as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -l " + log + " -w -s -o \"-c listen_addresses='' -c " +
            "unix_socket_directories=" + dir_ + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start",
        "pg_ctl start", log);
  } catch (...) {
    // A server that did not start has no destructor run: leave no directory behind.
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
  startup_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

PostgresServer::~PostgresServer() {
  const std::string stop = run_as_ + bin_ + "/pg_ctl -D " + dir_ + "/data -m immediate -s stop > /dev/null 2>&1";
  [[maybe_unused]] const int ignored = std::system(stop.c_str());
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::uri(const std::string& name) const {
  return "postgresql:///" + name + "?host=" + dir_ + "&user=inkan";
}

std::string PostgresServer::sql(const std::string& name, const std::string& statement) const {
  PGconn* conn = PQconnectdb(uri(name).c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error("throwaway PostgreSQL: " + message);
  }
  PGresult* r = PQexec(conn, statement.c_str());
  const auto status = PQresultStatus(r);
  std::string out;
  if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
  const std::string message = PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    throw std::runtime_error("throwaway PostgreSQL: " + statement + ": " + message);
  return out;
}

std::string PostgresServer::create_database(const std::string& template_name) {
  const std::string name = "t" + std::to_string(++next_database_);
  sql("postgres", "CREATE DATABASE " + name + " TEMPLATE " + template_name);
  return name;
}

std::string PostgresServer::empty_database() { return uri(create_database("template0")); }

std::string PostgresServer::migrated_database() {
  if (!template_ready_) {
    sql("postgres", std::string("CREATE DATABASE ") + kTemplate + " TEMPLATE template0");
    migrate_postgresql_store(uri(kTemplate));
    template_ready_ = true;
  }
  return uri(create_database(kTemplate));
}

}  // namespace inkan::store_test
