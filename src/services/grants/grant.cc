#include "services/grants/grant.h"

#include <array>

#include "core/enum_names.h"
#include "services/workflow/json_fields.h"

namespace baomi::services {
namespace {

constexpr std::array<std::string_view, 5> kNames = {"active", "spent", "expired", "revoked",
                                                    "suspended"};

std::optional<GrantState> grant_state_from_name(std::string_view name) {
  return enum_from_name<GrantState>(kNames, name);
}

}  // namespace

std::string_view grant_state_name(GrantState state) { return enum_name(kNames, state); }

StoredObject to_object(const Grant& g) {
  StoredObject o;
  o.kind = std::string(kGrantKind);
  o.id = g.id;
  o.state = std::string(grant_state_name(g.state));
  o.document_id = g.document_id;
  o.owner_id = g.holder_id;
  o.created_at = g.created_at;
  o.updated_at = g.created_at;
  if (g.state == GrantState::kActive) o.due_at = g.expires_at;
  o.revision = g.revision;
  o.body["request_id"] = g.request_id;
  o.body["expires_at"] = to_micros(g.expires_at);
  if (g.uses_left) o.body["uses_left"] = *g.uses_left;
  if (g.ended_by) o.body["ended_by"] = *g.ended_by;
  return o;
}

Result<Grant> grant_from_object(const StoredObject& o) {
  Grant g;
  g.id = o.id;
  g.document_id = o.document_id;
  g.holder_id = o.owner_id;
  g.created_at = o.created_at;
  g.revision = o.revision;
  auto state = grant_state_from_name(o.state);
  if (!state) return Error::integrity("a stored grant has an unknown state");
  g.state = *state;
  BodyReader r(o.body);
  BAOMI_ASSIGN_OR_RETURN(g.request_id, r.string("request_id"));
  BAOMI_ASSIGN_OR_RETURN(g.expires_at, r.time("expires_at"));
  BAOMI_ASSIGN_OR_RETURN(g.uses_left, r.optional_integer("uses_left"));
  BAOMI_ASSIGN_OR_RETURN(g.ended_by, r.optional_string("ended_by"));
  return g;
}

}  // namespace baomi::services
