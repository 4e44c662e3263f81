// The verified-record cache (barrier/record_cache.h, issue 14) under real services and a real
// SQLite store: a record read again unchanged is served from the cache, but never without the
// store's say. A write by another server process on the same instance (its own store and barrier,
// so its own cache) is seen at the very next read: a lowered clearance and an ended session take
// effect at once (S6). An edited row fails its MAC, and an older genuine row put back fails its
// ledger check even while this process's cache holds exactly that row (I1). The read watch's
// counts of two processes taking turns add up (C4), and counts put back are refused (I1).
#include "barrier/record_cache.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>

#include "auth/sessions.h"
#include "services/documents/documents.h"
#include "services/incidents/incident.h"
#include "services/watch/probing_watch.h"
#include "services/watch/read_watch.h"
#include "services/workflow/sealed_objects.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::Level;
using policy::Role;
using testing::SecondProcess;
using testing::TestRuntime;

class RecordCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    custodian = t.user("liu.yang", Role::kCustodian, Level::kTopSecret,
                       testing::cats(t.policy(), {"contracts_customers"}));
    reader = t.user("li.na", Role::kStaff, Level::kSecret,
                    testing::cats(t.policy(), {"contracts_customers"}));
    auto v = docs.create(custodian, {"标题",
                                     "secret",
                                     {"contracts_customers"},
                                     custodian.id,
                                     std::string("2031-06-30"),
                                     "说明"});
    ASSERT_TRUE(v.ok()) << v.error().message;
    id = v->doc.id;
  }

  barrier::RecordCacheStats stats() const { return t.rt().barrier.record_cache().stats(); }

  // Reads the document twice through this process, so that its record is certainly kept.
  void warm() {
    ASSERT_TRUE(docs.get(custodian, id).ok());
    const auto before = stats();
    auto again = docs.get(custodian, id);
    ASSERT_TRUE(again.ok()) << again.error().message;
    ASSERT_GT(stats().hits, before.hits) << "the unchanged record is not served from the cache";
  }

  // S4: a declassification applied by `rt`'s process, as an approval applies it there.
  void declassify_through(const auth::Runtime& rt, barrier::SealedStore store) {
    Documents through(rt);
    auto doc = through.load(id);
    ASSERT_TRUE(doc.ok());
    ASSERT_TRUE(store
                    .write([&](barrier::WriteTx& tx) -> Result<void> {
                      return through.reclassify(tx, *doc, Level::kInternal, false, custodian.id,
                                                "req-1", t.now);
                    })
                    .ok());
  }

  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((t.dir() / "baomi.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db) << ": " << statement;
    sqlite3_close(db);
  }

  TestRuntime t;
  Documents docs{t.rt()};
  auth::User custodian, reader;
  std::string id;
};

TEST_F(RecordCacheTest, AnUnchangedRecordIsServedFromTheCacheAsItWasOpened) {
  auto first = docs.get(custodian, id);
  ASSERT_TRUE(first.ok());
  const auto before = stats();
  auto second = docs.get(custodian, id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(stats().hits, before.hits + 2);  // the lifecycle (clear columns) and the document
  EXPECT_EQ(stats().misses, before.misses);
  EXPECT_EQ(second->doc.title, "标题");
  EXPECT_EQ(second->doc.description, "说明");
  EXPECT_EQ(second->doc.level, Level::kSecret);
  EXPECT_EQ(second->marking, first->marking);
}

TEST_F(RecordCacheTest, AWriteThroughThisProcessForgetsTheRecordAtOnce) {
  warm();
  const auto entries = stats().entries;
  declassify_through(t.rt(), t.sealed());
  EXPECT_LT(stats().entries, entries) << "the written record's plaintext stays behind";
  auto read = docs.get(custodian, id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->doc.level, Level::kInternal);
}

TEST_F(RecordCacheTest, AWriteByAnotherProcessIsSeenAtTheNextRead) {
  warm();
  SecondProcess other(t);
  declassify_through(other.rt(), other.sealed());
  const auto before = stats();
  auto read = docs.get(custodian, id);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->doc.level, Level::kInternal) << "a stale record was served";
  EXPECT_EQ(stats().hits, before.hits + 1);  // only the unchanged lifecycle
  EXPECT_GT(stats().misses, before.misses);
}

TEST_F(RecordCacheTest, ARowEditedWhileItsRecordIsCachedFailsItsMac_I1) {
  warm();
  sql("UPDATE documents SET level = 'top_secret' WHERE id = '" + id + "'");
  auto read = docs.get(custodian, id);
  ASSERT_FALSE(read.ok()) << "an edited row was served from the cache";
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
}

