#include "services/areas/areas.h"

#include <algorithm>

#include "auth/guard.h"
#include "crypto/random.h"
#include "services/customers/masking.h"
#include "services/incidents/incident.h"
#include "services/requests/request.h"

namespace baomi::services {
namespace {

constexpr std::size_t kMaxAreaName = 200;
constexpr std::size_t kMaxListed = 500;  // accounts on one list
constexpr std::size_t kScanPage = 500;

std::string area_target(const std::string& id) { return "area:" + id; }

Error area_not_found() { return Error::not_found("area not found"); }

policy::Subject subject(const auth::User& u) { return auth::subject_of(u); }

std::vector<std::string> minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  return out;
}

}  // namespace

policy::Resource Areas::resource_of(const Area& area, const auth::User& actor) const {
  policy::Resource r;
  r.level = area.level;
  r.area.subject_keeps = area.lists(AreaList::kKeepers, actor.id);
  r.area.subject_serves = area.lists(AreaList::kTerminals, actor.id);
  r.area.subject_authorised = area.lists(AreaList::kAuthorised, actor.id);
  r.area.requestable = area.requestable;
  return r;
}

Area Areas::as_read_by(Area area, const auth::User& actor) const {
  const auto r = resource_of(area, actor);
  const bool full =
      r.area.subject_serves ||
      rt_.policy.decide(subject(actor), policy::Action::kReadAreaLog, r, {rt_.now()}).allowed;
  if (!full) area.terminals.clear();
  return area;
}

Result<Area> Areas::load(barrier::ReadTx& tx, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kAreaKind), id));
  if (!object) return area_not_found();
  return area_from_object(*object);
}

Result<Area> Areas::load_for(const auth::User& actor, const std::string& id, policy::Action action,
                             std::string_view audit_action) const {
  std::optional<Area> area;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    auto loaded = load(tx, id);
    if (!loaded.ok() && loaded.error().kind == ErrorKind::kNotFound) return {};
    BAOMI_TRY(loaded);
    area = std::move(loaded).value();
    return {};
  }));
  // S9: an unknown area and one the caller may not know of look the same.
  policy::Decision decision{false, policy::DenyAs::kNotFound, "S11", "not_found", "not found"};
  if (area) {
    decision = rt_.policy.decide(subject(actor), policy::Action::kReadArea,
                                 resource_of(*area, actor), {rt_.now()});
    if (decision.allowed && action != policy::Action::kReadArea) {
      decision = rt_.policy.decide(subject(actor), action, resource_of(*area, actor), {rt_.now()});
    }
  }
  BAOMI_TRY(auth::enforce(rt_, decision, actor.id, audit_action, area_target(id)));
  return std::move(*area);
}

Result<std::vector<std::string>> Areas::checked_accounts(
    barrier::ReadTx& tx, std::string_view field, const std::vector<std::string>& ids) const {
  std::vector<std::string> out;
  if (ids.size() > kMaxListed) {
    return Error::invalid("invalid_field", "field '" + std::string(field) + "' lists at most " +
                                               std::to_string(kMaxListed) + " accounts");
  }
  for (const auto& id : ids) {
    if (std::find(out.begin(), out.end(), id) != out.end()) continue;
    BAOMI_ASSIGN_OR_RETURN(auto user, auth::find_user(rt_, tx, id));
    if (!user) {
      return Error::invalid("invalid_field",
                            "field '" + std::string(field) + "' names an unknown account");
    }
    out.push_back(id);
  }
  return out;
}

Result<Area> Areas::create(const auth::User& actor, const NewArea& spec) const {
  const auto now = rt_.now();
  BAOMI_TRY(
      auth::enforce(rt_, rt_.policy.decide(subject(actor), policy::Action::kManageAreas, {}, {now}),
                    actor.id, "area.create", "areas"));
  if (spec.name.empty() || spec.name.size() > kMaxAreaName) {
    return Error::invalid("invalid_field", "field 'name' must be 1-200 bytes");
  }
  const auto kind = area_kind_from_name(spec.kind);
  if (!kind) {
    return Error::invalid("invalid_field",
                          "field 'kind' must be information_room, archive, computer_room or other");
  }
  const auto level = rt_.policy.level_from_name(spec.level);
  if (!level) return Error::invalid("invalid_field", "field 'level' is not a known level");
  Area area;
  area.id = crypto::random_id();
  area.name = spec.name;
  area.kind = *kind;
  area.level = *level;
  area.changed_by = actor.id;
  area.created_at = now;
  area.updated_at = now;
  area.requestable = spec.requestable;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(area.authorised, checked_accounts(tx, "authorised", spec.authorised));
    BAOMI_ASSIGN_OR_RETURN(area.keepers, checked_accounts(tx, "keepers", spec.keepers));
    BAOMI_ASSIGN_OR_RETURN(area.terminals, checked_accounts(tx, "terminals", spec.terminals));
    auto object = to_object(area);
    BAOMI_TRY(objects_.insert(tx, object));
    area.revision = object.revision;
    AreaAuditDetail detail;
    detail.added = area.authorised;
    if (area.requestable) detail.requestable = true;
    BAOMI_TRY(rt_.audit.append(
        tx,
        {actor.id, "area.create", area_target(area.id), "allow", "S11", to_audit_detail(detail)},
        now));
    return {};
  }));
  return area;
}

