// Plain-text output of the `baomi` client: aligned tables and "field: value" lists whose
// widths count Chinese characters as two columns. Every cell is made safe for a terminal
// first: control characters (escape sequences a hostile value could use to rewrite the
// screen), bidirectional overrides and invisible characters are shown as "?" or dropped.
// Not thread-safe; pure formatting.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace baomi::client {

// `text` with control and bidirectional characters replaced by '?' and invisible ones (the
// fingerprint's variation selectors, zero-width characters) removed; invalid UTF-8 bytes
// become U+FFFD.
std::string terminal_safe(std::string_view text);

// Columns `text` takes on a terminal (East Asian wide and full-width characters count 2).
std::size_t display_width(std::string_view text);

class Table {
 public:
  explicit Table(std::vector<std::string> headings);
  void add(std::vector<std::string> cells);  // padded or cut to the headings' count
  std::size_t rows() const { return rows_.size(); }
  // Headings, then rows; the last column is not padded. Nothing but "(none)" when empty.
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headings_;
  std::vector<std::vector<std::string>> rows_;
};

// "name:  value" lines with the values aligned.
void print_fields(std::ostream& out,
                  const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace baomi::client
