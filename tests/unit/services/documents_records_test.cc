// Documents and versions on the sealed-record layer. Rollback detection (I1, S4): real rows
// written by the document service are copied aside in the SQLite file and put back by SQL after
// later writes, the way someone with write access to the database would; reads refuse them
// (and record the refusal) and the audit verification names them. Every write of a version row
// is on the record, lost uploads included; and the rows keep the MAC bytes of the layout before
// the record layer, so documents stored by earlier builds still open.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/record_ledger.h"
#include "barrier/engine_tables.h"
#include "services/documents/document_repository.h"
#include "services/documents/documents.h"
#include "services/record_tables.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::Level;
using policy::Role;
using testing::TestRuntime;

constexpr std::size_t kRecordsChunk = barrier::ContentSealer::kChunkSize;

// `size` bytes of text; `midway` runs once after the first `after` bytes were taken (the
// upload's pending version is reserved by then), and may fail the upload from there.
ContentSource text_with(std::size_t size, std::size_t after, std::function<Result<void>()> midway) {
  auto offset = std::make_shared<std::size_t>(0);
  auto ran = std::make_shared<bool>(false);
  return [=](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
    if (*offset >= after && !*ran) {
      *ran = true;
      BAOMI_TRY(midway());
    }
    const std::size_t k = std::min(n, size - *offset);
    std::memset(buf, 'a' + static_cast<int>(*offset % 26), k);
    *offset += k;
    return k;
  };
}

ContentSource record_text(std::string s) {
  return text_with(s.size(), s.size() + 1, [] { return Result<void>(); });
}

class DocumentRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    custodian = t.user("liu.yang", Role::kCustodian, Level::kTopSecret,
                       testing::cats(t.policy(), {"contracts_customers"}));
    reader = t.user("li.na", Role::kStaff, Level::kSecret,
                    testing::cats(t.policy(), {"contracts_customers"}));
  }

  std::string create(std::optional<std::string> until = std::nullopt) {
    auto v = docs.create(
        custodian,
        {"标题", "secret", {"contracts_customers"}, custodian.id, std::move(until), "说明"});
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    return v->doc.id;
  }

  // S4: an approved declassification, applied in its audited job as an approval applies it.
  void declassify(const std::string& id, std::optional<Level> level, bool end_term) {
    auto doc = docs.load(id);
    ASSERT_TRUE(doc.ok());
    ASSERT_TRUE(t.sealed()
                    .write([&](barrier::WriteTx& tx) -> Result<void> {
                      return docs.reclassify(tx, *doc, level, end_term, custodian.id, "req-1",
                                             t.now);
                    })
                    .ok());
  }

  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((t.dir() / "baomi.db").c_str(), &db), SQLITE_OK);
    // An upload stores a batch of chunks while it reads the next: a statement run from its
    // content source waits for that write to commit instead of failing "database is locked".
    sqlite3_busy_timeout(db, 30000);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db) << ": " << statement;
    sqlite3_close(db);
  }
  // Copies the rows of `table` matching `where` aside in the same file, bytes as stored.
  void copy_aside(const std::string& table, const std::string& where, const std::string& as) {
    sql("CREATE TABLE " + as + " AS SELECT * FROM " + table + " WHERE " + where);
  }
  void put_back(const std::string& table, const std::string& where, const std::string& from) {
    sql("DELETE FROM " + table + " WHERE " + where + "; INSERT INTO " + table + " SELECT * FROM " +
        from);
  }

  audit::VerifyReport verify() { return t.verify_with_records(); }

  int entries(std::string_view action, std::string_view decision) {
    int n = 0;
    for (const auto& r : t.audit_rows()) n += r.action == action && r.decision == decision;
    return n;
  }

  TestRuntime t;
  Documents docs{t.rt()};
  auth::User custodian, reader;
};

TEST_F(DocumentRecordsTest, UndoneDeclassificationPutBackIsRefused_I1_S4) {
  const auto id = create("2031-06-30");
  copy_aside("documents", "id = '" + id + "'", "while_secret");
  declassify(id, Level::kInternal, /*end_term=*/true);
  ASSERT_EQ(docs.load(id)->level, Level::kInternal);
  EXPECT_TRUE(verify().ok) << verify().problem;
  // The old row, genuinely MAC'd, comes back: the declassification would be undone unseen.
  put_back("documents", "id = '" + id + "'", "while_secret");
  const int failures = entries("document.integrity_failure", "error");
  auto read = docs.get(custodian, id);
  ASSERT_FALSE(read.ok()) << "the replayed classification was accepted";
  EXPECT_EQ(read.error().kind, ErrorKind::kIntegrity);
  EXPECT_NE(read.error().message.find("older version"), std::string::npos) << read.error().message;
  EXPECT_EQ(entries("document.integrity_failure", "error"), failures + 1) << "recorded (I1)";
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("documents " + id), std::string::npos) << report.problem;
  EXPECT_NE(report.problem.find("replayed"), std::string::npos) << report.problem;
}

