// Rows as storage sees them: the few clear columns that queries need (ids, levels, times,
// keyed blind indexes) and opaque sealed bytes for everything classified or personal. The
// barrier produces the sealed bytes; storage never sees plaintext of secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"

namespace baomi::storage {

struct KekRow {
  std::uint32_t version = 0;
  Bytes sealed;
};

struct AuditRow {
  std::uint64_t seq = 0;
  std::int64_t time_us = 0;
  std::string actor;
  std::string action;
  std::string target;
  std::string decision;
  std::string rule;
  std::string policy_version;
  std::string detail;
  std::string prev_hash;
  std::string hash;
};

struct CheckpointRow {
  std::uint64_t seq = 0;
  std::string head;
  std::int64_t time_us = 0;
  std::string signature;
};

// A signed tree head of the audit Merkle tree (audit/tree_head.h).
struct TreeHeadRow {
  std::uint64_t tree_size = 0;
  std::string root_hash;
  std::string head;
  std::int64_t time_us = 0;
  std::string signature;
};

struct AuditQuery {
  std::optional<std::string> actor;
  std::optional<std::string> target;  // exact target, e.g. "document:<id>"
  std::optional<std::string> action;
  std::optional<std::int64_t> from_us;
  std::optional<std::int64_t> to_us;
  std::uint64_t after_seq = 0;  // cursor
  std::size_t limit = 100;
};

}  // namespace baomi::storage
