// Small helpers shared by the SqliteTx implementation files: reading one or all rows of a
// statement, and building SQL text from constant pieces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite/db.h"

namespace baomi::storage::sqlite {

template <typename Row, typename Reader>
Result<std::optional<Row>> one(Statement& s, Reader reader) {
  BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
  if (!has) return std::optional<Row>();
  return std::optional<Row>(reader(s));
}

template <typename Row, typename Reader>
Result<std::vector<Row>> all(Statement& s, Reader reader) {
  std::vector<Row> rows;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return rows;
    rows.push_back(reader(s));
  }
}

inline std::string sql(std::string_view a, std::string_view b, std::string_view c = {}) {
  return std::string(a) + std::string(b) + std::string(c);
}

inline std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }

}  // namespace baomi::storage::sqlite
