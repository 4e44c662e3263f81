#include "http/server/server_shared.h"

namespace baomi::http::detail {

bool ServerShared::add(const std::shared_ptr<Session>& s) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;  // the limiter already bounds how many there are
  sessions_.emplace(s.get(), s);
  connections_total.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void ServerShared::remove(Session* s) {
  {
    std::lock_guard lock(mu_);
    sessions_.erase(s);
  }
  cv_.notify_all();
}

std::size_t ServerShared::count() {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ServerShared::snapshot() {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mu_);
  for (auto& [raw, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

void ServerShared::begin_stop() {
  std::lock_guard lock(mu_);
  stopping_ = true;
}

bool ServerShared::wait_empty(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [this] { return sessions_.empty(); });
}

}  // namespace baomi::http::detail
