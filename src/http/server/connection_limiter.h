// ConnectionLimiter: admission of new connections. At most `max_total` are open at once and at
// most `max_per_source` from one source, so that one client (or one attacker) cannot take every
// connection the server has. Each admitted connection holds a Slot; destroying the Slot frees
// its place. Thread-safe; Slots may be destroyed on any thread but must not outlive the limiter.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/server/refusal.h"

namespace baomi::http {

// The source a connection is counted under: an IPv4 address (also when IPv4-mapped), or the /64
// prefix of an IPv6 address, since one IPv6 customer network usually owns a whole /64 and could
// otherwise rotate through its addresses.
std::string source_key(const boost::asio::ip::address& address);

class ConnectionLimiter {
 public:
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) noexcept;
    ~Slot() { release(); }
    explicit operator bool() const { return owner_ != nullptr; }
    const std::string& source() const { return source_; }
    void release();

   private:
    friend class ConnectionLimiter;
    Slot(ConnectionLimiter* owner, std::string source)
        : owner_(owner), source_(std::move(source)) {}
    ConnectionLimiter* owner_ = nullptr;
    std::string source_;
  };

  struct Admission {
    Slot slot;                       // empty when refused
    std::optional<Refusal> refused;  // kServerFull or kPerAddressCap
  };

  ConnectionLimiter(std::size_t max_total, std::size_t max_per_source)
      : max_total_(max_total), max_per_source_(max_per_source) {}
  ConnectionLimiter(const ConnectionLimiter&) = delete;
  ConnectionLimiter& operator=(const ConnectionLimiter&) = delete;

  Admission admit(const std::string& source);
  std::size_t open() const;
  std::size_t open_from(const std::string& source) const;
  std::size_t sources() const;  // sources holding at least one connection

 private:
  void release(const std::string& source);

  const std::size_t max_total_;
  const std::size_t max_per_source_;
  mutable std::mutex mu_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> per_source_;  // only sources with open > 0
};

}  // namespace baomi::http
