#include "storage/lease.h"

#include <charconv>

#include "storage/meta.h"

namespace baomi::storage {
namespace {

struct Term {
  std::string holder;
  std::int64_t until_us = 0;
};

// "<holder>\n<expiry in µs since the epoch>"
Bytes encode_term(const Term& t) {
  const auto text = t.holder + "\n" + std::to_string(t.until_us);
  return Bytes(text.begin(), text.end());
}

std::optional<Term> decode_term(const Bytes& bytes) {
  const std::string text(bytes.begin(), bytes.end());
  const auto nl = text.find('\n');
  if (nl == std::string::npos) return std::nullopt;
  Term t;
  t.holder = text.substr(0, nl);
  const char* first = text.data() + nl + 1;
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, t.until_us);
  if (ec != std::errc() || end != last) return std::nullopt;
  return t;
}

}  // namespace

Lease::Lease(Store& store, std::string duty, std::string holder, std::chrono::seconds ttl)
    : store_(store), key_("lease." + std::move(duty)), holder_(std::move(holder)), ttl_(ttl) {}

Result<bool> Lease::acquire(TimePoint now) {
  bool held = false;
  BAOMI_TRY(store_.write([&](WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto stored, get_meta(tx, key_));
    // An unreadable entry is treated as free: the lease only schedules work, it grants nothing.
    const auto term = stored ? decode_term(*stored) : std::nullopt;
    if (term && term->holder != holder_ && term->until_us > to_micros(now)) return {};
    held = true;
    return put_meta(tx, key_, encode_term({holder_, to_micros(now + ttl_)}));
  }));
  return held;
}

Result<bool> Lease::runs(ReadTx& tx, const std::string& duty, const std::string& holder,
                         TimePoint now) {
  BAOMI_ASSIGN_OR_RETURN(auto stored, get_meta(tx, "lease." + duty));
  const auto term = stored ? decode_term(*stored) : std::nullopt;
  return term && term->holder == holder && term->until_us > to_micros(now);
}

Result<void> Lease::release() {
  return store_.write([&](WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto stored, get_meta(tx, key_));
    const auto term = stored ? decode_term(*stored) : std::nullopt;
    if (!term || term->holder != holder_) return {};
    return put_meta(tx, key_, encode_term({holder_, 0}));
  });
}

}  // namespace baomi::storage
