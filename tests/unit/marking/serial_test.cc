#include "marking/serial.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace baomi::marking {
namespace {

// A spread of numbers: small serials as issued, padding boundaries, and random 64-bit values.
std::vector<std::uint64_t> sample_numbers() {
  std::vector<std::uint64_t> out = {0,
                                    1,
                                    9,
                                    10,
                                    572,
                                    99999,
                                    100000,
                                    999999,
                                    1000000,
                                    1234567,
                                    std::numeric_limits<std::uint64_t>::max()};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1500; ++i) out.push_back(rng() % 1000000);
  for (int i = 0; i < 500; ++i) out.push_back(rng() >> (rng() % 64));
  return out;
}

// Splits "BM-<digits>-<check>" into the digit run (data digits followed by the check digit).
std::string all_digits(const std::string& formatted) {
  std::string d = formatted.substr(3, formatted.size() - 5);
  d += formatted.back();
  return d;
}

std::string reassemble(const std::string& digits) {
  return "BM-" + digits.substr(0, digits.size() - 1) + "-" + digits.back();
}

TEST(Serial, DammKnownVector) {
  // The worked example of Damm's algorithm: 572 -> check digit 4.
  EXPECT_EQ(damm_check_digit("572"), 4);
  EXPECT_EQ(damm_check_digit("5724"), 0);
  EXPECT_EQ(damm_check_digit("000572"), 4);  // leading zeros do not change it
  EXPECT_EQ(format_serial(572), "BM-000572-4");
  EXPECT_FALSE(damm_check_digit(""));
  EXPECT_FALSE(damm_check_digit("12a"));
}

TEST(Serial, S7_FormatAndParseRoundTrip) {
  for (std::uint64_t n : sample_numbers()) {
    const std::string s = format_serial(n);
    ASSERT_EQ(parse_serial(s), n) << s;
    EXPECT_EQ(Serial::parse(s), Serial{n});
    EXPECT_EQ(Serial{n}.str(), s);
  }
  EXPECT_EQ(format_serial(std::numeric_limits<std::uint64_t>::max()).size(), 3u + 20 + 2);
}

TEST(Serial, S7_EverySingleDigitSubstitutionIsRejected) {
  std::size_t tried = 0;
  for (std::uint64_t n : sample_numbers()) {
    const std::string digits = all_digits(format_serial(n));
    for (std::size_t pos = 0; pos < digits.size(); ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == digits[pos]) continue;
        std::string bad = digits;
        bad[pos] = d;
        ++tried;
        EXPECT_FALSE(parse_serial(reassemble(bad))) << reassemble(bad) << " from " << n;
      }
    }
  }
  EXPECT_GT(tried, 100000u);
}

TEST(Serial, S7_EveryAdjacentTranspositionIsRejected) {
  std::size_t tried = 0;
  for (std::uint64_t n : sample_numbers()) {
    const std::string digits = all_digits(format_serial(n));
    // Includes swapping the last data digit with the check digit across the hyphen.
    for (std::size_t pos = 0; pos + 1 < digits.size(); ++pos) {
      if (digits[pos] == digits[pos + 1]) continue;
      std::string bad = digits;
      std::swap(bad[pos], bad[pos + 1]);
      ++tried;
      EXPECT_FALSE(parse_serial(reassemble(bad))) << reassemble(bad) << " from " << n;
    }
  }
  EXPECT_GT(tried, 10000u);
}

TEST(Serial, ToleratesCaseAndSurroundingSpaceOnly) {
  EXPECT_EQ(parse_serial("  bm-000572-4\n"), 572u);
  EXPECT_EQ(parse_serial("Bm-000572-4"), 572u);
  for (const char* bad :
       {"", "BM-", "BM--4", "BM-572-4", "BM-0000572-4", "BM-000572-", "BM-000572", "BM 000572 4",
        "BM-000572_4", "XX-000572-4", "BM-000572-44", "BM-00O572-4", "BM-000572-x", "BM-+00572-4",
        "B M-000572-4", "BM-000572-4 trailing", "BM-18446744073709551616-0",
        "BM-99999999999999999999-0", "BM-100000000000000000000-0"}) {
    EXPECT_FALSE(parse_serial(bad)) << bad;
  }
}

TEST(Serial, OverflowIsRejectedEvenWithAValidCheckDigit) {
  // 2^64 with its own correct Damm digit still names no 64-bit serial.
  const std::string digits = "18446744073709551616";
  const std::string s = "BM-" + digits + "-" + std::to_string(*damm_check_digit(digits));
  EXPECT_FALSE(parse_serial(s));
}

}  // namespace
}  // namespace baomi::marking
