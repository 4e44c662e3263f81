// Handovers::list: who sees which slips (H1, H2) and the filters, all answered from the clear
// skeleton and its indexes: listing never opens sealed content.
#include "audit/detail.h"
#include "auth/guard.h"
#include "services/handovers/handovers.h"
#include "services/handovers/slip_rules.h"

namespace baomi::services {
namespace {

enum class Scope { kAll, kOwn };

Result<void> check_filter(const policy::Policy& policy, const SlipFilter& f) {
  if (f.state && !slip_state_from_name(*f.state)) {
    return Error::invalid("invalid_field",
                          "query parameter 'state' must be issued, "
                          "acknowledged, confirmed, overdue or purged");
  }
  if (f.date && !parse_local_date(*f.date)) {
    return Error::invalid("invalid_field", "query parameter 'date' must be YYYY-MM-DD");
  }
  if (f.shift) {
    bool known = false;
    for (const auto& s : policy.handovers().shifts) known = known || s.name == *f.shift;
    if (!known) {
      return Error::invalid("invalid_field", "query parameter 'shift' must name a shift");
    }
  }
  if (f.department && policy.department_id(*f.department) < 0) {
    return Error::invalid("invalid_field", "query parameter 'department' is not a department");
  }
  return {};
}

}  // namespace

Result<SlipPage> Handovers::list(const auth::User& actor, const SlipFilter& filter) const {
  const auto now = rt_.now();
  BAOMI_TRY(check_filter(rt_.policy, filter));
  const auto s = subject(actor);
  Slip anyone;  // a slip by nobody in particular: what the role alone allows
  anyone.id = "list";
  const auto& p = rt_.policy;
  // H2: supervisors see every slip; the receiving departments see every slip (each has a copy
  // for them); H3: the security administrator and the auditor see the skeletons; authors see
  // their own.
  Scope scope = Scope::kAll;
  bool content_reader = true;
  const auto read = p.decide(s, policy::Action::kReadHandover, resource(anyone), {now});
  if (!read.allowed) {
    if (p.decide(s, policy::Action::kHoldRecord, resource(anyone), {now}).allowed) {
      content_reader = false;
    } else {
      Slip own;
      own.author_id = actor.id;
      own.id = "list";
      BAOMI_TRY(enforce(actor, policy::Action::kReadHandover, own, "handover.list"));
      scope = Scope::kOwn;
    }
  }
  SlipQuery q;
  q.state = filter.state;
  q.department = filter.department;
  q.acknowledged = filter.department ? filter.acknowledged : std::nullopt;
  q.shift_date = filter.date;
  q.shift_name = filter.shift;
  q.author_id = scope == Scope::kOwn ? std::optional<std::string>(actor.id) : filter.author_id;
  if (scope == Scope::kOwn && filter.author_id && *filter.author_id != actor.id) {
    q.author_id = "-";  // nothing: an author sees only their own slips
  }
  q.overdue_at = now;
  q.after_id = filter.cursor;
  q.limit = filter.limit + 1;
  SlipPage page;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto slips, slips_.list(tx, q));
    for (auto& slip : slips) {
      if (page.items.size() == filter.limit) {
        page.next_cursor = page.items.back().slip.id;
        break;
      }
      BAOMI_ASSIGN_OR_RETURN(auto v, view(tx, std::move(slip), false, now));
      page.items.push_back(std::move(v));
    }
    return {};
  }));
  BAOMI_TRY(rt_.audit.record(
      rt_.store,
      {actor.id, "handover.list", "handovers", "allow", "H1",
       audit::Detail{}.add("count", page.items.size()).add("metadata_only", !content_reader)},
      now));
  return page;
}

}  // namespace baomi::services
