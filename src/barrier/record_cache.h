// RecordCache: records this process has opened and verified, kept so that reading the same
// unchanged row again skips the MAC computation, the data-key unwrap, the decryption and the
// parsing (issue 14: these were most of an authorised small read's CPU).
//
// A kept record is never trusted on its own. Records<T> uses one only when the row it fetched
// from the store for this very read is byte for byte the row the record was opened from: equal
// bytes MAC-check exactly as they did (so an edited row is a miss, and then fails its MAC as
// before), and the ledger check (I1: a genuine but older row put back) still runs on every read
// against the row as stored now. So the check against the store, not the cache, decides; a write
// by another server process (or straight through another Store) changes the stored row and the
// next read here misses. Writes through this process forget the record at once as well, so its
// plaintext does not outlive it here.
//
// Bounded by entries and by bytes (least recently used first out), and by age: a record kept
// longer than max_age is opened afresh, and expire() (every few seconds in a serving process)
// drops such records even when nobody reads them, so plaintext another process has since
// changed or destroyed (H3, crypto-shredding) does not linger here for longer than that.
// Plaintext stays in this process's memory only, never on disk. Only record types that declare
// themselves cached (RecordType::cached) are kept, and shreddable ones never are. Thread-safe: one
// mutex around the index; rows are compared outside it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/table.h"

namespace baomi::barrier {

struct RecordCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;     // a cached type's record read, not kept or kept from another row
  std::uint64_t evictions = 0;  // forgotten to make room, or for their age
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

class RecordCache {
 public:
  struct Limits {
    std::size_t max_entries = 8192;
    std::size_t max_bytes = 32u << 20;  // rows plus their opened records, approximately
    std::chrono::steady_clock::duration max_age = std::chrono::seconds(60);
  };
  // What is kept of one record: the row as verified, and the record opened from it.
  struct Kept {
    const void* type = nullptr;  // the RecordType that opened it
    storage::Row row;
    std::shared_ptr<const void> record;
    std::size_t bytes = 0;
    std::chrono::steady_clock::time_point kept_at;
  };

  RecordCache() : RecordCache(Limits{}) {}
  explicit RecordCache(Limits limits);

  // The record `type` opened from exactly `row` under `key` (table name and ledger key), or
  // nullptr. Counts a hit or a miss.
  std::shared_ptr<const Kept> find(const void* type, const std::string& key,
                                   const storage::Row& row);
  // Keeps (or replaces) the record opened from `row`. Its size is taken as twice the row's (the
  // opened values are about as large as the sealed ones); one larger than a quarter of the byte
  // bound is not kept.
  void keep(const void* type, const std::string& key, storage::Row row,
            std::shared_ptr<const void> record);
  // A write of the record under `key`: forget what is kept of it.
  void forget(const std::string& key);
  // Forgets everything (e.g. when the keyring changes).
  void clear();
  // Forgets every record kept for longer than max_age at `now`; returns how many.
  std::size_t expire(std::chrono::steady_clock::time_point now);

  RecordCacheStats stats() const;

  // The approximate size of a row's values, for the byte bound.
  static std::size_t size_of(const storage::Row& row);

 private:
  using Order = std::list<std::string>;  // most recently used first
  struct Slot {
    std::shared_ptr<const Kept> kept;
    Order::iterator at;
  };
  void drop_locked(std::unordered_map<std::string, Slot>::iterator it);

  Limits limits_;
  mutable std::mutex mu_;
  Order order_;
  std::unordered_map<std::string, Slot> index_;
  std::size_t bytes_ = 0;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
  std::atomic<std::uint64_t> evictions_{0};
};

}  // namespace baomi::barrier
