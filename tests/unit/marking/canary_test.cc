// Canary customers and CSV cells for marked exports (C2).
#include "marking/canary.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "crypto/hash.h"
#include "marking/csv.h"

namespace baomi::marking {
namespace {

Bytes seed_of(std::string_view text) { return crypto::hash32(text); }

TEST(Canary, SameSeedSameCanariesOtherSeedOthers_C2) {
  const auto a = make_canaries(seed_of("BM-000001-3"), 5);
  const auto again = make_canaries(seed_of("BM-000001-3"), 5);
  const auto b = make_canaries(seed_of("BM-000002-1"), 5);
  ASSERT_EQ(a.size(), 5u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].phone, again[i].phone);
    EXPECT_EQ(a[i].id_number, again[i].id_number);
    EXPECT_EQ(a[i].name, again[i].name);
  }
  std::set<std::string> phones_a, phones_b;
  for (const auto& k : a) phones_a.insert(k.phone);
  for (const auto& k : b) phones_b.insert(k.phone);
  EXPECT_EQ(phones_a.size(), 5u);  // unique within an export
  for (const auto& p : phones_b) EXPECT_EQ(phones_a.count(p), 0u) << p;
}

TEST(Canary, CanariesArePlausibleCustomers_C2) {
  const std::regex phone("^1[3-9][0-9]{9}$");
  const std::regex id("^[0-9]{17}[0-9X]$");
  const std::regex qq("^[1-9][0-9]{4,9}$");
  const std::regex email("^[a-z0-9]+@[a-z0-9.]+$");
  for (int s = 0; s < 50; ++s) {
    for (const auto& k : make_canaries(seed_of("seed " + std::to_string(s)), 4)) {
      EXPECT_TRUE(std::regex_match(k.phone, phone)) << k.phone;
      ASSERT_TRUE(std::regex_match(k.id_number, id)) << k.id_number;
      EXPECT_EQ(k.id_number.back(), id_number_check_char(k.id_number.substr(0, 17)));
      const int month = std::stoi(k.id_number.substr(10, 2));
      const int day = std::stoi(k.id_number.substr(12, 2));
      EXPECT_TRUE(month >= 1 && month <= 12 && day >= 1 && day <= 31) << k.id_number;
      EXPECT_TRUE(std::regex_match(k.qq, qq)) << k.qq;
      EXPECT_TRUE(std::regex_match(k.email, email)) << k.email;
      EXPECT_GE(k.name.size(), 6u);  // a surname and one or two given characters (UTF-8)
      EXPECT_LE(k.name.size(), 9u);
      EXPECT_FALSE(k.address.empty());
      EXPECT_FALSE(k.account.empty());
    }
  }
}

TEST(Canary, IdNumberCheckCharacterMatchesGb11643) {
  // The standard's worked example: 11010519491231002X.
  EXPECT_EQ(id_number_check_char("11010519491231002"), 'X');
  EXPECT_EQ(id_number_check_char("44052418800101001"), '4');
  EXPECT_EQ(id_number_check_char("1101051949123100"), '\0');
  EXPECT_EQ(id_number_check_char("1101051949123100A"), '\0');
}

TEST(Canary, PositionsAreDistinctAndInRange_C2) {
  for (std::uint64_t rows : {0u, 1u, 3u, 1000u}) {
    const auto pos = canary_positions(seed_of("p"), rows, 3);
    ASSERT_EQ(pos.size(), 3u);
    EXPECT_LT(pos[0], pos[1]);
    EXPECT_LT(pos[1], pos[2]);
    EXPECT_LT(pos[2], rows + 3);
  }
  EXPECT_EQ(canary_positions(seed_of("p"), 1000, 3), canary_positions(seed_of("p"), 1000, 3));
}

TEST(Csv, QuotesWhatNeedsQuotingAndNothingElse) {
  EXPECT_EQ(csv_cell("张三"), "张三");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
  const std::vector<std::string> row = {"1", "", "x,y"};
  EXPECT_EQ(csv_row(row), "1,,\"x,y\"\r\n");
}

TEST(Csv, FormulasAreNeutralised) {
  EXPECT_EQ(csv_cell("=HYPERLINK(\"http://evil\")"), "\"'=HYPERLINK(\"\"http://evil\"\")\"");
  EXPECT_EQ(csv_cell("+86 138"), "'+86 138");
  EXPECT_EQ(csv_cell("-1"), "'-1");
  EXPECT_EQ(csv_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(csv_cell("a=b"), "a=b");
}

}  // namespace
}  // namespace baomi::marking
