// CSV for marked exports (C2, S5): RFC 4180 rows (CRLF, fields quoted when they hold a comma,
// quote or line break), with spreadsheet formula injection neutralised: a cell that a
// spreadsheet would run as a formula (leading =, +, -, @, tab or carriage return) is prefixed
// with an apostrophe, so an exported customer note can never execute on the reader's machine.
// Stateless; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace baomi::marking {

// One CSV cell as written (quoted and neutralised as needed).
std::string csv_cell(std::string_view value);

// One CSV line: the cells joined by commas, ending in CRLF.
std::string csv_row(std::span<const std::string> cells);

}  // namespace baomi::marking
