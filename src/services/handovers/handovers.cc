// Handovers: issuing, reading and listing slips (H1, H2 read side). Acknowledgement,
// confirmation, correction and carry-over are in handovers_work.cc; holds, purging, the
// overdue sweep and alerts in handovers_retention.cc.
#include "services/handovers/handovers.h"

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/random.h"
#include "services/handovers/handovers_internal.h"
#include "services/handovers/slip_rules.h"

namespace baomi::services {

struct Handovers::Access {
  bool content = false;
};

namespace {

constexpr std::size_t kMaxItems = 100;
constexpr int kMaxDaysBack = 7;  // a slip is written for a shift of the last week at most

std::string slip_target(const std::string& id) { return "handover:" + id; }

}  // namespace

std::string handover_target(const std::string& id) { return slip_target(id); }

policy::Subject Handovers::subject(const auth::User& actor) const {
  return auth::subject_of(actor);
}

policy::Resource Handovers::resource(const Slip& slip, int department) const {
  policy::Resource r;
  r.level = rt_.policy.handovers().level;
  r.author_id = slip.author_id;
  r.department = department;
  return r;
}

Result<void> Handovers::enforce(const auth::User& actor, policy::Action action, const Slip& slip,
                                std::string_view audit_action, int department) const {
  return auth::enforce(
      rt_, rt_.policy.decide(subject(actor), action, resource(slip, department), {rt_.now()}),
      actor.id, audit_action, slip_target(slip.id));
}

Error Handovers::refuse(const auth::User& actor, std::string_view action, const std::string& id,
                        Error error) const {
  // S9: refusals for the slip's state are audited like policy refusals.
  if (error.kind == ErrorKind::kConflict || error.kind == ErrorKind::kForbidden) {
    auto recorded = rt_.audit.record(rt_.store,
                                     {actor.id, std::string(action), slip_target(id), "deny",
                                      error.rule, audit::Detail{}.add("code", error.code)},
                                     rt_.now());
    if (!recorded.ok()) return recorded.take_error();
  }
  return error;
}

Result<Slip> Handovers::load(barrier::ReadTx& tx, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto slip, slips_.get(tx, id));
  if (!slip) return Error::not_found("handover slip not found");
  return std::move(*slip);
}

Result<SlipView> Handovers::view(barrier::ReadTx& tx, Slip slip, bool content,
                                 TimePoint now) const {
  SlipView v;
  v.state = effective_state(slip, now);
  v.content_visible = content && slip.state != SlipState::kPurged;
  BAOMI_ASSIGN_OR_RETURN(v.versions, slips_.versions(tx, slip, v.content_visible));
  BAOMI_ASSIGN_OR_RETURN(v.copies, slips_.copies(tx, slip.id));
  SlipQuery q;
  q.carried_from = slip.id;
  BAOMI_ASSIGN_OR_RETURN(auto carried, slips_.list(tx, q));
  for (const auto& c : carried) v.carried_to.push_back(c.id);
  if (!v.content_visible) slip.progress.confirmations.clear();
  if (!v.content_visible) slip.progress.holds.clear();
  v.slip = std::move(slip);
  return v;
}

Result<SlipView> Handovers::view_of(const std::string& id, bool content) const {
  std::optional<SlipView> out;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slip, load(tx, id));
    BAOMI_ASSIGN_OR_RETURN(auto v, view(tx, std::move(slip), content, rt_.now()));
    out.emplace(std::move(v));
    return {};
  }));
  return std::move(*out);
}

Result<Handovers::Access> Handovers::read_access(const auth::User& actor, const Slip& slip,
                                                 std::string_view action) const {
  const auto now = rt_.now();
  const auto read =
      rt_.policy.decide(subject(actor), policy::Action::kReadHandover, resource(slip), {now});
  if (read.allowed) return Access{true};
  // H3: those who place holds and delete (secadmin, auditor) see the skeleton, never content.
  const auto meta =
      rt_.policy.decide(subject(actor), policy::Action::kHoldRecord, resource(slip), {now});
  if (meta.allowed) return Access{false};
  BAOMI_TRY(auth::enforce(rt_, read, actor.id, action, slip_target(slip.id)));
  return Error::internal("unreachable");
}

