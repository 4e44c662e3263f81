// Areas: restricted areas and their entry logs (S11: the information room, archive and computer
// room admit no one who is not staff, and staff may not bring others in). The security
// administrator creates areas and keeps their lists (authorised staff, keepers, door
// terminals); every list change is audited with who made it. A door terminal or a keeper
// records each entry and exit; an entry the policy refuses is audited and raises an
// "area_entry_refused" alert in the same write job. A visitor enters only on an approved visit
// request (services/requests, type "visit"), within its window, together with an authorised
// escort who is inside; an escort who leaves while their visitors are still inside raises an
// "escort_left_first" alert. Every allow and deny
// comes from the policy (Action::kManageAreas ... kReadAreaLog) on facts this service supplies.
// Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/user.h"
#include "services/areas/area.h"

namespace baomi::services {

struct NewArea {
  std::string name;
  std::string kind;
  std::string level;
  std::vector<std::string> authorised;
  std::vector<std::string> keepers;
  std::vector<std::string> terminals;
  bool requestable = false;
};

// One page of a list (limit + opaque cursor, as every list of the API): next_cursor is the last
// item's id when the page is full (the next page may be empty).
struct AreaPage {
  std::vector<Area> items;
  std::optional<std::string> next_cursor;
};
struct PassagePage {
  std::vector<Passage> items;
  std::optional<std::string> next_cursor;
};

// Who passes the door: a member of staff by account id, or a visitor by their visit request.
struct PassageSpec {
  std::optional<std::string> person_id;
  std::optional<std::string> visit_id;
};

class Areas {
 public:
  explicit Areas(const auth::Runtime& rt) : rt_(rt), objects_(rt) {}

  Result<Area> create(const auth::User& actor, const NewArea& spec) const;
  // The areas the caller may know of (secadmin, auditor: all; keepers and terminals: theirs),
  // in id order after `cursor` (an area id; "" for the first page), at most `limit`.
  Result<AreaPage> list(const auth::User& actor, const std::string& cursor,
                        std::size_t limit) const;
  Result<Area> get(const auth::User& actor, const std::string& id) const;
  // Replaces one list of the area; audited with who changed it, what was added and removed.
  Result<Area> set_list(const auth::User& actor, const std::string& id, AreaList which,
                        const std::vector<std::string>& user_ids) const;
  // S11: whether staff cleared for the area's level learn of it and may ask for visits to it;
  // audited (area.set_requestable) with who changed it.
  Result<Area> set_requestable(const auth::User& actor, const std::string& id,
                               bool requestable) const;

  Result<Passage> enter(const auth::User& actor, const std::string& area_id,
                        const PassageSpec& who) const;
  Result<Passage> exit(const auth::User& actor, const std::string& area_id,
                       const PassageSpec& who) const;
  // Who is inside now, in order of entry.
  Result<std::vector<Passage>> present(const auth::User& actor, const std::string& area_id) const;
  // Entries made in [from, to) (either end open), in order of entry (then id), after the
  // passage `cursor` ("" for the first page), at most `limit`. A cursor that names no passage
  // of this log (from another area or other bounds, or forged) is 400 invalid_field 'cursor'.
  Result<PassagePage> entries(const auth::User& actor, const std::string& area_id,
                              std::optional<TimePoint> from, std::optional<TimePoint> to,
                              const std::string& cursor, std::size_t limit) const;

 private:
  Result<Area> load_for(const auth::User& actor, const std::string& id, policy::Action action,
                        std::string_view audit_action) const;
  Result<std::vector<std::string>> checked_accounts(barrier::ReadTx& tx, std::string_view field,
                                                    const std::vector<std::string>& ids) const;
  Result<std::vector<Passage>> passages(barrier::ReadTx& tx, const std::string& area_id,
                                        std::optional<std::string> state,
                                        std::optional<std::string> owner) const;
  Result<Area> load(barrier::ReadTx& tx, const std::string& id) const;
  Result<PassagePage> entries_page(barrier::ReadTx& tx, const std::string& area_id,
                                   std::optional<TimePoint> from, std::optional<TimePoint> to,
                                   const std::string& cursor, std::size_t limit) const;
  Result<Passage> enter_person(const auth::User& actor, const Area& area,
                               const std::string& person_id) const;
  Result<Passage> enter_visitor(const auth::User& actor, const Area& area,
                                const std::string& visit_id) const;
  Result<Passage> admit(const auth::User& actor, const Area& area, Passage passage,
                        AreaAuditDetail detail) const;
  // S11: inside the exit's job: an escort leaving while their visitors are inside is alerted.
  // Returns the id of the alert raised, if any.
  Result<std::optional<std::string>> check_escort(barrier::WriteTx& tx, const Area& area,
                                                  const Passage& leaving, const auth::User& actor,
                                                  TimePoint now) const;
  // Audits the refusal and raises its alert in one write job, then returns the refusal.
  Error refuse_entry(const auth::User& actor, const Area& area, const policy::Decision& decision,
                     const std::string& who, AreaAuditDetail detail) const;
  policy::Resource resource_of(const Area& area, const auth::User& actor) const;
  // What the caller may read of an area it may know of: a requester (neither keeper, door
  // terminal, security administrator nor auditor) does not learn the door terminals.
  Area as_read_by(Area area, const auth::User& actor) const;

  const auth::Runtime& rt_;
  SealedObjects objects_;
};

}  // namespace baomi::services
