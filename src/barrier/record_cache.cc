#include "barrier/record_cache.h"

#include <iterator>
#include <variant>

namespace baomi::barrier {

RecordCache::RecordCache(Limits limits) : limits_(limits) {
  if (limits_.max_entries == 0) limits_.max_entries = 1;
}

std::size_t RecordCache::size_of(const storage::Row& row) {
  std::size_t n = sizeof(storage::Row) + row.size() * sizeof(storage::Value);
  for (const auto& v : row) {
    if (const auto* s = std::get_if<std::string>(&v)) n += s->size();
    if (const auto* b = std::get_if<Bytes>(&v)) n += b->size();
  }
  return n;
}

std::shared_ptr<const RecordCache::Kept> RecordCache::find(const void* type, const std::string& key,
                                                           const storage::Row& row) {
  std::shared_ptr<const Kept> kept;
  {
    std::lock_guard lock(mu_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second.at);
      kept = it->second.kept;
    }
  }
  // Only the very row that was verified, and not too long ago: otherwise it is opened and
  // checked afresh.
  if (!kept || kept->type != type || kept->row != row ||
      std::chrono::steady_clock::now() - kept->kept_at > limits_.max_age) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return kept;
}

void RecordCache::keep(const void* type, const std::string& key, storage::Row row,
                       std::shared_ptr<const void> record) {
  auto kept = std::make_shared<Kept>();
  kept->type = type;
  kept->bytes = 2 * (size_of(row) + key.size());
  if (kept->bytes > limits_.max_bytes / 4) return;
  kept->row = std::move(row);
  kept->record = std::move(record);
  kept->kept_at = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) drop_locked(it);
  while (!order_.empty() &&
         (index_.size() >= limits_.max_entries || bytes_ + kept->bytes > limits_.max_bytes)) {
    drop_locked(index_.find(order_.back()));
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
  order_.push_front(key);
  bytes_ += kept->bytes;
  index_.emplace(key, Slot{std::move(kept), order_.begin()});
}

void RecordCache::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) drop_locked(it);
}

void RecordCache::clear() {
  std::lock_guard lock(mu_);
  index_.clear();
  order_.clear();
  bytes_ = 0;
}

std::size_t RecordCache::expire(std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mu_);
  std::size_t dropped = 0;
  for (auto it = index_.begin(); it != index_.end();) {
    auto next = std::next(it);
    if (now - it->second.kept->kept_at > limits_.max_age) {
      drop_locked(it);
      ++dropped;
    }
    it = next;
  }
  evictions_.fetch_add(dropped, std::memory_order_relaxed);
  return dropped;
}

void RecordCache::drop_locked(std::unordered_map<std::string, Slot>::iterator it) {
  bytes_ -= it->second.kept->bytes;
  order_.erase(it->second.at);
  index_.erase(it);
}

RecordCacheStats RecordCache::stats() const {
  RecordCacheStats s;
  s.hits = hits_.load(std::memory_order_relaxed);
  s.misses = misses_.load(std::memory_order_relaxed);
  s.evictions = evictions_.load(std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  s.entries = index_.size();
  s.bytes = bytes_;
  return s;
}

}  // namespace baomi::barrier
