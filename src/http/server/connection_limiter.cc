#include "http/server/connection_limiter.h"

#include <boost/asio/ip/address_v6.hpp>

namespace baomi::http {

std::string source_key(const boost::asio::ip::address& address) {
  if (address.is_v4()) return address.to_string();
  const auto v6 = address.to_v6();
  if (v6.is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, v6).to_string();
  }
  auto bytes = v6.to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;
  return boost::asio::ip::address_v6(bytes).to_string() + "/64";
}

ConnectionLimiter::Slot::Slot(Slot&& other) noexcept
    : owner_(other.owner_), source_(std::move(other.source_)) {
  other.owner_ = nullptr;
}

ConnectionLimiter::Slot& ConnectionLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    source_ = std::move(other.source_);
    other.owner_ = nullptr;
  }
  return *this;
}

void ConnectionLimiter::Slot::release() {
  if (owner_) owner_->release(source_);
  owner_ = nullptr;
}

ConnectionLimiter::Admission ConnectionLimiter::admit(const std::string& source) {
  std::lock_guard lock(mu_);
  // The source's own cap first: an attacker at its cap is told so even when the server is full.
  auto it = per_source_.find(source);
  const std::size_t held = it == per_source_.end() ? 0 : it->second;
  if (held >= max_per_source_) return {Slot(), Refusal::kPerAddressCap};
  if (open_ >= max_total_) return {Slot(), Refusal::kServerFull};
  ++open_;
  ++per_source_[source];
  return {Slot(this, source), std::nullopt};
}

void ConnectionLimiter::release(const std::string& source) {
  std::lock_guard lock(mu_);
  --open_;
  auto it = per_source_.find(source);
  if (it != per_source_.end() && --it->second == 0) per_source_.erase(it);
}

std::size_t ConnectionLimiter::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

std::size_t ConnectionLimiter::open_from(const std::string& source) const {
  std::lock_guard lock(mu_);
  auto it = per_source_.find(source);
  return it == per_source_.end() ? 0 : it->second;
}

std::size_t ConnectionLimiter::sources() const {
  std::lock_guard lock(mu_);
  return per_source_.size();
}

}  // namespace baomi::http
