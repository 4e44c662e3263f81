#include "services/customers/normalise.h"

#include <algorithm>
#include <array>

namespace baomi::services::customers {
namespace {

using policy::CustomerField;

constexpr std::size_t kMaxName = 64;
constexpr std::size_t kMaxAccount = 64;
constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxAddress = 200;
constexpr std::size_t kMaxProducts = 500;
constexpr std::size_t kMaxNotes = 2000;

Error bad(CustomerField f, std::string_view what) {
  return Error::invalid(
      "invalid_field",
      "field '" + std::string(policy::customer_field_api_name(f)) + "' " + std::string(what));
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<std::string> phone(std::string_view raw) {
  auto v = trim(raw);
  bool plus = false;
  if (!v.empty() && v.front() == '+') {
    plus = true;
    v.remove_prefix(1);
  }
  std::string digits;
  for (char c : v) {
    if (is_digit(c)) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
      return bad(CustomerField::kPhone, "may hold only digits, spaces, '-', '(', ')' and '+'");
    }
  }
  // One form per number: +86 138..., 0086 138... and 86 138... all become 138...
  if (plus && digits.starts_with("86")) {
    digits.erase(0, 2);
  } else if (!plus && digits.starts_with("0086")) {
    digits.erase(0, 4);
  } else if (!plus && digits.size() == 13 && digits.starts_with("861")) {
    digits.erase(0, 2);
  }
  if (digits.size() < 5 || digits.size() > 20) {
    return bad(CustomerField::kPhone, "must have 5-20 digits");
  }
  return digits;
}

// GB 11643-1999: weights 2^(17-i) mod 11; check character "10X98765432"[sum mod 11].
bool id_check_digit_ok(std::string_view id) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kChecks = "10X98765432";
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (id[i] - '0') * kWeights[i];
  return id[17] == kChecks[static_cast<std::size_t>(sum % 11)];
}

Result<std::string> id_number(std::string_view raw) {
  std::string v(trim(raw));
  for (auto& c : v) {
    if (c == 'x') c = 'X';
  }
  if (v.size() == 15 && all_digits(v)) return v;
  if (v.size() == 18 && all_digits(std::string_view(v).substr(0, 17)) &&
      (is_digit(v[17]) || v[17] == 'X')) {
    if (!id_check_digit_ok(v)) return bad(CustomerField::kIdNumber, "has a wrong check digit");
    return v;
  }
  return bad(CustomerField::kIdNumber,
             "must be 18 characters (digits, last may be X) or 15 digits");
}

Result<std::string> qq(std::string_view raw) {
  const auto v = trim(raw);
  if (v.size() < 5 || v.size() > 12 || !all_digits(v) || v.front() == '0') {
    return bad(CustomerField::kQq, "must be 5-12 digits, not starting with 0");
  }
  return std::string(v);
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  for (;;) {
    const auto dot = d.find('.', start);
    const auto label = d.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      const bool ok = is_digit(c) || (c >= 'a' && c <= 'z') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

Result<std::string> email(std::string_view raw) {
  const auto v = ascii_lower(trim(raw));
  const auto at = v.find('@');
  if (v.size() > kMaxEmail || at == std::string::npos || at == 0 || at > 64 ||
      v.find('@', at + 1) != std::string::npos) {
    return bad(CustomerField::kEmail, "must look like name@example.com");
  }
  for (char c : std::string_view(v).substr(0, at)) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == ',' || c == ';' || c == '<' || c == '>') {
      return bad(CustomerField::kEmail, "must look like name@example.com");
    }
  }
  if (!valid_domain(std::string_view(v).substr(at + 1))) {
    return bad(CustomerField::kEmail, "must look like name@example.com");
  }
  return v;
}

Result<std::string> text(CustomerField f, std::string_view raw, std::size_t max) {
  const auto v = trim(raw);
  if (v.empty()) return bad(f, "must not be empty");
  if (code_points(v) > max) {
    return bad(f, "must be at most " + std::to_string(max) + " characters");
  }
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
      return bad(f, "must not hold control characters");
    }
  }
  return std::string(v);
}

}  // namespace

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Result<std::string> normalise_field(CustomerField field, std::string_view value) {
  switch (field) {
    case CustomerField::kPhone:
      return phone(value);
    case CustomerField::kIdNumber:
      return id_number(value);
    case CustomerField::kQq:
      return qq(value);
    case CustomerField::kEmail:
      return email(value);
    case CustomerField::kName:
      return text(field, value, kMaxName);
    case CustomerField::kAccount:
      return text(field, value, kMaxAccount);
    case CustomerField::kAddress:
      return text(field, value, kMaxAddress);
    case CustomerField::kProducts:
      return text(field, value, kMaxProducts);
    case CustomerField::kNotes:
      return text(field, value, kMaxNotes);
  }
  return bad(field, "is not a customer field");
}

bool is_searchable(CustomerField field) {
  return field == CustomerField::kPhone || field == CustomerField::kIdNumber ||
         field == CustomerField::kQq || field == CustomerField::kAccount ||
         field == CustomerField::kEmail;
}

std::string index_form(CustomerField field, std::string_view stored) {
  if (field == CustomerField::kAccount) return ascii_lower(stored);
  return std::string(stored);
}

Result<std::string> checked_unmask_reason(std::string_view reason) {
  constexpr std::size_t kMaxUnmaskReason = 500;
  std::size_t b = 0, e = reason.size();
  while (b < e && (reason[b] == ' ' || reason[b] == '\t')) ++b;
  while (e > b && (reason[e - 1] == ' ' || reason[e - 1] == '\t')) --e;
  if (b == e) {
    return Error::invalid("missing_field", "query parameter 'reason' is required to unmask (C3)");
  }
  if (code_points(reason) > kMaxUnmaskReason) {
    return Error::invalid("invalid_field",
                          "query parameter 'reason' must be at most 500 characters");
  }
  return std::string(reason.substr(b, e - b));
}

}  // namespace baomi::services::customers
