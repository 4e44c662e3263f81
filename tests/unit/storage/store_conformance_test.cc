// Engine conformance: every Store contract that the layers above rely on, run against both
// engines (SQLite and a real PostgreSQL, tests/support/postgres.h): group commit with a
// savepoint per job, snapshot reads, declared rows, meta and KEKs, chunks and blobs, the audit
// trail, its Merkle tree nodes and heads, the record-write ledger (I1), schema versions. The
// fixed tables are reached through their owners' declarations (storage/meta.h,
// barrier/engine_tables.h, audit/trail_tables.h), as the layers above use them.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <thread>

#include "audit/trail_tables.h"
#include "barrier/engine_tables.h"
#include "crypto/random.h"
#include "storage/engine.h"
#include "storage/meta.h"
#include "storage/sqlite/db.h"
#include "support/postgres.h"

namespace baomi::storage {
namespace {

using audit::AuditQuery;
using audit::AuditRow;

enum class Engine { kSqlite, kPostgres };

// A declared table as the record layer would give the engine: a key, a unique index, a partial
// unique index over a nullable column, and one column of each type.
const Table& people_table() {
  static const Table table{"people",
                           {{"id", ColumnType::kText, false},
                            {"username_index", ColumnType::kText, false},
                            {"pledge_at", ColumnType::kInteger, true},
                            {"photo", ColumnType::kBlob, true},
                            {"badge", ColumnType::kText, true}},
                           1,
                           {{"people_username", {"username_index"}, true, ""},
                            {"people_badge", {"badge"}, true, "badge"},
                            {"people_pledge", {"pledge_at", "id"}, false, ""}}};
  return table;
}

Row person(const std::string& id, const std::string& index, Value pledge = std::monostate{},
           Value badge = std::monostate{}) {
  return {id, index, std::move(pledge), std::monostate{}, std::move(badge)};
}

std::optional<ErrorKind> failure(const Result<void>& r) {
  if (r.ok()) return std::nullopt;
  return r.error().kind;
}

class StoreConformance : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    if (GetParam() == Engine::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() / ("baomi-store-" + crypto::random_id());
      std::filesystem::create_directories(dir_);
      database_ = (dir_ / "baomi.db").string();
    } else {
      BAOMI_POSTGRES_DATABASE_OR_SKIP(database_);
    }
    store_ = open(true);
    ASSERT_TRUE(store_);
    ASSERT_TRUE(store_->ensure_tables({&people_table()}).ok());
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<Store> open(bool create) {
    auto s = open_store(database_, create);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(s).value() : nullptr;
  }
  Result<void> write(Store::WriteJob job) { return store_->write(std::move(job)); }
  Result<void> read(const Store::ReadJob& job) { return store_->read(job); }
  std::optional<Bytes> meta(const std::string& key) {
    std::optional<Bytes> v;
    EXPECT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                  BAOMI_ASSIGN_OR_RETURN(v, storage::get_meta(tx, key));
                  return {};
                }).ok());
    return v;
  }
  std::filesystem::path dir_;
  std::string database_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreConformance, MetaAndKeksRoundTrip) {
  ASSERT_TRUE(
      write([](WriteTx& tx) -> Result<void> {
        BAOMI_TRY(storage::put_meta(tx, "k", to_bytes("v1")));
        BAOMI_TRY(storage::put_meta(tx, "k", Bytes{0, 0xff, 0}));  // replaced; bytes stay bytes
        BAOMI_TRY(barrier::insert_kek(tx, {2, Bytes{2, 2}}));
        return barrier::insert_kek(tx, {1, Bytes{}});
      }).ok());
  EXPECT_EQ(meta("k"), (Bytes{0, 0xff, 0}));
  EXPECT_FALSE(meta("absent").has_value());
  auto dup = write([](WriteTx& tx) { return barrier::insert_kek(tx, {1, Bytes{9}}); });
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  ASSERT_TRUE(read([](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto keks, barrier::list_keks(tx));
                EXPECT_EQ(keks.size(), 2u);
                if (keks.size() == 2) {
                  EXPECT_EQ(keks[0].version, 1u);
                  EXPECT_TRUE(keks[0].sealed.empty());
                  EXPECT_EQ(keks[1].sealed, (Bytes{2, 2}));
                }
                return {};
              }).ok());
}

