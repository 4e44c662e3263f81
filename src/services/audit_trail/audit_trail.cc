#include "services/audit_trail/audit_trail.h"

#include <boost/json.hpp>

#include "audit/detail.h"
#include "audit/evidence_bundle.h"
#include "audit/trail_reader.h"
#include "auth/guard.h"
#include "services/record_tables.h"

namespace baomi::services {

Result<void> AuditTrail::allow(const auth::User& actor, std::string_view action) const {
  return auth::enforce(
      rt_, rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadAudit, {}, {rt_.now()}),
      actor.id, action, "audit");
}

Result<AuditPage> AuditTrail::query(const auth::User& actor, audit::AuditQuery q) const {
  BAOMI_TRY(allow(actor, "audit.query"));
  const std::size_t limit = q.limit;
  q.limit = limit + 1;
  AuditPage page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(page.items, audit::query_trail(tx, q));
    return {};
  }));
  if (page.items.size() > limit) {
    page.items.resize(limit);
    page.next_cursor = page.items.back().seq;
  }
  BAOMI_TRY(rt_.audit.record(rt_.store, {actor.id, "audit.query", "audit", "allow", "", "{}"},
                             rt_.now()));
  return page;
}

Result<audit::VerifyReport> AuditTrail::verify(const auth::User& actor) const {
  BAOMI_TRY(allow(actor, "audit.verify"));
  std::optional<audit::VerifyReport> report;
  // I1: from the first key; the trail's key transitions lead to the later ones.
  const auto key = rt_.audit.first_public_key();
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(report, audit::verify_store(tx, key, record_tables()));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "audit.verify", "audit", "allow", "I1", audit::Detail{}.add("ok", report->ok)},
      rt_.now()));
  return std::move(*report);
}

Result<SignedCheckpoint> AuditTrail::checkpoint(const auth::User& actor) const {
  BAOMI_TRY(allow(actor, "audit.checkpoint"));
  const auto now = rt_.now();
  std::optional<audit::SignedHead> head;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(
        rt_.audit.append(tx, {actor.id, "audit.checkpoint", "audit", "allow", "", "{}"}, now));
    BAOMI_TRY(rt_.audit.checkpoint(tx, now));
    BAOMI_ASSIGN_OR_RETURN(head, audit::latest_signed_head(tx));
    return {};
  }));
  if (!head) return Error::not_found("no checkpoint yet");
  return SignedCheckpoint{std::move(head->checkpoint), to_hex(rt_.audit.public_key()),
                          std::move(head->tree_head)};
}

namespace {

std::string proof_detail(std::string_view kind, std::uint64_t a, std::uint64_t b) {
  return audit::Detail{}.add("proof", kind).add("m", a).add("n", b);
}

}  // namespace

Result<audit::InclusionProof> AuditTrail::inclusion_proof(
    const auth::User& actor, std::uint64_t seq, std::optional<std::uint64_t> tree_size) const {
  BAOMI_TRY(allow(actor, "audit.proof"));
  std::optional<audit::InclusionProof> proof;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    if (!tree_size) {
      BAOMI_ASSIGN_OR_RETURN(tree_size, audit::trail_size(tx));
    }
    BAOMI_ASSIGN_OR_RETURN(proof, audit::prove_inclusion(tx, seq, *tree_size));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "audit.proof", "audit", "allow", "I1", proof_detail("inclusion", seq, *tree_size)},
      rt_.now()));
  return std::move(*proof);
}

Result<audit::ConsistencyProof> AuditTrail::consistency_proof(const auth::User& actor,
                                                              std::uint64_t from,
                                                              std::uint64_t to) const {
  BAOMI_TRY(allow(actor, "audit.proof"));
  std::optional<audit::ConsistencyProof> proof;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(proof, audit::prove_consistency(tx, from, to));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "audit.proof", "audit", "allow", "I1", proof_detail("consistency", from, to)},
      rt_.now()));
  return std::move(*proof);
}

Result<Bytes> AuditTrail::excerpt_bundle(const auth::User& actor, std::vector<std::uint64_t> seqs,
                                         std::optional<std::uint64_t> since_tree_size) const {
  BAOMI_TRY(allow(actor, "audit.bundle"));
  const std::size_t count = seqs.size();
  audit::BundleInput input{boost::json::object{{"kind", "audit-excerpt"}}, std::move(seqs),
                           since_tree_size};
  BAOMI_ASSIGN_OR_RETURN(auto bundle,
                         audit::make_evidence_bundle(rt_.store, rt_.audit, input, rt_.now()));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "audit.bundle", "audit", "allow", "S10",
                              audit::Detail{}.add("entries", count).add("bytes", bundle.size())},
                             rt_.now()));
  return bundle;
}

}  // namespace baomi::services
