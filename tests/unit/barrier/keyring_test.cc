#include "barrier/keyring.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "barrier_fixture.h"

namespace baomi::barrier {
namespace {

using crypto::SecretKey;
using testing::Instance;

TEST(Keyring, OpenWithNoKeksIsInvalidArgument) {
  auto r = Keyring::open(SecretKey::generate(), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
}

TEST(Keyring, WrongMasterKeyFailsToOpen) {
  const Instance inst;
  auto r = Keyring::open(SecretKey::generate(), inst.keks);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ(r.error().message, "master key does not match this instance");
}

TEST(Keyring, AnyTamperedKekRecordFailsToOpen) {
  Instance inst;
  inst.keks.push_back(Keyring::new_kek(inst.master, 2));
  for (std::size_t i = 0; i < inst.keks[1].sealed.size(); ++i) {
    std::vector<KekRecord> keks = inst.keks;
    keks[1].sealed = testing::flipped(keks[1].sealed, i);
    auto r = Keyring::open(inst.master.clone(), keks);
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
}

TEST(Keyring, KekRecordIsBoundToItsVersion) {
  Instance inst;
  inst.keks[0].version = 2;  // relabelled record: AD binds the version
  auto r = Keyring::open(inst.master.clone(), inst.keks);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
}

TEST(Keyring, DuplicateOrZeroVersionsAreRejected) {
  Instance inst;
  inst.keks.push_back(inst.keks[0]);
  EXPECT_EQ(Keyring::open(inst.master.clone(), inst.keks).error().kind, ErrorKind::kIntegrity);
  EXPECT_THROW(Keyring::new_kek(inst.master, 0), std::invalid_argument);
}

TEST(Keyring, CurrentVersionIsTheHighest) {
  Instance inst;
  inst.keks.push_back(Keyring::new_kek(inst.master, 3));
  inst.keks.push_back(Keyring::new_kek(inst.master, 2));
  EXPECT_EQ(inst.keyring().current_kek_version(), 3u);
}

TEST(Keyring, RotationKeepsOldDataKeysOpenableAndRewrapMovesThemForward) {
  Instance inst;
  Keyring ring = inst.keyring();
  const SecretKey dek = SecretKey::generate();
  const WrappedKey old_wrap = ring.wrap(dek, "doc:1");
  ASSERT_EQ(old_wrap.kek_version, 1u);

  auto record = ring.add_kek_version();
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->version, 2u);
  EXPECT_EQ(ring.current_kek_version(), 2u);
  inst.keks.push_back(*record);

  ASSERT_TRUE(ring.unwrap(old_wrap, "doc:1").ok());
  EXPECT_TRUE(ring.unwrap(old_wrap, "doc:1")->equals(dek));
  auto rewrapped = ring.rewrap(old_wrap, "doc:1");
  ASSERT_TRUE(rewrapped.ok());
  EXPECT_EQ(rewrapped->kek_version, 2u);
  EXPECT_TRUE(ring.unwrap(*rewrapped, "doc:1")->equals(dek));

  // After a restart (same master, persisted records) both wraps still open.
  const Keyring reopened = inst.keyring();
  EXPECT_EQ(reopened.current_kek_version(), 2u);
  EXPECT_TRUE(reopened.unwrap(old_wrap, "doc:1")->equals(dek));
  EXPECT_TRUE(reopened.unwrap(*rewrapped, "doc:1")->equals(dek));
}

TEST(Keyring, RewrapChecksTheOwner) {
  const Instance inst;
  const Keyring ring = inst.keyring();
  const WrappedKey w = ring.wrap(SecretKey::generate(), "doc:1");
  auto r = ring.rewrap(w, "doc:2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
}

TEST(Keyring, UnknownKekVersionIsIntegrityError) {
  const Instance inst;
  const Keyring ring = inst.keyring();
  WrappedKey w = ring.wrap(SecretKey::generate(), "doc:1");
  w.kek_version = 9;
  EXPECT_EQ(ring.unwrap(w, "doc:1").error().kind, ErrorKind::kIntegrity);
}

TEST(Keyring, PurposeKeysAreDistinctAndStablePerMaster) {
  const Instance inst;
  const Keyring a = inst.keyring();
  const Keyring b = inst.keyring();
  EXPECT_TRUE(a.blind_index_key().equals(b.blind_index_key()));
  EXPECT_TRUE(a.audit_hash_key().equals(b.audit_hash_key()));
  EXPECT_TRUE(a.token_hash_key().equals(b.token_hash_key()));
  EXPECT_FALSE(a.blind_index_key().equals(a.audit_hash_key()));
  EXPECT_FALSE(a.blind_index_key().equals(a.token_hash_key()));
  EXPECT_FALSE(a.audit_hash_key().equals(a.token_hash_key()));
  EXPECT_FALSE(a.blind_index_key().equals(inst.master));
  const Instance other;
  EXPECT_FALSE(other.keyring().blind_index_key().equals(a.blind_index_key()));
}

}  // namespace
}  // namespace baomi::barrier
