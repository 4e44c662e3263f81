// core: RFC 3339 time, hex and the canonical field encoding.
#include <gtest/gtest.h>

#include "core/bytes.h"
#include "core/result.h"
#include "core/time.h"

namespace baomi {
namespace {

TEST(Time, FormatsAndParsesRoundTrip) {
  auto t = parse_rfc3339("2030-12-31T23:59:59Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_rfc3339(*t), "2030-12-31T23:59:59Z");
  EXPECT_EQ(format_date(*t), "2030-12-31");
  auto frac = parse_rfc3339("2026-11-25T09:00:00.123456Z").value();
  EXPECT_EQ(format_rfc3339(frac), "2026-11-25T09:00:00.123456Z");
  EXPECT_EQ(to_micros(frac) % 1000000, 123456);
}

TEST(Time, AcceptsDatesAndOffsets) {
  EXPECT_EQ(format_rfc3339(parse_rfc3339("2030-12-31").value()), "2030-12-31T00:00:00Z");
  EXPECT_EQ(format_rfc3339(parse_rfc3339("2026-11-25T17:00:00+08:00").value()),
            "2026-11-25T09:00:00Z");
  EXPECT_EQ(format_rfc3339(parse_rfc3339("1969-12-31T23:59:59Z").value()), "1969-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339(parse_rfc3339("2024-02-29T00:00:00Z").value()), "2024-02-29T00:00:00Z");
}

TEST(Time, FormatsPaddedFieldsAndYearsOutsideFourDigits) {
  EXPECT_EQ(format_rfc3339(parse_rfc3339("0001-01-02T03:04:05.000042Z").value()),
            "0001-01-02T03:04:05.000042Z");
  EXPECT_EQ(format_rfc3339(parse_rfc3339("2026-12-07T00:00:00.100000Z").value()),
            "2026-12-07T00:00:00.100000Z");
  EXPECT_EQ(format_rfc3339(from_micros(-1)), "1969-12-31T23:59:59.999999Z");
  // 10000-01-01T00:00:00Z: wider than four digits, still exact.
  EXPECT_EQ(format_rfc3339(from_micros(253402300800LL * 1000000)), "10000-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(from_micros(253402300800LL * 1000000 + 7)),
            "10000-01-01T00:00:00.000007Z");
}

TEST(Time, RejectsMalformedTimes) {
  for (const char* bad : {"", "2030", "2030-13-01", "2030-02-30", "2023-02-29", "2030-12-31T",
                          "2030-12-31T24:00:00Z", "2030-12-31T10:00:00", "2030-12-31T10:00:00+8",
                          "2030-12-31T10:00:00Zjunk", "2030-12-31T10:00:00.Z", "abcd-ef-gh"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(Bytes, HexRoundTripAndRejects) {
  Bytes b{0x00, 0x7f, 0xff, 0x10};
  EXPECT_EQ(to_hex(b), "007fff10");
  EXPECT_EQ(from_hex("007FFF10").value(), b);
  EXPECT_FALSE(from_hex("abc").has_value());
  EXPECT_FALSE(from_hex("zz").has_value());
}

TEST(Bytes, FieldEncodingIsUnambiguous) {
  Bytes a, b;
  append_field(a, "ab");
  append_field(a, "c");
  append_field(b, "a");
  append_field(b, "bc");
  EXPECT_NE(a, b);
  Bytes n;
  append_u64(n, 0x0102030405060708ull);
  EXPECT_EQ(to_hex(n), "0102030405060708");
}

TEST(ResultType, CarriesValuesAndErrors) {
  Result<int> ok = 42;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 42);
  Result<int> bad = Error::forbidden("need_to_know", "no", "S6");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(bad.error().rule, "S6");
  auto chain = [](bool fail) -> Result<int> {
    Result<int> inner = fail ? Result<int>(Error::not_found()) : Result<int>(1);
    BAOMI_ASSIGN_OR_RETURN(int v, std::move(inner));
    return v + 1;
  };
  EXPECT_EQ(*chain(false), 2);
  EXPECT_EQ(chain(true).error().kind, ErrorKind::kNotFound);
}

}  // namespace
}  // namespace baomi
