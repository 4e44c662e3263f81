#include "storage/table.h"

#include <stdexcept>

namespace baomi::storage {

std::size_t Table::position(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return i;
  }
  throw std::logic_error("table " + name + " has no column " + std::string(column));
}

}  // namespace baomi::storage