TEST_F(DocumentRecordsTest, EndedSecrecyTermPutBackIsRefused_S4_I1) {
  const auto id = create("2031-06-30");
  declassify(id, Level::kInternal, /*end_term=*/false);
  copy_aside("documents", "id = '" + id + "'", "with_term");
  declassify(id, std::nullopt, /*end_term=*/true);  // the term ends as well
  ASSERT_FALSE(docs.load(id)->secret_until.has_value());
  put_back("documents", "id = '" + id + "'", "with_term");
  auto listed = docs.list(custodian, "", 10);
  ASSERT_FALSE(listed.ok()) << "a list must not serve the replayed term either";
  EXPECT_EQ(listed.error().kind, ErrorKind::kIntegrity);
  EXPECT_FALSE(verify().ok);
}

TEST_F(DocumentRecordsTest, DocumentRowHidingANewerVersionIsRefused_I1) {
  const auto id = create();
  ASSERT_TRUE(docs.upload(custodian, id, "text/plain", record_text("one")).ok());
  copy_aside("documents", "id = '" + id + "'", "at_one");
  ASSERT_TRUE(docs.upload(custodian, id, "text/plain", record_text("two")).ok());
  put_back("documents", "id = '" + id + "'", "at_one");
  auto view = docs.open_content(reader, id);
  ASSERT_FALSE(view.ok()) << "version one was served as the current version";
  EXPECT_EQ(view.error().kind, ErrorKind::kIntegrity);
  EXPECT_FALSE(verify().ok);
}

TEST_F(DocumentRecordsTest, OlderVersionRowPutBackIsRefusedAndNotPurged_I1) {
  const auto id = create();
  ASSERT_TRUE(docs.upload(custodian, id, "text/plain", record_text("one")).ok());
  const std::string v2 = "document_id = '" + id + "' AND version = 2";
  // Version 2 as it was while its upload ran (pending), copied aside mid-upload.
  auto up = docs.upload(custodian, id, "text/plain", text_with(100, 50, [&]() -> Result<void> {
                          copy_aside("versions", v2, "while_pending");
                          return {};
                        }));
  ASSERT_TRUE(up.ok()) << up.error().message;
  ASSERT_EQ(up->version, 2u);
  put_back("versions", v2, "while_pending");
  const int failures = entries("document.integrity_failure", "error");
  auto current = docs.open_content(reader, id);
  ASSERT_FALSE(current.ok()) << "the replayed version row was accepted";
  EXPECT_EQ(current.error().kind, ErrorKind::kIntegrity);
  auto explicit_version = docs.open_content(custodian, id, 2);
  ASSERT_FALSE(explicit_version.ok());
  EXPECT_EQ(explicit_version.error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ(entries("document.integrity_failure", "error"), failures + 2) << "each recorded";
  auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("versions " + id + "/2"), std::string::npos) << report.problem;
  // A pending row put back over a committed one is no lost upload: the start-up purge must not
  // turn the replay into an audited deletion of version 2.
  auto purged = docs.purge_pending_versions();
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->removed, 0u);
  EXPECT_EQ(purged->left, 1u);
  EXPECT_EQ(entries("document.purge_pending", "allow"), 0);
  EXPECT_FALSE(verify().ok) << "still named";
}

