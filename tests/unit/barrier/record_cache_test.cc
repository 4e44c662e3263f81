// RecordCache (issue 14): a kept record is handed out only for the very row it was opened from
// and by the type that opened it; it stays within its bounds (entries and bytes, least recently
// used out); a write forgets it. Declarations that would let a cached record outlive what makes
// it valid (a shreddable record, one sealed under a parent's key) fail when they are made.
#include "barrier/record_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "barrier/record_type.h"
#include "barrier/records.h"  // parent_data_key opens the parent through Records<P>

namespace baomi::barrier {
namespace {

struct Item {
  std::string id;
  std::string secret;
};

storage::Row row_of(const std::string& id, const std::string& mac, std::size_t padding = 0) {
  return storage::Row{id, Bytes(padding, 0x5a), mac};
}

std::shared_ptr<const void> item(const std::string& secret) {
  return std::make_shared<const Item>(Item{"x", secret});
}

const Item& as_item(const std::shared_ptr<const RecordCache::Kept>& kept) {
  return *static_cast<const Item*>(kept->record.get());
}

const int kType = 0, kOtherType = 0;

TEST(RecordCacheTest, AKeptRecordIsHandedOutOnlyForTheVeryRowItWasOpenedFrom) {
  RecordCache cache;
  cache.keep(&kType, "items/a", row_of("a", "mac-1"), item("one"));
  auto hit = cache.find(&kType, "items/a", row_of("a", "mac-1"));
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(as_item(hit).secret, "one");
  // Another MAC, another byte anywhere in the row, another type: not this record.
  EXPECT_EQ(cache.find(&kType, "items/a", row_of("a", "mac-2")), nullptr);
  EXPECT_EQ(cache.find(&kType, "items/a", row_of("a", "mac-1", 1)), nullptr);
  EXPECT_EQ(cache.find(&kOtherType, "items/a", row_of("a", "mac-1")), nullptr);
  EXPECT_EQ(cache.find(&kType, "items/b", row_of("a", "mac-1")), nullptr);
  const auto s = cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 4u);
  EXPECT_EQ(s.entries, 1u);
}

TEST(RecordCacheTest, AWriteForgetsAndAKeepReplaces) {
  RecordCache cache;
  cache.keep(&kType, "k", row_of("a", "mac-1"), item("one"));
  cache.keep(&kType, "k", row_of("a", "mac-2"), item("two"));
  EXPECT_EQ(cache.stats().entries, 1u);
  EXPECT_EQ(cache.find(&kType, "k", row_of("a", "mac-1")), nullptr);
  ASSERT_NE(cache.find(&kType, "k", row_of("a", "mac-2")), nullptr);
  cache.forget("k");
  EXPECT_EQ(cache.find(&kType, "k", row_of("a", "mac-2")), nullptr);
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().bytes, 0u);
  cache.keep(&kType, "k", row_of("a", "mac-3"), item("three"));
  cache.clear();
  EXPECT_EQ(cache.find(&kType, "k", row_of("a", "mac-3")), nullptr);
}

TEST(RecordCacheTest, StaysWithinItsEntriesLeastRecentlyUsedFirstOut) {
  RecordCache cache(RecordCache::Limits{3, 1u << 20});
  for (const char* k : {"a", "b", "c"}) cache.keep(&kType, k, row_of(k, "m"), item(k));
  ASSERT_NE(cache.find(&kType, "a", row_of("a", "m")), nullptr);  // a is now the most recent
  cache.keep(&kType, "d", row_of("d", "m"), item("d"));
  EXPECT_EQ(cache.stats().entries, 3u);
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_EQ(cache.find(&kType, "b", row_of("b", "m")), nullptr) << "the least recent goes";
  EXPECT_NE(cache.find(&kType, "a", row_of("a", "m")), nullptr);
  EXPECT_NE(cache.find(&kType, "c", row_of("c", "m")), nullptr);
  EXPECT_NE(cache.find(&kType, "d", row_of("d", "m")), nullptr);
}