TEST_P(StoreConformance, FailingJobRollsBackAloneInItsSavepoint) {
  auto r = write([](WriteTx& tx) -> Result<void> {
    BAOMI_TRY(storage::put_meta(tx, "half", to_bytes("written")));
    return Error::conflict("nope", "the job changed its mind");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "nope");
  EXPECT_FALSE(meta("half").has_value()) << "a failed job must leave nothing behind";
  EXPECT_TRUE(
      write([](WriteTx& tx) { return storage::put_meta(tx, "after", to_bytes("x")); }).ok());
  EXPECT_TRUE(meta("after").has_value());
}

TEST_P(StoreConformance, ConcurrentJobsShareCommitsAndOneFailureDoesNotSpoilOthers) {
  constexpr int kThreads = 8, kPerThread = 40;
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const bool fail = i % 10 == 0;
        auto r = write([&](WriteTx& tx) -> Result<void> {
          BAOMI_TRY(storage::put_meta(tx, "k" + std::to_string(t) + "-" + std::to_string(i),
                                      to_bytes("v")));
          if (fail) return Error::conflict("fail", "deliberate");
          return {};
        });
        (r.ok() ? ok : failed)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread * 9 / 10);
  EXPECT_EQ(failed.load(), kThreads * kPerThread / 10);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      EXPECT_EQ(meta("k" + std::to_string(t) + "-" + std::to_string(i)).has_value(), i % 10 != 0);
    }
  }
}

TEST_P(StoreConformance, ThrowingJobFailsAloneAsInternal) {
  auto r = write([](WriteTx& tx) -> Result<void> {
    BAOMI_TRY(storage::put_meta(tx, "thrown", to_bytes("x")));
    throw std::runtime_error("bug");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInternal);
  EXPECT_FALSE(meta("thrown").has_value());
}

// Readers see one snapshot for the whole job, whatever commits meanwhile.
TEST_P(StoreConformance, ReadJobSeesOneSnapshot) {
  ASSERT_TRUE(
      write([](WriteTx& tx) { return storage::put_meta(tx, "snap", to_bytes("old")); }).ok());
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto before, storage::get_meta(tx, "snap"));
                EXPECT_TRUE(write([](WriteTx& w) {
                              return storage::put_meta(w, "snap", to_bytes("new"));
                            }).ok());
                BAOMI_ASSIGN_OR_RETURN(auto after, storage::get_meta(tx, "snap"));
                EXPECT_EQ(before, after);
                EXPECT_EQ(after, to_bytes("old"));
                return {};
              }).ok());
  EXPECT_EQ(meta("snap"), to_bytes("new"));
}

TEST_P(StoreConformance, DuplicateKeyOrUniqueIndexIsConflictAndTheJobGoesOn) {
  const auto& t = people_table();
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.insert_row(t, person("a", "same")); }).ok());
  for (const auto& [id, index] : {std::pair{"b", "same"}, std::pair{"a", "other"}}) {
    auto r = write([&](WriteTx& tx) { return tx.insert_row(t, person(id, index)); });
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
  }
  // A job may meet a conflict and carry on (e.g. pick another id): its later statements work
  // and commit (PostgreSQL would refuse them after a failed statement unless it is contained).
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                auto taken = tx.insert_row(t, person("c", "same"));
                EXPECT_EQ(failure(taken), ErrorKind::kConflict);
                auto clash =
                    tx.update_row(t, person("a", "same", std::monostate{}, "x"), std::nullopt);
                EXPECT_TRUE(clash.ok());
                auto badge = tx.insert_row(t, person("d", "d", std::monostate{}, "x"));
                EXPECT_EQ(failure(badge), ErrorKind::kConflict);  // partial unique index
                auto moved = tx.update_row(t, person("a", "free"), std::nullopt);
                EXPECT_TRUE(moved.ok());
                return tx.insert_row(t, person("c", "same"));
              }).ok());
  // Rows without a badge are outside the partial index: many may have none.
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                BAOMI_TRY(tx.insert_row(t, person("e", "e")));
                return tx.insert_row(t, person("f", "f"));
              }).ok());
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                BAOMI_TRY(tx.insert_row(t, person("g", "g")));
                auto clash = tx.update_row(t, person("g", "free"), std::nullopt);
                EXPECT_EQ(failure(clash), ErrorKind::kConflict);
                return {};
              }).ok());
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto g, tx.get_row(t, {std::string("g")}));
                EXPECT_TRUE(g.has_value());
                BAOMI_ASSIGN_OR_RETURN(auto c, tx.get_row(t, {std::string("c")}));
                EXPECT_TRUE(c.has_value());
                return {};
              }).ok());
}

