// Area and Passage (S11): a restricted area (the information room, the archive, the computer
// room) with the lists that decide who may do what there, and one passage through its door: an
// entry, and later its exit. Both are sealed objects (kinds "area" and "area_entry"): the
// area's name and lists and who recorded a passage never reach storage in clear. A passage's
// clear header holds the area (document_id column), whose passage it is (owner_id: the person's
// account id, or "visit:<request id>" for a visitor) and whether they are still inside (state),
// which is what "who is inside" queries need. A visitor's passage keeps only the masked name
// (the visit request keeps the rest, sealed).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "policy/model.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kAreaKind = "area";
inline constexpr std::string_view kPassageKind = "area_entry";

enum class AreaKind : std::uint8_t { kInformationRoom, kArchive, kComputerRoom, kOther };
std::string_view area_kind_name(AreaKind kind);
std::optional<AreaKind> area_kind_from_name(std::string_view name);

// Which list of an area a change is about.
enum class AreaList : std::uint8_t { kAuthorised, kKeepers, kTerminals };
std::string_view area_list_name(AreaList list);

struct Area {
  std::string id;
  std::string name;
  AreaKind kind = AreaKind::kOther;
  policy::Level level = policy::Level::kInternal;
  std::vector<std::string> authorised;  // staff who may enter on their own
  std::vector<std::string> keepers;     // record passages and read the log
  std::vector<std::string> terminals;   // door terminal accounts serving this area
  // S11: staff cleared for the area's level learn of it and may ask for a visit to it (the
  // security administrator says so); otherwise only its lists and the administrators know it.
  bool requestable = false;
  std::string changed_by;  // who last changed a list (or created the area)
  TimePoint created_at;
  TimePoint updated_at;
  std::uint64_t revision = 0;

  const std::vector<std::string>& list(AreaList which) const;
  std::vector<std::string>& list(AreaList which);
  bool lists(AreaList which, std::string_view user_id) const;
};

struct Passage {
  std::string id;
  std::string area_id;
  std::string person_id;                // staff; empty for a visitor
  std::optional<std::string> visit_id;  // a visitor: the approved visit request (S11)
  std::optional<std::string> escort_id;
  std::optional<std::string> visitor_name;  // masked (C3 masking), e.g. "张*"
  std::optional<std::string> visitor_organisation;
  bool inside = true;
  TimePoint entered_at;
  std::string entered_by;  // the terminal or keeper who recorded it
  std::optional<TimePoint> left_at;
  std::optional<std::string> left_by;
  std::uint64_t revision = 0;

  // The clear owner column: the person's id, or "visit:<request id>".
  std::string owner() const;
};

std::string visit_owner(std::string_view visit_id);

StoredObject to_object(const Area& area);
Result<Area> area_from_object(const StoredObject& object);
StoredObject to_object(const Passage& passage);
Result<Passage> passage_from_object(const StoredObject& object);

// What an area audit entry says beyond actor, action and target, serialised in one place
// (ids and codes only, never a name).
struct AreaAuditDetail {
  std::optional<std::string> person_id;
  std::optional<std::string> visit_id;
  std::optional<std::string> escort_id;
  std::optional<std::string> recorded_by;
  std::optional<std::string> entry_id;
  std::optional<std::string> alert_id;
  std::optional<std::string> reason;  // the decision code of a refusal
  std::optional<std::string> list;    // which list changed
  std::optional<bool> requestable;    // area.create, area.set_requestable: the new setting
  std::vector<std::string> added;
  std::vector<std::string> removed;
};
std::string to_audit_detail(const AreaAuditDetail& detail);

}  // namespace baomi::services
