#include "audit/trail_cursor.h"

#include <charconv>

#include "barrier/engine_access.h"
#include "storage/meta.h"

namespace baomi::audit {
namespace {

std::string meta_key(const std::string& name) { return "trail_cursor." + name; }

}  // namespace

std::string TrailCursor::mac_of(std::uint64_t seq) const {
  const std::string fields = "trail_cursor\n" + name_ + "\n" + std::to_string(seq);
  return barrier_.row_mac(Bytes(fields.begin(), fields.end()));
}

Result<std::uint64_t> TrailCursor::get(barrier::ReadTx& tx) const {
  BAOMI_ASSIGN_OR_RETURN(auto stored,
                         storage::get_meta(barrier::EngineAccess::engine(tx), meta_key(name_)));
  if (!stored) return std::uint64_t{0};
  // "<seq> <mac>"
  const std::string text(stored->begin(), stored->end());
  const auto space = text.find(' ');
  std::uint64_t seq = 0;
  const char* last = text.data() + (space == std::string::npos ? text.size() : space);
  const auto [end, ec] = std::from_chars(text.data(), last, seq);
  if (space == std::string::npos || ec != std::errc() || end != last) {
    return Error::integrity("the " + name_ + " cursor is damaged");
  }
  const auto fields = "trail_cursor\n" + name_ + "\n" + std::to_string(seq);
  BAOMI_TRY(barrier_.check_row_mac(Bytes(fields.begin(), fields.end()), text.substr(space + 1)));
  return seq;
}

Result<void> TrailCursor::set(barrier::WriteTx& tx, std::uint64_t seq) const {
  const auto text = std::to_string(seq) + " " + mac_of(seq);
  return storage::put_meta(barrier::EngineAccess::engine(tx), meta_key(name_),
                           Bytes(text.begin(), text.end()));
}

}  // namespace baomi::audit
