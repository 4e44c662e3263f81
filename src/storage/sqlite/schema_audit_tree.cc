// The audit Merkle tree (I1, S10): hashes of perfect subtrees of level >= 1, written in the
// same transaction as the entry that completes them, and the signed tree heads.
#include "storage/sqlite/schema.h"

namespace baomi::storage::sqlite {

const char* audit_tree_schema_sql() {
  return R"sql(
CREATE TABLE IF NOT EXISTS audit_tree (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS audit_tree_heads (
  tree_size INTEGER PRIMARY KEY,
  root_hash TEXT NOT NULL,
  head TEXT NOT NULL,
  time INTEGER NOT NULL,
  signature TEXT NOT NULL);
)sql";
}

}  // namespace baomi::storage::sqlite
