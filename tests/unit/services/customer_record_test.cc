// Customer records on the sealed-record layer: the stored bytes are those of earlier releases
// (same columns, same MAC coverage, same sealing), so instances written before the layer still
// open; long contact logs are read whole and in order through the paged scans (C5, H4).
#include "services/customers/customer_record.h"

#include <gtest/gtest.h>

#include <set>

#include "barrier/barrier.h"
#include "crypto/random.h"
#include "services/customers/customers.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::CustomerField;
using policy::Level;
using policy::Role;
using testing::TestRuntime;

std::string customer_text(const storage::Value& v) { return std::get<std::string>(v); }
std::string_view bytes(const storage::Value& v) {
  const auto& b = std::get<Bytes>(v);
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
std::uint64_t number(const storage::Value& v) {
  return static_cast<std::uint64_t>(std::get<std::int64_t>(v));
}

class CustomerRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    staff = t.user("wang.fang", Role::kStaff, Level::kSecret);
    CustomerInput in;
    in.fields[static_cast<std::size_t>(CustomerField::kName)] = "张三";
    in.fields[static_cast<std::size_t>(CustomerField::kPhone)] = "13812345678";
    auto created = customers.create(staff, in);
    ASSERT_TRUE(created.ok()) << created.error().message;
    id = created->customer.id;
  }

  storage::Row raw(const storage::Table& table, const std::string& key) {
    std::optional<storage::Row> row;
    EXPECT_TRUE(t.store()
                    .read([&](storage::ReadTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(row, tx.get_row(table, {key}));
                      return {};
                    })
                    .ok());
    return row.value_or(storage::Row{});
  }

  TestRuntime t;
  Customers customers{t.rt()};
  auth::User staff;
  std::string id;
};

TEST_F(CustomerRecordTest, StoredBytesAreThoseOfEarlierReleases_I1) {
  const auto& table = customer_record_type().table();
  std::vector<std::string> columns;
  for (const auto& c : table.columns) columns.push_back(c.name);
  EXPECT_EQ(columns, (std::vector<std::string>{
                         "id", "level", "categories", "created_at", "updated_at", "created_by",
                         "revision", "wrapped_key", "sealed_name", "sealed_phone",
                         "sealed_id_number", "sealed_qq", "sealed_email", "sealed_account",
                         "sealed_address", "sealed_products", "sealed_notes", "mac"}));
  const auto row = raw(table, id);
  ASSERT_EQ(row.size(), columns.size());
  const auto col = [&](const char* name) -> const storage::Value& {
    return row[table.position(name)];
  };
  // The MAC field list of earlier releases (services/customers/customer.cc before the layer).
  Bytes old;
  append_field(old, "customers");
  append_field(old, customer_text(col("id")));
  append_field(old, customer_text(col("level")));
  append_field(old, customer_text(col("categories")));
  append_u64(old, number(col("created_at")));
  append_u64(old, number(col("updated_at")));
  append_field(old, customer_text(col("created_by")));
  append_u64(old, number(col("revision")));
  append_field(old, bytes(col("wrapped_key")));
  for (std::size_t i = 8; i < 17; ++i) append_field(old, bytes(row[i]));
  EXPECT_TRUE(t.rt().barrier.check_row_mac(old, customer_text(col("mac"))).ok());
  EXPECT_TRUE(bytes(col("sealed_notes")).empty()) << "an unset field stays an empty column";
  // Sealed as before: the data key bound to "cust:<id>", each field to (id, field name).
  const auto& barrier = t.rt().barrier;
  auto wrapped = barrier::decode_wrapped_key(std::get<Bytes>(col("wrapped_key")));
  ASSERT_TRUE(wrapped.ok());
  auto key = barrier.unwrap(*wrapped, "cust:" + id);
  ASSERT_TRUE(key.ok());
  auto phone = barrier.open_field(
      *key, id, "phone", barrier::Sealed::from_storage(std::get<Bytes>(col("sealed_phone"))));
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(*phone, "13812345678");

  auto entry = customers.add_contact(staff, id, {"phone", "complaint", "网络中断", std::nullopt});
  ASSERT_TRUE(entry.ok()) << entry.error().message;
  const auto& contacts = contact_record_type().table();
  const auto c = raw(contacts, entry->id);
  ASSERT_EQ(c.size(), 7u);
  Bytes old_contact;
  append_field(old_contact, "customer_contacts");
  append_field(old_contact, customer_text(c[0]));
  append_field(old_contact, customer_text(c[1]));
  append_u64(old_contact, number(c[2]));
  append_u64(old_contact, number(c[3]));
  append_field(old_contact, customer_text(c[4]));
  append_field(old_contact, bytes(c[5]));
  EXPECT_TRUE(barrier.check_row_mac(old_contact, customer_text(c[6])).ok());
  auto body = barrier.open_field(*key, id + "/" + entry->id, "contact",
                                 barrier::Sealed::from_storage(std::get<Bytes>(c[5])));
  ASSERT_TRUE(body.ok());
  EXPECT_NE(body->find("网络中断"), std::string::npos);
}