// Typed values (NULL, integer, text, bytes) round-trip; scans filter, order and limit;
// updates honour their expectation.
TEST_P(StoreConformance, DeclaredRowsRoundTripScanUpdateAndDelete) {
  const auto& t = people_table();
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                for (int i = 0; i < 5; ++i) {
                  BAOMI_TRY(
                      tx.insert_row(t, {"u" + std::to_string(i), "i" + std::to_string(i),
                                        std::int64_t{i * 10}, Bytes{0, 1, 2}, std::monostate{}}));
                }
                return {};
              }).ok());
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(t, {std::string("u3")}));
                EXPECT_TRUE(row.has_value());
                if (!row) return {};
                EXPECT_EQ(std::get<std::int64_t>((*row)[2]), 30);
                EXPECT_EQ(std::get<Bytes>((*row)[3]), (Bytes{0, 1, 2}));
                EXPECT_TRUE(std::holds_alternative<std::monostate>((*row)[4]));
                Scan scan;
                scan.where = {{"pledge_at", Compare::kGreater, std::int64_t{10}},
                              {"id", Compare::kLess, std::string("u4")}};
                scan.order_by = {"id"};
                scan.limit = 1;
                BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(t, scan));
                EXPECT_EQ(rows.size(), 1u);
                if (!rows.empty()) {
                  EXPECT_EQ(std::get<std::string>(rows[0][0]), "u2");
                }
                scan = Scan{};
                scan.where = {{"username_index", Compare::kEqual, std::string("i4")}};
                BAOMI_ASSIGN_OR_RETURN(rows, tx.scan_rows(t, scan));
                EXPECT_EQ(rows.size(), 1u);
                return {};
              }).ok());
  const Row changed = person("u3", "i3");
  auto stale = write([&](WriteTx& tx) {
    return tx.update_row(t, changed, Condition{"pledge_at", Compare::kEqual, std::int64_t{99}});
  });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  ASSERT_TRUE(
      write([&](WriteTx& tx) {
        return tx.update_row(t, changed, Condition{"pledge_at", Compare::kEqual, std::int64_t{30}});
      }).ok());
  auto missing =
      write([&](WriteTx& tx) { return tx.update_row(t, person("u9", "i9"), std::nullopt); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  ASSERT_TRUE(write([&](WriteTx& tx) { return tx.delete_row(t, {std::string("u3")}); }).ok());
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(t, {std::string("u3")}));
                EXPECT_FALSE(row.has_value());
                return {};
              }).ok());
  auto again = write([&](WriteTx& tx) { return tx.delete_row(t, {std::string("u3")}); });
  EXPECT_EQ(failure(again), ErrorKind::kNotFound);
}

// Cursors page alike on both engines: text orders byte by byte, NULL sorts first.
TEST_P(StoreConformance, ScansOrderTextByBytesAndNullsFirst) {
  const auto& t = people_table();
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                BAOMI_TRY(tx.insert_row(t, person("b", "1", std::int64_t{5})));
                BAOMI_TRY(tx.insert_row(t, person("Z", "2")));
                BAOMI_TRY(tx.insert_row(t, person("\xe4\xbf\x9d", "3", std::int64_t{1})));  // 保
                BAOMI_TRY(tx.insert_row(t, person("B", "4", std::int64_t{5})));
                return tx.insert_row(t, person("a", "5"));
              }).ok());
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                Scan scan;
                scan.order_by = {"id"};
                BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(t, scan));
                std::string order;
                for (const auto& r : rows) order += std::get<std::string>(r[0]) + ",";
                EXPECT_EQ(order, "B,Z,a,b,\xe4\xbf\x9d,");
                scan.order_by = {"pledge_at", "id"};
                BAOMI_ASSIGN_OR_RETURN(rows, tx.scan_rows(t, scan));
                order.clear();
                for (const auto& r : rows) order += std::get<std::string>(r[0]) + ",";
                EXPECT_EQ(order, "Z,a,\xe4\xbf\x9d,B,b,");
                scan.where = {{"id", Compare::kGreater, std::string("a")}};
                scan.order_by = {"id"};
                BAOMI_ASSIGN_OR_RETURN(rows, tx.scan_rows(t, scan));
                EXPECT_EQ(rows.size(), 2u);
                return {};
              }).ok());
}

TEST_P(StoreConformance, ChunksAndBlobsRoundTripOnceAndMissingIsIntegrity) {
  Bytes big(300 * 1024);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7);
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                BAOMI_TRY(barrier::write_chunk(tx, "doc", 1, 0, big));
                BAOMI_TRY(barrier::write_chunk(tx, "doc", 1, 1, Bytes{}));
                return barrier::write_blob_chunk(tx, "evidence:x", 0, Bytes{0, 0, 1});
              }).ok());
  for (int kind = 0; kind < 2; ++kind) {
    auto dup = write([&](WriteTx& tx) {
      return kind == 0 ? barrier::write_chunk(tx, "doc", 1, 0, Bytes{1})
                       : barrier::write_blob_chunk(tx, "evidence:x", 0, Bytes{1});
    });
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  }
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                Bytes out{9, 9};
                BAOMI_TRY(barrier::read_chunk(tx, "doc", 1, 0, out));
                EXPECT_EQ(out, big);
                BAOMI_TRY(barrier::read_chunk(tx, "doc", 1, 1, out));
                EXPECT_TRUE(out.empty());
                BAOMI_TRY(barrier::read_blob_chunk(tx, "evidence:x", 0, out));
                EXPECT_EQ(out, (Bytes{0, 0, 1}));
                EXPECT_EQ(failure(barrier::read_chunk(tx, "doc", 2, 0, out)),
                          ErrorKind::kIntegrity);
                EXPECT_EQ(failure(barrier::read_blob_chunk(tx, "evidence:x", 1, out)),
                          ErrorKind::kIntegrity);
                return {};
              }).ok());
}

