// Customer field normalisation and masking (C3): validation names the field, the normalised
// forms are what blind indexes and masks are computed over, and masks count code points.
#include <gtest/gtest.h>

#include "services/customers/masking.h"
#include "services/customers/normalise.h"
#include "services/customers/watch.h"

namespace baomi::services::customers {
namespace {

using policy::CustomerField;

std::string norm(CustomerField f, std::string_view v) {
  auto r = normalise_field(f, v);
  EXPECT_TRUE(r.ok()) << v << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::string();
}

void expect_invalid(CustomerField f, std::string_view v) {
  auto r = normalise_field(f, v);
  ASSERT_FALSE(r.ok()) << v;
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(r.error().message.find(std::string(policy::customer_field_api_name(f))),
            std::string::npos)
      << r.error().message;
}

TEST(CustomerNormalise, PhoneDigitsOnlyAndCountryPrefixStripped_C3) {
  EXPECT_EQ(norm(CustomerField::kPhone, "138 1234 5678"), "13812345678");
  EXPECT_EQ(norm(CustomerField::kPhone, "+86 138-1234-5678"), "13812345678");
  EXPECT_EQ(norm(CustomerField::kPhone, "8613812345678"), "13812345678");
  EXPECT_EQ(norm(CustomerField::kPhone, "0086 13812345678"), "13812345678");
  EXPECT_EQ(norm(CustomerField::kPhone, "(010) 6552-1234"), "01065521234");
  EXPECT_EQ(norm(CustomerField::kPhone, "95588"), "95588");
  expect_invalid(CustomerField::kPhone, "1234");
  expect_invalid(CustomerField::kPhone, "123456789012345678901");
  expect_invalid(CustomerField::kPhone, "138abc45678");
  expect_invalid(CustomerField::kPhone, "");
}

TEST(CustomerNormalise, IdNumberCheckDigitAndUpperCase_C3) {
  EXPECT_EQ(norm(CustomerField::kIdNumber, "11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(norm(CustomerField::kIdNumber, "440524188001010014"), "440524188001010014");
  EXPECT_EQ(norm(CustomerField::kIdNumber, "410105850101123"), "410105850101123");
  expect_invalid(CustomerField::kIdNumber, "440524188001010015");  // wrong check digit
  expect_invalid(CustomerField::kIdNumber, "44052418800101001");
  expect_invalid(CustomerField::kIdNumber, "4405241880010100X4");
}

TEST(CustomerNormalise, QqEmailAccountTextBounds_C3) {
  EXPECT_EQ(norm(CustomerField::kQq, " 12345 "), "12345");
  expect_invalid(CustomerField::kQq, "1234");
  expect_invalid(CustomerField::kQq, "0123456");
  expect_invalid(CustomerField::kQq, "1234567890123");
  EXPECT_EQ(norm(CustomerField::kEmail, " Zhang.San@Example.COM "), "zhang.san@example.com");
  expect_invalid(CustomerField::kEmail, "no-at-sign");
  expect_invalid(CustomerField::kEmail, "a@b");
  expect_invalid(CustomerField::kEmail, "a@@b.com");
  expect_invalid(CustomerField::kEmail, "a b@c.com");
  EXPECT_EQ(norm(CustomerField::kAccount, "  VIP-Acct01 "), "VIP-Acct01");
  EXPECT_EQ(index_form(CustomerField::kAccount, "VIP-Acct01"), "vip-acct01");
  EXPECT_EQ(norm(CustomerField::kName, std::string(64, 'a')), std::string(64, 'a'));
  expect_invalid(CustomerField::kName, std::string(65, 'a'));
  std::string long_chinese;
  for (int i = 0; i < 64; ++i) long_chinese += "张";  // 64 code points, 192 bytes: fits
  EXPECT_EQ(norm(CustomerField::kName, long_chinese), long_chinese);
  expect_invalid(CustomerField::kName, "   ");
  expect_invalid(CustomerField::kNotes, std::string("a\x01b"));
}

TEST(CustomerMasking, EachFieldAsDocumented_C3) {
  EXPECT_EQ(mask_field(CustomerField::kPhone, "13812345678"), "138****5678");
  EXPECT_EQ(mask_field(CustomerField::kIdNumber, "410105198501011234"), "4101**********1234");
  EXPECT_EQ(mask_field(CustomerField::kQq, "12345689"), "12****89");
  EXPECT_EQ(mask_field(CustomerField::kEmail, "alice@example.com"), "a***@example.com");
  EXPECT_EQ(mask_field(CustomerField::kAccount, "vipaccount"), "vi******nt");
  EXPECT_EQ(mask_field(CustomerField::kNotes, "客户说了很多"), "****");
  EXPECT_EQ(mask_field(CustomerField::kProducts, "宽带 100M"), "宽带 100M");
}

TEST(CustomerMasking, MultiByteNamesAndAddressesCountCodePoints_C3) {
  EXPECT_EQ(mask_field(CustomerField::kName, "张三"), "张*");
  EXPECT_EQ(mask_field(CustomerField::kName, "欧阳娜"), "欧**");
  EXPECT_EQ(mask_field(CustomerField::kName, "张"), "*");
  EXPECT_EQ(mask_field(CustomerField::kName, "Li Na"), "L****");
  EXPECT_EQ(mask_field(CustomerField::kAddress, "广东省深圳市南山区科技园路1号"),
            "广东省深圳市****");
  EXPECT_EQ(mask_field(CustomerField::kAddress, "北京市"), "北****");
}

TEST(CustomerMasking, ShortValuesStillHideMostOfThemselves_C3) {
  EXPECT_EQ(mask_field(CustomerField::kPhone, "95588"), "***88");
  EXPECT_EQ(mask_field(CustomerField::kQq, "12345"), "12**5");
  EXPECT_EQ(mask_field(CustomerField::kAccount, "ab"), "a*");
  EXPECT_EQ(mask_field(CustomerField::kAccount, "a"), "*");
  EXPECT_EQ(mask_field(CustomerField::kEmail, "x@y.cn"), "x***@y.cn");
  EXPECT_EQ(mask_field(CustomerField::kIdNumber, "410105850101123"), "4101*******1123");
}

policy::CustomerSettings watch_settings() {
  policy::CustomerSettings s;
  s.watch_distinct_customers = 3;
  s.watch_window = std::chrono::hours{1};
  s.watch_searches = 2;
  s.watch_search_window = std::chrono::minutes{10};
  return s;
}

// The pure counts say when a read crosses; one alert per episode is the store side's business
// (episode.h; CustomersServiceTest and the integration tests prove it end to end).
TEST(CustomerWatch, AtThresholdNoCrossingOneAboveCrossesWithTheSeqsCounted_C4) {
  const CustomerWatch w(watch_settings());
  WatchCounts u1, u2;  // per account
  const auto t0 = parse_rfc3339("2026-11-25T09:00:00Z").value();
  EXPECT_FALSE(w.viewed(u1, {"c1"}, t0, 11));
  EXPECT_FALSE(w.viewed(u1, {"c2"}, t0, 12));
  EXPECT_FALSE(w.viewed(u1, {"c2"}, t0, 13));  // the same customer again is not distinct
  EXPECT_FALSE(w.viewed(u1, {"c3"}, t0, 14));  // exactly at the threshold (3): quiet
  const auto crossing = w.viewed(u1, {"c4"}, t0 + std::chrono::minutes{1}, 15);
  ASSERT_TRUE(crossing);
  EXPECT_EQ(crossing->sentence, "4 distinct customers viewed within 1h");
  EXPECT_EQ(crossing->count, 4u);
  EXPECT_EQ(crossing->window, std::chrono::hours{1});
  EXPECT_EQ(crossing->seqs, (std::vector<std::uint64_t>{11, 13, 14, 15}));
  // Re-reading a counted customer crosses nothing; a new one crosses again (the episode rule
  // then updates the open alert instead of raising another).
  EXPECT_FALSE(w.viewed(u1, {"c1"}, t0 + std::chrono::minutes{2}, 16));
  EXPECT_TRUE(w.viewed(u1, {"c5"}, t0 + std::chrono::minutes{2}, 17));
  EXPECT_FALSE(w.viewed(u2, {"c1", "c2", "c3"}, t0, 18));  // per account
}

TEST(CustomerWatch, ViewsOutsideTheWindowDoNotCount_C4) {
  const CustomerWatch w(watch_settings());
  WatchCounts u1;
  const auto t0 = parse_rfc3339("2026-11-25T09:00:00Z").value();
  EXPECT_FALSE(w.viewed(u1, {"c1", "c2", "c3"}, t0));
  EXPECT_FALSE(w.viewed(u1, {"c4"}, t0 + std::chrono::hours{1}));  // c1-c3 have expired
}

TEST(CustomerWatch, SearchesAboveThresholdCross_C4) {
  const CustomerWatch w(watch_settings());
  WatchCounts u1;
  const auto t0 = parse_rfc3339("2026-11-25T09:00:00Z").value();
  EXPECT_FALSE(w.searched(u1, t0, 1));
  EXPECT_FALSE(w.searched(u1, t0, 2));  // at the threshold (2)
  const auto crossing = w.searched(u1, t0 + std::chrono::seconds{1}, 3);
  ASSERT_TRUE(crossing);
  EXPECT_EQ(crossing->sentence, "3 customer searches within 10min");
  EXPECT_EQ(crossing->seqs, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(w.searched(u1, t0 + std::chrono::seconds{2}, 4)->seqs,
            (std::vector<std::uint64_t>{2, 3, 4}))
      << "the counts keep the threshold + 1 newest";
}

// The counts are stored per read: they keep only what a crossing depends on, however many
// customers an account reads, and still decide exactly as the unbounded counts would.
TEST(CustomerWatch, CountsStayBoundedAndStillDecideExactly_C4) {
  const CustomerWatch w(watch_settings());
  WatchCounts u1;
  const auto t0 = parse_rfc3339("2026-11-25T09:00:00Z").value();
  int crossings = 0;
  for (int i = 0; i < 200; ++i) {
    if (w.viewed(u1, {"c" + std::to_string(i)}, t0 + std::chrono::seconds{i})) ++crossings;
    EXPECT_LE(u1.seen.size(), 4u);
    if (w.searched(u1, t0 + std::chrono::seconds{i})) ++crossings;
    EXPECT_LE(u1.searches.size(), 3u);
  }
  EXPECT_EQ(crossings, 2 * 200 - 3 - 2);  // every read above the thresholds crosses
  // Past the window only the latest reads count: three new ones stay at the threshold.
  const auto later = t0 + std::chrono::hours{3};
  EXPECT_FALSE(w.viewed(u1, {"x1", "x2", "x3"}, later));
  EXPECT_TRUE(w.viewed(u1, {"x4"}, later));
}

}  // namespace
}  // namespace baomi::services::customers
