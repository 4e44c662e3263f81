// The integration-test harness: runs the real `baomi` executable (init, serve, audit verify) in a
// temporary instance and talks real HTTPS to it, so tests see exactly what a client sees.
// The same tests run on both storage engines (test_integration: SQLite; test_integration_pg:
// PostgreSQL, see test_engine()); a test that must know which asks TestInstance::on_postgres().
// Thread-safety: HttpsClient opens one connection per request and keeps no other state, so one
// client may be used from many threads. TestInstance and ServerProcess are for one thread (the
// test's), except that TestInstance::admin_token() is guarded and may be called from any thread.
// Helpers that cannot continue (a failed `baomi init`, a login that is not 200) throw
// std::runtime_error with the reason; GoogleTest reports it as a test failure.
#pragma once

#include <sys/types.h>

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baomi::testing {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // keys lower-cased
  std::string body;
  boost::json::value json() const;  // parses body (throws on invalid JSON; tests only)
  // The body of a text view or copy with its invisible fingerprint removed (S7):
  // visible_text(body). Only for text: binary content is served unchanged and compared as is.
  std::string text() const;
  std::string header(std::string_view lower_name) const;  // "" when absent
  // The API.md error code (`error.code`), or "" when the body is not an error object.
  std::string error_code() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

class HttpsClient {  // real TLS client (Boost.Beast sync over OpenSSL), verifies nothing
                     // (self-signed)
 public:
  // `source`: connect from this local address (e.g. "127.0.0.2"); "" lets the kernel choose.
  explicit HttpsClient(std::uint16_t port, std::string source = {});

  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       Headers headers = {});
  HttpResponse get(std::string_view target, const std::string& token = {});
  HttpResponse del(std::string_view target, const std::string& token = {});
  HttpResponse post_json(std::string_view target, const boost::json::value& body,
                         const std::string& token = {});
  HttpResponse put_json(std::string_view target, const boost::json::value& body,
                        const std::string& token = {});
  // Streams `size` bytes produced by gen(offset, buf, n) as the body of a PUT (Content-Length
  // set). If the server answers early and closes, the answer is still returned.
  HttpResponse put_stream(
      std::string_view target, std::uint64_t size,
      const std::function<void(std::uint64_t offset, std::uint8_t* buf, std::size_t n)>& gen,
      const std::string& token, std::string_view content_type = "application/octet-stream");
  // GET whose 2xx body is fed to sink piecewise (not buffered); returns status+headers with an
  // empty body. A non-2xx body (an API error) is returned in `body` instead, not fed to sink.
  HttpResponse get_stream(std::string_view target, const std::string& token,
                          const std::function<void(const std::uint8_t*, std::size_t)>& sink);

  std::uint16_t port() const { return port_; }

 private:
  std::uint16_t port_;
  std::string source_;
};

class ServerProcess {  // a running `baomi serve` child process
 public:
  ServerProcess(pid_t pid, std::uint16_t port, std::filesystem::path log_file);
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess();  // stops it if still running

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool running() const { return running_; }
  void stop();   // SIGTERM, wait (asserts exit code 0)
  void kill9();  // SIGKILL, wait
  // The server's stderr (its access log and diagnostics) so far.
  std::string log() const;
  const std::filesystem::path& log_file() const { return log_file_; }

 private:
  pid_t pid_;
  std::uint16_t port_;
  std::filesystem::path log_file_;
  bool running_ = true;
};

// The storage engine of this test binary's instances: test_integration uses SQLite,
// test_integration_pg PostgreSQL (tests/integration/engine/*.cc, one linked into each).
enum class Engine { kSqlite, kPostgres };
Engine test_engine();

// A fresh instance in a temp dir (removed at destruction). On PostgreSQL its rows live in a
// database of its own on the scratch server (dropped at destruction), its keys in keys().
class TestInstance {
 public:
  // Runs `baomi init` with a passwords file (and `--database URL` on PostgreSQL).
  static std::unique_ptr<TestInstance> create();
  ~TestInstance();
  TestInstance(const TestInstance&) = delete;
  TestInstance& operator=(const TestInstance&) = delete;

