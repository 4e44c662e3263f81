#include "integration/harness.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/postgres.h"

namespace baomi::testing {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;

// Generous: the server may run under ASan on a loaded two-core machine.
constexpr auto kIoTimeout = std::chrono::seconds(120);
constexpr auto kStartTimeout = std::chrono::seconds(60);
constexpr auto kStopTimeout = std::chrono::seconds(30);
constexpr std::size_t kStreamPiece = 256 * 1024;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

// A server that closes a connection must fail a test, not kill the test process with SIGPIPE
// (raw OpenSSL and socket writes in tests do not all pass MSG_NOSIGNAL).
const bool kSigpipeIgnored = [] {
  std::signal(SIGPIPE, SIG_IGN);
  return true;
}();

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string bearer(const std::string& token) { return "Bearer " + token; }

// One TLS connection. Every operation is asynchronous under a deadline (tcp_stream's timer),
// so a server that hangs fails the test instead of hanging it.
class Connection {
 public:
  // `source`: the local address to connect from ("" lets the kernel choose); any of 127/8 works
  // on Linux, so tests can play clients at different addresses.
  Connection(std::uint16_t port, const std::string& source)
      : ctx_(ssl::context::tls_client), stream_(ioc_, ctx_) {
    ctx_.set_verify_mode(ssl::verify_none);  // the instance's certificate is self-signed
    const net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), port);
    if (!source.empty()) {
      auto& socket = stream_.next_layer().socket();
      beast::error_code ec;
      socket.open(net::ip::tcp::v4(), ec);
      check(ec, "open");
      socket.bind(net::ip::tcp::endpoint(net::ip::make_address(source), 0), ec);
      check(ec, "bind to " + source);
    }
    check(run([&](auto h) { stream_.next_layer().async_connect(ep, h); }), "connect");
    SSL_set_tlsext_host_name(stream_.native_handle(), "localhost");
    check(run([&](auto h) { stream_.async_handshake(ssl::stream_base::client, h); }),
          "TLS handshake");
  }
  ~Connection() {
    beast::error_code ec;
    stream_.next_layer().socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    stream_.next_layer().close();
  }

  // Starts one async operation with a completion handler, runs it to completion, returns its error.
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result;
    stream_.next_layer().expires_after(kIoTimeout);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  static void check(const beast::error_code& ec, const std::string& what) {
    if (ec) fail("HTTPS client: " + what + ": " + ec.message());
  }

  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  net::io_context ioc_;
  ssl::context ctx_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

template <class Fields>
void copy_headers(const Fields& fields, HttpResponse& out) {
  for (const auto& f : fields) {
    auto key = lower(f.name_string());
    auto [it, inserted] = out.headers.emplace(key, std::string(f.value()));
    if (!inserted) it->second += ", " + std::string(f.value());
  }
}

// A body ended by the peer closing without close_notify is fine once the message is complete.
bool benign_end(const beast::error_code& ec) {
  return ec == ssl::error::stream_truncated || ec == http::error::end_of_stream;
}

HttpResponse read_response(Connection& c) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  parser.header_limit(64 * 1024);
  auto ec = c.run([&](auto h) { http::async_read(c.stream(), c.buffer(), parser, h); });
  if (ec && !(benign_end(ec) && parser.is_done())) Connection::check(ec, "reading the response");
  HttpResponse out;
  out.status = parser.get().result_int();
  copy_headers(parser.get(), out);
  out.body = std::move(parser.get().body());
  return out;
}

void add_headers(http::fields& fields, const Headers& headers) {
  for (const auto& [name, value] : headers) fields.set(name, value);
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits up to `timeout` for pid; returns its wait status, or nullopt on timeout.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::optional<std::uint16_t> ready_port(const std::string& out) {
  const auto line_end = out.find('\n');
  if (line_end == std::string::npos) return std::nullopt;
  const std::string line = out.substr(0, line_end);
  const std::string marker = "serving https://127.0.0.1:";
  const auto at = line.find(marker);
  if (at == std::string::npos) fail("unexpected first line from baomi serve: " + line);
  return static_cast<std::uint16_t>(std::stoi(line.substr(at + marker.size())));
}

}  // namespace

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string tail(const std::string& text, std::size_t n) {
  return text.size() <= n ? text : "..." + text.substr(text.size() - n);
}

pid_t spawn(const std::vector<std::string>& args, int out_fd, int err_fd) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// ---- HttpResponse ----

boost::json::value HttpResponse::json() const { return boost::json::parse(body); }

std::string HttpResponse::text() const { return visible_text(body); }

