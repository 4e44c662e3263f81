// The multi-instance test harness (issue 13, part 3): one Baomi instance in a PostgreSQL
// database, served by several `baomi serve` processes (nodes) behind a real HAProxy.
// Each node gets its own copy of the instance's DATA and key directories, as an operator would
// deploy them on several machines (docs/operations.md, "Several instances"); every node names
// the same --database. HAProxy passes TLS through (mode tcp) and balances round robin, taking a
// node out when its /healthz check fails. The client talks HTTPS to the balancer's port.
// ScratchPostgres is a private PostgreSQL cluster (scripts/pg-scratch.sh) that a fault test may
// stop and start again on the same port without disturbing the shared ctest fixture.
// Thread-safety: as harness.h: one thread (the test's) drives a Cluster; admin_token() is
// guarded. Failures throw std::runtime_error with the reason (GoogleTest reports it).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "integration/harness.h"

namespace baomi::testing {

// A `haproxy` child in the foreground, TLS passthrough, round robin over `backends`.
class Balancer {
 public:
  // `proxy_protocol`: send each connection's client address first (send-proxy-v2).
  Balancer(const std::filesystem::path& dir, const std::vector<std::uint16_t>& backends,
           bool proxy_protocol = false);
  ~Balancer();
  Balancer(const Balancer&) = delete;
  Balancer& operator=(const Balancer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string log() const;

 private:
  bool try_start(const std::filesystem::path& dir, const std::vector<std::uint16_t>& backends,
                 bool proxy_protocol);
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::filesystem::path log_file_;
};

class Cluster {
 public:
  // Runs `baomi init --database database_url` (an empty database) in a fresh temp directory.
  static std::unique_ptr<Cluster> create(std::string database_url);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Starts one more node (`baomi serve` on a copy of DATA and KEYS) and returns its index.
  std::size_t start_node(const std::vector<std::string>& extra_args = {});
  ServerProcess& node(std::size_t i) { return *nodes_.at(i); }
  std::size_t nodes() const { return nodes_.size(); }
  // HAProxy over every node started so far; waits until it answers /healthz.
  void start_balancer(bool proxy_protocol = false);
  Balancer& balancer() { return *balancer_; }
  // Through the balancer, from `source` (any 127/8 address; "" lets the kernel choose).
  HttpsClient client(const std::string& source = {}) const {
    return HttpsClient(balancer_->port(), source);
  }
  HttpsClient direct(std::size_t i) const { return HttpsClient(nodes_.at(i)->port()); }

  const std::string& database_url() const { return database_url_; }
  const std::filesystem::path& root() const { return root_; }
  std::string admin_password(const std::string& role) const { return passwords_.at(role); }
  std::string admin_token(HttpsClient& client, const std::string& role) const;
  // `baomi ARGS --data DATA --keys KEYS --database URL` of the original instance.
  int run_cli(std::vector<std::string> args, std::string* output = nullptr) const;

 private:
  Cluster() = default;
  std::filesystem::path root_, data_, keys_;
  std::string database_url_;
  std::map<std::string, std::string> passwords_;
  std::vector<std::unique_ptr<ServerProcess>> nodes_;
  std::unique_ptr<Balancer> balancer_;
  mutable std::mutex tokens_mu_;
  mutable std::map<std::string, std::string> tokens_;
};

// A business user made through `client` (any node or the balancer), like make_user().
TestUser make_cluster_user(HttpsClient& client, const Cluster& cluster, const std::string& username,
                           const std::string& role, const std::string& level,
                           const std::vector<std::string>& categories);

// Every audit entry matching `query` (e.g. "action=x"), all pages, sorted by seq.
std::vector<boost::json::object> cluster_audit_entries(HttpsClient& client, const Cluster& cluster,
                                                       const std::string& query = {});

// A PostgreSQL cluster of this test's own (scripts/pg-scratch.sh start DIR), removed at the end.
class ScratchPostgres {
 public:
  ScratchPostgres();
  ~ScratchPostgres();
  ScratchPostgres(const ScratchPostgres&) = delete;
  ScratchPostgres& operator=(const ScratchPostgres&) = delete;

  const std::string& admin_url() const { return url_; }
  // A new empty database's URL.
  std::string create_database();
  // pg_ctl stop -m fast; then start again on the same port.
  void stop_server();
  void start_server();

 private:
  std::string bindir() const;  // of pg_ctl and psql
  int pg_ctl(const std::vector<std::string>& args) const;
  std::filesystem::path dir_;
  std::string url_;
};

// Polls `pred` every 100 ms until it is true or `seconds` pass; returns its last answer.
bool eventually(const std::function<bool()>& pred, int seconds = 60);

}  // namespace baomi::testing
