// Rollback detection (I1) through the sealed-record layer: real rows written by the grant
// service are copied aside and put back after later writes, the way someone with write access
// to the database would; the read refuses them and the audit verification names them. The
// ledger itself is then edited to hide a replay: the chain still catches it.
#include "audit/record_ledger.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/record_baseline.h"
#include "barrier/engine_access.h"
#include "services/grants/grants.h"
#include "services/record_tables.h"
#include "services/workflow/sealed_objects.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using testing::TestRuntime;

class RecordLedgerTest : public ::testing::Test {
 protected:
  const storage::Table& table() const { return object_record_type().table(); }

  // A grant created in one audited job, as an approval makes it.
  Grant grant() {
    std::optional<Grant> made;
    EXPECT_TRUE(
        t.sealed()
            .write([&](barrier::WriteTx& tx) -> Result<void> {
              BAOMI_ASSIGN_OR_RETURN(made, grants.create(tx, {"r-1", "d-1", "u-1", 5, {}}, t.now));
              BAOMI_TRY(t.rt().audit.append(
                  tx, {"system", "grant.create", "grant", "allow", "S6", "{}"}, t.now));
              return {};
            })
            .ok());
    return *made;
  }

  storage::Row raw(const std::string& id) {
    std::optional<storage::Row> row;
    EXPECT_TRUE(t.store()
                    .read([&](storage::ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(row, tx.get_row(table(), {std::string("grant"), id}));
                      return {};
                    })
                    .ok());
    return *row;
  }

  // Writes bytes straight into the table, as a database editor would (no ledger, no audit).
  void put_back(const storage::Row& row) {
    ASSERT_TRUE(t.store()
                    .write([&](storage::WriteTx& tx) -> Result<void> {
                      auto updated = tx.update_row(table(), row, std::nullopt);
                      if (updated.ok() || updated.error().kind != ErrorKind::kNotFound) {
                        return updated;
                      }
                      return tx.insert_row(table(), row);
                    })
                    .ok());
  }

  Result<std::optional<Grant>> usable() {
    std::optional<Grant> found;
    auto r = t.sealed().read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(found, grants.usable(tx, "u-1", "d-1", t.now));
      return {};
    });
    if (!r.ok()) return r.error();
    return found;
  }

  void suspend() {
    ASSERT_TRUE(t.sealed()
                    .write([&](barrier::WriteTx& tx) -> Result<void> {
                      BAOMI_TRY(grants.suspend(tx, "u-1", "d-1", "u-9", t.now));
                      BAOMI_TRY(t.rt().audit.append(
                          tx, {"u-9", "copy.report_lost", "copy", "allow", "S8", "{}"}, t.now));
                      return {};
                    })
                    .ok());
  }

  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((t.dir() / "baomi.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  audit::VerifyReport verify() { return t.verify_with_records(); }

  // A job as Baomi wrote it before the ledger existed: its record writes are not recorded.
  void pre_ledger(const std::function<Result<void>(barrier::WriteTx&)>& job) {
    ASSERT_TRUE(t.store()
                    .write([&](storage::WriteTx& tx) -> Result<void> {
                      BAOMI_TRY(barrier::EngineAccess::with(tx, job));
                      (void)tx.take_record_writes();
                      return {};
                    })
                    .ok());
  }
  Grant pre_ledger_grant(const std::string& request_id, const std::string& holder = "u-1") {
    std::optional<Grant> made;
    pre_ledger([&](barrier::WriteTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(made, grants.create(tx, {request_id, "d-1", holder, 5, {}}, t.now));
      return {};
    });
    return *made;
  }
  audit::BaselineReport baseline(std::size_t page = 1000) {
    auto report = audit::baseline_records(t.store(), t.rt().audit, record_tables(), t.now, page);
    EXPECT_TRUE(report.ok()) << report.error().message;
    return *report;
  }
  std::size_t baseline_entries() {
    std::size_t n = 0;
    for (const auto& row : t.audit_rows()) n += row.action == "records.baseline";
    return n;
  }

  TestRuntime t;
  Grants grants{t.rt()};
};

TEST_F(RecordLedgerTest, EveryAuditedWriteIsCommittedToByItsEntry_I1) {
  const auto g = grant();
  const auto rows = t.audit_rows();
  const auto digest = audit::writes_in_detail(rows.back().detail);
  ASSERT_TRUE(digest.has_value()) << rows.back().detail;
  const auto mac = std::get<std::string>(raw(g.id)[table().position("mac")]);
  EXPECT_EQ(*digest, audit::writes_digest({{"objects", "grant/" + g.id, mac}}));
  EXPECT_TRUE(verify().ok) << verify().problem;
}

TEST_F(RecordLedgerTest, ReplayedOldGrantRowIsRefusedOnReadAndByVerify_I1) {
  const auto g = grant();
  const auto while_active = raw(g.id);
  suspend();
  ASSERT_TRUE(usable().ok());
  EXPECT_FALSE(usable()->has_value()) << "suspended grants supply nothing";
  // The old, genuinely MAC'd row is put back: it would hand need-to-know back (S6).
  put_back(while_active);
  auto read = usable();
  ASSERT_FALSE(read.ok()) << "the replayed grant was accepted";
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
  EXPECT_NE(read.error().message.find("older version"), std::string::npos) << read.error().message;
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("replayed"), std::string::npos) << report.problem;
}