std::string HttpResponse::header(std::string_view lower_name) const {
  auto it = headers.find(std::string(lower_name));
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpResponse::error_code() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object()) return "";
  const auto* err = v.as_object().if_contains("error");
  if (!err || !err->is_object()) return "";
  const auto* code = err->as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : "";
}

// ---- Fingerprinted text ----

namespace {
bool fingerprint_symbol_at(std::string_view s, std::size_t at) {
  return at + 3 <= s.size() && static_cast<unsigned char>(s[at]) == 0xEF &&
         static_cast<unsigned char>(s[at + 1]) == 0xB8 &&
         (static_cast<unsigned char>(s[at + 2]) & 0xFC) == 0x84;
}
}  // namespace

std::string visible_text(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size();) {
    if (fingerprint_symbol_at(body, i)) {
      i += 3;
    } else {
      out += body[i++];
    }
  }
  return out;
}

std::size_t fingerprint_symbols(std::string_view body) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < body.size();) {
    if (fingerprint_symbol_at(body, i)) {
      ++n;
      i += 3;
    } else {
      ++i;
    }
  }
  return n;
}

// ---- HttpsClient ----

HttpsClient::HttpsClient(std::uint16_t port, std::string source)
    : port_(port), source_(std::move(source)) {}

HttpResponse HttpsClient::request(std::string_view method, std::string_view target,
                                  std::string_view body, Headers headers) {
  Connection c(port_, source_);
  http::request<http::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "localhost");
  req.body() = std::string(body);
  req.prepare_payload();
  add_headers(req, headers);
  auto ec = c.run([&](auto h) { http::async_write(c.stream(), req, h); });
  if (ec) {
    // The server may have answered and closed before reading all of the body.
    try {
      return read_response(c);
    } catch (const std::exception& e) {
      Connection::check(ec, std::string("sending the request (then: ") + e.what() + ")");
    }
  }
  return read_response(c);
}

HttpResponse HttpsClient::get(std::string_view target, const std::string& token) {
  Headers h;
  if (!token.empty()) h.emplace_back("Authorization", bearer(token));
  return request("GET", target, {}, std::move(h));
}

HttpResponse HttpsClient::del(std::string_view target, const std::string& token) {
  Headers h;
  if (!token.empty()) h.emplace_back("Authorization", bearer(token));
  return request("DELETE", target, {}, std::move(h));
}

HttpResponse HttpsClient::post_json(std::string_view target, const boost::json::value& body,
                                    const std::string& token) {
  Headers h{{"Content-Type", "application/json"}};
  if (!token.empty()) h.emplace_back("Authorization", bearer(token));
  return request("POST", target, boost::json::serialize(body), std::move(h));
}

HttpResponse HttpsClient::put_json(std::string_view target, const boost::json::value& body,
                                   const std::string& token) {
  Headers h{{"Content-Type", "application/json"}};
  if (!token.empty()) h.emplace_back("Authorization", bearer(token));
  return request("PUT", target, boost::json::serialize(body), std::move(h));
}

HttpResponse HttpsClient::put_stream(
    std::string_view target, std::uint64_t size,
    const std::function<void(std::uint64_t offset, std::uint8_t* buf, std::size_t n)>& gen,
    const std::string& token, std::string_view content_type) {
  Connection c(port_, source_);
  http::request<http::buffer_body> req;
  req.method(http::verb::put);
  req.target(target);
  req.version(11);
  req.set(http::field::host, "localhost");
  req.set(http::field::content_type, content_type);
  if (!token.empty()) req.set(http::field::authorization, bearer(token));
  req.content_length(size);
  req.body().data = nullptr;
  req.body().more = true;
  http::request_serializer<http::buffer_body> sr{req};
  auto ec = c.run([&](auto h) { http::async_write_header(c.stream(), sr, h); });
  std::vector<std::uint8_t> buf(kStreamPiece);
  std::uint64_t offset = 0;
  while (!ec && offset < size) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size - offset));
    gen(offset, buf.data(), n);
    offset += n;
    req.body().data = buf.data();
    req.body().size = n;
    req.body().more = true;
    ec = c.run([&](auto h) { http::async_write(c.stream(), sr, h); });
    if (ec == http::error::need_buffer) ec = {};
  }
  if (!ec) {
    req.body().data = nullptr;
    req.body().size = 0;
    req.body().more = false;
    ec = c.run([&](auto h) { http::async_write(c.stream(), sr, h); });
    if (ec == http::error::need_buffer) ec = {};
  }
  if (ec) {
    try {
      return read_response(c);
    } catch (const std::exception& e) {
      Connection::check(ec, "streaming the body at offset " + std::to_string(offset) +
                                " (then: " + e.what() + ")");
    }
  }
  return read_response(c);
}