TEST(RecordCacheTest, StaysWithinItsBytesAndKeepsNoRecordTooLargeForThem) {
  constexpr std::size_t kBytes = 64 * 1024;
  RecordCache cache(RecordCache::Limits{1000, kBytes});
  for (int i = 0; i < 100; ++i) {
    const auto k = std::to_string(i);
    cache.keep(&kType, k, row_of(k, "m", 1000), item(k));
    EXPECT_LE(cache.stats().bytes, kBytes);
  }
  EXPECT_LT(cache.stats().entries, 100u);
  EXPECT_GT(cache.stats().evictions, 0u);
  EXPECT_NE(cache.find(&kType, "99", row_of("99", "m", 1000)), nullptr) << "the newest stays";
  cache.keep(&kType, "huge", row_of("huge", "m", kBytes), item("huge"));
  EXPECT_EQ(cache.find(&kType, "huge", row_of("huge", "m", kBytes)), nullptr);
}

std::string owner(const Item& i) { return "item:" + i.id; }

// H3: plaintext another process has since changed or shredded does not stay in this one's
// memory for longer than max_age, read or not.
TEST(RecordCacheTest, RecordsOlderThanTheirMaxAgeAreOpenedAfreshAndExpire_H3) {
  RecordCache cache;
  cache.keep(&kType, "items/a", row_of("a", "mac-1"), item("one"));
  cache.keep(&kType, "items/b", row_of("b", "mac-1"), item("two"));
  const auto now = std::chrono::steady_clock::now();
  EXPECT_EQ(cache.expire(now), 0u);  // young records stay
  EXPECT_NE(cache.find(&kType, "items/a", row_of("a", "mac-1")), nullptr);
  EXPECT_EQ(cache.expire(now + std::chrono::seconds(61)), 2u);
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().bytes, 0u);
  EXPECT_EQ(cache.find(&kType, "items/a", row_of("a", "mac-1")), nullptr);

  // A read of a record older than max_age is a miss even before any expire().
  RecordCache::Limits at_once;
  at_once.max_age = std::chrono::steady_clock::duration::zero();
  RecordCache aged(at_once);
  aged.keep(&kType, "items/a", row_of("a", "mac-1"), item("one"));
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(aged.find(&kType, "items/a", row_of("a", "mac-1")), nullptr);
  EXPECT_EQ(aged.stats().misses, 1u);
}

TEST(RecordCacheTest, ShreddableAndParentKeyedRecordsCannotBeCached) {
  EXPECT_THROW(RecordType<Item>("items")
                   .key("id", &Item::id)
                   .data_key("wrapped_key", owner, owner)
                   .sealed("sealed", "secret", &Item::secret)
                   .mac("mac")
                   .cached()
                   .shreddable(),
               std::logic_error);
  EXPECT_THROW(RecordType<Item>("items")
                   .key("id", &Item::id)
                   .data_key("wrapped_key", owner, owner)
                   .sealed("sealed", "secret", &Item::secret)
                   .mac("mac")
                   .shreddable()
                   .cached(),
               std::logic_error);
  const auto parent = RecordType<Item>("parents")
                          .key("id", &Item::id)
                          .data_key("wrapped_key", owner, owner)
                          .sealed("sealed", "secret", &Item::secret)
                          .mac("mac");
  const auto by_parent = [](const Item& i) { return storage::Row{i.id}; };
  EXPECT_THROW(RecordType<Item>("children")
                   .key("id", &Item::id)
                   .parent_data_key(parent, by_parent, owner)
                   .sealed("sealed", "secret", &Item::secret)
                   .mac("mac")
                   .cached(),
               std::logic_error);
  const auto cached =
      RecordType<Item>("items").key("id", &Item::id).mac("mac").cached([](const Item& i) {
        return i.secret.empty();
      });
  EXPECT_TRUE(cached.is_cached());
  EXPECT_TRUE(cached.keeps(Item{"a", ""}));
  EXPECT_FALSE(cached.keeps(Item{"a", "not this one"}));
}

}  // namespace
}  // namespace baomi::barrier
