#include "core/time.h"

#include <cstdio>

namespace baomi {
namespace {

// Howard Hinnant's civil-date algorithms (public domain), as used by std::chrono.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// `value` as exactly `width` decimal digits, zero-padded (value < 10^width).
void put_digits(char* at, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string format_rfc3339(TimePoint t) {
  const std::int64_t us = to_micros(t);
  std::int64_t secs = us / 1000000;
  std::int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  // Years outside 0..9999 (never a real timestamp here) keep printf's widening and sign.
  if (y < 0 || y > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                  static_cast<long long>(y), m, d, static_cast<long long>(rem / 3600),
                  static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60),
                  static_cast<long long>(frac));
    std::string out(buf);
    if (frac == 0) out.erase(out.size() - 8, 7);  // ".000000"
    return out;
  }
  // Digits by hand: snprintf cost about 3,400 instructions a call, four calls per audited read
  // (issue 14).
  std::string out(frac == 0 ? 20 : 27, '\0');
  put_digits(out.data(), static_cast<unsigned>(y), 4);
  out[4] = '-';
  put_digits(out.data() + 5, m, 2);
  out[7] = '-';
  put_digits(out.data() + 8, d, 2);
  out[10] = 'T';
  put_digits(out.data() + 11, static_cast<unsigned>(rem / 3600), 2);
  out[13] = ':';
  put_digits(out.data() + 14, static_cast<unsigned>(rem / 60 % 60), 2);
  out[16] = ':';
  put_digits(out.data() + 17, static_cast<unsigned>(rem % 60), 2);
  if (frac != 0) {
    out[19] = '.';
    put_digits(out.data() + 20, static_cast<unsigned>(frac), 6);
  }
  out.back() = 'Z';
  return out;
}

std::string format_date(TimePoint t) { return format_rfc3339(t).substr(0, 10); }

std::optional<TimePoint> parse_rfc3339(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!read_digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !read_digits(s, 5, 2, mo) ||
      s[7] != '-' || !read_digits(s, 8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, mo))
    return std::nullopt;
  std::int64_t micros = 0;
  std::int64_t offset_secs = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't') || !read_digits(s, 11, 2, h) || s.size() < 19 ||
        s[13] != ':' || !read_digits(s, 14, 2, mi) || s[16] != ':' || !read_digits(s, 17, 2, se))
      return std::nullopt;
    if (h > 23 || mi > 59 || se > 60) return std::nullopt;
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int digits = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (digits < 6) micros = micros * 10 + (s[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (int i = digits; i < 6; ++i) micros *= 10;
    }
    if (pos == s.size()) return std::nullopt;
    if (s[pos] == 'Z' || s[pos] == 'z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      int oh, om;
      if (!read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
          !read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
        return std::nullopt;
      offset_secs = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
      pos += 6;
    } else {
      return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
  }
  const std::int64_t secs =
      days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
      mi * 60 + se - offset_secs;
  return from_micros(secs * 1000000 + micros);
}

}  // namespace baomi
