#include "multi/cluster.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace baomi::testing {
namespace {

namespace fs = std::filesystem;

constexpr auto kStartTimeout = std::chrono::seconds(60);

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what); }

// A child with stdout/stderr in files (the harness's spawn), killed when the test's thread ends.
pid_t spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out_fd < 0 || err_fd < 0) fail("cannot create " + out.string());
  const pid_t pid = baomi::testing::spawn(args, out_fd, err_fd);
  close(out_fd);
  close(err_fd);
  return pid;
}

// Runs a command to its end; its exit code, and stdout+stderr in `output`.
int run(const std::vector<std::string>& args, const fs::path& scratch, std::string* output) {
  const auto out = scratch / ("cmd-" + random_suffix() + ".out");
  const pid_t pid = spawn(args, out, out.string() + ".err");
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) *output = read_text(out) + read_text(out.string() + ".err");
  fs::remove(out);
  fs::remove(out.string() + ".err");
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::uint16_t free_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    fail("no free loopback port");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool exited(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

bool eventually(const std::function<bool()>& pred, int seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  for (;;) {
    if (pred()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

// ---- Balancer ----

Balancer::Balancer(const fs::path& dir, const std::vector<std::uint16_t>& backends,
                   bool proxy_protocol) {
  // The probed port may be taken before HAProxy binds it: try a few.
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (try_start(dir, backends, proxy_protocol)) return;
  }
  fail("haproxy did not start; log:\n" + tail(log()));
}

bool Balancer::try_start(const fs::path& dir, const std::vector<std::uint16_t>& backends,
                         bool proxy_protocol) {
  port_ = free_port();
  const auto cfg = dir / "haproxy.cfg";
  log_file_ = dir / "haproxy.log";
  {
    // As deploy/haproxy.cfg, with short check intervals so that tests need not wait long.
    std::ofstream out(cfg);
    out << "global\n  maxconn 4096\n"
           "defaults\n  mode tcp\n  timeout connect 5s\n  timeout client 300s\n"
           "  timeout server 300s\n  retries 3\n  option redispatch\n"
           "frontend baomi\n  bind 127.0.0.1:"
        << port_
        << "\n  default_backend baomi_nodes\n"
           "backend baomi_nodes\n  balance roundrobin\n"
           "  option httpchk\n  http-check send meth GET uri /healthz\n"
           "  http-check expect status 200\n"
           "  default-server check check-ssl verify none inter 300ms fall 2 rise 2\n";
    for (std::size_t i = 0; i < backends.size(); ++i) {
      out << "  server node" << i << " 127.0.0.1:" << backends[i]
          << (proxy_protocol ? " send-proxy-v2" : "") << "\n";
    }
  }
  pid_ = spawn({"haproxy", "-db", "-f", cfg.string()}, dir / "haproxy.out", log_file_);
  // Ready when a TLS request through it reaches a node.
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (exited(pid_)) {
      pid_ = -1;
      return false;
    }
    try {
      if (HttpsClient(port_).get("/healthz").status == 200) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  fail("haproxy was not ready within 60 s; log:\n" + tail(log()));
}

Balancer::~Balancer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  waitpid(pid_, nullptr, 0);
}

std::string Balancer::log() const { return read_text(log_file_); }

// ---- Cluster ----

std::unique_ptr<Cluster> Cluster::create(std::string database_url) {
  std::unique_ptr<Cluster> c(new Cluster());
  c->database_url_ = std::move(database_url);
  c->root_ = fs::temp_directory_path() / ("baomi-multi-" + random_suffix());
  fs::create_directories(c->root_);
  fs::permissions(c->root_, fs::perms::owner_all);
  c->data_ = c->root_ / "data";
  c->keys_ = c->root_ / "keys";
  boost::json::object pw;
  for (const char* role : {"sysadmin", "secadmin", "auditor"}) {
    c->passwords_[role] = std::string("pw-") + role + "-" + random_suffix();
    pw[role] = c->passwords_[role];
  }
  const auto pw_file = c->root_ / "admin-passwords.json";
  std::ofstream(pw_file, std::ios::binary) << boost::json::serialize(pw);
  fs::permissions(pw_file, fs::perms::owner_read | fs::perms::owner_write);
  std::string output;
  const int rc =
      run({binary_path(), "init", "--data", c->data_.string(), "--keys", c->keys_.string(),
           "--database", c->database_url_, "--admin-passwords", pw_file.string()},
          c->root_, &output);
  if (rc != 0) fail("baomi init --database failed (exit " + std::to_string(rc) + "): " + output);
  return c;
}

Cluster::~Cluster() {
  balancer_.reset();
  nodes_.clear();
  if (std::getenv("BAOMI_KEEP_TEST_DIRS") != nullptr) return;
  std::error_code ec;
  fs::remove_all(root_, ec);
}

std::size_t Cluster::start_node(const std::vector<std::string>& extra_args) {
  const std::size_t n = nodes_.size();
  const auto dir = root_ / ("node" + std::to_string(n) + "-" + random_suffix());
  fs::create_directories(dir);
  // The deployment: DATA (the policy) and KEYS copied to each machine, permissions kept.
  fs::copy(data_, dir / "data", fs::copy_options::recursive);
  fs::copy(keys_, dir / "keys", fs::copy_options::recursive);
  std::vector<std::string> args{binary_path(), "serve",
                                "--data",      (dir / "data").string(),
                                "--keys",      (dir / "keys").string(),
                                "--database",  database_url_,
                                "--listen",    "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const auto out = dir / "serve.out";
  const auto log = dir / "serve.log";
  const pid_t pid = spawn(args, out, log);
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  const std::string marker = "serving https://127.0.0.1:";
  for (;;) {
    const auto text = read_text(out);
    if (const auto at = text.find(marker);
        at != std::string::npos && text.find('\n') != std::string::npos) {
      const auto port = static_cast<std::uint16_t>(std::stoi(text.substr(at + marker.size())));
      nodes_.push_back(std::make_unique<ServerProcess>(pid, port, log));
      return n;
    }
    if (exited(pid)) fail("baomi serve exited before it was ready; log:\n" + tail(read_text(log)));
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
      fail("baomi serve was not ready within 60 s; log:\n" + tail(read_text(log)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Cluster::start_balancer(bool proxy_protocol) {
  std::vector<std::uint16_t> ports;
  for (const auto& n : nodes_) ports.push_back(n->port());
  balancer_ = std::make_unique<Balancer>(root_, ports, proxy_protocol);
}

std::string Cluster::admin_token(HttpsClient& client, const std::string& role) const {
  std::lock_guard lock(tokens_mu_);
  auto it = tokens_.find(role);
  if (it != tokens_.end() && client.get("/api/v1/me", it->second).status == 200) return it->second;
  auto token = login(client, role, admin_password(role));
  tokens_[role] = token;
  return token;
}

int Cluster::run_cli(std::vector<std::string> args, std::string* output) const {
  args.insert(args.begin(), binary_path());
  for (const auto& a : {std::string("--data"), data_.string(), std::string("--keys"),
                        keys_.string(), std::string("--database"), database_url_}) {
    args.push_back(a);
  }
  return run(args, root_, output);
}

TestUser make_cluster_user(HttpsClient& client, const Cluster& cluster, const std::string& username,
                           const std::string& role, const std::string& level,
                           const std::vector<std::string>& categories) {
  TestUser u;
  u.username = username;
  u.password = "pw-" + username + "-" + random_suffix();
  auto created = client.post_json(
      "/api/v1/users",
      boost::json::object{{"username", username},
                          {"display_name", username},
                          {"department", "general_cs"},
                          {"password", u.password},
                          {"roles", boost::json::array{boost::json::string(role)}}},
      cluster.admin_token(client, "sysadmin"));
  if (created.status != 201) fail("creating user " + username + ": " + created.body);
  u.id = std::string(created.json().at("id").as_string());
  boost::json::array cats;
  for (const auto& c : categories) cats.emplace_back(c);
  auto set = client.put_json("/api/v1/users/" + u.id + "/clearance",
                             boost::json::object{{"level", level}, {"categories", cats}},
                             cluster.admin_token(client, "secadmin"));
  if (set.status != 200) fail("clearance of " + username + ": " + set.body);
  u.token = login(client, u.username, u.password);
  auto p =
      client.request("POST", "/api/v1/me/pledge", {}, {{"Authorization", "Bearer " + u.token}});
  if (p.status != 200) fail("pledge of " + username + ": " + p.body);
  return u;
}

std::vector<boost::json::object> cluster_audit_entries(HttpsClient& client, const Cluster& cluster,
                                                       const std::string& query) {
  const auto token = cluster.admin_token(client, "auditor");
  std::vector<boost::json::object> out;
  std::string cursor;
  for (;;) {
    std::string target = "/api/v1/audit?limit=500";
    if (!query.empty()) target += "&" + query;
    if (!cursor.empty()) target += "&cursor=" + cursor;
    auto r = client.get(target, token);
    if (r.status != 200) fail("GET " + target + ": " + std::to_string(r.status) + " " + r.body);
    auto page = r.json().as_object();
    for (const auto& item : page.at("items").as_array()) out.push_back(item.as_object());
    const auto& next = page.at("next_cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.at("seq").template to_number<std::uint64_t>() <
           b.at("seq").template to_number<std::uint64_t>();
  });
  return out;
}

// ---- ScratchPostgres ----

ScratchPostgres::ScratchPostgres()
    : dir_(fs::temp_directory_path() / ("baomi-multi-pg-" + random_suffix())) {
  std::string output;
  const int rc =
      run({BAOMI_PG_SCRATCH_SCRIPT, "start", dir_.string()}, fs::temp_directory_path(), &output);
  if (rc != 0) fail("pg-scratch.sh start failed: " + output);
  std::getline(std::ifstream(dir_ / "url"), url_);
  if (url_.empty()) fail("pg-scratch.sh wrote no URL");
}

ScratchPostgres::~ScratchPostgres() {
  std::string output;
  (void)run({BAOMI_PG_SCRATCH_SCRIPT, "stop", dir_.string()}, fs::temp_directory_path(), &output);
}

std::string ScratchPostgres::create_database() {
  const std::string name = "m_" + random_suffix();
  std::string output;
  const std::string psql = bindir() + "/psql";
  const int rc =
      run({psql, url_, "-qc", "CREATE DATABASE " + name}, fs::temp_directory_path(), &output);
  if (rc != 0) fail("CREATE DATABASE failed: " + output);
  return url_.substr(0, url_.rfind('/')) + "/" + name;
}

std::string ScratchPostgres::bindir() const {
  const std::string text = read_text(dir_ / "bindir");
  return text.substr(0, text.find('\n'));
}

int ScratchPostgres::pg_ctl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv;
  // As pg-scratch.sh: as root, the cluster belongs to the system user baomi-pg.
  if (getuid() == 0) argv = {"runuser", "-u", "baomi-pg", "--"};
  argv.push_back(bindir() + "/pg_ctl");
  argv.push_back("-D");
  argv.push_back((dir_ / "data").string());
  argv.insert(argv.end(), args.begin(), args.end());
  std::string output;
  return run(argv, fs::temp_directory_path(), &output);
}

void ScratchPostgres::stop_server() {
  if (pg_ctl({"-m", "fast", "-w", "stop"}) != 0) fail("pg_ctl stop failed");
}

void ScratchPostgres::start_server() {
  const auto colon = url_.rfind(':');
  const std::string port = url_.substr(colon + 1, url_.find('/', colon) - colon - 1);
  const auto log = (dir_ / "data" / "server.log").string();
  if (pg_ctl({"-o", "-p " + port, "-l", log, "-w", "-t", "60", "start"}) != 0) {
    fail("pg_ctl start failed on port " + port);
  }
}

}  // namespace baomi::testing
