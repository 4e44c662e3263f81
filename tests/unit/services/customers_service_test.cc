// Customers as a service over a real store, with time as an input: masked reads, unmask per
// role with a reason (C3), blind-index search, C1 refusals, the contact log (C5), updates that
// re-index (I1), the watch alert (C4), and audit entries free of personal data.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/json.hpp>

#include "services/customers/customers.h"
#include "services/incidents/incident.h"
#include "services/workflow/sealed_objects.h"
#include "support/test_runtime.h"
#include "unit/services/audit_detail_util.h"

namespace baomi::services {
namespace {

using policy::CustomerField;
using policy::Level;
using policy::Role;
using testing::TestRuntime;
using testing_detail::details_of;
using Details = std::vector<std::string>;

// The members of a JSON object detail, in order, each as "key:type".
std::vector<std::string> shape_of(const std::string& detail) {
  std::vector<std::string> out;
  const auto parsed = boost::json::parse(detail);
  for (const auto& m : parsed.as_object()) {
    const auto& v = m.value();
    const char* type = v.is_string()   ? "string"
                       : v.is_array()  ? "array"
                       : v.is_object() ? "object"
                       : v.is_bool()   ? "bool"
                       : v.is_number() ? "number"
                                       : "other";
    out.push_back(std::string(m.key()) + ":" + type);
  }
  return out;
}

CustomerInput input(std::initializer_list<std::pair<CustomerField, std::string>> fields) {
  CustomerInput in;
  for (const auto& [f, v] : fields) in.fields[static_cast<std::size_t>(f)] = v;
  return in;
}

class CustomersServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    staff = t.user("wang.fang", Role::kStaff, Level::kSecret);
    supervisor = t.user("zhao.lei", Role::kSupervisor, Level::kSecret,
                        testing::cats(t.policy(), {"contracts_customers"}));
    auditor = t.user("audit.one", Role::kAuditor, Level::kTopSecret);
    auth::Accounts accounts(t.rt());
    outsider = accounts
                   .bootstrap_user(
                       {"admin.staff", "admin.staff", "administration", "password-123", {"staff"}},
                       Level::kSecret, 0)
                   .value();
    outsider = accounts.accept_pledge(outsider).value();
    auto created = customers.create(staff, input({{CustomerField::kName, "张三"},
                                                  {CustomerField::kPhone, "+86 138-1234-5678"},
                                                  {CustomerField::kIdNumber, "11010519491231002x"},
                                                  {CustomerField::kEmail, "Zhang.San@Example.com"},
                                                  {CustomerField::kNotes, "老客户"}}));
    ASSERT_TRUE(created.ok()) << created.error().message;
    id = created->customer.id;
  }

  std::string audit_text() {
    std::string all;
    for (const auto& r : t.audit_rows()) all += r.action + " " + r.target + " " + r.detail + "\n";
    return all;
  }

  TestRuntime t;
  Customers customers{t.rt()};
  auth::User staff, supervisor, auditor, outsider;
  std::string id;
};

TEST_F(CustomersServiceTest, ReadIsMaskedByDefaultAndAudited_C3_C4) {
  auto v = customers.get(staff, id, {});
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->customer.field(CustomerField::kPhone), "138****5678");
  EXPECT_EQ(v->customer.field(CustomerField::kName), "张*");
  EXPECT_EQ(v->customer.field(CustomerField::kIdNumber), "1101**********002X");
  EXPECT_EQ(v->customer.field(CustomerField::kEmail), "z***@example.com");
  EXPECT_EQ(v->customer.field(CustomerField::kNotes), "****");
  EXPECT_EQ(v->unmasked, 0);
  const auto rows = t.audit_rows();
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.back().action, "customer.read");
  EXPECT_EQ(rows.back().actor, staff.id);
  EXPECT_EQ(rows.back().target, "customer:" + id);
}

