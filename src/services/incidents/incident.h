// Incident and Alert (S8, S9): a reported loss of a copy or of notes, tracked through its
// remediation steps until the security administrator closes it, and the alerts that tell the
// custodian and the security administrator at once. Sealed objects, kinds "incident" and
// "alert"; an alert's clear owner is the custodian it is addressed to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kIncidentKind = "incident";
inline constexpr std::string_view kAlertKind = "alert";

struct IncidentStep {
  std::string actor_id;
  std::string note;
  TimePoint at;
};

struct Incident {
  std::string id;
  std::string document_id;
  std::string reporter_id;
  std::optional<std::string> serial;  // the lost copy; none when notes were lost
  std::string description;
  bool open = true;
  std::vector<IncidentStep> steps;  // remediation, in order; closing adds the last one
  TimePoint opened_at;
  std::optional<TimePoint> closed_at;
  std::uint64_t revision = 0;
};

struct Alert {
  std::string id;
  // "copy_lost", "notes_lost" (S8); "handover_overdue" (H2); "customer_watch" (C4);
  // "login_spraying", "probing" (S9); "bulk_read_documents", "first_category", "off_hours" (C4);
  // "request_volume" (S7); "area_entry_refused", "escort_left_first" (S11).
  std::string type;
  std::string document_id;   // empty for alerts about records rather than documents
  std::string custodian_id;  // addressed to this custodian (and to the security administrator)
  std::string raised_by;     // the account whose act raised it ("system" for sweeps)
  std::optional<std::string> incident_id;
  std::optional<std::string> serial;
  // Alerts about records: what it is about ("handover:<id>", "customers") and a sentence that
  // names no personal data (C3), e.g. "31 distinct customers viewed within 1h".
  std::optional<std::string> target;
  std::optional<std::string> detail;
  // The audit entries that raised it, so an auditor can open an investigation from them.
  std::vector<std::uint64_t> audit_seqs;
  TimePoint at;
  // Its handling: "open", then "acknowledged" (by the security administrator, with a note),
  // then "closed" (with a finding). Note and finding are sealed with the rest of the body.
  std::string state = "open";
  std::optional<std::string> note;
  std::optional<std::string> acknowledged_by;
  std::optional<TimePoint> acknowledged_at;
  std::optional<std::string> finding;
  std::optional<std::string> closed_by;
  std::optional<TimePoint> closed_at;
};

// The rule an alert of `type` keeps (S8 losses, H2 overdue slips, C4 customer reading, S9
// probing and spraying, S11 areas); "" for a type this build does not know.
std::string_view alert_rule(std::string_view type);

StoredObject to_object(const Incident& incident);
Result<Incident> incident_from_object(const StoredObject& object);
StoredObject to_object(const Alert& alert);
Result<Alert> alert_from_object(const StoredObject& object);

}  // namespace baomi::services
