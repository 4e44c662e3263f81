// Master key rotation's stored half (barrier/master_reseal.h, issue 15 part 2): every KEK, the
// purpose root and a rotated audit signing key move from the old master key to the new one in
// one transaction; nothing else changes (the same KEKs open the same data keys, the same purpose
// keys make the same MACs and blind indexes: C3, I1), and the old master key opens nothing.
#include "barrier/master_reseal.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "barrier/engine_tables.h"
#include "barrier/keyring.h"
#include "crypto/random.h"
#include "storage/meta.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::barrier {
namespace {

using crypto::SecretKey;

constexpr const char* kSigningMeta = "audit_signing_key";

class MasterResealTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("baomi-reseal-" + crypto::random_id());
    std::filesystem::create_directories(dir_);
    store_ = storage::sqlite::SqliteStore::open(dir_ / "baomi.db", true).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Two KEK versions and (unless `legacy`: an instance from before it was stored) a purpose
  // root, sealed under `old_`.
  void create(bool legacy = false) {
    ASSERT_TRUE(store_
                    ->write([&](storage::WriteTx& tx) -> Result<void> {
                      for (std::uint32_t v : {1u, 2u}) {
                        const auto k = Keyring::new_kek(old_, v);
                        BAOMI_TRY(insert_kek(tx, {k.version, k.sealed}));
                      }
                      if (legacy) return {};
                      return storage::put_meta(tx, kPurposeRootMeta,
                                               Keyring::new_purpose_root(old_));
                    })
                    .ok());
  }

  Result<Keyring> open_with(const SecretKey& master) {
    std::vector<KekRecord> keks;
    std::optional<Bytes> root;
    BAOMI_TRY(store_->read([&](storage::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto rows, list_keks(tx));
      for (auto& r : rows) keks.push_back({r.version, r.sealed});
      BAOMI_ASSIGN_OR_RETURN(root, storage::get_meta(tx, kPurposeRootMeta));
      return {};
    }));
    return Keyring::open(master.clone(), keks, root);
  }

  Result<ResealedKeys> reseal(const SecretKey& from, const SecretKey& to) {
    ResealedKeys done;
    BAOMI_TRY(store_->write([&](storage::WriteTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(done, reseal_stored_keys(tx, from, to, {kSigningMeta}));
      return {};
    }));
    return done;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  SecretKey old_ = SecretKey::generate();
  SecretKey new_ = SecretKey::generate();
};

TEST_F(MasterResealTest, EveryKekAndThePurposeKeysStayTheSameUnderTheNewKey_C3_I1) {
  create();
  auto before = open_with(old_);
  ASSERT_TRUE(before.ok());
  const SecretKey dek = SecretKey::generate();
  const auto wrapped = before->wrap(dek, "doc:1");  // under KEK 2, the current one
  const auto signing = crypto::SigningKey::generate();
  ASSERT_TRUE(store_
                  ->write([&](storage::WriteTx& tx) -> Result<void> {
                    return storage::put_meta(tx, kSigningMeta, before->seal_signing_key(signing));
                  })
                  .ok());

  auto done = reseal(old_, new_);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->keks, 2u);
  EXPECT_EQ(done->signing_keys, 1u);

  auto after = open_with(new_);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->versions(), before->versions());
  auto unwrapped = after->unwrap(wrapped, "doc:1");  // no data key was rewrapped
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_TRUE(unwrapped->equals(dek));
  EXPECT_TRUE(after->blind_index_key().equals(before->blind_index_key()));
  EXPECT_TRUE(after->row_mac_key().equals(before->row_mac_key()));
  EXPECT_TRUE(after->audit_hash_key().equals(before->audit_hash_key()));
  EXPECT_TRUE(after->token_hash_key().equals(before->token_hash_key()));
  std::optional<Bytes> sealed_signing;
  ASSERT_TRUE(store_
                  ->read([&](storage::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(sealed_signing, storage::get_meta(tx, kSigningMeta));
                    return {};
                  })
                  .ok());
  ASSERT_TRUE(sealed_signing.has_value());
  auto opened = after->open_signing_key(*sealed_signing);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->public_key(), signing.public_key());

  // The old master key opens nothing stored any more.
  auto stale = open_with(old_);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::kIntegrity);
  EXPECT_FALSE(before->open_signing_key(*sealed_signing).ok());
}

TEST_F(MasterResealTest, AnInstanceFromBeforeThePurposeRootKeepsItsPurposeKeys_C3) {
  create(/*legacy=*/true);
  auto before = open_with(old_);  // the old master key is its purpose root
  ASSERT_TRUE(before.ok());
  auto done = reseal(old_, new_);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(done->signing_keys, 0u);  // none was ever rotated
  auto after = open_with(new_);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_TRUE(after->blind_index_key().equals(before->blind_index_key()));
  EXPECT_TRUE(after->row_mac_key().equals(before->row_mac_key()));
}

TEST_F(MasterResealTest, AWrongOldKeyChangesNothing) {
  create();
  auto r = reseal(SecretKey::generate(), new_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  EXPECT_TRUE(open_with(old_).ok());
  EXPECT_FALSE(open_with(new_).ok());
}

TEST_F(MasterResealTest, TheSameKeyIsNoRotation) {
  create();
  auto r = reseal(old_, old_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
}

}  // namespace
}  // namespace baomi::barrier