// A crash mid-upload: the pending version and its chunks stay (here: the failure cannot be
// recorded, so its clean-up cannot be written either). The start-up purge removes them in one
// job audited as "system", and the ledger and chain verify afterwards.
TEST_F(DocumentRecordsTest, LostUploadIsPurgedWithAnAuditedEntry_I1) {
  const auto id = create();
  ASSERT_TRUE(docs.upload(custodian, id, "text/plain", record_text("one")).ok());
  auto lost = docs.upload(custodian, id, "text/plain",
                          text_with(6 * kRecordsChunk, 5 * kRecordsChunk, [&]() -> Result<void> {
                            sql("CREATE TRIGGER fail_audit BEFORE INSERT ON audit BEGIN "
                                "SELECT RAISE(ABORT, 'down'); END");
                            return Error{ErrorKind::kInvalidArgument, "client_gone", "gone", {}};
                          }));
  ASSERT_FALSE(lost.ok());
  sql("DROP TRIGGER fail_audit");
  const auto version2 = [&] {
    std::optional<DocumentVersion> v;
    EXPECT_TRUE(t.sealed()
                    .read([&](barrier::ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(v, DocumentRepository(t.rt()).find_version(tx, id, 2));
                      return {};
                    })
                    .ok());
    return v;
  };
  ASSERT_TRUE(version2().has_value()) << "the failed upload could not clean up";
  EXPECT_EQ(version2()->state, VersionState::kPending);
  // Its reservation was on the record (the ledger commits to the pending row).
  int starts = 0;
  for (const auto& r : t.audit_rows()) {
    starts += r.action == "document.upload_start" && r.target == "document:" + id + "/version:2";
  }
  EXPECT_EQ(starts, 1);

  auto purged = docs.purge_pending_versions();
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(purged->removed, 1u);
  EXPECT_EQ(purged->left, 0u);
  EXPECT_FALSE(version2().has_value());
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    Bytes chunk;
                    EXPECT_FALSE(barrier::read_chunk(tx, id, 2, 0, chunk).ok())
                        << "its chunks are gone";
                    return {};
                  })
                  .ok());
  const auto rows = t.audit_rows();
  ASSERT_EQ(rows.back().action, "document.purge_pending");
  EXPECT_EQ(rows.back().actor, "system");
  EXPECT_NE(rows.back().detail.find(R"("count":1)"), std::string::npos) << rows.back().detail;
  EXPECT_NE(rows.back().detail.find(id + ":2"), std::string::npos) << rows.back().detail;
  EXPECT_TRUE(audit::writes_in_detail(rows.back().detail).has_value()) << "commits to the erase";
  const auto report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  // Nothing to purge: no entry at all.
  ASSERT_TRUE(docs.purge_pending_versions().ok());
  EXPECT_EQ(entries("document.purge_pending", "allow"), 1);
  EXPECT_EQ(docs.upload(custodian, id, "text/plain", record_text("two"))->version, 2u);
}

// The rows keep the MAC bytes of the layout before the record layer (services/documents/
// document.cc until this change), so existing instances' documents and versions still open.
TEST_F(DocumentRecordsTest, RowsKeepTheMacBytesOfTheEarlierLayout) {
  const auto id = create("2031-06-30");
  ASSERT_TRUE(docs.upload(custodian, id, "text/plain", record_text("one")).ok());
  std::optional<storage::Row> doc, ver;
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(doc, tx.get_row(document_record_type().table(), {id}));
                    BAOMI_ASSIGN_OR_RETURN(
                        ver, tx.get_row(version_record_type().table(), {id, std::int64_t{1}}));
                    return {};
                  })
                  .ok());
  ASSERT_TRUE(doc && ver);
  const auto& dt = document_record_type().table();
  const auto text_at = [](const storage::Row& r, const storage::Table& t, const char* c) {
    return std::get<std::string>(r[t.position(c)]);
  };
  const auto int_at = [](const storage::Row& r, const storage::Table& t, const char* c) {
    return static_cast<std::uint64_t>(std::get<std::int64_t>(r[t.position(c)]));
  };
  Bytes old_doc;
  append_field(old_doc, "documents");
  for (const char* c : {"id", "level", "categories", "custodian_id", "author_id"}) {
    append_field(old_doc, text_at(*doc, dt, c));
  }
  append_field(old_doc,
               std::to_string(std::get<std::int64_t>((*doc)[dt.position("secret_until")])));
  append_u64(old_doc, int_at(*doc, dt, "current_version"));
  append_u64(old_doc, int_at(*doc, dt, "created_at"));
  EXPECT_TRUE(t.rt().barrier.check_row_mac(old_doc, text_at(*doc, dt, "mac")).ok());

  const auto& vt = version_record_type().table();
  Bytes old_ver;
  append_field(old_ver, "versions");
  append_field(old_ver, text_at(*ver, vt, "document_id"));
  append_u64(old_ver, int_at(*ver, vt, "version"));
  append_field(old_ver, text_at(*ver, vt, "state"));
  append_field(old_ver, text_at(*ver, vt, "content_type"));
  append_u64(old_ver, int_at(*ver, vt, "size"));
  append_u64(old_ver, int_at(*ver, vt, "chunk_count"));
  append_field(old_ver, text_at(*ver, vt, "created_by"));
  append_u64(old_ver, int_at(*ver, vt, "created_at"));
  EXPECT_TRUE(t.rt().barrier.check_row_mac(old_ver, text_at(*ver, vt, "mac")).ok());
  EXPECT_EQ(text_at(*ver, vt, "state"), "committed");
}

}  // namespace
}  // namespace baomi::services
