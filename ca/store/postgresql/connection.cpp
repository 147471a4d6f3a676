#include "ca/store/postgresql/connection.hpp"

#include <chrono>
#include <cstring>
#include <memory>
#include <thread>

#include "ca/domain/error.hpp"

namespace inkan::pg {
namespace {

constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;

std::int64_t unix_seconds(Timestamp t) { return t.time_since_epoch().count(); }

// True when the connection string names a password (URI user:password@ or password=).
bool carries_password(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error ? error : "cannot parse it";
    PQfreemem(error);
    throw Error(ErrorCode::InvalidArgument, "not a PostgreSQL connection URI: " + message);
  }
  bool found = false;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o)
    if (std::strcmp(o->keyword, "password") == 0 && o->val != nullptr && *o->val != '\0') found = true;
  PQconninfoFree(options);
  return found;
}

// libpq's messages span lines ("...failed: ...\n\tIs the server running...?"); inkan's are one line.
std::string one_line(std::string message) {
  std::string out;
  for (const char c : message) {
    if (c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

bool is_conflict(const std::string& sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? v : "";
}

}  // namespace

Params& Params::text(std::string value) {
  lengths_.push_back(0);
  formats_.push_back(0);
  types_.push_back(0);
  values_.emplace_back(std::move(value));
  return *this;
}

Params& Params::text(const std::optional<std::string>& value) { return value ? text(*value) : null(); }

// Typed int8: a parameter the statement does not use still has a type (PostgreSQL refuses an
// untyped one it cannot infer).
Params& Params::integer(std::int64_t value) {
  text(std::to_string(value));
  types_.back() = kInt8Oid;
  return *this;
}

Params& Params::integer(const std::optional<std::int64_t>& value) {
  if (value) return integer(*value);
  null();
  types_.back() = kInt8Oid;
  return *this;
}

Params& Params::time(Timestamp value) { return integer(unix_seconds(value)); }

Params& Params::time(const std::optional<Timestamp>& value) { return value ? time(*value) : null(); }

Params& Params::bytes(const Bytes& value) {
  values_.emplace_back(std::string(value.begin(), value.end()));
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);
  types_.push_back(kByteaOid);
  return *this;
}

Params& Params::null() {
  values_.emplace_back(std::nullopt);
  lengths_.push_back(0);
  formats_.push_back(0);
  types_.push_back(0);
  return *this;
}

std::vector<const char*> Params::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->data() : nullptr);
  return out;
}

std::int64_t Result::affected() const {
  const char* n = PQcmdTuples(result_);
  return (n && *n) ? std::stoll(n) : 0;
}

std::string Result::text(int row, int col) const {
  if (is_null(row, col)) return {};
  return std::string(PQgetvalue(result_, row, col), static_cast<std::size_t>(PQgetlength(result_, row, col)));
}

std::optional<std::string> Result::optional_text(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return text(row, col);
}

std::int64_t Result::integer(int row, int col) const {
  if (is_null(row, col)) return 0;
  return std::stoll(PQgetvalue(result_, row, col));
}

std::optional<std::int64_t> Result::optional_integer(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return integer(row, col);
}

Timestamp Result::time(int row, int col) const { return Timestamp(std::chrono::seconds(integer(row, col))); }

std::optional<Timestamp> Result::optional_time(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return time(row, col);
}

Bytes Result::bytes(int row, int col) const {
  if (is_null(row, col)) return {};
  std::size_t size = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, col)), &size);
  if (raw == nullptr) throw Error(ErrorCode::Store, "out of memory reading a bytea column");
  Bytes out(raw, raw + size);
  PQfreemem(raw);
  return out;
}

Connection::Connection(const std::string& conninfo) {
  if (carries_password(conninfo))
    throw Error(ErrorCode::InvalidArgument,
                "the PostgreSQL URI carries a password; leave it out and put it in a password file "
                "(PGPASSFILE or ~/.pgpass, mode 0600) so it never appears in a command line");
  conn_ = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string message = one_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw Error(ErrorCode::Store, "cannot connect to PostgreSQL: " + message);
  }
  // Times are integers and text is UTF-8 whatever the server's defaults are.
  run("SET client_encoding = 'UTF8'", {});
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

bool Connection::in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

std::string Connection::describe() const {
  const char* host = PQhost(conn_);
  return std::string("PostgreSQL database '") + PQdb(conn_) + "'" + (host && *host ? std::string(" on ") + host : "");
}

Result Connection::run(const std::string& sql, const Params& params) {
  const auto values = params.pointers();
  return checked(PQexecParams(conn_, sql.c_str(), params.size(), params.types().data(), values.data(),
                              params.lengths().data(), params.formats().data(), 0));
}

void Connection::exec_script(const std::string& sql) { checked(PQexec(conn_, sql.c_str())); }

Result Connection::checked(PGresult* raw) {
  Result result(raw);
  const auto status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  std::string message = raw ? field(raw, PG_DIAG_MESSAGE_PRIMARY) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  message = one_line(message);
  if (PQstatus(conn_) != CONNECTION_OK) {
    PQreset(conn_);  // the next statement gets a new session; this one's transaction is gone
    throw PgError("the connection to PostgreSQL was lost: " + message, "08006", "");
  }
  throw PgError(message, raw ? field(raw, PG_DIAG_SQLSTATE) : "", raw ? field(raw, PG_DIAG_CONSTRAINT_NAME) : "");
}

Result Connection::exec(const std::string& sql, const Params& params) {
  if (in_transaction()) return run(sql, params);
  for (int attempt = 0;; ++attempt) {
    try {
      return run(sql, params);
    } catch (const PgError& e) {
      if (!is_conflict(e.sqlstate()) || attempt >= kRetriesOnConflict) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(1 << attempt));
    }
  }
}

Result Connection::exec_atomic(const std::string& sql, const Params& params) {
  if (!in_transaction()) return exec(sql, params);
  run("SAVEPOINT inkan_statement", {});
  try {
    Result result = run(sql, params);
    run("RELEASE SAVEPOINT inkan_statement", {});
    return result;
  } catch (const PgError&) {
    run("ROLLBACK TO SAVEPOINT inkan_statement", {});
    run("RELEASE SAVEPOINT inkan_statement", {});
    throw;
  }
}

}  // namespace inkan::pg