AuditRow entry(std::uint64_t seq) {
  AuditRow row;
  row.seq = seq;
  row.time_us = static_cast<std::int64_t>(seq) * 1000;
  row.actor = seq % 2 ? "alice" : "bob";
  row.action = seq % 3 ? "document.read_content" : "session.create";
  row.target = "document:" + std::to_string(seq % 5);
  row.detail = "{\"n\":" + std::to_string(seq) + ",\"名\":\"保密\"}";
  row.hash = "h" + std::to_string(seq);
  return row;
}

TEST_P(StoreConformance, AuditInsertFailureIsUnavailable) {
  // Fail closed: when the audit table cannot take a row, the error says so (503 upstream).
  ASSERT_TRUE(write([](WriteTx& tx) { return audit::insert_audit(tx, entry(1)); }).ok());
  for (int kind = 0; kind < 3; ++kind) {
    auto r = write([&](WriteTx& tx) -> Result<void> {
      if (kind == 0) return audit::insert_audit(tx, entry(1));  // duplicate seq
      if (kind == 1) {
        BAOMI_TRY(audit::insert_checkpoint(tx, {1, "h", 1, "s"}));
        return audit::insert_checkpoint(tx, {1, "h", 1, "s"});
      }
      BAOMI_TRY(audit::insert_audit_tree_node(tx, 1, 0, Bytes{1}));
      return audit::insert_audit_tree_node(tx, 1, 0, Bytes{1});
    });
    ASSERT_FALSE(r.ok()) << kind;
    EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable) << kind;
  }
}

TEST_P(StoreConformance, AuditQueriesFilterPageAndScanPastOnePage) {
  static constexpr std::uint64_t kEntries = 2100;  // more than one page of a paged scan
  ASSERT_TRUE(write([](WriteTx& tx) -> Result<void> {
                for (std::uint64_t i = 1; i <= kEntries; ++i)
                  BAOMI_TRY(audit::insert_audit(tx, entry(i)));
                return {};
              }).ok());
  ASSERT_TRUE(read([](ReadTx& tx) -> Result<void> {
                AuditQuery q;
                q.actor = "alice";
                q.action = "session.create";
                q.to_us = 30000;
                BAOMI_ASSIGN_OR_RETURN(auto rows, audit::query_audit(tx, q));
                EXPECT_EQ(rows.size(), 5u);  // odd multiples of 3 up to 30: 3, 9, 15, 21, 27
                q = AuditQuery{};
                q.from_us = 10000;
                q.after_seq = 12;
                q.target = "document:3";
                q.limit = 2;
                BAOMI_ASSIGN_OR_RETURN(rows, audit::query_audit(tx, q));
                EXPECT_EQ(rows.size(), 2u);
                if (rows.size() == 2) {
                  EXPECT_EQ(rows[0].seq, 13u);
                  EXPECT_EQ(rows[1].seq, 18u);
                  EXPECT_EQ(rows[0].detail, entry(13).detail);
                }
                BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
                EXPECT_EQ(last ? last->seq : 0, kEntries);
                BAOMI_ASSIGN_OR_RETURN(auto one, audit::get_audit_entry(tx, 1234));
                EXPECT_EQ(one ? one->hash : "", "h1234");
                BAOMI_ASSIGN_OR_RETURN(auto none, audit::get_audit_entry(tx, kEntries + 1));
                EXPECT_FALSE(none.has_value());
                std::uint64_t expected = 1;
                BAOMI_TRY(audit::scan_audit(tx, [&](const audit::AuditEntryView& row) {
                  EXPECT_EQ(row.seq, expected);
                  ++expected;
                  return true;
                }));
                EXPECT_EQ(expected, kEntries + 1);
                std::uint64_t seen = 0;
                BAOMI_TRY(audit::scan_audit(
                    tx, [&](const audit::AuditEntryView&) { return ++seen < 1500; }));
                EXPECT_EQ(seen, 1500u);
                return {};
              }).ok());
}

