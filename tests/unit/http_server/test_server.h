// Test-only: a real Server on 127.0.0.1 (free port) with a self-signed certificate and the
// routes in test_server.cc, plus a thread-safe access-log collector.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/server/server.h"

namespace baomi::http::testing {

class LogCollector {
 public:
  AccessLogSink sink() {
    return [this](const AccessLogRecord& r) {
      std::lock_guard lock(mu_);
      records_.push_back(r);
    };
  }
  std::vector<AccessLogRecord> records() {
    std::lock_guard lock(mu_);
    return records_;
  }

 private:
  std::mutex mu_;
  std::vector<AccessLogRecord> records_;
};

// Generated once per test process in a temporary directory.
const std::filesystem::path& test_cert_dir();

std::shared_ptr<const Router> make_test_router();

// The refusal log's lines, thread-safe.
class LineCollector {
 public:
  std::function<void(const std::string&)> sink() {
    return [this](const std::string& line) {
      std::lock_guard lock(mu_);
      lines_.push_back(line);
    };
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> lines_;
};

class TestServer {
 public:
  // shutdown_grace: how long stop() lets busy connections finish before closing them.
  explicit TestServer(Limits limits = {}, int worker_threads = 8,
                      std::chrono::seconds shutdown_grace = std::chrono::seconds(2));
  ~TestServer();
  std::uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }
  LogCollector& log() { return log_; }
  LineCollector& refusals() { return refusals_; }

 private:
  LogCollector log_;
  LineCollector refusals_;
  std::unique_ptr<Server> server_;
};

}  // namespace baomi::http::testing