Result<AreaPage> Areas::list(const auth::User& actor, const std::string& cursor,
                             std::size_t limit) const {
  const auto now = rt_.now();
  AreaPage page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    ObjectQuery q;
    q.kind = std::string(kAreaKind);
    q.after_id = cursor;
    q.limit = kScanPage;
    // Only the areas the caller may know of (S9, S11): scan on until the page is full.
    for (;;) {
      BAOMI_ASSIGN_OR_RETURN(auto scanned, objects_.list(tx, q));
      for (const auto& o : scanned) {
        BAOMI_ASSIGN_OR_RETURN(auto area, area_from_object(o));
        if (!rt_.policy
                 .decide(subject(actor), policy::Action::kReadArea, resource_of(area, actor), {now})
                 .allowed) {
          continue;
        }
        page.items.push_back(as_read_by(std::move(area), actor));
        if (page.items.size() == limit) {
          page.next_cursor = page.items.back().id;
          return {};
        }
      }
      if (scanned.size() < q.limit) return {};
      q.after_id = scanned.back().id;
    }
  }));
  BAOMI_TRY(
      rt_.audit.record(rt_.store, {actor.id, "area.list", "areas", "allow", "S11", "{}"}, now));
  return page;
}

Result<Area> Areas::get(const auth::User& actor, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto area, load_for(actor, id, policy::Action::kReadArea, "area.read"));
  BAOMI_TRY(rt_.audit.record(
      rt_.store, {actor.id, "area.read", area_target(id), "allow", "S11", "{}"}, rt_.now()));
  return as_read_by(std::move(area), actor);
}

Result<Area> Areas::set_list(const auth::User& actor, const std::string& id, AreaList which,
                             const std::vector<std::string>& user_ids) const {
  const auto now = rt_.now();
  const auto action = "area.set_" + std::string(area_list_name(which));
  BAOMI_TRY(
      auth::enforce(rt_, rt_.policy.decide(subject(actor), policy::Action::kManageAreas, {}, {now}),
                    actor.id, action, area_target(id)));
  std::optional<Area> area;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(area, load(tx, id));
    BAOMI_ASSIGN_OR_RETURN(auto next, checked_accounts(tx, area_list_name(which), user_ids));
    AreaAuditDetail detail;
    detail.list = std::string(area_list_name(which));
    detail.added = minus(next, area->list(which));
    detail.removed = minus(area->list(which), next);
    area->list(which) = std::move(next);
    area->changed_by = actor.id;
    area->updated_at = now;
    auto object = to_object(*area);
    BAOMI_TRY(objects_.update(tx, object));
    area->revision = object.revision;
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, action, area_target(id), "allow", "S11", to_audit_detail(detail)}, now));
    return {};
  }));
  return std::move(*area);
}

Result<Area> Areas::set_requestable(const auth::User& actor, const std::string& id,
                                    bool requestable) const {
  const auto now = rt_.now();
  BAOMI_TRY(
      auth::enforce(rt_, rt_.policy.decide(subject(actor), policy::Action::kManageAreas, {}, {now}),
                    actor.id, "area.set_requestable", area_target(id)));
  std::optional<Area> area;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(area, load(tx, id));
    area->requestable = requestable;
    area->changed_by = actor.id;
    area->updated_at = now;
    auto object = to_object(*area);
    BAOMI_TRY(objects_.update(tx, object));
    area->revision = object.revision;
    AreaAuditDetail detail;
    detail.requestable = requestable;
    BAOMI_TRY(rt_.audit.append(tx,
                               {actor.id, "area.set_requestable", area_target(id), "allow", "S11",
                                to_audit_detail(detail)},
                               now));
    return {};
  }));
  return std::move(*area);
}

