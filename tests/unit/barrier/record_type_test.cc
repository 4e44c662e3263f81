// Declarations that would weaken a record (RecordType<T>) fail when they are made, at start-up,
// not on the first write: a shreddable record whose MAC would not notice its sealed bytes
// emptied, a parent whose data key cannot be found. Integer key columns are part of the key.
#include "barrier/record_type.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "barrier/records.h"  // parent_data_key opens the parent through Records<P>

namespace baomi::barrier {
namespace {

struct Parent {
  std::string id;
  std::string secret;
};

struct Child {
  std::string parent_id;
  std::uint64_t number = 0;
  std::uint64_t count = 0;
  std::string secret;
};

std::string type_owner(const Parent& p) { return "parent:" + p.id; }

TEST(RecordTypeTest, IntegerKeyColumnsArePartOfTheKey) {
  const auto type = RecordType<Child>("children")
                        .key("parent_id", &Child::parent_id)
                        .key("number", &Child::number)
                        .number("count", &Child::count)
                        .mac("mac");
  EXPECT_EQ(type.table().key_size, 2u);
  EXPECT_EQ(type.table().columns[1].type, storage::ColumnType::kInteger);
  Child c;
  ASSERT_TRUE(type.fields()[2].set(c, storage::Value(std::int64_t{7})).ok());
  EXPECT_EQ(c.count, 7u);
  EXPECT_FALSE(type.fields()[2].set(c, storage::Value(std::int64_t{-1})).ok());
  EXPECT_THROW(
      RecordType<Child>("bad").number("count", &Child::count).key("number", &Child::number),
      std::logic_error);
}

TEST(RecordTypeTest, ShreddableNeedsTheMacToCoverWhatIsEmptied) {
  EXPECT_NO_THROW(RecordType<Parent>("parents")
                      .key("id", &Parent::id)
                      .data_key("wrapped_key", type_owner, type_owner)
                      .sealed("sealed", "secret", &Parent::secret)
                      .mac("mac")
                      .shreddable());
  EXPECT_THROW(RecordType<Parent>("parents")
                   .key("id", &Parent::id)
                   .data_key("wrapped_key", type_owner, type_owner)
                   .sealed("sealed", "secret", &Parent::secret)
                   .outside_mac()
                   .mac("mac")
                   .shreddable(),
               std::logic_error);
}

TEST(RecordTypeTest, ParentDataKeyNeedsAParentWithADataKeyAndAMac) {
  const auto parent = RecordType<Parent>("parents")
                          .key("id", &Parent::id)
                          .data_key("wrapped_key", type_owner, type_owner)
                          .sealed("sealed", "secret", &Parent::secret)
                          .mac("mac");
  const auto by_parent = [](const Child& c) { return storage::Row{c.parent_id}; };
  const auto seal_id = [](const Child& c) { return "parent:" + c.parent_id; };
  const auto child = RecordType<Child>("children")
                         .key("parent_id", &Child::parent_id)
                         .key("number", &Child::number)
                         .parent_data_key(parent, by_parent, seal_id)
                         .sealed("sealed", "secret", &Child::secret)
                         .mac("mac");
  ASSERT_TRUE(child.has_parent_data_key());
  EXPECT_EQ(&child.parent_table(), &parent.table());
  const auto keyless = RecordType<Parent>("keyless").key("id", &Parent::id).mac("mac");
  EXPECT_THROW(RecordType<Child>("orphans")
                   .key("parent_id", &Child::parent_id)
                   .parent_data_key(keyless, by_parent, seal_id),
               std::logic_error);
}

}  // namespace
}  // namespace baomi::barrier