TEST_F(CustomersServiceTest, StaffMayUnmaskPhoneOnlyWithReason_C3) {
  auto phone = customers.get(staff, id, {policy::field_bit(CustomerField::kPhone), "回拨"});
  ASSERT_TRUE(phone.ok()) << phone.error().message;
  EXPECT_EQ(phone->customer.field(CustomerField::kPhone), "13812345678");
  EXPECT_EQ(phone->customer.field(CustomerField::kName), "张*");  // the rest stays masked
  auto no_reason = customers.get(staff, id, {policy::field_bit(CustomerField::kPhone), "  "});
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().kind, ErrorKind::kInvalidArgument);
  auto id_number = customers.get(staff, id, {policy::field_bit(CustomerField::kIdNumber), "核实"});
  ASSERT_FALSE(id_number.ok());
  EXPECT_EQ(id_number.error().code, "unmask_not_allowed");
  EXPECT_EQ(id_number.error().rule, "C3");
  auto all = customers.get(supervisor, id, {policy::kAllCustomerFields, "投诉核实"});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->customer.field(CustomerField::kIdNumber), "11010519491231002X");
  EXPECT_EQ(all->customer.field(CustomerField::kNotes), "老客户");
}

TEST_F(CustomersServiceTest, UnmaskAuditKeepsFieldsAndReasonHashNeverValues_C3) {
  ASSERT_TRUE(
      customers.get(staff, id, {policy::field_bit(CustomerField::kPhone), "客户要求回拨"}).ok());
  const auto rows = t.audit_rows();
  EXPECT_EQ(rows.back().action, "customer.unmask");
  EXPECT_NE(rows.back().detail.find("\"fields\":[\"phone\"]"), std::string::npos);
  EXPECT_NE(rows.back().detail.find("reason_hash"), std::string::npos);
  const auto text = audit_text();
  for (const char* secret :
       {"13812345678", "张三", "客户要求回拨", "11010519491231002X", "zhang.san", "老客户"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  // The reason itself is kept sealed, for investigations.
  SealedObjects objects(t.rt());
  std::vector<StoredObject> kept;
  ASSERT_TRUE(t.sealed()
                  .read([&](barrier::ReadTx& tx) -> Result<void> {
                    ObjectQuery q;
                    q.kind = "unmask_reason";
                    BAOMI_ASSIGN_OR_RETURN(kept, objects.list(tx, q));
                    return {};
                  })
                  .ok());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].body.at("reason").as_string(), "客户要求回拨");
}

TEST_F(CustomersServiceTest, SearchFindsByEveryFormOfTheNumber_C3) {
  for (const char* form :
       {"13812345678", "+8613812345678", "86 138 1234 5678", "0086-138-1234-5678"}) {
    auto hits = customers.search(staff, "phone", form);
    ASSERT_TRUE(hits.ok()) << form;
    ASSERT_EQ(hits->size(), 1u) << form;
    EXPECT_EQ(hits->front().customer.field(CustomerField::kPhone), "138****5678");
  }
  EXPECT_EQ(customers.search(staff, "id_number", "11010519491231002X")->size(), 1u);
  EXPECT_EQ(customers.search(staff, "email", "ZHANG.SAN@example.com")->size(), 1u);
  EXPECT_EQ(customers.search(staff, "phone", "13812345679")->size(), 0u);
  EXPECT_EQ(customers.search(staff, "phone", "1381234")->size(), 0u);  // no prefix search
  auto by_name = customers.search(staff, "name", "张三");
  ASSERT_FALSE(by_name.ok());
  EXPECT_EQ(by_name.error().kind, ErrorKind::kInvalidArgument);
  // The term is in the trail only as a keyed hash.
  EXPECT_EQ(audit_text().find("13812345678"), std::string::npos);
  EXPECT_NE(audit_text().find("term_hash"), std::string::npos);
}

TEST_F(CustomersServiceTest, SearchHidesRecordsAboveTheReadersReach_C1_S6) {
  CustomerInput key_account =
      input({{CustomerField::kName, "欧阳娜"}, {CustomerField::kQq, "12345678"}});
  key_account.level = "secret";
  key_account.categories = std::vector<std::string>{"contracts_customers"};
  auto created = customers.create(supervisor, key_account);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(customers.search(supervisor, "qq", "12345678")->size(), 1u);
  EXPECT_EQ(customers.search(staff, "qq", "12345678")->size(), 0u);  // no category
  auto get = customers.get(staff, created->customer.id, {});
  ASSERT_FALSE(get.ok());
  EXPECT_EQ(get.error().kind, ErrorKind::kNotFound);
}