TEST_F(CustomerRecordTest, LongLogsAreReadWholeAndInOrder_C5_H4) {
  // More than a page (512) at one instant, then more a second later: both paging paths.
  constexpr std::uint64_t kSameInstant = 550, kLater = 40;
  const CustomerRecords records(t.rt());
  ASSERT_TRUE(t.sealed()
                  .write([&](barrier::WriteTx& tx) -> Result<void> {
                    for (std::uint64_t seq = 1; seq <= kSameInstant + kLater; ++seq) {
                      ContactEntry e;
                      e.id = crypto::random_id();
                      e.customer_id = id;
                      e.seq = seq;
                      e.created_at = seq <= kSameInstant ? t.now : t.now + std::chrono::seconds(1);
                      e.handled_by = staff.id;
                      e.channel = "phone";
                      e.type = "consultation";
                      e.content = "第" + std::to_string(seq) + "次";
                      BAOMI_TRY(records.append_contact(tx, e));
                    }
                    BAOMI_TRY(t.rt().audit.append(
                        tx,
                        {staff.id, "customer.contact_add", "customer:" + id, "allow", "C5", "{}"},
                        t.now));
                    return {};
                  })
                  .ok());
  std::vector<ContactEntry> log, week;
  std::uint64_t last = 0;
  ASSERT_TRUE(t.sealed()
                  .read([&](barrier::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(log, records.contacts(tx, id));
                    BAOMI_ASSIGN_OR_RETURN(last, records.last_contact_seq(tx, id));
                    BAOMI_ASSIGN_OR_RETURN(
                        week, records.contacts_handled_by(tx, staff.id, t.now,
                                                          t.now + std::chrono::hours(1)));
                    return {};
                  })
                  .ok());
  ASSERT_EQ(log.size(), kSameInstant + kLater);
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].seq, i + 1);
  EXPECT_EQ(last, kSameInstant + kLater);
  ASSERT_EQ(week.size(), kSameInstant + kLater);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < week.size(); ++i) {
    ids.insert(week[i].id);
    if (i == 0) continue;
    const auto& a = week[i - 1];
    const auto& b = week[i];
    EXPECT_TRUE(a.created_at < b.created_at || (a.created_at == b.created_at && a.id < b.id))
        << "H4: by time, then id";
  }
  EXPECT_EQ(ids.size(), week.size()) << "no entry twice";
  // A correction that names another customer's entry is refused (C5).
  auto other = customers.create(staff, [] {
    CustomerInput in;
    in.fields[static_cast<std::size_t>(CustomerField::kName)] = "李四";
    return in;
  }());
  ASSERT_TRUE(other.ok());
  auto wrong = customers.add_contact(staff, other->customer.id,
                                     {"phone", "fault", "更正", std::string(log.front().id)});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("'corrects'"), std::string::npos);
}

}  // namespace
}  // namespace baomi::services
