#include "storage/table.h"

#include <stdexcept>

namespace baomi::storage {

std::size_t Table::position(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return i;
  }
  throw std::logic_error("table " + name + " has no column " + std::string(column));
}

Row RowView::to_row() const {
  Row row;
  row.reserve(values_.size());
  for (const auto& v : values_) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      row.emplace_back(*n);
    } else if (const auto* text = std::get_if<std::string_view>(&v)) {
      row.emplace_back(std::string(*text));
    } else if (const auto* bytes = std::get_if<ByteView>(&v)) {
      row.emplace_back(Bytes(bytes->begin(), bytes->end()));
    } else {
      row.emplace_back(std::monostate{});
    }
  }
  return row;
}

namespace {

std::string escape_key_part(const std::string& part) {
  std::string out;
  for (char c : part) {
    if (c == '%') {
      out += "%25";
    } else if (c == '/') {
      out += "%2F";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string record_key_text(const Table& table, const Row& row) {
  std::string out;
  for (std::size_t i = 0; i < table.key_size; ++i) {
    if (i) out += '/';
    if (const auto* n = std::get_if<std::int64_t>(&row[i])) {
      out += std::to_string(*n);
    } else if (const auto* text = std::get_if<std::string>(&row[i])) {
      out += escape_key_part(*text);
    }
  }
  return out;
}

std::optional<Row> record_key_row(const Table& table, std::string_view key) {
  Row row;
  std::string part;
  const auto flush = [&]() -> bool {
    const auto& column = table.columns[row.size()];
    if (column.type == ColumnType::kInteger) {
      std::int64_t n = 0;
      try {
        n = std::stoll(part);
      } catch (const std::exception&) {
        return false;
      }
      row.emplace_back(n);
    } else {
      row.emplace_back(part);
    }
    part.clear();
    return true;
  };
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '/') {
      if (row.size() + 1 >= table.key_size || !flush()) return std::nullopt;
    } else if (key[i] == '%' && key.substr(i, 3) == "%25") {
      part += '%';
      i += 2;
    } else if (key[i] == '%' && key.substr(i, 3) == "%2F") {
      part += '/';
      i += 2;
    } else {
      part += key[i];
    }
  }
  if (row.size() + 1 != table.key_size || !flush()) return std::nullopt;
  return row;
}

std::string record_baseline_meta_key(std::string_view table) {
  return "record_ledger.baseline." + std::string(table);
}

}  // namespace baomi::storage