TEST_P(StoreConformance, CheckpointsTreeNodesAndTreeHeads) {
  ASSERT_TRUE(write([](WriteTx& tx) -> Result<void> {
                BAOMI_TRY(audit::insert_checkpoint(tx, {10, "head10", 100, "sig10"}));
                BAOMI_TRY(audit::insert_checkpoint(tx, {20, "head20", 200, "sig20"}));
                BAOMI_TRY(audit::insert_audit_tree_node(tx, 1, 0, Bytes(32, 0xaa)));
                BAOMI_TRY(audit::insert_audit_tree_node(tx, 2, 0, Bytes(32, 0xbb)));
                for (std::uint64_t size : {4u, 8u, 16u}) {
                  BAOMI_TRY(
                      audit::insert_tree_head(tx, {size, "root" + std::to_string(size), "head",
                                                   static_cast<std::int64_t>(size), "sig"}));
                }
                return {};
              }).ok());
  ASSERT_TRUE(read([](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto cps, audit::list_checkpoints(tx));
                EXPECT_EQ(cps.size(), 2u);
                BAOMI_ASSIGN_OR_RETURN(auto latest, audit::latest_checkpoint(tx));
                EXPECT_EQ(latest ? latest->signature : "", "sig20");
                BAOMI_ASSIGN_OR_RETURN(auto node, audit::get_audit_tree_node(tx, 2, 0));
                EXPECT_EQ(node, Bytes(32, 0xbb));
                BAOMI_ASSIGN_OR_RETURN(auto absent, audit::get_audit_tree_node(tx, 1, 1));
                EXPECT_FALSE(absent.has_value());
                BAOMI_ASSIGN_OR_RETURN(auto heads, audit::list_tree_heads(tx));
                EXPECT_EQ(heads.size(), 3u);
                BAOMI_ASSIGN_OR_RETURN(auto head, audit::latest_tree_head(tx));
                EXPECT_EQ(head ? head->tree_size : 0, 16u);
                BAOMI_ASSIGN_OR_RETURN(auto from, audit::first_tree_head_from(tx, 5));
                EXPECT_EQ(from ? from->root_hash : "", "root8");
                BAOMI_ASSIGN_OR_RETURN(auto beyond, audit::first_tree_head_from(tx, 17));
                EXPECT_FALSE(beyond.has_value());
                return {};
              }).ok());
  ASSERT_TRUE(write([](WriteTx& tx) { return audit::clear_audit_tree(tx); }).ok());
  ASSERT_TRUE(read([](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto node, audit::get_audit_tree_node(tx, 1, 0));
                EXPECT_FALSE(node.has_value());
                return {};
              }).ok());
}

// I1: the ledger of record writes, this job's pending ones first; a job that writes records
// without an audit entry taking them is refused whole.
TEST_P(StoreConformance, RecordWriteLedger) {
  ASSERT_TRUE(
      write([](WriteTx& tx) -> Result<void> {
        tx.note_record_write({"people", "a", "mac1"});
        tx.note_record_write({"people", "a", "mac2"});  // replaces the first
        BAOMI_ASSIGN_OR_RETURN(auto pending, barrier::latest_record_write(tx, "people", "a"));
        EXPECT_EQ(pending, "mac2");
        auto writes = tx.take_record_writes();
        EXPECT_EQ(writes.size(), 1u);
        BAOMI_TRY(barrier::insert_record_writes(tx, 1, writes));
        BAOMI_TRY(barrier::insert_record_writes(tx, 2, {{"people", "a", ""}, {"docs", "z", "m"}}));
        // More than one page of the paged scans.
        std::vector<RecordWrite> many;
        for (int i = 0; i < 2100; ++i) many.push_back({"bulk", std::to_string(i), "m"});
        return barrier::insert_record_writes(tx, 3, many);
      }).ok());
  auto unrecorded = write([](WriteTx& tx) -> Result<void> {
    BAOMI_TRY(storage::put_meta(tx, "unrecorded", to_bytes("x")));
    tx.note_record_write({"people", "b", "mac"});
    return {};
  });
  ASSERT_FALSE(unrecorded.ok());
  EXPECT_EQ(unrecorded.error().kind, ErrorKind::kInternal);
  EXPECT_FALSE(meta("unrecorded").has_value());
  ASSERT_TRUE(
      read([](ReadTx& tx) -> Result<void> {
        BAOMI_ASSIGN_OR_RETURN(auto a, barrier::latest_record_write(tx, "people", "a"));
        EXPECT_EQ(a, "");  // deleted at seq 2
        BAOMI_ASSIGN_OR_RETURN(auto b, barrier::latest_record_write(tx, "people", "b"));
        EXPECT_FALSE(b.has_value());
        std::vector<std::pair<std::uint64_t, std::string>> all;
        BAOMI_TRY(barrier::scan_record_writes(tx, [&](std::uint64_t seq, const RecordWrite& w) {
          all.emplace_back(seq, w.table + "/" + w.key + "=" + w.mac);
          return true;
        }));
        EXPECT_EQ(all.size(), 2103u);
        if (all.size() >= 4) {
          EXPECT_EQ(all[0], (std::pair<std::uint64_t, std::string>{1, "people/a=mac2"}));
          EXPECT_EQ(all[1], (std::pair<std::uint64_t, std::string>{2, "docs/z=m"}));
          EXPECT_EQ(all[2], (std::pair<std::uint64_t, std::string>{2, "people/a="}));
          EXPECT_EQ(all[3], (std::pair<std::uint64_t, std::string>{3, "bulk/0=m"}));
        }
        std::vector<std::string> latest;
        BAOMI_TRY(barrier::scan_latest_record_writes(tx, [&](const RecordWrite& w) {
          latest.push_back(w.table + "/" + w.key + "=" + w.mac);
          return true;
        }));
        EXPECT_EQ(latest.size(), 2102u);
        if (latest.size() == 2102u) {
          EXPECT_EQ(latest[0], "bulk/0=m");
          EXPECT_EQ(latest[2100], "docs/z=m");
          EXPECT_EQ(latest[2101], "people/a=");
        }
        std::size_t seen = 0;
        BAOMI_TRY(
            barrier::scan_latest_record_writes(tx, [&](const RecordWrite&) { return ++seen < 3; }));
        EXPECT_EQ(seen, 3u);
        return {};
      }).ok());
}