TEST_F(CustomersServiceTest, AdminsAndOutsidersAreRefused_C1) {
  auto admin_get = customers.get(auditor, id, {});
  ASSERT_FALSE(admin_get.ok());
  EXPECT_EQ(admin_get.error().kind, ErrorKind::kNotFound);
  auto outsider_search = customers.search(outsider, "phone", "13812345678");
  ASSERT_FALSE(outsider_search.ok());
  EXPECT_EQ(outsider_search.error().code, "outside_centre");
  auto outsider_create = customers.create(outsider, input({{CustomerField::kName, "李四"}}));
  ASSERT_FALSE(outsider_create.ok());
  EXPECT_EQ(outsider_create.error().rule, "C1");
  EXPECT_NE(audit_text().find("customer.search customers {\"reason\":\"outside_centre\"}"),
            std::string::npos);
}

TEST_F(CustomersServiceTest, UpdateResealsAndReindexes_I1) {
  auto updated =
      customers.update(staff, id, input({{CustomerField::kPhone, "13900001111"}}), false);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->customer.revision, 2u);
  EXPECT_EQ(updated->customer.field(CustomerField::kName), "张*");  // PATCH keeps the rest
  EXPECT_EQ(customers.search(staff, "phone", "13812345678")->size(), 0u);
  EXPECT_EQ(customers.search(staff, "phone", "13900001111")->size(), 1u);
  const auto text = audit_text();
  EXPECT_NE(text.find("customer.update"), std::string::npos);
  EXPECT_EQ(text.find("13900001111"), std::string::npos);
  auto replaced = customers.update(staff, id, input({{CustomerField::kName, "张三丰"}}), true);
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(replaced->customer.field(CustomerField::kPhone).empty());  // PUT clears the rest
  auto bad = customers.update(staff, id, input({{CustomerField::kQq, "12"}}), false);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'qq'"), std::string::npos);
}

TEST_F(CustomersServiceTest, ContactLogIsAppendOnlyWithCorrections_C5_I1) {
  auto first =
      customers.add_contact(staff, id, {"phone", "complaint", "网络中断两天", std::nullopt});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->seq, 1u);
  EXPECT_EQ(first->handled_by, staff.id);
  EXPECT_EQ(first->created_at, t.now);
  auto fix = customers.add_contact(supervisor, id, {"phone", "fault", "更正：光猫故障", first->id});
  ASSERT_TRUE(fix.ok());
  EXPECT_EQ(fix->seq, 2u);
  auto dangling = customers.add_contact(staff, id, {"phone", "fault", "x", std::string("nope")});
  ASSERT_FALSE(dangling.ok());
  EXPECT_NE(dangling.error().message.find("'corrects'"), std::string::npos);
  auto bad_channel = customers.add_contact(staff, id, {"fax", "fault", "x", std::nullopt});
  ASSERT_FALSE(bad_channel.ok());
  EXPECT_NE(bad_channel.error().message.find("'channel'"), std::string::npos);
  auto log = customers.contacts(staff, id);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].content, "网络中断两天");
  EXPECT_EQ((*log)[1].corrects, first->id);
  // The database itself refuses edits and deletions of the log (triggers).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((t.dir() / "baomi.db").string().c_str(), &db), SQLITE_OK);
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE customer_contacts SET handled_by = 'x'", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM customer_contacts", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::vector<ContactEntry> week;
  ASSERT_TRUE(t.sealed()
                  .read([&](barrier::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(
                        week, CustomerRecords(t.rt()).contacts_handled_by(
                                  tx, staff.id, t.now, t.now + std::chrono::microseconds(1)));
                    return {};
                  })
                  .ok());
  EXPECT_EQ(week.size(), 1u);  // H4: per staff member and time range
}

