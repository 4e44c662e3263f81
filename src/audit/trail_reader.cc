#include "audit/trail_reader.h"

namespace baomi::audit {

Result<std::vector<storage::AuditRow>> query_trail(storage::ReadTx& tx,
                                                   const storage::AuditQuery& q) {
  return tx.query_audit(q);
}

Result<std::uint64_t> trail_size(storage::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto last, tx.last_audit_entry());
  return last ? last->seq : 0;
}

Result<std::optional<SignedHead>> latest_signed_head(storage::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto latest, tx.latest_checkpoint());
  if (!latest) return std::optional<SignedHead>();
  BAOMI_ASSIGN_OR_RETURN(auto tree_head, tx.first_tree_head_from(latest->seq));
  if (tree_head && tree_head->tree_size != latest->seq) tree_head.reset();
  return std::optional<SignedHead>(SignedHead{std::move(*latest), std::move(tree_head)});
}

}  // namespace baomi::audit