// Issue 14: a row and the record ledger's latest write of it in one statement
// (ReadTx::get_row_beside): the latest by seq, NULL when the ledger has none, no row when
// there is none; this job's own writes first.
TEST_P(StoreConformance, ARowComesWithItsLatestLedgerEntry_I1) {
  ASSERT_TRUE(write([](WriteTx& tx) -> Result<void> {
                BAOMI_TRY(tx.insert_row(people_table(), person("p1", "i1")));
                BAOMI_TRY(tx.insert_row(people_table(), person("p2", "i2")));
                BAOMI_TRY(barrier::insert_record_writes(tx, 1, {{"people", "p1", "old"}}));
                BAOMI_TRY(barrier::insert_record_writes(tx, 2, {{"people", "p1", "new"}}));
                return barrier::insert_record_writes(tx, 3, {{"other", "p2", "x"}});
              }).ok());
  ASSERT_TRUE(read([](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto p1, barrier::get_row_and_latest_write(
                                                    tx, people_table(), {std::string("p1")}, "p1"));
                EXPECT_TRUE(p1.has_value());
                if (p1) {
                  EXPECT_EQ(p1->row, person("p1", "i1"));
                  EXPECT_EQ(p1->latest, std::optional<std::string>("new"));
                }
                BAOMI_ASSIGN_OR_RETURN(auto p2, barrier::get_row_and_latest_write(
                                                    tx, people_table(), {std::string("p2")}, "p2"));
                EXPECT_TRUE(p2.has_value());
                if (p2) {
                  EXPECT_FALSE(p2->latest.has_value()) << "another table's entry counted";
                }
                BAOMI_ASSIGN_OR_RETURN(
                    auto none, barrier::get_row_and_latest_write(tx, people_table(),
                                                                 {std::string("p3")}, "p3"));
                EXPECT_FALSE(none.has_value());
                return {};
              }).ok());
  ASSERT_TRUE(write([](WriteTx& tx) -> Result<void> {
                tx.note_record_write({"people", "p1", "pending"});
                BAOMI_ASSIGN_OR_RETURN(auto p1, barrier::get_row_and_latest_write(
                                                    tx, people_table(), {std::string("p1")}, "p1"));
                EXPECT_TRUE(p1.has_value());
                if (p1) {
                  EXPECT_EQ(p1->latest, std::optional<std::string>("pending"));
                }
                BAOMI_TRY(barrier::insert_record_writes(tx, 4, tx.take_record_writes()));
                return {};
              }).ok());
}

// Schema versions: a database written by a newer build is refused with a clear message.
TEST_P(StoreConformance, NewerSchemaVersionIsRefused) {
  store_.reset();
  if (GetParam() == Engine::kSqlite) {
    auto db = sqlite::Db::open(database_, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("PRAGMA user_version = 99").ok());
  } else {
    ASSERT_EQ(testing::postgres_admin_exec("SELECT 1"), "");
    auto s = open(false);
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->write([](WriteTx& tx) {
                   return storage::put_meta(tx, "schema_version", to_bytes("99"));
                 }).ok());
  }
  for (bool create : {false, true}) {
    auto reopened = open_store(database_, create);
    ASSERT_FALSE(reopened.ok());
    EXPECT_NE(reopened.error().message.find("schema version 99 is newer"), std::string::npos)
        << reopened.error().message;
  }
}

TEST_P(StoreConformance, ReopenKeepsCommittedData) {
  ASSERT_TRUE(
      write([](WriteTx& tx) { return storage::put_meta(tx, "durable", to_bytes("yes")); }).ok());
  store_.reset();
  store_ = open(false);
  ASSERT_TRUE(store_);
  EXPECT_EQ(meta("durable"), to_bytes("yes"));
}

