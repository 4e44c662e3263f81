#include "marking/csv.h"

namespace baomi::marking {
namespace {

// Cells a spreadsheet would evaluate (OWASP "CSV injection").
bool looks_like_formula(std::string_view v) {
  if (v.empty()) return false;
  const char c = v.front();
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

std::string csv_cell(std::string_view value) {
  std::string v;
  if (looks_like_formula(value)) v += '\'';
  v += value;
  const bool quote = v.find_first_of(",\"\r\n") != std::string::npos;
  if (!quote) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_row(std::span<const std::string> cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_cell(cells[i]);
  }
  line += "\r\n";
  return line;
}

}  // namespace baomi::marking
