#include "barrier/barrier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "barrier_fixture.h"

namespace baomi::barrier {
namespace {

using crypto::SecretKey;
using testing::flipped;
using testing::Instance;

class BarrierTest : public ::testing::Test {
 protected:
  Instance inst_;
  std::unique_ptr<Barrier> barrier_ = inst_.barrier();
};

TEST_F(BarrierTest, NewDataKeyUnwrapsForItsOwner) {
  const DataKey dk = barrier_->new_data_key("doc:abc");
  EXPECT_EQ(dk.wrapped.kek_version, 1u);
  auto key = barrier_->unwrap(dk.wrapped, "doc:abc");
  ASSERT_TRUE(key.ok());
  EXPECT_TRUE(key->equals(dk.key));
  EXPECT_FALSE(barrier_->new_data_key("doc:abc").key.equals(dk.key));
}

TEST_F(BarrierTest, WrappedKeyMovedToAnotherOwnerFails) {
  const DataKey dk = barrier_->new_data_key("docver:abc:1");
  for (std::string_view owner : {"docver:abc:2", "docver:abd:1", "doc:abc", ""}) {
    auto r = barrier_->unwrap(dk.wrapped, owner);
    ASSERT_FALSE(r.ok()) << owner;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
}

TEST_F(BarrierTest, EverySingleByteFlipOfAStoredWrappedKeyFails) {
  const DataKey dk = barrier_->new_data_key("user:u1");
  const Bytes blob = encode(dk.wrapped);
  for (std::size_t i = 0; i < blob.size(); ++i) {
    auto decoded = decode_wrapped_key(flipped(blob, i));
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.error().kind, ErrorKind::kIntegrity);
      continue;
    }
    auto r = barrier_->unwrap(*decoded, "user:u1");
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
}

TEST_F(BarrierTest, RotationKeepsOldKeysAndRewrapUsesTheNewKek) {
  const DataKey dk = barrier_->new_data_key("doc:1");
  auto record = barrier_->rotate_kek();
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(barrier_->current_kek_version(), 2u);
  EXPECT_TRUE(barrier_->unwrap(dk.wrapped, "doc:1")->equals(dk.key));
  auto rewrapped = barrier_->rewrap(dk.wrapped, "doc:1");
  ASSERT_TRUE(rewrapped.ok());
  EXPECT_EQ(rewrapped->kek_version, 2u);
  EXPECT_TRUE(barrier_->unwrap(*rewrapped, "doc:1")->equals(dk.key));
  EXPECT_EQ(barrier_->new_data_key("doc:2").wrapped.kek_version, 2u);
}

// Rotation across server instances: a barrier opened before another made KEK 2 learns it from
// its KEK source when it first meets a key under it, and wraps new keys under it from then on;
// a stored KEK that does not open under the master key is refused, not adopted.
TEST_F(BarrierTest, AKekStoredByAnotherInstanceIsLearntFromTheSourceOnFirstUse) {
  std::vector<KekRecord> stored = inst_.keks;
  int reads = 0;
  barrier_->set_kek_source([&]() -> Result<std::vector<KekRecord>> {
    ++reads;
    return stored;
  });
  auto other = inst_.barrier();
  const KekRecord kek2 = other->new_kek_record(2);
  EXPECT_EQ(other->current_kek_version(), 1u) << "not adopted before it is stored";
  stored.push_back(kek2);
  ASSERT_EQ(other->adopt_keks({kek2}).value(), 1u);
  const DataKey dk = other->new_data_key("doc:9");
  ASSERT_EQ(dk.wrapped.kek_version, 2u);

  auto opened = barrier_->unwrap(dk.wrapped, "doc:9");
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE(opened->equals(dk.key));
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(barrier_->current_kek_version(), 2u);
  EXPECT_EQ(barrier_->new_data_key("doc:10").wrapped.kek_version, 2u);
  EXPECT_TRUE(barrier_->unwrap(dk.wrapped, "doc:9").ok());
  EXPECT_EQ(reads, 1) << "a known KEK needs no read";

  Instance foreign;
  EXPECT_FALSE(barrier_->adopt_keks({Keyring::new_kek(foreign.master, 3)}).ok());
  EXPECT_EQ(barrier_->current_kek_version(), 2u);
  EXPECT_EQ(barrier_->kek_versions(), (std::vector<std::uint32_t>{1, 2}));
}

TEST_F(BarrierTest, FieldsRoundTrip) {
  const DataKey dk = barrier_->new_data_key("customer:c1");
  using namespace std::string_view_literals;
  for (std::string_view text : {""sv, "13812345678"sv, "保密 title"sv, "x\0y"sv}) {
    const Sealed s = barrier_->seal_field(dk.key, "customer:c1", "phone", text);
    auto back = barrier_->open_field(dk.key, "customer:c1", "phone", s);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, text);
  }
}

TEST_F(BarrierTest, SealedFieldHidesPlaintextAndTwoSealsDiffer) {
  const DataKey dk = barrier_->new_data_key("customer:c1");
  const Sealed a = barrier_->seal_field(dk.key, "customer:c1", "phone", "13812345678");
  const Sealed b = barrier_->seal_field(dk.key, "customer:c1", "phone", "13812345678");
  EXPECT_NE(a.bytes(), b.bytes());
  EXPECT_EQ(to_string(a.bytes()).find("13812345678"), std::string::npos);
  // What storage hands back opens the same way.
  auto back = barrier_->open_field(dk.key, "customer:c1", "phone", Sealed::from_storage(a.bytes()));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "13812345678");
}