  const std::filesystem::path& root() const { return root_; }  // holds data/, keys/, logs
  const std::filesystem::path& data() const { return data_; }
  const std::filesystem::path& keys() const { return keys_; }
  bool on_postgres() const { return !database_url_.empty(); }
  // The instance's postgresql:// URL; "" on SQLite.
  const std::string& database_url() const { return database_url_; }
  // {"--database", URL} on PostgreSQL, {} on SQLite: what `init`, `serve` and an offline
  // `audit verify` need to find the instance's rows.
  std::vector<std::string> database_args() const;
  // Saves the stored rows under `name` (SQLite: a copy of the database file; PostgreSQL: a
  // template database), and puts them back, so that tests can break storage and start over.
  // Only while no server runs.
  void save_storage(const std::string& name) const;
  void restore_storage(const std::string& name) const;
  std::string admin_password(std::string_view role) const;  // sysadmin/secadmin/auditor
  // `baomi serve --listen 127.0.0.1:0 [extra_args]`, waits for the ready line (throws if the
  // server exits or does not get ready in time, with its log). stdout/stderr go to files under
  // root(), never under data() or keys(). The child gets SIGKILL when the thread that started it
  // ends (PR_SET_PDEATHSIG), so start servers from the test's main thread.
  std::unique_ptr<ServerProcess> start(const std::vector<std::string>& extra_args = {});
  // Runs the baomi binary with args; returns exit code, captures stdout+stderr. An offline
  // `audit verify --data <this instance's data()>` without --database gets database_args(), so
  // tests run the same command on both engines.
  int run_cli(const std::vector<std::string>& args, std::string* output = nullptr) const;
  // A session token of an admin role, logging in once and caching it (re-logs in when the
  // cached token is refused). Saves Argon2id work in tests that create many users.
  std::string admin_token(HttpsClient& client, std::string_view role) const;

 private:
  TestInstance() = default;
  std::filesystem::path root_, data_, keys_;
  std::string database_url_;
  mutable std::vector<std::string> saved_databases_;
  std::map<std::string, std::string, std::less<>> passwords_;
  int servers_started_ = 0;
  mutable std::mutex tokens_mu_;
  mutable std::map<std::string, std::string, std::less<>> tokens_;
};

// Direct access to an instance's stored rows, for tests that break things on purpose (flip a
// stored byte, make the audit store fail): the SQLite file through the SQLite C API (loaded at
// run time with dlopen because the test binary does not link SQLite), or the instance's
// PostgreSQL database through libpq. The tables and columns are the same on both engines; SQL
// uses `?` placeholders on both (numbered for PostgreSQL here) and as_blob()/as_text() where
// the engines' SQL differs. One connection; not thread-safe. Every call throws
// std::runtime_error with the engine's message on failure. May be used while the server runs
// (SQLite: a 10 s busy timeout applies).
class RawDb {
 public:
  explicit RawDb(const TestInstance& instance);       // the instance's engine
  explicit RawDb(const std::filesystem::path& file);  // a SQLite file
  ~RawDb();
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql);  // may hold several statements, no parameters
  // The first column of the first row of a query whose `?` parameters are bound to `params` (text).
  std::vector<std::uint8_t> query_blob(const std::string& sql,
                                       const std::vector<std::string>& params = {});
  std::int64_t query_int(const std::string& sql,
                         const std::vector<std::string>& params = {});  // NULL is 0
  // Runs a statement whose first `?` is bound to `blob` and the rest to `params` (text); returns
  // the number of rows changed.
  int exec_with_blob(const std::string& sql, const std::vector<std::uint8_t>& blob,
                     const std::vector<std::string>& params = {});
  // SQL for the bytes of a text expression, and for a blob expression read as (UTF-8) text.
  std::string as_blob(const std::string& text_expr) const;
  std::string as_text(const std::string& blob_expr) const;

  // Content chunks wherever the engine keeps them (storage/chunks.h): rows of `chunks` on
  // PostgreSQL; on SQLite files beside the database (DATA/baomi.db-chunks/) indexed by
  // chunk_files, and the rows of `chunks` an older instance or a restore left.
  // The chunks stored for `document_id` (every version, or `version` when given).
  std::int64_t count_chunks(const std::string& document_id,
                            std::optional<std::uint64_t> version = std::nullopt);
  // The sealed bytes of one chunk (empty when there is none).
  std::vector<std::uint8_t> read_chunk(const std::string& document_id, std::uint64_t version,
                                       std::uint64_t index);
  // Overwrites one chunk's sealed bytes (of the same size on SQLite's files); returns 1 when
  // the chunk was there, else 0.
  int write_chunk(const std::string& document_id, std::uint64_t version, std::uint64_t index,
                  const std::vector<std::uint8_t>& sealed);
  // SQLite: the file holding a version's chunks (empty path on PostgreSQL).
  std::filesystem::path chunk_file(const std::string& document_id, std::uint64_t version) const;

  class Backend;  // one per storage engine (raw_db.cc)

 private:
  std::unique_ptr<Backend> backend_;
  std::filesystem::path sqlite_file_;  // empty on PostgreSQL
};