TEST_F(RecordCacheTest, AnOlderRowPutBackIsRefusedEvenWhileTheCacheHoldsExactlyIt_I1) {
  warm();  // this process keeps the row as it is now
  sql("CREATE TABLE while_secret AS SELECT * FROM documents WHERE id = '" + id + "'");
  // Another process declassifies: nothing tells this one, whose cache still holds the old row.
  SecondProcess other(t);
  declassify_through(other.rt(), other.sealed());
  // The old row, genuinely MAC'd and byte for byte the one cached, is put back.
  sql("DELETE FROM documents WHERE id = '" + id +
      "'; INSERT INTO documents SELECT * FROM while_secret");
  const auto before = stats();
  auto read = docs.get(custodian, id);
  ASSERT_FALSE(read.ok()) << "the replayed classification was served from the cache";
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
  EXPECT_NE(read.error().message.find("older version"), std::string::npos) << read.error().message;
  // The lifecycle, then the document: the cache matched the row, the ledger refused it.
  EXPECT_EQ(stats().hits, before.hits + 2) << "the cache matched the row; the ledger refused it";
  EXPECT_FALSE(t.verify_with_records().ok);
}

TEST_F(RecordCacheTest, AClearanceLoweredAndASessionEndedByAnotherProcessHoldAtOnce_S6) {
  auth::Sessions sessions(t.rt());
  auto login = sessions.login("li.na", "password-123", "127.0.0.1");
  ASSERT_TRUE(login.ok()) << login.error().message;
  for (int i = 0; i < 2; ++i) {
    auto who = sessions.authenticate(login->token);
    ASSERT_TRUE(who.ok());
    ASSERT_TRUE(docs.get(who->user, id).ok());
  }
  // The security administrator lowers the reader's clearance through the other process.
  SecondProcess other(t);
  const auto secadmin = t.user("sec.admin", Role::kSecadmin, Level::kTopSecret);
  ASSERT_TRUE(auth::Accounts(other.rt()).set_clearance(secadmin, reader.id, "internal", {}).ok());
  auto who = sessions.authenticate(login->token);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(who->user.clearance, Level::kInternal) << "a stale account was served";
  auto refused = docs.get(who->user, id);
  ASSERT_FALSE(refused.ok()) << "the lowered clearance did not hold at the next request";
  // The session ends through the other process: refused here at once.
  ASSERT_TRUE(auth::Sessions(other.rt()).logout(*who).ok());
  auto ended = sessions.authenticate(login->token);
  ASSERT_FALSE(ended.ok());
  EXPECT_EQ(ended.error().kind, ErrorKind::kUnauthenticated);
}

// H3, S5: a document's lifecycle is kept too (its clear columns, as every read opens it), yet a
// legal hold placed and a destruction recorded by another server process hold at the very next
// read here: the changed row is a miss, opened afresh.
TEST_F(RecordCacheTest, ALifecycleChangedByAnotherProcessHoldsAtTheNextRead_H3) {
  warm();
  SecondProcess other(t);
  const auto change = [&](const std::function<void(DocumentLifecycle&)>& edit,
                          const std::string& action) {
    DocumentRepository repo(other.rt());
    auto written = other.sealed().write([&](barrier::WriteTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto lifecycle, repo.find_lifecycle(tx, id));
      if (!lifecycle) return Error::not_found("no lifecycle");
      edit(*lifecycle);
      BAOMI_TRY(repo.put_lifecycle(tx, *lifecycle, true));
      BAOMI_TRY(other.rt().audit.append(
          tx, {custodian.id, action, "document:" + id, "allow", "H3", "{}"}, t.now));
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.error().message;
  };
  change(
      [&](DocumentLifecycle& l) {
        l.hold = true;
        l.hold_by = custodian.id;
        l.hold_at = t.now;
        l.hold_reason = "诉讼保全";
      },
      "document.hold");
  auto before = stats();
  auto held = docs.get(custodian, id);
  ASSERT_TRUE(held.ok()) << held.error().message;
  EXPECT_TRUE(held->doc.legal_hold) << "a stale lifecycle was served";
  EXPECT_EQ(stats().misses, before.misses + 1) << "only the changed lifecycle is opened afresh";
  EXPECT_EQ(stats().hits, before.hits + 1) << "the unchanged document is still served";
  auto again = docs.get(custodian, id);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->doc.legal_hold);

  change(
      [&](DocumentLifecycle& l) {
        l.hold = false;
        l.destroyed_at = t.now;
        l.destroyed_by = custodian.id;
        l.destroy_request_id = "req-1";
      },
      "document.destroy");
  before = stats();
  auto gone = docs.get(custodian, id);
  ASSERT_TRUE(gone.ok()) << gone.error().message;
  EXPECT_TRUE(gone->doc.destroyed_at.has_value()) << "a stale lifecycle was served";
  EXPECT_FALSE(gone->doc.legal_hold);
  EXPECT_TRUE(gone->doc.title.empty()) << "a destroyed document's title was served from the cache";
  EXPECT_GT(stats().misses, before.misses);
  EXPECT_TRUE(t.verify_with_records().ok) << t.verify_with_records().problem;
}