Result<std::vector<Passage>> Areas::passages(barrier::ReadTx& tx, const std::string& area_id,
                                             std::optional<std::string> state,
                                             std::optional<std::string> owner) const {
  std::vector<Passage> out;
  ObjectQuery q;
  q.kind = std::string(kPassageKind);
  q.document_id = area_id;
  q.state = std::move(state);
  q.owner_id = std::move(owner);
  q.limit = kScanPage;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto page, objects_.list(tx, q));
    for (const auto& o : page) {
      BAOMI_ASSIGN_OR_RETURN(auto p, passage_from_object(o));
      out.push_back(std::move(p));
    }
    if (page.size() < q.limit) break;
    q.after_id = page.back().id;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Passage& a, const Passage& b) { return a.entered_at < b.entered_at; });
  return out;
}

Error Areas::refuse_entry(const auth::User& actor, const Area& area,
                          const policy::Decision& decision, const std::string& who,
                          AreaAuditDetail detail) const {
  const auto now = rt_.now();
  Alert alert;
  alert.id = crypto::random_id();
  alert.type = "area_entry_refused";
  alert.raised_by = actor.id;
  alert.target = area_target(area.id);
  alert.detail =
      "entry of " + (detail.visit_id ? "the visitor of " + *detail.visit_id : "account " + who) +
      " refused: " + std::string(decision.code) + " (" + std::string(decision.rule) + ")";
  alert.at = now;
  detail.alert_id = alert.id;
  detail.reason = std::string(decision.code);
  auto written = rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(const auto seq, rt_.audit.next_seq(tx));
    alert.audit_seqs.push_back(seq);
    auto object = to_object(alert);
    BAOMI_TRY(objects_.insert(tx, object));
    BAOMI_TRY(rt_.audit.append(tx,
                               {who, "area.enter", area_target(area.id), "deny",
                                std::string(decision.rule), to_audit_detail(detail)},
                               now));
    AreaAuditDetail raised;
    raised.alert_id = alert.id;
    raised.person_id = detail.person_id;
    raised.visit_id = detail.visit_id;
    BAOMI_TRY(rt_.audit.append(
        tx,
        {"system", "alert.raise", area_target(area.id), "allow", "S11", to_audit_detail(raised)},
        now));
    return {};
  });
  if (!written.ok()) return written.take_error();
  return auth::error_of(decision);
}

Result<Passage> Areas::enter(const auth::User& actor, const std::string& area_id,
                             const PassageSpec& who) const {
  BAOMI_ASSIGN_OR_RETURN(auto area,
                         load_for(actor, area_id, policy::Action::kRecordPassage, "area.enter"));
  if (who.visit_id) return enter_visitor(actor, area, *who.visit_id);
  return enter_person(actor, area, who.person_id.value_or(""));
}

Result<Passage> Areas::admit(const auth::User& actor, const Area& area, Passage p,
                             AreaAuditDetail detail) const {
  const auto now = rt_.now();
  p.id = crypto::random_id();
  p.area_id = area.id;
  p.entered_at = now;
  p.entered_by = actor.id;
  detail.entry_id = p.id;
  detail.recorded_by = actor.id;
  // The entry is the person's act (a visitor's is their escort's, who brings them in).
  const auto who = p.visit_id ? p.escort_id.value_or("") : p.person_id;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto open, passages(tx, area.id, "inside", p.owner()));
    if (!open.empty()) {
      return Error::conflict("already_inside", "the person is already inside the area");
    }
    auto object = to_object(p);
    BAOMI_TRY(objects_.insert(tx, object));
    p.revision = object.revision;
    BAOMI_TRY(rt_.audit.append(
        tx, {who, "area.enter", area_target(area.id), "allow", "S11", to_audit_detail(detail)},
        now));
    return {};
  }));
  return p;
}

Result<Passage> Areas::enter_person(const auth::User& actor, const Area& area,
                                    const std::string& person_id) const {
  const auto now = rt_.now();
  std::optional<auth::User> person;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(person, auth::find_user(rt_, tx, person_id));
    return {};
  }));
  if (!person) return Error::not_found("person not found");
  AreaAuditDetail detail;
  detail.person_id = person_id;
  detail.recorded_by = actor.id;
  auto facts = resource_of(area, actor);
  facts.area.person_authorised = area.lists(AreaList::kAuthorised, person_id);
  const auto decision =
      rt_.policy.decide(subject(*person), policy::Action::kEnterArea, facts, {now});
  // S9: the attempt is the person's, so a pryer knocking on doors is counted like any other.
  if (!decision.allowed) return refuse_entry(actor, area, decision, person_id, detail);
  Passage p;
  p.person_id = person_id;
  return admit(actor, area, std::move(p), std::move(detail));
}

