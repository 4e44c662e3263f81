// A case's signed evidence bundle (S10, I1): the case record as the manifest, every timeline
// entry with its inclusion proof against one signed tree head (audit/evidence_bundle.h).
#include "audit/detail.h"
#include "audit/evidence_bundle.h"
#include "services/investigations/investigations.h"

namespace baomi::services {

Result<Bytes> Investigations::bundle(
    const auth::User& actor, const std::string& id,
    const std::function<boost::json::object(const CaseRecord&)>& manifest_of,
    std::optional<std::uint64_t> since_tree_size) const {
  BAOMI_ASSIGN_OR_RETURN(auto record, this->record(actor, id));
  if (record.timeline.size() > audit::kMaxBundleEntries) {
    return Error{ErrorKind::kTooLarge, "bundle_too_large",
                 "the case's timeline has more than " + std::to_string(audit::kMaxBundleEntries) +
                     " entries; narrow the case to fewer documents",
                 "S10"};
  }
  audit::BundleInput input;
  input.seqs.reserve(record.timeline.size());
  for (const auto& e : record.timeline) input.seqs.push_back(e.seq);
  input.content = manifest_of(record);
  input.since_tree_size = since_tree_size;
  BAOMI_ASSIGN_OR_RETURN(auto bytes,
                         audit::make_evidence_bundle(rt_.store, rt_.audit, input, rt_.now()));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "investigation.bundle", "investigation:" + id, "allow", "S10",
       audit::Detail{}.add("entries", input.seqs.size()).add("bytes", bytes.size())},
      rt_.now()));
  return bytes;
}

}  // namespace baomi::services
