// The framing of master key shares (K-of-N unseal) and the progress of an unseal: a wrong,
// corrupted, repeated or foreign share is recognised and named; refusals are kept for the trail
// (S9) and limited per source.
#include "barrier/key_share.h"

#include <gtest/gtest.h>

#include "barrier/unseal_progress.h"
#include "crypto/sealed_box.h"

namespace baomi::barrier {
namespace {

using crypto::SecretKey;

struct Fixture {
  SecretKey master = SecretKey::generate();
  Split split = split_master_key(master, 5, 3).value();
};

std::string error_code_of(std::string_view text, const SealConfig& config) {
  auto parsed = parse_share(text);
  if (!parsed.ok()) return parsed.error().code;
  auto checked = check_share(config, *parsed);
  return checked.ok() ? "" : checked.error().code;
}

// Changes one hex digit of the share's payload at `at` (counted after the prefix).
std::string with_digit_changed(std::string text, std::size_t at) {
  const std::size_t i = std::string_view("baomi-share-").size() + at;
  text[i] = text[i] == '0' ? '1' : '0';
  return text;
}

TEST(KeyShare, TextRoundTripsAndCarriesIndexThresholdAndSealId) {
  Fixture f;
  ASSERT_EQ(f.split.share_texts.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    const auto& text = f.split.share_texts[i];
    EXPECT_EQ(text.rfind("baomi-share-", 0), 0u);
    auto parsed = parse_share("  " + text + "\n");
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    EXPECT_EQ(parsed->share.index, i + 1);
    EXPECT_EQ(parsed->threshold, 3);
    EXPECT_EQ(parsed->seal_id, f.split.config.seal_id);
    EXPECT_TRUE(check_share(f.split.config, *parsed).ok());
  }
}

TEST(KeyShare, NothingButBaomiSharesParse) {
  Fixture f;
  for (std::string bad : {"", "hello", "baomi-share-", "baomi-share-zz", "vault-share-00"}) {
    auto parsed = parse_share(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.error().code, "malformed_share") << bad;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidArgument);
  }
  // An unknown format version is named as such, not as damage.
  auto future = f.split.share_texts[0];
  future[std::string_view("baomi-share-").size() + 1] = '2';
  EXPECT_EQ(parse_share(future).error().code, "malformed_share");
}

TEST(KeyShare, AnyMistypedDigitIsACorruptShare) {
  Fixture f;
  const auto& text = f.split.share_texts[1];
  const std::size_t digits = text.size() - std::string_view("baomi-share-").size();
  for (std::size_t at = 2; at < digits; ++at) {  // after the version byte
    EXPECT_EQ(error_code_of(with_digit_changed(text, at), f.split.config), "corrupt_share") << at;
  }
  EXPECT_EQ(error_code_of(text.substr(0, text.size() - 2), f.split.config), "corrupt_share");
}

TEST(KeyShare, AShareOfAnotherInstanceOrAReplacedSetIsForeign) {
  Fixture f;
  Fixture other;
  EXPECT_EQ(error_code_of(other.split.share_texts[0], f.split.config), "foreign_share");
  // A rekey of the same master key makes a new set: the old shares no longer count.
  auto rekeyed = split_master_key(f.master, 5, 3).value();
  EXPECT_EQ(error_code_of(f.split.share_texts[0], rekeyed.config), "foreign_share");
}

TEST(KeyShare, AWellFormedShareThatIsNotOneOfTheSplitIsWrong) {
  Fixture f;
  auto parsed = parse_share(f.split.share_texts[2]).value();
  parsed.share.value.data()[0] ^= 1;  // a forged value with a valid check value
  const auto forged = share_text(f.split.config.seal_id, 3, parsed.share);
  EXPECT_EQ(error_code_of(forged, f.split.config), "wrong_share");
  // An index beyond the split's shares.
  auto beyond = parse_share(f.split.share_texts[0]).value();
  beyond.share.index = 9;
  EXPECT_EQ(error_code_of(share_text(f.split.config.seal_id, 3, beyond.share), f.split.config),
            "wrong_share");
}

TEST(UnsealProgress, ThresholdSharesInAnyOrderRebuildTheMasterKey) {
  Fixture f;
  UnsealProgress progress(f.split.config);
  const auto now = now_utc();
  auto first = progress.give(f.split.share_texts[4], "10.0.0.1", now);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->has_value());
  EXPECT_EQ(progress.progress(), 1);
  ASSERT_TRUE(progress.give(f.split.share_texts[0], "10.0.0.2", now).ok());
  EXPECT_EQ(progress.progress(), 2);
  auto last = progress.give(f.split.share_texts[2], "10.0.0.3", now);
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_TRUE((*last)->equals(f.master));
  EXPECT_EQ(progress.progress(), 0);  // the shares are forgotten once used
}