TEST_F(BarrierTest, FieldBoundToRecordFieldAndKey) {
  const DataKey dk = barrier_->new_data_key("doc:1");
  const Sealed s = barrier_->seal_field(dk.key, "doc:1", "title", "plan");
  const SecretKey other = barrier_->new_data_key("doc:1").key;
  EXPECT_EQ(barrier_->open_field(dk.key, "doc:2", "title", s).error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ(barrier_->open_field(dk.key, "doc:1", "description", s).error().kind,
            ErrorKind::kIntegrity);
  EXPECT_EQ(barrier_->open_field(other, "doc:1", "title", s).error().kind, ErrorKind::kIntegrity);
  // The length-prefixed AD keeps ("doc:1t", "itle") apart from ("doc:1", "title").
  EXPECT_EQ(barrier_->open_field(dk.key, "doc:1t", "itle", s).error().kind, ErrorKind::kIntegrity);
}

TEST_F(BarrierTest, EverySingleByteFlipOfASealedFieldFails) {
  const DataKey dk = barrier_->new_data_key("doc:1");
  const Sealed s = barrier_->seal_field(dk.key, "doc:1", "title", "quarterly plan");
  for (std::size_t i = 0; i < s.bytes().size(); ++i) {
    auto r =
        barrier_->open_field(dk.key, "doc:1", "title", Sealed::from_storage(flipped(s.bytes(), i)));
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
}

TEST_F(BarrierTest, CryptoShreddingLeavesNoOtherKeyThatOpensTheData) {
  const DataKey victim = barrier_->new_data_key("doc:gone");
  const Sealed s = barrier_->seal_field(victim.key, "doc:gone", "title", "secret");
  // Once the victim's wrapped key is destroyed, no other data key opens its data.
  for (int i = 0; i < 20; ++i) {
    const DataKey other = barrier_->new_data_key("doc:gone");
    EXPECT_FALSE(barrier_->open_field(other.key, "doc:gone", "title", s).ok());
  }
}

TEST_F(BarrierTest, BlindIndexIsDeterministicKeyedAndKindBound) {
  // C3: exact-match search on encrypted fields without storing the value.
  const std::string idx = barrier_->blind_index("phone", "13812345678");
  EXPECT_TRUE(std::regex_match(idx, std::regex("^[0-9a-f]{64}$")));
  EXPECT_EQ(idx, barrier_->blind_index("phone", "13812345678"));
  EXPECT_EQ(idx, inst_.barrier()->blind_index("phone", "13812345678"));  // same master
  EXPECT_NE(idx, barrier_->blind_index("phone", "13812345679"));
  EXPECT_NE(idx, barrier_->blind_index("username", "13812345678"));
  EXPECT_NE(barrier_->blind_index("ab", "c"), barrier_->blind_index("a", "bc"));
  EXPECT_NE(idx, Instance().barrier()->blind_index("phone", "13812345678"));  // other master
}

TEST_F(BarrierTest, AuditAndTokenHashesUseSeparateKeys) {
  const std::string a = barrier_->audit_hash("13812345678");
  const std::string t = barrier_->token_hash("13812345678");
  EXPECT_TRUE(std::regex_match(a, std::regex("^[0-9a-f]{64}$")));
  EXPECT_TRUE(std::regex_match(t, std::regex("^[0-9a-f]{64}$")));
  EXPECT_EQ(a, barrier_->audit_hash("13812345678"));
  EXPECT_EQ(t, barrier_->token_hash("13812345678"));
  EXPECT_NE(a, t);
  EXPECT_NE(a, barrier_->blind_index("", "13812345678"));
  EXPECT_NE(a, barrier_->audit_hash("13812345679"));
  EXPECT_NE(t, Instance().barrier()->token_hash("13812345678"));
}

TEST_F(BarrierTest, ConcurrentUseDuringRotationIsSafe) {
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 200; ++i) {
        const std::string owner = "doc:" + std::to_string(w) + ":" + std::to_string(i);
        const DataKey dk = barrier_->new_data_key(owner);
        const Sealed s = barrier_->seal_field(dk.key, owner, "title", owner);
        auto key = barrier_->unwrap(dk.wrapped, owner);
        auto re = barrier_->rewrap(dk.wrapped, owner);
        if (!key.ok() || !re.ok() || !barrier_->unwrap(*re, owner).ok()) {
          ++failures;
          continue;
        }
        auto opened = barrier_->open_field(*key, owner, "title", s);
        if (!opened.ok() || *opened != owner) ++failures;
      }
    });
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(barrier_->rotate_kek().ok());
  for (auto& t : workers) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(barrier_->current_kek_version(), 21u);
}

}  // namespace
}  // namespace baomi::barrier
