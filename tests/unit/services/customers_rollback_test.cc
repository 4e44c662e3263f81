// Rollback detection (I1) for customer records: real rows written by the customer service are
// copied aside by SQL and put back after later writes, the way someone with write access to
// the database file would. A customer put back at its older, lower level (which would let a
// lower-cleared member of staff read it again: C1, C2) is refused on every read and named by
// the audit verification; a contact entry removed from the append-only log (C5) is named too;
// a replayed blind index row finds nothing (search checks the record itself).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/audit_log.h"
#include "services/customers/customers.h"
#include "services/record_tables.h"
#include "services/reports/weekly_reports.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::CustomerField;
using policy::Level;
using policy::Role;
using testing::TestRuntime;

class CustomersRollbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    junior = t.user("li.si", Role::kStaff, Level::kInternal);
    supervisor = t.user("zhao.lei", Role::kSupervisor, Level::kSecret,
                        testing::cats(t.policy(), {"contracts_customers"}));
    CustomerInput in;
    in.fields[static_cast<std::size_t>(CustomerField::kName)] = "张三";
    in.fields[static_cast<std::size_t>(CustomerField::kPhone)] = "13812345678";
    auto created = customers.create(junior, in);
    ASSERT_TRUE(created.ok()) << created.error().message;
    id = created->customer.id;
  }

  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((t.dir() / "baomi.db").c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, statement.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  // The customer's row as it is now, kept aside in the database file itself.
  void copy_aside(const std::string& table, const std::string& where) {
    sql("CREATE TABLE saved_" + table + " AS SELECT * FROM " + table + " WHERE " + where);
  }
  void put_back(const std::string& table, const std::string& where) {
    sql("DELETE FROM " + table + " WHERE " + where + "; INSERT INTO " + table +
        " SELECT * FROM saved_" + table);
  }

  audit::VerifyReport verify() { return t.verify_with_records(); }

  // Raises the record to a key account: secret, contracts_customers only.
  void raise() {
    CustomerInput up;
    up.level = "secret";
    up.categories = std::vector<std::string>{"contracts_customers"};
    auto raised = customers.update(supervisor, id, up, false);
    ASSERT_TRUE(raised.ok()) << raised.error().message;
  }

  TestRuntime t;
  Customers customers{t.rt()};
  auth::User junior, supervisor;
  std::string id;
};

TEST_F(CustomersRollbackTest, OlderLowerLevelCustomerRowPutBackIsRefused_I1_C1_C2) {
  ASSERT_TRUE(customers.get(junior, id, {}).ok());
  copy_aside("customers", "id = '" + id + "'");
  raise();
  auto hidden = customers.get(junior, id, {});
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.error().kind, ErrorKind::kNotFound) << "C1: above the junior's reach";
  EXPECT_TRUE(verify().ok) << verify().problem;
  // The genuine older row (level internal, its MAC intact) is put back by SQL.
  put_back("customers", "id = '" + id + "'");
  auto replayed = customers.get(junior, id, {});
  ASSERT_FALSE(replayed.ok()) << "the older, lower level was accepted";
  EXPECT_EQ(replayed.error().kind, ErrorKind::kIntegrity);
  EXPECT_NE(replayed.error().message.find("older version"), std::string::npos)
      << replayed.error().message;
  EXPECT_EQ(replayed.error().message.find("张"), std::string::npos);
  // Every way to it refuses: search, the supervisor's own read, and an update over it.
  auto search = customers.search(junior, "phone", "13812345678");
  ASSERT_FALSE(search.ok());
  EXPECT_EQ(search.error().kind, ErrorKind::kIntegrity);
  EXPECT_FALSE(customers.get(supervisor, id, {}).ok());
  CustomerInput note;
  note.fields[static_cast<std::size_t>(CustomerField::kNotes)] = "x";
  auto update = customers.update(supervisor, id, note, false);
  ASSERT_FALSE(update.ok());
  EXPECT_EQ(update.error().kind, ErrorKind::kIntegrity);
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("customers " + id), std::string::npos) << report.problem;
  EXPECT_NE(report.problem.find("replayed"), std::string::npos) << report.problem;
}

TEST_F(CustomersRollbackTest, ContactEntriesOfAReplayedCustomerDoNotOpen_I1_C5) {
  auto entry = customers.add_contact(junior, id, {"phone", "complaint", "网络中断", std::nullopt});
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  copy_aside("customers", "id = '" + id + "'");
  raise();
  put_back("customers", "id = '" + id + "'");
  // The entries are sealed under the customer's data key, opened only through its checked row.
  WeeklyReports reports(t.rt());
  auto log = reports.raw_log(junior, junior.id, week_of(t.now, t.policy().centre().utc_offset));
  ASSERT_FALSE(log.ok()) << "H4: the raw log opened entries through a replayed customer";
  EXPECT_EQ(log.error().kind, ErrorKind::kIntegrity);
}

TEST_F(CustomersRollbackTest, ContactEntryRemovedFromTheLogIsNamedByVerify_I1_C5) {
  ASSERT_TRUE(
      customers.add_contact(junior, id, {"phone", "complaint", "网络中断", std::nullopt}).ok());
  ASSERT_TRUE(customers.add_contact(junior, id, {"qq", "fault", "光猫故障", std::nullopt}).ok());
  EXPECT_TRUE(verify().ok) << verify().problem;
  // The engine refuses (append-only); an editor who drops its guard deletes the complaint.
  sql("DROP TRIGGER customer_contacts_no_delete; DELETE FROM customer_contacts WHERE seq = 1");
  auto log = customers.contacts(junior, id);
  ASSERT_TRUE(log.ok()) << log.error().message;
  EXPECT_EQ(log->size(), 1u);
  const auto report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_NE(report.problem.find("customer_contacts"), std::string::npos) << report.problem;
  EXPECT_NE(report.problem.find("removed"), std::string::npos) << report.problem;
}

TEST_F(CustomersRollbackTest, ReplayedBlindIndexRowFindsNothing_I1_C3) {
  copy_aside("customer_index", "customer_id = '" + id + "'");
  CustomerInput moved;
  moved.fields[static_cast<std::size_t>(CustomerField::kPhone)] = "13900001111";
  ASSERT_TRUE(customers.update(junior, id, moved, false).ok());
  put_back("customer_index", "customer_id = '" + id + "'");
  // The old phone's index row points at the record again; the record no longer has it.
  auto old_phone = customers.search(junior, "phone", "13812345678");
  ASSERT_TRUE(old_phone.ok()) << old_phone.error().message;
  EXPECT_TRUE(old_phone->empty());
  EXPECT_TRUE(verify().ok) << "index rows decide nothing and are not records: " << verify().problem;
}

}  // namespace
}  // namespace baomi::services