TEST_F(RecordLedgerTest, DeletedRecordPutBackIsRefused_I1) {
  const auto g = grant();
  const auto before = raw(g.id);
  ASSERT_TRUE(t.sealed()
                  .write([&](barrier::WriteTx& tx) -> Result<void> {
                    BAOMI_TRY(SealedObjects(t.rt()).erase(tx, "grant", g.id));
                    BAOMI_TRY(t.rt().audit.append(
                        tx, {"system", "grant.shred", "grant", "allow", "S6", "{}"}, t.now));
                    return {};
                  })
                  .ok());
  EXPECT_TRUE(verify().ok) << verify().problem;
  put_back(before);
  auto read = usable();
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message.find("reappeared"), std::string::npos) << read.error().message;
  EXPECT_FALSE(verify().ok);
}

TEST_F(RecordLedgerTest, LedgerEditedToHideAReplayIsCaughtByTheChain_I1) {
  const auto g = grant();
  const auto while_active = raw(g.id);
  suspend();
  put_back(while_active);
  // The thorough editor also deletes the ledger's newer write: the read check is fooled...
  sql("DELETE FROM record_writes WHERE seq = (SELECT max(seq) FROM record_writes)");
  auto read = usable();
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->has_value());
  // ...but the entry that committed to that write is chained and says otherwise.
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("record ledger"), std::string::npos) << report.problem;
  EXPECT_NE(report.problem.find("missing"), std::string::npos) << report.problem;
}

TEST_F(RecordLedgerTest, AlteredLedgerMacIsCaughtByTheChain_I1) {
  grant();
  sql("UPDATE record_writes SET mac = 'x' || mac");
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("differ"), std::string::npos) << report.problem;
}

TEST_F(RecordLedgerTest, AJobThatWritesRecordsWithoutAnAuditEntryIsRefusedWhole_I1) {
  std::string id;
  auto r = t.sealed().write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto g, grants.create(tx, {"r-2", "d-2", "u-2", 5, {}}, t.now));
    id = g.id;
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInternal);
  ASSERT_TRUE(
      t.store()
          .read([&](storage::ReadTx& tx) -> Result<void> {
            BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_row(table(), {std::string("grant"), id}));
            EXPECT_FALSE(row.has_value()) << "nothing of the refused job is stored";
            return {};
          })
          .ok());
}

TEST_F(RecordLedgerTest, BaselineRecordsPreLedgerRowsOnceThenAReplayOfOneIsRefused_I1) {
  const auto g = pre_ledger_grant("r-1");
  pre_ledger_grant("r-2", "u-2");
  pre_ledger_grant("r-3", "u-3");
  const auto while_active = raw(g.id);
  pre_ledger([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(grants.suspend(tx, "u-1", "d-1", "u-9", t.now));
    return {};
  });

  const auto first = baseline(/*page=*/1);
  EXPECT_EQ(first.rows, 3u);
  EXPECT_EQ(first.tables, record_tables().size());
  EXPECT_EQ(baseline_entries(), 3u) << "one audited job per page";
  EXPECT_TRUE(verify().ok) << verify().problem;

  const auto again = baseline();
  EXPECT_EQ(again.rows, 0u);
  EXPECT_EQ(again.tables, 0u);
  EXPECT_EQ(baseline_entries(), 3u) << "a baselined table is not walked again";

  put_back(while_active);
  auto read = usable();
  ASSERT_FALSE(read.ok()) << "the replayed pre-ledger grant was accepted after the baseline";
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
  EXPECT_FALSE(verify().ok);
}

TEST_F(RecordLedgerTest, AfterTheBaselineARowTheLedgerNeverSawIsRefused_I1) {
  const auto g = pre_ledger_grant("r-1");
  const auto before = raw(g.id);
  pre_ledger([&](barrier::WriteTx& tx) -> Result<void> {
    return SealedObjects(t.rt()).erase(tx, "grant", g.id);
  });
  baseline();
  EXPECT_TRUE(verify().ok) << verify().problem;
  // A grant deleted before the ledger existed, restored from an old backup.
  put_back(before);
  auto read = usable();
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
  EXPECT_NE(read.error().message.find("never recorded"), std::string::npos) << read.error().message;
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("never saw"), std::string::npos) << report.problem;
}

TEST_F(RecordLedgerTest, ConcurrentUpdateOfTheSameRevisionIsAConflict) {
  const auto g = grant();
  SealedObjects objects(t.rt());
  std::optional<StoredObject> first, second;
  ASSERT_TRUE(t.sealed()
                  .read([&](barrier::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(first, objects.get(tx, "grant", g.id));
                    second = first;
                    return {};
                  })
                  .ok());
  const auto update = [&](StoredObject& o) {
    return t.sealed().write([&](barrier::WriteTx& tx) -> Result<void> {
      BAOMI_TRY(objects.update(tx, o));
      BAOMI_TRY(
          t.rt().audit.append(tx, {"system", "grant.touch", "grant", "allow", "", "{}"}, t.now));
      return {};
    });
  };
  ASSERT_TRUE(update(*first).ok());
  EXPECT_EQ(first->revision, 2u);
  auto lost = update(*second);
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(second->revision, 1u) << "a refused update leaves the caller's revision alone";
}

}  // namespace
}  // namespace baomi::services