TEST(UnsealProgress, RepeatedShareIsAConflictAndDoesNotCount) {
  Fixture f;
  UnsealProgress progress(f.split.config);
  const auto now = now_utc();
  ASSERT_TRUE(progress.give(f.split.share_texts[1], "10.0.0.1", now).ok());
  auto again = progress.give(f.split.share_texts[1], "10.0.0.2", now);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "duplicate_share");
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(progress.progress(), 1);
}

TEST(UnsealProgress, RefusalsAreKeptForTheTrail_S9) {
  Fixture f;
  Fixture other;
  UnsealProgress progress(f.split.config);
  const auto now = now_utc();
  EXPECT_FALSE(progress.give("nonsense", "10.0.0.1", now).ok());
  EXPECT_FALSE(progress.give(other.split.share_texts[3], "10.0.0.2", now).ok());
  EXPECT_EQ(progress.refusals_not_kept(), 0u);
  const auto refusals = progress.refusals();
  ASSERT_EQ(refusals.size(), 2u);
  EXPECT_EQ(refusals[0].code, "malformed_share");
  EXPECT_EQ(refusals[0].source, "10.0.0.1");
  EXPECT_EQ(refusals[0].share_index, 0);
  EXPECT_EQ(refusals[1].code, "foreign_share");
  EXPECT_EQ(refusals[1].share_index, 4);
  progress.clear_refusals();
  EXPECT_TRUE(progress.refusals().empty());
}

TEST(UnsealProgress, RefusalsAreLimitedPerSourceForAWindow) {
  Fixture f;
  UnsealProgress progress(f.split.config);
  const auto now = now_utc();
  for (int i = 0; i < UnsealProgress::kRefusalsPerWindow; ++i) {
    EXPECT_EQ(progress.give("nonsense", "10.0.0.1", now).error().code, "malformed_share");
  }
  // Now even a valid share from that source waits; other sources are not held up.
  auto limited = progress.give(f.split.share_texts[0], "10.0.0.1", now);
  ASSERT_FALSE(limited.ok());
  EXPECT_EQ(limited.error().kind, ErrorKind::kRateLimited);
  EXPECT_EQ(progress.progress(), 0);
  EXPECT_TRUE(progress.give(f.split.share_texts[0], "10.0.0.9", now).ok());
  const auto later = now + UnsealProgress::kRefusalWindow;
  EXPECT_TRUE(progress.give(f.split.share_texts[1], "10.0.0.1", later).ok());
  EXPECT_EQ(progress.progress(), 2);
}

// Key shares encrypted to their holders (init --share-public-key): only the holder's secret key
// opens one, an altered one is refused, and the opened text is the share itself.
TEST(KeyShare, AShareEncryptedToAHolderOpensOnlyWithThatHoldersSecretKey) {
  Fixture f;
  const auto holder = crypto::box_keypair();
  const auto other = crypto::box_keypair();
  const crypto::BytesView holder_secret(holder.secret_key.data(), holder.secret_key.size());
  const crypto::BytesView other_secret(other.secret_key.data(), other.secret_key.size());
  auto sealed = encrypt_share(f.split.share_texts[0], holder.public_key);
  ASSERT_TRUE(sealed.ok());
  EXPECT_TRUE(is_encrypted_share(*sealed));
  EXPECT_FALSE(is_encrypted_share(f.split.share_texts[0]));
  EXPECT_EQ(sealed->find(f.split.share_texts[0].substr(12)), std::string::npos);
  auto opened = decrypt_share("  " + *sealed + "\n", holder_secret);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(*opened, f.split.share_texts[0]);
  EXPECT_EQ(error_code_of(*opened, f.split.config), "");

  auto wrong = decrypt_share(*sealed, other_secret);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "wrong_secret_key");
  std::string altered = *sealed;
  altered[altered.size() - 3] = altered[altered.size() - 3] == '0' ? '1' : '0';
  EXPECT_EQ(decrypt_share(altered, holder_secret).error().code, "wrong_secret_key");
  EXPECT_EQ(decrypt_share(f.split.share_texts[0], holder_secret).error().code, "malformed_share");
  EXPECT_EQ(decrypt_share("baomi-sealed-share-zz", holder_secret).error().code, "malformed_share");
  EXPECT_FALSE(encrypt_share(f.split.share_texts[0], Bytes(31, 1)).ok());
}

}  // namespace
}  // namespace baomi::barrier