HttpResponse HttpsClient::get_stream(
    std::string_view target, const std::string& token,
    const std::function<void(const std::uint8_t*, std::size_t)>& sink) {
  Connection c(port_, source_);
  http::request<http::empty_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "localhost");
  if (!token.empty()) req.set(http::field::authorization, bearer(token));
  Connection::check(c.run([&](auto h) { http::async_write(c.stream(), req, h); }),
                    "sending the request");
  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);
  Connection::check(
      c.run([&](auto h) { http::async_read_header(c.stream(), c.buffer(), parser, h); }),
      "reading the response header");
  HttpResponse out;
  out.status = parser.get().result_int();
  copy_headers(parser.get(), out);
  const bool to_sink = out.status >= 200 && out.status < 300;
  std::vector<std::uint8_t> buf(kStreamPiece);
  std::uint64_t received = 0;
  while (!parser.is_done()) {
    parser.get().body().data = buf.data();
    parser.get().body().size = buf.size();
    auto ec = c.run([&](auto h) { http::async_read(c.stream(), c.buffer(), parser, h); });
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t got = buf.size() - parser.get().body().size;
    received += got;
    if (ec && !(benign_end(ec) && parser.is_done())) {
      Connection::check(ec, "reading the body after " + std::to_string(received) + " bytes");
    }
    if (got == 0) continue;
    if (to_sink) {
      sink(buf.data(), got);
    } else {
      out.body.append(reinterpret_cast<const char*>(buf.data()), got);
    }
  }
  return out;
}

// ---- ServerProcess ----

ServerProcess::ServerProcess(pid_t pid, std::uint16_t port, std::filesystem::path log_file)
    : pid_(pid), port_(port), log_file_(std::move(log_file)) {}

ServerProcess::~ServerProcess() {
  if (running_) stop();
}

void ServerProcess::stop() {
  if (!running_) return;
  running_ = false;
  kill(pid_, SIGTERM);
  auto status = wait_for(pid_, kStopTimeout);
  if (!status) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    ADD_FAILURE() << "baomi serve did not stop within 30 s of SIGTERM; log:\n" << tail(log());
    return;
  }
  EXPECT_EQ(exit_code_of(*status), 0) << "baomi serve exit status after SIGTERM; log:\n"
                                      << tail(log());
}