// S11: staff may not bring others in: a visitor needs an approved visit for this area and time,
// and an escort who is on the authorised list and inside now.
Result<Passage> Areas::enter_visitor(const auth::User& actor, const Area& area,
                                     const std::string& visit_id) const {
  const auto now = rt_.now();
  std::optional<Request> visit;
  bool escort_inside = false;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kRequestKind), visit_id));
    if (!object) return {};
    BAOMI_ASSIGN_OR_RETURN(auto request, request_from_object(*object));
    if (!request.visit || request.visit->area_id != area.id) return {};
    BAOMI_ASSIGN_OR_RETURN(auto escort_in,
                           passages(tx, area.id, "inside", request.visit->escort_id));
    escort_inside = !escort_in.empty();
    visit = std::move(request);
    return {};
  }));
  AreaAuditDetail detail;
  detail.visit_id = visit_id;
  detail.recorded_by = actor.id;
  auto facts = resource_of(area, actor);
  if (visit) {
    const auto& v = *visit->visit;
    detail.escort_id = v.escort_id;
    facts.area.visit_approved =
        visit->state == RequestState::kApproved && v.from <= now && now < v.to;
    facts.area.escort_authorised = area.lists(AreaList::kAuthorised, v.escort_id);
    facts.area.escort_inside = escort_inside;
  }
  const auto decision =
      rt_.policy.decide(subject(actor), policy::Action::kAdmitVisitor, facts, {now});
  if (!decision.allowed) {
    return refuse_entry(actor, area, decision, visit ? visit->visit->escort_id : actor.id, detail);
  }
  Passage p;
  p.visit_id = visit_id;
  p.escort_id = visit->visit->escort_id;
  p.visitor_name = customers::mask_field(policy::CustomerField::kName, visit->visit->visitor.name);
  p.visitor_organisation = visit->visit->visitor.organisation;
  return admit(actor, area, std::move(p), std::move(detail));
}

Result<std::optional<std::string>> Areas::check_escort(barrier::WriteTx& tx, const Area& area,
                                                       const Passage& leaving,
                                                       const auth::User& actor,
                                                       TimePoint now) const {
  std::optional<std::string> none;
  if (leaving.visit_id) return none;
  BAOMI_ASSIGN_OR_RETURN(auto inside, passages(tx, area.id, "inside", std::nullopt));
  std::vector<std::string> left_behind;
  for (const auto& p : inside) {
    if (p.visit_id && p.escort_id == leaving.person_id) left_behind.push_back(*p.visit_id);
  }
  if (left_behind.empty()) return none;
  Alert alert;
  alert.id = crypto::random_id();
  alert.type = "escort_left_first";
  alert.raised_by = actor.id;
  alert.target = area_target(area.id);
  alert.detail = "escort " + leaving.person_id + " left while " +
                 std::to_string(left_behind.size()) + " visitor(s) stayed inside (visits:";
  for (const auto& v : left_behind) *alert.detail += " " + v;
  *alert.detail += ")";
  BAOMI_ASSIGN_OR_RETURN(const auto seq, rt_.audit.next_seq(tx));
  alert.audit_seqs.push_back(seq);  // the exit's own entry, appended next
  alert.at = now;
  auto object = to_object(alert);
  BAOMI_TRY(objects_.insert(tx, object));
  return std::optional<std::string>(alert.id);
}

