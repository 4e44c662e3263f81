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

// Issue 15 (master key rotation's groundwork): purpose keys derive from a root stored sealed
// under the master key. An instance from before the root keeps its purpose keys exactly when
// the root is stored (the migration), so no row MAC, blind index or token hash changes (I1).
TEST(Keyring, StoringTheLegacyRootChangesNoPurposeKey_I1) {
  const Instance inst;
  const Keyring legacy = inst.keyring();
  const Bytes sealed = legacy.seal_purpose_root();
  const auto migrated = Keyring::open(inst.master.clone(), inst.keks, sealed);
  ASSERT_TRUE(migrated.ok());
  EXPECT_TRUE(migrated->blind_index_key().equals(legacy.blind_index_key()));
  EXPECT_TRUE(migrated->row_mac_key().equals(legacy.row_mac_key()));
  EXPECT_TRUE(migrated->token_hash_key().equals(legacy.token_hash_key()));
  EXPECT_TRUE(migrated->audit_hash_key().equals(legacy.audit_hash_key()));
}

TEST(Keyring, ANewInstancesRootIsItsOwnAndOpensOnlyUnderItsMaster) {
  const Instance inst;
  const Bytes sealed = Keyring::new_purpose_root(inst.master);
  const auto ring = Keyring::open(inst.master.clone(), inst.keks, sealed);
  ASSERT_TRUE(ring.ok());
  // Not the master key's own derivation: an old master key alone does not give the purpose keys.
  EXPECT_FALSE(ring->row_mac_key().equals(inst.keyring().row_mac_key()));
  const auto again = Keyring::open(inst.master.clone(), inst.keks, ring->seal_purpose_root());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->blind_index_key().equals(ring->blind_index_key()));
  const auto tampered = Keyring::open(inst.master.clone(), inst.keks, testing::flipped(sealed, 3));
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().kind, ErrorKind::kIntegrity);
  const Instance other;
  EXPECT_FALSE(
      Keyring::open(other.master.clone(), other.keks, Keyring::new_purpose_root(inst.master)).ok());
}

}  // namespace
}  // namespace baomi::barrier