void ServerProcess::kill9() {
  if (!running_) return;
  running_ = false;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string ServerProcess::log() const { return read_text(log_file_); }

// ---- TestInstance ----

std::unique_ptr<TestInstance> TestInstance::create() {
  std::unique_ptr<TestInstance> t(new TestInstance());
  t->root_ = std::filesystem::temp_directory_path() / ("baomi-it-" + random_suffix());
  std::filesystem::create_directories(t->root_);
  std::filesystem::permissions(t->root_, std::filesystem::perms::owner_all);
  t->data_ = t->root_ / "data";
  t->keys_ = t->root_ / "keys";
  boost::json::object pw;
  for (const char* role : {"sysadmin", "secadmin", "auditor"}) {
    t->passwords_[role] = std::string("pw-") + role + "-" + random_suffix();
    pw[role] = t->passwords_[role];
  }
  const auto pw_file = t->root_ / "admin-passwords.json";
  {
    std::ofstream out(pw_file, std::ios::binary);
    out << boost::json::serialize(pw);
  }
  std::filesystem::permissions(
      pw_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  if (test_engine() == Engine::kPostgres) {
    std::string why;
    t->database_url_ = create_postgres_database(&why);
    if (t->database_url_.empty()) fail("no PostgreSQL database for the instance: " + why);
  }
  std::vector<std::string> init{"init",          "--data",          t->data_.string(),
                                "--keys",        t->keys_.string(), "--admin-passwords",
                                pw_file.string()};
  for (auto& a : t->database_args()) init.push_back(std::move(a));
  std::string output;
  const int rc = t->run_cli(init, &output);
  if (rc != 0) fail("baomi init failed (exit " + std::to_string(rc) + "): " + output);
  return t;
}

TestInstance::~TestInstance() {
  if (std::getenv("BAOMI_KEEP_TEST_DIRS") != nullptr) return;
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
  if (on_postgres()) {
    // WITH (FORCE): a server killed by the test may leave a connection behind for a moment.
    for (const auto& db : saved_databases_) {
      (void)postgres_admin_exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
    (void)postgres_admin_exec("DROP DATABASE IF EXISTS " + database_of(database_url_) +
                              " WITH (FORCE)");
  }
}

std::vector<std::string> TestInstance::database_args() const {
  if (!on_postgres()) return {};
  return {"--database", database_url_};
}

void TestInstance::save_storage(const std::string& name) const {
  if (!on_postgres()) {
    std::filesystem::copy_file(data_ / "baomi.db", root_ / (name + ".db"),
                               std::filesystem::copy_options::overwrite_existing);
    return;
  }
  const std::string saved = database_of(database_url_) + "_" + name;
  std::string error = postgres_admin_exec("DROP DATABASE IF EXISTS " + saved);
  if (error.empty()) {
    error =
        postgres_admin_exec("CREATE DATABASE " + saved + " TEMPLATE " + database_of(database_url_));
  }
  if (!error.empty()) fail("saving the database as " + saved + ": " + error);
  saved_databases_.push_back(saved);
}

void TestInstance::restore_storage(const std::string& name) const {
  if (!on_postgres()) {
    for (const char* suffix : {"-wal", "-shm"}) {
      std::filesystem::remove(data_.string() + "/baomi.db" + suffix);
    }
    std::filesystem::copy_file(root_ / (name + ".db"), data_ / "baomi.db",
                               std::filesystem::copy_options::overwrite_existing);
    return;
  }
  const std::string db = database_of(database_url_);
  std::string error = postgres_admin_exec("DROP DATABASE " + db + " WITH (FORCE)");
  if (error.empty()) {
    error = postgres_admin_exec("CREATE DATABASE " + db + " TEMPLATE " + db + "_" + name);
  }
  if (!error.empty()) fail("restoring the database from " + db + "_" + name + ": " + error);
}

std::string TestInstance::admin_password(std::string_view role) const {
  auto it = passwords_.find(role);
  if (it == passwords_.end()) fail("no admin role " + std::string(role));
  return it->second;
}

std::unique_ptr<ServerProcess> TestInstance::start(const std::vector<std::string>& extra_args) {
  const int n = ++servers_started_;
  const auto out_file = root_ / ("serve-" + std::to_string(n) + ".out");
  const auto log_file = root_ / ("serve-" + std::to_string(n) + ".log");
  std::vector<std::string> args{binary_path(), "serve",        "--data",   data_.string(),
                                "--keys",      keys_.string(), "--listen", "127.0.0.1:0"};
  for (auto& a : database_args()) args.push_back(std::move(a));
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const int out_fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0)
    fail("cannot create the server's log files under " + root_.string());
  const pid_t pid = spawn(args, out_fd, err_fd);
  close(out_fd);
  close(err_fd);
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  for (;;) {
    if (auto port = ready_port(read_text(out_file))) {
      return std::make_unique<ServerProcess>(pid, *port, log_file);
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      fail("baomi serve exited (status " + std::to_string(exit_code_of(status)) +
           ") before it was ready; log:\n" + tail(read_text(log_file)));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      fail("baomi serve was not ready within 60 s; log:\n" + tail(read_text(log_file)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

namespace {

// `audit verify --data DIR` without --database or --remote: an offline check of DIR's storage.
bool offline_verify_of(const std::vector<std::string>& args, const std::filesystem::path& data) {
  if (args.size() < 2 || args[0] != "audit" || args[1] != "verify") return false;
  bool of_data = false;
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--database" || args[i] == "--remote") return false;
    if (args[i] == "--data" && i + 1 < args.size() && args[i + 1] == data.string()) of_data = true;
  }
  return of_data;
}

}  // namespace

int TestInstance::run_cli(const std::vector<std::string>& args, std::string* output) const {
  std::vector<std::string> argv{binary_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  if (offline_verify_of(args, data_)) {
    for (auto& a : database_args()) argv.push_back(std::move(a));
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) fail("pipe failed");
  const pid_t pid = spawn(argv, fds[1], fds[1]);
  close(fds[1]);
  std::string text;
  char buf[4096];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, 200);
    if (ready > 0) {
      const auto n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      text.append(buf, static_cast<std::size_t>(n));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      break;
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) *output = std::move(text);
  return exit_code_of(status);
}

std::string TestInstance::admin_token(HttpsClient& client, std::string_view role) const {
  std::lock_guard lock(tokens_mu_);
  auto it = tokens_.find(role);
  if (it != tokens_.end() && client.get("/api/v1/me", it->second).status == 200) return it->second;
  auto token = login(client, role, admin_password(role));
  tokens_[std::string(role)] = token;
  return token;
}

// ---- free functions ----

std::string binary_path() {
  if (const char* env = std::getenv("BAOMI_BINARY"); env && *env) return env;
  // tests/test_integration lives in <build>/tests; the executable in <build>.
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "baomi")
      .string();
}

std::string source_dir() {
  if (const char* env = std::getenv("BAOMI_SOURCE_DIR"); env && *env) return env;
  return BAOMI_SOURCE_TREE;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string out;
  auto v = rng();
  for (int i = 0; i < 12; ++i, v >>= 4) out.push_back(kHex[v & 0xf]);
  return out;
}

std::string login(HttpsClient& client, std::string_view username, std::string_view password) {
  auto r = client.post_json("/api/v1/session",
                            boost::json::object{{"username", username}, {"password", password}});
  if (r.status != 200) {
    fail("login as " + std::string(username) + ": status " + std::to_string(r.status) + " " +
         r.body);
  }
  return std::string(r.json().at("token").as_string());
}

TestUser make_user(HttpsClient& client, const TestInstance& inst, std::string_view username,
                   std::string_view role, std::string_view level,
                   const std::vector<std::string>& categories, bool pledge,
                   std::string_view department) {
  TestUser u;
  u.username = std::string(username);
  u.password = "pw-" + u.username + "-" + random_suffix();
  const auto sys = inst.admin_token(client, "sysadmin");
  auto created = client.post_json(
      "/api/v1/users",
      boost::json::object{{"username", username},
                          {"display_name", username},
                          {"department", department},
                          {"password", u.password},
                          {"roles", boost::json::array{boost::json::string(role)}}},
      sys);
  if (created.status != 201) {
    fail("creating user " + u.username + ": status " + std::to_string(created.status) + " " +
         created.body);
  }
  u.id = std::string(created.json().at("id").as_string());
  if (level != "public" || !categories.empty()) {
    boost::json::array cats;
    for (const auto& c : categories) cats.emplace_back(c);
    auto set = client.put_json("/api/v1/users/" + u.id + "/clearance",
                               boost::json::object{{"level", level}, {"categories", cats}},
                               inst.admin_token(client, "secadmin"));
    if (set.status != 200) {
      fail("setting clearance of " + u.username + ": status " + std::to_string(set.status) + " " +
           set.body);
    }
  }
  u.token = login(client, u.username, u.password);
  if (pledge) {
    auto p = client.request("POST", "/api/v1/me/pledge", {}, {{"Authorization", bearer(u.token)}});
    if (p.status != 200) {
      fail("pledge of " + u.username + ": status " + std::to_string(p.status) + " " + p.body);
    }
  }
  return u;
}

boost::json::object create_document(HttpsClient& client, const std::string& token,
                                    std::string_view title, std::string_view level,
                                    const std::vector<std::string>& categories,
                                    const boost::json::object& extra) {
  boost::json::array cats;
  for (const auto& c : categories) cats.emplace_back(c);
  boost::json::object body{{"title", title}, {"level", level}, {"categories", cats}};
  for (const auto& [k, v] : extra) body[k] = v;
  auto r = client.post_json("/api/v1/documents", body, token);
  if (r.status != 201) {
    fail("creating document '" + std::string(title) + "': status " + std::to_string(r.status) +
         " " + r.body);
  }
  return r.json().as_object();
}

boost::json::object upload_content(HttpsClient& client, const std::string& token,
                                   const std::string& doc_id, std::string_view content,
                                   std::string_view content_type) {
  auto r = client.request(
      "PUT", "/api/v1/documents/" + doc_id + "/content", content,
      {{"Authorization", bearer(token)}, {"Content-Type", std::string(content_type)}});
  if (r.status != 200) {
    fail("uploading content of " + doc_id + ": status " + std::to_string(r.status) + " " + r.body);
  }
  return r.json().as_object();
}

std::vector<boost::json::object> audit_entries(HttpsClient& client, const TestInstance& inst,
                                               std::string_view query) {
  const auto token = inst.admin_token(client, "auditor");
  std::vector<boost::json::object> out;
  std::string cursor;
  for (;;) {
    std::string target = "/api/v1/audit?limit=500";
    if (!query.empty()) target += "&" + std::string(query);
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto r = client.get(target, token);
    if (r.status != 200)
      fail("GET " + target + ": status " + std::to_string(r.status) + " " + r.body);
    auto page = r.json().as_object();
    for (const auto& item : page.at("items").as_array()) out.push_back(item.as_object());
    const auto& next = page.at("next_cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  return out;
}

}  // namespace baomi::testing