Result<Passage> Areas::exit(const auth::User& actor, const std::string& area_id,
                            const PassageSpec& who) const {
  BAOMI_ASSIGN_OR_RETURN(auto area,
                         load_for(actor, area_id, policy::Action::kRecordPassage, "area.exit"));
  const auto now = rt_.now();
  const auto owner = who.visit_id ? visit_owner(*who.visit_id) : who.person_id.value_or("");
  std::optional<Passage> passage;
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto open, passages(tx, area.id, "inside", owner));
    if (open.empty()) return Error::conflict("not_inside", "the person is not inside the area");
    passage = std::move(open.front());
    passage->inside = false;
    passage->left_at = now;
    passage->left_by = actor.id;
    BAOMI_ASSIGN_OR_RETURN(const auto alert_id, check_escort(tx, area, *passage, actor, now));
    auto object = to_object(*passage);
    BAOMI_TRY(objects_.update(tx, object));
    passage->revision = object.revision;
    AreaAuditDetail detail;
    if (!passage->visit_id) detail.person_id = passage->person_id;
    detail.visit_id = passage->visit_id;
    detail.escort_id = passage->escort_id;
    detail.recorded_by = actor.id;
    detail.entry_id = passage->id;
    const auto actor_of = passage->visit_id ? passage->escort_id.value_or("") : passage->person_id;
    BAOMI_TRY(rt_.audit.append(
        tx, {actor_of, "area.exit", area_target(area.id), "allow", "S11", to_audit_detail(detail)},
        now));
    if (alert_id) {
      AreaAuditDetail raised;
      raised.alert_id = alert_id;
      raised.escort_id = passage->person_id;
      BAOMI_TRY(rt_.audit.append(
          tx,
          {"system", "alert.raise", area_target(area.id), "allow", "S11", to_audit_detail(raised)},
          now));
    }
    return {};
  }));
  return std::move(*passage);
}

Result<std::vector<Passage>> Areas::present(const auth::User& actor,
                                            const std::string& area_id) const {
  BAOMI_ASSIGN_OR_RETURN(auto area,
                         load_for(actor, area_id, policy::Action::kReadAreaLog, "area.present"));
  std::vector<Passage> inside;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(inside, passages(tx, area.id, "inside", std::nullopt));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "area.present", area_target(area.id), "allow", "S11", "{}"},
                             rt_.now()));
  return inside;
}

// Entry time, then id: a total order that a passage keeps for good (entries are never removed
// and a new one enters after those before it), so a cursor resumes exactly. Paged in the store
// along the objects_document_created index (sealed_objects.cc): a page opens its own passages
// and one more (is there a next page?), never the area's whole history.
Result<PassagePage> Areas::entries_page(barrier::ReadTx& tx, const std::string& area_id,
                                        std::optional<TimePoint> from, std::optional<TimePoint> to,
                                        const std::string& cursor, std::size_t limit) const {
  ObjectQuery q;
  q.kind = std::string(kPassageKind);
  q.document_id = area_id;
  q.order = ObjectOrder::kByCreation;
  if (from) q.created_from_us = to_micros(*from);
  if (to) q.created_before_us = to_micros(*to);
  std::vector<StoredObject> rows;
  if (!cursor.empty()) {
    BAOMI_ASSIGN_OR_RETURN(auto after, objects_.get(tx, std::string(kPassageKind), cursor));
    const auto at = after ? to_micros(after->created_at) : 0;
    if (!after || after->document_id != area_id || (q.created_from_us && at < *q.created_from_us) ||
        (q.created_before_us && at >= *q.created_before_us)) {
      return Error::invalid("invalid_field", "query parameter 'cursor' is not a cursor");
    }
    // Those entered at the cursor's very time with a later id, then those entered later.
    ObjectQuery same = q;
    same.created_from_us = at;
    same.created_before_us = at + 1;
    same.after_id = cursor;
    same.limit = limit + 1;
    BAOMI_ASSIGN_OR_RETURN(rows, objects_.list(tx, same));
    q.created_from_us = at + 1;
  }
  if (rows.size() <= limit) {
    q.limit = limit + 1 - rows.size();
    BAOMI_ASSIGN_OR_RETURN(auto later, objects_.list(tx, q));
    rows.insert(rows.end(), std::make_move_iterator(later.begin()),
                std::make_move_iterator(later.end()));
  }
  PassagePage page;
  for (std::size_t i = 0; i < rows.size() && i < limit; ++i) {
    BAOMI_ASSIGN_OR_RETURN(auto p, passage_from_object(rows[i]));
    page.items.push_back(std::move(p));
  }
  if (rows.size() > limit && !page.items.empty()) page.next_cursor = page.items.back().id;
  return page;
}

Result<PassagePage> Areas::entries(const auth::User& actor, const std::string& area_id,
                                   std::optional<TimePoint> from, std::optional<TimePoint> to,
                                   const std::string& cursor, std::size_t limit) const {
  BAOMI_ASSIGN_OR_RETURN(auto area,
                         load_for(actor, area_id, policy::Action::kReadAreaLog, "area.entries"));
  PassagePage page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(page, entries_page(tx, area.id, from, to, cursor, limit));
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {actor.id, "area.entries", area_target(area.id), "allow", "S11", "{}"},
                             rt_.now()));
  return page;
}

}  // namespace baomi::services
