#include "audit/stored_nodes.h"

#include "audit/trail_tables.h"

namespace baomi::audit {
namespace {

constexpr std::size_t kBatch = 1024;

}  // namespace

bool StoredNodesInOrder::load(Level& level, unsigned number, std::uint64_t from) {
  level.nodes.clear();
  level.hashes.clear();
  level.next = 0;
  auto read = scan_audit_tree_level(
      tx_, number, from, kBatch, [&level](std::uint64_t index, storage::ByteView hash) {
        level.nodes.push_back({index, level.hashes.size(), hash.size()});
        level.hashes.insert(level.hashes.end(), hash.begin(), hash.end());
      });
  if (!read.ok()) {
    if (!error_) error_ = read.take_error();
    level.loaded = false;
    return false;
  }
  level.loaded = true;
  level.covered_from = from;
  // A full batch covers up to its last node; a short one, the rest of the level.
  level.covered_to = level.nodes.size() < kBatch
                         ? std::nullopt
                         : std::optional<std::uint64_t>(level.nodes.back().index + 1);
  return true;
}

bool StoredNodesInOrder::get(unsigned number, std::uint64_t index, Bytes& node) {
  if (levels_.size() <= number) levels_.resize(number + 1);
  Level& level = levels_[number];
  const bool covered = level.loaded && index >= level.covered_from &&
                       (!level.covered_to || index < *level.covered_to);
  if (!covered && !load(level, number, index)) return false;
  while (level.next < level.nodes.size() && level.nodes[level.next].index < index) ++level.next;
  if (level.next == level.nodes.size() || level.nodes[level.next].index != index) return false;
  const Node& found = level.nodes[level.next];
  const auto begin = level.hashes.begin() + static_cast<std::ptrdiff_t>(found.offset);
  node.assign(begin, begin + static_cast<std::ptrdiff_t>(found.size));
  return true;
}

}  // namespace baomi::audit