// `body` without the invisible fingerprint symbols that text views and copies carry (S7): removes
// exactly the 3-byte sequences EF B8 84..EF B8 87 (U+FE04..U+FE07), nothing else.
std::string visible_text(std::string_view body);
// How many of those symbols `body` holds.
std::size_t fingerprint_symbols(std::string_view body);

std::string binary_path();    // $BAOMI_BINARY (ctest sets it), else <build>/baomi
std::string source_dir();     // the source tree ($BAOMI_SOURCE_DIR, else the one built from)
std::string random_suffix();  // 12 lowercase hex characters, for unique names
// Runs a child process with stdout/stderr on the given descriptors (stdin /dev/null); args[0] is
// the binary, looked up in PATH when it has no '/'. The child dies with the thread that forked
// it (PR_SET_PDEATHSIG), so a crashed test leaves no process behind.
pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd);
// The whole of a file (e.g. a server's log); "" when it cannot be read.
std::string read_text(const std::filesystem::path& file);
// The last `n` bytes of `text`, marked "..." when cut (for failure messages).
std::string tail(const std::string& text, std::size_t n = 4000);

// Convenience over a running server:
std::string login(HttpsClient&, std::string_view username,
                  std::string_view password);  // asserts 200
// Creates a business user via sysadmin, sets clearance via secadmin, accepts the pledge (unless
// pledge=false); returns {id, token}.
struct TestUser {
  std::string id, username, password, token;
};
TestUser make_user(HttpsClient&, const TestInstance&, std::string_view username,
                   std::string_view role, std::string_view level,
                   const std::vector<std::string>& categories, bool pledge = true,
                   std::string_view department = "general_cs");
// POST /api/v1/documents (throws unless 201); returns the document JSON object.
boost::json::object create_document(HttpsClient&, const std::string& token, std::string_view title,
                                    std::string_view level,
                                    const std::vector<std::string>& categories,
                                    const boost::json::object& extra = {});
// PUT content as one buffer (throws unless 200); returns {"version","size","sha256"}.
boost::json::object upload_content(HttpsClient&, const std::string& token,
                                   const std::string& doc_id, std::string_view content,
                                   std::string_view content_type = "text/plain; charset=utf-8");
// GET /api/v1/audit as the auditor with the given query (e.g. "action=x&actor=y"); all pages.
std::vector<boost::json::object> audit_entries(HttpsClient&, const TestInstance&,
                                               std::string_view query);

}  // namespace baomi::testing