TEST_F(CustomersServiceTest, WatchAlertsOnceAboveThreshold_C4) {
  const int threshold = t.policy().customers().watch_distinct_customers;
  std::vector<std::string> ids{id};
  for (int i = 1; i <= threshold; ++i) {
    auto c = customers.create(staff, input({{CustomerField::kName, "客户" + std::to_string(i)}}));
    ASSERT_TRUE(c.ok());
    ids.push_back(c->customer.id);
  }
  const auto count_alerts = [&] {
    std::vector<StoredObject> alerts;
    EXPECT_TRUE(t.sealed()
                    .read([&](barrier::ReadTx& tx) -> Result<void> {
                      ObjectQuery q;
                      q.kind = std::string(kAlertKind);
                      BAOMI_ASSIGN_OR_RETURN(alerts, SealedObjects(t.rt()).list(tx, q));
                      return {};
                    })
                    .ok());
    return alerts;
  };
  for (int i = 0; i < threshold; ++i) ASSERT_TRUE(customers.get(staff, ids[i], {}).ok());
  EXPECT_TRUE(count_alerts().empty()) << "exactly at the threshold: no alert";
  ASSERT_TRUE(customers.get(staff, ids[threshold], {}).ok());
  auto alerts = count_alerts();
  ASSERT_EQ(alerts.size(), 1u);
  auto alert = alert_from_object(alerts[0]).value();
  EXPECT_EQ(alert.type, "customer_watch");
  EXPECT_EQ(alert.target, "customers");
  EXPECT_TRUE(alert.custodian_id.empty());
  EXPECT_EQ(alert.detail, std::to_string(threshold + 1) + " distinct customers viewed within 1h");
  ASSERT_TRUE(customers.get(staff, ids[0], {}).ok());
  EXPECT_EQ(count_alerts().size(), 1u);  // not again within the window
}

// Each action's detail, member by member (keys, order, types): auditors' tools read them, and
// none holds a value of the record (only ids, field names, counts and keyed hashes).
TEST_F(CustomersServiceTest, AuditDetailsHaveTheirDocumentedMembers_C3_C4_C5_I1) {
  EXPECT_EQ(
      details_of(t, "customer.create"),
      Details{R"({"level":"internal","fields":["name","phone","id_number","email","notes"]})"});
  ASSERT_TRUE(customers.get(staff, id, {}).ok());
  EXPECT_EQ(details_of(t, "customer.read"), Details{"{}"});
  ASSERT_TRUE(customers.get(staff, id, {policy::field_bit(CustomerField::kPhone), "回拨"}).ok());
  const auto unmask = details_of(t, "customer.unmask");
  ASSERT_EQ(unmask.size(), 1u);
  EXPECT_EQ(shape_of(unmask[0]),
            (Details{"fields:array", "reason_ref:string", "reason_hash:string"}));
  EXPECT_EQ(unmask[0].rfind(R"({"fields":["phone"],"reason_ref":")", 0), 0u) << unmask[0];

  ASSERT_EQ(customers.search(staff, "phone", "13812345678")->size(), 1u);
  const auto search = details_of(t, "customer.search");
  ASSERT_EQ(search.size(), 1u);
  EXPECT_EQ(shape_of(search[0]), (Details{"field:string", "term_hash:string", "results:array"}));
  EXPECT_EQ(search[0].rfind(R"({"field":"phone","term_hash":")", 0), 0u) << search[0];
  EXPECT_NE(search[0].find(R"(","results":[")" + id + R"("]})"), std::string::npos) << search[0];

  ASSERT_TRUE(
      customers.update(staff, id, input({{CustomerField::kPhone, "13900001111"}}), false).ok());
  const auto update = details_of(t, "customer.update");
  ASSERT_EQ(update.size(), 1u);
  EXPECT_EQ(shape_of(update[0]), (Details{"revision:number", "level:string", "changed:object"}));
  const auto parsed = boost::json::parse(update[0]);
  const auto& changed = parsed.at("changed").as_object();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(shape_of(boost::json::serialize(changed.at("phone"))),
            (Details{"old:string", "new:string"}));
  EXPECT_EQ(update[0].rfind(R"({"revision":2,"level":"internal","changed":{"phone":{"old":")", 0),
            0u)
      << update[0];

  auto first = customers.add_contact(staff, id, {"phone", "complaint", "网络中断", std::nullopt});
  ASSERT_TRUE(first.ok());
  auto fix = customers.add_contact(supervisor, id, {"phone", "fault", "更正", first->id});
  ASSERT_TRUE(fix.ok());
  EXPECT_EQ(
      details_of(t, "customer.contact_add"),
      (Details{
          R"({"contact_id":")" + first->id + R"(","seq":1,"channel":"phone","type":"complaint"})",
          R"({"contact_id":")" + fix->id +
              R"(","seq":2,"channel":"phone","type":"fault","corrects":")" + first->id + R"("})"}));
  ASSERT_TRUE(customers.contacts(staff, id).ok());
  EXPECT_EQ(details_of(t, "customer.contacts_read"), Details{R"({"entries":2})"});
}

}  // namespace
}  // namespace baomi::services