TEST_P(StoreConformance, AtLeastBoundDescendingOrderAndAppendOnlyTables_C5) {
  Table log{"log",
            {{"id", ColumnType::kText, false}, {"at", ColumnType::kInteger, false}},
            1,
            {{"log_at", {"at"}, false, ""}}};
  log.append_only = true;
  ASSERT_TRUE(store_->ensure_tables({&log}).ok());
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    for (int i = 0; i < 5; ++i) {
                      BAOMI_TRY(tx.insert_row(log, {"e" + std::to_string(i), std::int64_t{i}}));
                    }
                    return {};
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    Scan scan;
                    scan.where = {{"at", Compare::kGreaterOrEqual, std::int64_t{2}},
                                  {"at", Compare::kLess, std::int64_t{4}}};
                    scan.order_by = {"at"};
                    BAOMI_ASSIGN_OR_RETURN(auto range, tx.scan_rows(log, scan));
                    EXPECT_EQ(range.size(), 2u);
                    if (range.size() == 2) {
                      EXPECT_EQ(std::get<std::string>(range[0][0]), "e2");
                      EXPECT_EQ(std::get<std::string>(range[1][0]), "e3");
                    }
                    Scan last;
                    last.order_by = {"at"};
                    last.descending = true;
                    last.limit = 1;
                    BAOMI_ASSIGN_OR_RETURN(auto top, tx.scan_rows(log, last));
                    EXPECT_EQ(top.size(), 1u);
                    if (!top.empty()) {
                      EXPECT_EQ(std::get<std::string>(top[0][0]), "e4");
                    }
                    return {};
                  })
                  .ok());
  auto update = store_->write([&](WriteTx& tx) {
    return tx.update_row(log, {std::string("e1"), std::int64_t{9}}, std::nullopt);
  });
  EXPECT_FALSE(update.ok()) << "an append-only row was changed";
  auto erase = store_->write([&](WriteTx& tx) { return tx.delete_row(log, {std::string("e1")}); });
  EXPECT_FALSE(erase.ok()) << "an append-only row was removed";
  ASSERT_TRUE(store_
                  ->read([&](ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(log, {std::string("e1")}));
                    EXPECT_TRUE(row.has_value());
                    if (row) {
                      EXPECT_EQ(std::get<std::int64_t>((*row)[1]), 1);
                    }
                    return {};
                  })
                  .ok());
}

TEST_P(StoreConformance, KeyCursorWalksACompositeKeyInOrder_I1) {
  Table pairs{"pairs",
              {{"a", ColumnType::kText, false},
               {"b", ColumnType::kInteger, false},
               {"v", ColumnType::kText, true}},
              2,
              {}};
  ASSERT_TRUE(store_->ensure_tables({&pairs}).ok());
  ASSERT_TRUE(store_
                  ->write([&](WriteTx& tx) -> Result<void> {
                    for (const char* a : {"x", "y"}) {
                      for (std::int64_t b = 1; b <= 3; ++b) {
                        BAOMI_TRY(tx.insert_row(pairs, {std::string(a), b, std::monostate{}}));
                      }
                    }
                    return {};
                  })
                  .ok());
  std::vector<std::string> seen;
  Scan scan;
  scan.order_by = {"a", "b"};
  scan.limit = 4;
  for (int page = 0; page < 3; ++page) {
    std::vector<Row> rows;
    ASSERT_TRUE(store_
                    ->read([&](ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(rows, tx.scan_rows(pairs, scan));
                      return {};
                    })
                    .ok());
    for (const auto& r : rows) {
      seen.push_back(std::get<std::string>(r[0]) + std::to_string(std::get<std::int64_t>(r[1])));
    }
    if (rows.size() < scan.limit) break;
    scan.after_key = Row{rows.back()[0], rows.back()[1]};
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"x1", "x2", "x3", "y1", "y2", "y3"}));
}

