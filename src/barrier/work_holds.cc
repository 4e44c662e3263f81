#include "barrier/work_holds.h"

#include <charconv>

#include "barrier/engine_access.h"
#include "storage/lease.h"
#include "storage/meta.h"

namespace baomi::barrier {
namespace {

std::string meta_key(const std::string& work) { return "hold." + work; }

// "<node>\n<item>"; empty once dropped.
Bytes encode(const WorkHold& hold) {
  const auto text = hold.node + "\n" + std::to_string(hold.item);
  return Bytes(text.begin(), text.end());
}

std::optional<WorkHold> decode(const Bytes& bytes) {
  const std::string text(bytes.begin(), bytes.end());
  const auto nl = text.find('\n');
  if (nl == std::string::npos || nl == 0) return std::nullopt;
  WorkHold hold{text.substr(0, nl), 0};
  const char* first = text.data() + nl + 1;
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, hold.item);
  if (ec != std::errc() || end != last) return std::nullopt;
  return hold;
}

}  // namespace

Result<void> WorkHolds::take(WriteTx& tx, const std::string& work, const WorkHold& hold) {
  return storage::put_meta(EngineAccess::engine(tx), meta_key(work), encode(hold));
}

Result<void> WorkHolds::drop(WriteTx& tx, const std::string& work) {
  return storage::put_meta(EngineAccess::engine(tx), meta_key(work), {});
}

Result<std::optional<WorkHold>> WorkHolds::live_hold(ReadTx& service_tx, const std::string& work,
                                                     TimePoint now) {
  auto& tx = EngineAccess::engine(service_tx);
  BAOMI_ASSIGN_OR_RETURN(auto stored, storage::get_meta(tx, meta_key(work)));
  // An unreadable hold counts as none: holds only keep work from being cleared too early.
  auto hold = stored ? decode(*stored) : std::nullopt;
  if (!hold) return std::optional<WorkHold>();
  BAOMI_ASSIGN_OR_RETURN(const bool alive,
                         storage::Lease::runs(tx, node_duty(hold->node), hold->node, now));
  if (!alive) return std::optional<WorkHold>();
  return hold;
}

}  // namespace baomi::barrier
