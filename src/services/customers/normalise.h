// Customer field values: validation (400 naming the field) and the normalised forms that are
// stored, masked and blind-indexed (C3). Pure functions; thread-safe.
//   phone      separators " -().", optional leading "+"; digits only, 5-20 after dropping
//              the China country prefix (+86, 0086, or 86 before an 11-digit mobile number)
//   id_number  18 characters with the GB 11643 check digit (X allowed, upper-cased) or 15 digits
//   qq         5-12 digits, not starting with 0
//   email      trimmed, lower-cased, local@domain.tld
//   account    trimmed; its blind index is case-folded
//   name, address, products, notes: trimmed, bounded length
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "policy/model.h"

namespace baomi::services::customers {

// The stored form of `value` for `field`, or an invalid_field error naming the field.
Result<std::string> normalise_field(policy::CustomerField field, std::string_view value);

// The fields exact search works on (phone, id_number, qq, account, email).
bool is_searchable(policy::CustomerField field);

// The value a blind index is computed over: the stored form, case-folded for accounts.
std::string index_form(policy::CustomerField field, std::string_view stored);

// C3, S11: the reason given for showing a customer or a visitor in clear, trimmed; a 400
// naming the `reason` parameter when it is blank or over 500 characters.
Result<std::string> checked_unmask_reason(std::string_view reason);
// The audit note kind that carries that reason.
inline constexpr std::string_view kUnmaskReasonKind = "unmask_reason";

// Length of `s` in Unicode code points (s is valid UTF-8).
std::size_t code_points(std::string_view s);

}  // namespace baomi::services::customers
