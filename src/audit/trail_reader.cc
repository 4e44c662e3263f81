#include "audit/trail_reader.h"

#include "audit/trail_tables.h"
#include "barrier/engine_access.h"

namespace baomi::audit {

using barrier::EngineAccess;

Result<std::vector<AuditRow>> query_trail(barrier::ReadTx& tx, const AuditQuery& q) {
  return audit::query_audit(EngineAccess::engine(tx), q);
}

Result<std::uint64_t> trail_size(barrier::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(EngineAccess::engine(tx)));
  return last ? last->seq : 0;
}

Result<std::optional<SignedHead>> latest_signed_head(barrier::ReadTx& service_tx) {
  auto& tx = EngineAccess::engine(service_tx);
  BAOMI_ASSIGN_OR_RETURN(auto latest, audit::latest_checkpoint(tx));
  if (!latest) return std::optional<SignedHead>();
  BAOMI_ASSIGN_OR_RETURN(auto tree_head, audit::first_tree_head_from(tx, latest->seq));
  if (tree_head && tree_head->tree_size != latest->seq) tree_head.reset();
  return std::optional<SignedHead>(SignedHead{std::move(*latest), std::move(tree_head)});
}

}  // namespace baomi::audit
