#include "services/customers/masking.h"

#include <vector>

namespace baomi::services::customers {
namespace {

using policy::CustomerField;

// Splits valid UTF-8 into code points (each a view into `s`).
std::vector<std::string_view> split_code_points(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i + 1;
    while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Keeps `head` leading and `tail` trailing code points and stars the rest; when the value is
// too short for that, keeps less so that at least a third of it (and at least one) is starred.
std::string keep_ends(std::string_view value, std::size_t head, std::size_t tail) {
  const auto cps = split_code_points(value);
  const std::size_t n = cps.size();
  const auto too_few_stars = [&] { return head + tail >= n || (n - head - tail) * 3 < n; };
  while (too_few_stars() && (head > 0 || tail > 0)) {
    if (head > tail || tail == 0) {
      --head;
    } else {
      --tail;  // on a tie the end goes first: the start is what staff recognise
    }
  }
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i < head || i >= n - tail) {
      out.append(cps[i]);
    } else {
      out.push_back('*');
    }
  }
  return out;
}

std::string mask_name(std::string_view name) {
  const auto cps = split_code_points(name);
  if (cps.size() <= 1) return "*";
  return std::string(cps[0]) + std::string(cps.size() - 1, '*');
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() >= 8) return keep_ends(phone, 3, 4);  // 138****5678
  return std::string(phone.size() - 2, '*') + std::string(phone.substr(phone.size() - 2));
}

std::string mask_email(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "***";
  return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

// Province and city (the first characters) stay; the street never does, and a fixed number
// of stars hides its length.
std::string mask_address(std::string_view address) {
  const auto cps = split_code_points(address);
  const std::size_t keep = std::min<std::size_t>(6, cps.size() / 2);
  std::string out;
  for (std::size_t i = 0; i < keep; ++i) out.append(cps[i]);
  return out + "****";
}

}  // namespace

std::string mask_field(CustomerField field, std::string_view stored) {
  switch (field) {
    case CustomerField::kName:
      return mask_name(stored);
    case CustomerField::kPhone:
      return mask_phone(stored);
    case CustomerField::kIdNumber:
      return keep_ends(stored, 4, 4);  // 4101**********1234
    case CustomerField::kQq:
      return keep_ends(stored, 2, 2);  // 12****89
    case CustomerField::kEmail:
      return mask_email(stored);
    case CustomerField::kAccount:
      return keep_ends(stored, 2, 2);
    case CustomerField::kAddress:
      return mask_address(stored);
    case CustomerField::kProducts:
      return std::string(stored);  // what was bought is not personal data: shown (docs)
    case CustomerField::kNotes:
      return "****";  // free text may hold anything personal: hidden unless unmasked
  }
  return "****";
}

}  // namespace baomi::services::customers