// scan_views hands each row over as views into the engine's buffer (what `audit verify` reads
// millions of rows with): every column type, NULL, an empty blob and non-ASCII text read
// back exactly as scan_rows gives them, also while the callback runs statements of its own.
TEST_P(StoreConformance, ScanViewsShowEveryValueAsScanRowsDoes) {
  const std::string non_ascii = "a/b \u00e9";
  ASSERT_TRUE(
      write([&](WriteTx& tx) -> Result<void> {
        BAOMI_TRY(tx.insert_row(people_table(), {std::string("p1"), std::string("u1"),
                                                 std::int64_t{-7}, Bytes{1, 0, 255}, non_ascii}));
        BAOMI_TRY(tx.insert_row(people_table(), {std::string("p2"), std::string("u2"),
                                                 std::monostate{}, Bytes{}, std::monostate{}}));
        return tx.insert_row(people_table(), person("p3", "u3"));
      }).ok());
  Scan scan;
  scan.order_by = {"id"};
  scan.limit = 10;
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                BAOMI_ASSIGN_OR_RETURN(auto rows, tx.scan_rows(people_table(), scan));
                std::vector<Row> viewed;
                BAOMI_TRY(tx.scan_views(people_table(), scan, [&](const RowView& view) {
                  EXPECT_EQ(view.size(), people_table().columns.size());
                  // A statement of the callback's own does not disturb the row in view.
                  auto other = tx.get_row(people_table(), {std::string("p3")});
                  EXPECT_TRUE(other.ok() && other->has_value());
                  viewed.push_back(view.to_row());
                  return true;
                }));
                EXPECT_EQ(viewed, rows);
                EXPECT_EQ(rows.size(), 3u);
                if (rows.size() == 3u) {
                  EXPECT_EQ(std::get<std::string>(rows[0][4]), non_ascii);
                  EXPECT_EQ(std::get<Bytes>(rows[0][3]), (Bytes{1, 0, 255}));
                  EXPECT_EQ(std::get<Bytes>(rows[1][3]), Bytes{}) << "empty, not NULL";
                  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[1][2]));
                  EXPECT_TRUE(std::holds_alternative<std::monostate>(rows[2][3]));
                }
                std::size_t seen = 0;
                BAOMI_TRY(tx.scan_views(people_table(), scan, [&](const RowView& view) {
                  EXPECT_EQ(view.text(0), "p1");
                  EXPECT_EQ(view.integer(2), -7);
                  ++seen;
                  return false;  // stops after the first row
                }));
                EXPECT_EQ(seen, 1u);
                return {};
              }).ok());
}

// scan_rows_each streams past an engine's page (PostgreSQL fetches 1,000 rows a round trip) in
// order, honours conditions (<=), its limit and an early stop, and lets the callback write on
// the same transaction (the audit tree rebuild does); delete_rows removes what matches.
TEST_P(StoreConformance, StreamedScanPagesStopsEarlyAndDeleteRowsMatches) {
  const Table counts{
      "counts", {{"n", ColumnType::kInteger, false}, {"v", ColumnType::kText, false}}, 1, {}};
  const Table copies{"copies", {{"n", ColumnType::kInteger, false}}, 1, {}};
  ASSERT_TRUE(store_->ensure_tables({&counts, &copies}).ok());
  constexpr std::int64_t kRows = 2500;
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                for (std::int64_t n = 1; n <= kRows; ++n) {
                  BAOMI_TRY(tx.insert_row(counts, {n, std::to_string(n)}));
                }
                return {};
              }).ok());
  Scan scan;
  scan.where = {{"n", Compare::kLessOrEqual, std::int64_t{2400}}};
  scan.order_by = {"n"};
  scan.descending = true;
  scan.limit = std::numeric_limits<std::size_t>::max();
  std::vector<std::int64_t> seen;
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                return tx.scan_rows_each(counts, scan, [&](Row& row) {
                  const auto n = std::get<std::int64_t>(row[0]);
                  seen.push_back(n);
                  EXPECT_EQ(std::get<std::string>(row[1]), std::to_string(n));
                  return tx.insert_row(copies, {n}).ok();
                });
              }).ok());
  ASSERT_EQ(seen.size(), 2400u);
  EXPECT_EQ(seen.front(), 2400);
  EXPECT_EQ(seen.back(), 1);
  EXPECT_TRUE(std::is_sorted(seen.rbegin(), seen.rend()));
  std::size_t stopped_after = 0, limited = 0;
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                BAOMI_TRY(tx.scan_rows_each(
                    copies, {{}, {"n"}, std::numeric_limits<std::size_t>::max(), false, {}},
                    [&](Row&) { return ++stopped_after < 10; }));
                return tx.scan_rows_each(counts, {{}, {"n"}, 1500, false, {}}, [&](Row&) {
                  ++limited;
                  return true;
                });
              }).ok());
  EXPECT_EQ(stopped_after, 10u);
  EXPECT_EQ(limited, 1500u);
  ASSERT_TRUE(write([&](WriteTx& tx) -> Result<void> {
                BAOMI_TRY(tx.delete_rows(counts, {{"n", Compare::kGreater, std::int64_t{100}}}));
                BAOMI_TRY(tx.delete_rows(counts, {{"n", Compare::kEqual, std::int64_t{9999}}}));
                return tx.delete_rows(copies, {});
              }).ok());
  ASSERT_TRUE(read([&](ReadTx& tx) -> Result<void> {
                Scan all;
                all.limit = kRows;
                BAOMI_ASSIGN_OR_RETURN(auto left, tx.scan_rows(counts, all));
                EXPECT_EQ(left.size(), 100u);
                BAOMI_ASSIGN_OR_RETURN(auto none, tx.scan_rows(copies, all));
                EXPECT_TRUE(none.empty());
                return {};
              }).ok());
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreConformance,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres),
                         [](const auto& info) {
                           return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace baomi::storage