Result<void> check_slip_items(const std::vector<SlipItem>& items) {
  if (items.empty() || items.size() > kMaxItems) {
    return Error::invalid("invalid_field", "field 'items' must hold 1-100 items");
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].summary.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Error::invalid("invalid_field",
                            "field 'items[" + std::to_string(i) + "].summary' must not be empty");
    }
  }
  return {};
}

Result<SlipContent> Handovers::validated_content(const auth::User& actor, const NewSlip& spec,
                                                 TimePoint now) const {
  const auto offset = rt_.policy.centre().utc_offset;
  const policy::ShiftSpec* shift = nullptr;
  for (const auto& s : rt_.policy.handovers().shifts) {
    if (s.name == spec.shift) shift = &s;
  }
  if (!shift)
    return Error::invalid("invalid_field", "field 'shift' must name a shift of the policy");
  SlipContent c;
  c.shift_name = shift->name;
  c.shift_date = spec.date.value_or(default_shift_date(now, shift->start, offset));
  const auto day = parse_local_date(c.shift_date);
  const auto today = parse_local_date(local_date(now, offset));
  if (!day || !today) return Error::invalid("invalid_field", "field 'date' must be YYYY-MM-DD");
  if (*day > *today || *day < *today - std::chrono::days{kMaxDaysBack}) {
    return Error::invalid("invalid_field",
                          "field 'date' must be a local date within the last 7 days");
  }
  BAOMI_TRY(check_slip_items(spec.items));
  c.slip_id = crypto::random_id();
  c.version = 1;
  c.author_id = actor.id;
  c.created_at = now;
  c.items = spec.items;
  c.notes = spec.notes;
  c.salt = to_hex(crypto::random_bytes(16));
  return c;
}

Result<SlipView> Handovers::issue(const auth::User& actor, SlipContent content, TimePoint now,
                                  std::string_view action) const {
  const auto& settings = rt_.policy.handovers();
  Slip slip;
  slip.id = content.slip_id;
  slip.author_id = actor.id;
  slip.shift_date = content.shift_date;
  slip.shift_name = content.shift_name;
  slip.state = SlipState::kIssued;
  slip.created_at = slip.updated_at = now;
  slip.due_at = confirmation_deadline(*parse_local_date(content.shift_date),
                                      settings.confirm_within_days, rt_.policy.centre().utc_offset);
  slip.carried_from = content.carried_from;
  const auto hash = content_hash(content);
  BAOMI_TRY(rt_.store.write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(slips_.insert(tx, slip, content, hash, settings.receiving_departments));
    // H1: the content hash of the sealed slip is on the signed audit chain from its issue.
    audit::Detail detail;
    detail.add("version", 1)
        .add("content_hash", hash)
        .add("items", content.items.size())
        .add("copies", settings.receiving_departments);
    if (!content.carried_from.empty()) detail.add("carried_from", content.carried_from);
    BAOMI_TRY(rt_.audit.append(
        tx, {actor.id, std::string(action), slip_target(slip.id), "allow", "H1", detail}, now));
    return {};
  }));
  return view_of(slip.id, true);
}

Result<SlipView> Handovers::create(const auth::User& actor, const NewSlip& spec) const {
  const auto now = rt_.now();
  policy::Resource mine;
  mine.level = rt_.policy.handovers().level;
  mine.author_id = actor.id;
  BAOMI_TRY(auth::enforce(
      rt_, rt_.policy.decide(subject(actor), policy::Action::kCreateHandover, mine, {now}),
      actor.id, "handover.create", "handovers"));
  BAOMI_ASSIGN_OR_RETURN(auto content, validated_content(actor, spec, now));
  return issue(actor, std::move(content), now, "handover.create");
}

Result<SlipView> Handovers::get(const auth::User& actor, const std::string& id) const {
  const auto now = rt_.now();
  std::optional<Slip> slip;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(slip, load(tx, id));
    return {};
  }));
  BAOMI_ASSIGN_OR_RETURN(auto access, read_access(actor, *slip, "handover.read"));
  BAOMI_ASSIGN_OR_RETURN(auto v, view_of(id, access.content));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "handover.read", slip_target(id), "allow", "H1",
       audit::Detail{}.add("content", v.content_visible).add("version", v.slip.current_version)},
      now));
  return v;
}

}  // namespace baomi::services