// C4: with the counts cached in each process, reads through two processes taking turns still
// count together: the third distinct document read here is the one after the other's read.
TEST_F(RecordCacheTest, ReadCountsOfTwoProcessesTakingTurnsAddUp_C4) {
  policy::PolicyData data;
  data.watch.bulk_read_documents = 3;
  data.watch.bulk_read_window = std::chrono::hours{1};
  TestRuntime w(std::move(data));
  ProbingWatch probing_here(w.rt());
  ReadWatch reads_here(w.rt());
  Watches here(probing_here, reads_here);
  w.set_audit_observer(&here);
  SecondProcess other(w);
  ProbingWatch probing_there(other.rt());
  ReadWatch reads_there(other.rt());
  Watches there(probing_there, reads_there);
  other.set_audit_observer(&there);
  auto read = [&](const auth::Runtime& rt, barrier::SealedStore store, const std::string& doc) {
    ASSERT_TRUE(
        rt.audit
            .record(store,
                    {reader.id, "document.read_metadata", "document:" + doc, "allow", "S6", "{}"},
                    w.now)
            .ok());
  };
  auto alerts = [&] {
    std::size_t n = 0;
    EXPECT_TRUE(w.sealed()
                    .read([&](barrier::ReadTx& tx) -> Result<void> {
                      ObjectQuery q;
                      q.kind = std::string(kAlertKind);
                      BAOMI_ASSIGN_OR_RETURN(auto list, SealedObjects(w.rt()).list(tx, q));
                      n = list.size();
                      return {};
                    })
                    .ok());
    return n;
  };
  read(w.rt(), w.sealed(), "d1");
  read(w.rt(), w.sealed(), "d2");
  read(w.rt(), w.sealed(), "d2");  // a re-read changes nothing: nothing is written
  const auto before = reads_here.stats();
  read(w.rt(), w.sealed(), "d2");  // so this one uses the counts kept from the last write
  EXPECT_EQ(reads_here.stats().kept, before.kept + 1);
  EXPECT_EQ(reads_here.stats().decoded, before.decoded);
  read(other.rt(), other.sealed(), "d3");
  EXPECT_EQ(alerts(), 0u) << "three distinct documents is the threshold, not above it";
  const auto stale = reads_here.stats();
  read(w.rt(), w.sealed(), "d4");
  EXPECT_EQ(alerts(), 1u) << "this process counted from its stale counts";
  EXPECT_EQ(reads_here.stats().decoded, stale.decoded + 1)
      << "the other process's write is decoded from the store, not taken from what was kept";
  w.set_audit_observer(nullptr);
  other.set_audit_observer(nullptr);
  EXPECT_TRUE(w.verify_with_records().ok) << w.verify_with_records().problem;
}

// The read watch keeps its decoded counts under the ledger's MAC (read_watch.h). An older count
// record put back under an unchanged ledger is not used by this process (what it kept is the
// genuine latest), and the next read that changes a count, whose write checks the stored row
// first, is refused; `audit verify` names it (I1).
TEST_F(RecordCacheTest, AnOlderCountRecordPutBackIsRefusedAtTheNextCountedRead_I1_C4) {
  policy::PolicyData data;
  data.watch.bulk_read_documents = 3;
  data.watch.bulk_read_window = std::chrono::hours{1};
  TestRuntime w(std::move(data));
  ProbingWatch probing(w.rt());
  ReadWatch reads(w.rt());
  Watches both(probing, reads);
  w.set_audit_observer(&both);
  auto read = [&](const std::string& doc) {
    return w.rt().audit.record(
        w.sealed(), {reader.id, "document.read_metadata", "document:" + doc, "allow", "S6", "{}"},
        w.now);
  };
  auto sql_in_w = [&](const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((w.dir() / "baomi.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db) << ": " << statement;
    sqlite3_close(db);
  };
  ASSERT_TRUE(read("d1").ok());
  sql_in_w("CREATE TABLE counts_then AS SELECT * FROM objects WHERE kind = 'read_watch'");
  ASSERT_TRUE(read("d2").ok());
  ASSERT_TRUE(read("d3").ok());
  sql_in_w(
      "DELETE FROM objects WHERE kind = 'read_watch'; INSERT INTO objects SELECT * FROM "
      "counts_then");
  EXPECT_TRUE(read("d3").ok()) << "a re-read changes nothing: the kept, genuine counts hold";
  auto counted = read("d4");
  ASSERT_FALSE(counted.ok()) << "the counts put back were counted on";
  EXPECT_EQ(counted.error().kind, ErrorKind::kIntegrity);
  EXPECT_NE(counted.error().message.find("older version"), std::string::npos)
      << counted.error().message;
  w.set_audit_observer(nullptr);
  EXPECT_FALSE(w.verify_with_records().ok);
}

}  // namespace
}  // namespace baomi::services
