// CSV of customer exports (marking/csv): cells with any bytes. Properties: each row parses back,
// by an RFC 4180 reader written here from the RFC, into exactly the cells given, where a cell a
// spreadsheet would run as a formula comes back with one leading apostrophe (C2: no formula
// injection); and no parsed cell starts with a formula character.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "marking/csv.h"

namespace {

// RFC 4180 §2: fields separated by ',', records ending in CRLF, fields holding ',' '"' CR or
// LF quoted, '"' inside a quoted field doubled. Returns false on a malformed record.
bool parse_record(std::string_view line, std::vector<std::string>& cells) {
  if (line.size() < 2 || line.substr(line.size() - 2) != "\r\n") return false;
  line.remove_suffix(2);
  std::size_t i = 0;
  while (true) {
    std::string cell;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cell += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cell += line[i++];
      }
    } else {
      while (i < line.size() && line[i] != ',') {
        const char c = line[i];
        if (c == '"' || c == '\r' || c == '\n') return false;
        cell += line[i++];
      }
    }
    cells.push_back(std::move(cell));
    if (i == line.size()) return true;
    if (line[i] != ',') return false;
    ++i;
  }
}

bool formula_start(const std::string& v) {
  return !v.empty() &&
         (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baomi;
  fuzz::FuzzInput in(data, size);
  std::vector<std::string> cells;
  while (!in.empty() && cells.size() < 32) cells.emplace_back(in.until('\0'));
  if (cells.empty()) cells.emplace_back();

  const std::string row = marking::csv_row(cells);
  std::vector<std::string> parsed;
  fuzz::check(parse_record(row, parsed), "csv_row wrote a malformed record");
  fuzz::check(parsed.size() == cells.size(), "cell count changed");
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::string expected = formula_start(cells[i]) ? "'" + cells[i] : cells[i];
    fuzz::check(parsed[i] == expected, "cell did not round-trip");
    fuzz::check(!formula_start(parsed[i]), "a formula reached the CSV");
  }
  return 0;
}
