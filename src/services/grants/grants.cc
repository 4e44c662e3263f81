#include "services/grants/grants.h"

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/documents/document_repository.h"

namespace baomi::services {
namespace {

ObjectQuery grants_of(const std::string& holder_id, std::string after) {
  ObjectQuery q;
  q.kind = std::string(kGrantKind);
  q.owner_id = holder_id;
  q.state = std::string(grant_state_name(GrantState::kActive));
  q.after_id = std::move(after);
  q.limit = 256;
  return q;
}

// Calls fn for every active grant of holder (on every document), page by page.
template <typename Fn>
Result<void> for_each_active(const SealedObjects& objects, barrier::ReadTx& tx,
                             const std::string& holder_id, Fn fn) {
  std::string after;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto page, objects.list(tx, grants_of(holder_id, after)));
    for (const auto& o : page) {
      BAOMI_ASSIGN_OR_RETURN(auto g, grant_from_object(o));
      BAOMI_TRY(fn(g));
    }
    if (page.size() < 256) return {};
    after = page.back().id;
  }
}

std::string grant_target(const std::string& id) { return "grant:" + id; }

}  // namespace

Result<Grant> Grants::create(barrier::WriteTx& tx, const GrantTerms& terms, TimePoint now) const {
  Grant g;
  g.id = crypto::random_id();
  g.request_id = terms.request_id;
  g.document_id = terms.document_id;
  g.holder_id = terms.holder_id;
  g.created_at = now;
  g.expires_at = now + std::chrono::days{terms.days};
  g.uses_left = terms.uses;
  auto object = to_object(g);
  BAOMI_TRY(objects_.insert(tx, object));
  g.revision = object.revision;
  return g;
}

Result<std::optional<Grant>> Grants::usable(barrier::ReadTx& tx, const std::string& holder_id,
                                            const std::string& document_id, TimePoint now) const {
  ObjectQuery q = grants_of(holder_id, "");
  q.document_id = document_id;
  BAOMI_ASSIGN_OR_RETURN(auto page, objects_.list(tx, q));
  for (const auto& o : page) {
    BAOMI_ASSIGN_OR_RETURN(auto g, grant_from_object(o));
    if (g.usable(now)) return std::optional<Grant>(std::move(g));
  }
  return std::optional<Grant>();
}

Result<void> Grants::spend(barrier::WriteTx& tx, const std::string& grant_id, TimePoint now) const {
  BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kGrantKind), grant_id));
  if (!object) return Error::not_found("grant not found");
  BAOMI_ASSIGN_OR_RETURN(auto g, grant_from_object(*object));
  // Checked again inside the writing transaction: two reads racing for the last use cannot
  // both get it.
  if (!g.usable(now)) {
    return Error::forbidden("need_to_know", "the grant is no longer usable", "S6");
  }
  if (!g.uses_left) return {};
  if (--*g.uses_left == 0) g.state = GrantState::kSpent;
  auto updated = to_object(g);
  updated.updated_at = now;
  return objects_.update(tx, updated);
}

Result<int> Grants::suspend(barrier::WriteTx& tx, const std::string& holder_id,
                            const std::string& document_id, const std::string& actor_id,
                            TimePoint now) const {
  std::vector<Grant> hit;
  BAOMI_TRY(for_each_active(objects_, tx, holder_id, [&](const Grant& g) -> Result<void> {
    if (g.document_id == document_id) hit.push_back(g);
    return {};
  }));
  for (auto& g : hit) {
    g.state = GrantState::kSuspended;
    g.ended_by = actor_id;
    auto object = to_object(g);
    object.updated_at = now;
    BAOMI_TRY(objects_.update(tx, object));
  }
  return static_cast<int>(hit.size());
}

Result<int> Grants::expire_due(TimePoint now) const {
  ObjectQuery q;
  q.kind = std::string(kGrantKind);
  q.state = std::string(grant_state_name(GrantState::kActive));
  q.due_before_us = to_micros(now) + 1;
  q.limit = 256;
  int expired = 0;
  for (;;) {
    int in_page = 0;
    BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(auto due, objects_.list(tx, q));
      in_page = static_cast<int>(due.size());
      for (const auto& o : due) {
        BAOMI_ASSIGN_OR_RETURN(auto g, grant_from_object(o));
        g.state = GrantState::kExpired;
        auto object = to_object(g);
        object.updated_at = now;
        BAOMI_TRY(objects_.update(tx, object));
        BAOMI_TRY(rt_.audit.append(tx,
                                   {"system", "grant.expire", grant_target(g.id), "allow", "S4",
                                    audit::Detail{}.add("document_id", g.document_id)},
                                   now));
      }
      return {};
    }));
    expired += in_page;
    if (in_page < static_cast<int>(q.limit)) return expired;
  }
}

Result<std::vector<Grant>> Grants::usable_of(const auth::User& holder) const {
  const auto now = rt_.now();
  std::vector<Grant> out;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    return for_each_active(objects_, tx, holder.id, [&](const Grant& g) -> Result<void> {
      if (g.usable(now)) out.push_back(g);
      return {};
    });
  }));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {holder.id, "grant.list", "grants", "allow", "S6", audit::Detail{}.add("count", out.size())},
      now));
  return out;
}

Result<Grant> Grants::revoke(const auth::User& actor, const std::string& grant_id) const {
  const auto now = rt_.now();
  const auto target = grant_target(grant_id);
  std::optional<Grant> grant;
  std::optional<Document> doc;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kGrantKind), grant_id));
    if (!object) return {};
    BAOMI_ASSIGN_OR_RETURN(grant, grant_from_object(*object));
    BAOMI_ASSIGN_OR_RETURN(doc, DocumentRepository(rt_).find(tx, grant->document_id));
    if (!doc) return Error::integrity("a grant names a document that does not exist");
    return {};
  }));
  auto resource = grant ? resource_of(*doc) : policy::Resource{};
  if (grant) resource.holder_id = grant->holder_id;
  // An unknown grant is refused like one the caller may not touch: existence does not leak.
  auto decision =
      rt_.policy.decide(auth::subject_of(actor), policy::Action::kRevokeGrant, resource, {now});
  if (!grant)
    decision = policy::Decision{false, policy::DenyAs::kNotFound, "S9", "not_found", "not found"};
  BAOMI_TRY(auth::enforce(rt_, decision, actor.id, "grant.revoke", target));
  if (grant->effective_state(now) != GrantState::kActive) {
    return Error::conflict(
        "grant_not_active",
        "the grant is already " + std::string(grant_state_name(grant->effective_state(now))));
  }
  grant->state = GrantState::kRevoked;
  grant->ended_by = actor.id;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    auto object = to_object(*grant);
    object.updated_at = now;
    BAOMI_TRY(objects_.update(tx, object));
    grant->revision = object.revision;
    BAOMI_TRY(
        rt_.audit.append(tx,
                         {actor.id, "grant.revoke", target, "allow", std::string(decision.rule),
                          audit::Detail{}.add("document_id", grant->document_id)},
                         now));
    return {};
  }));
  return *grant;
}

}  // namespace baomi::services
