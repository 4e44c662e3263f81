// Incidents: loss reports (S8). A loss opens an incident and raises an alert for the
// document's custodian and the security administrator in the same transaction; remediation
// steps are appended by the reporter, the custodian or the security administrator; only the
// security administrator closes an incident. Alerts are listed to the auditor and the
// security administrator (all) and to custodians (their documents'). Everything is audited.
// Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <vector>

#include "auth/login_throttle.h"
#include "auth/user.h"
#include "services/documents/matter.h"
#include "services/grants/grants.h"
#include "services/incidents/incident.h"

namespace baomi::services {

struct IncidentPage {
  std::vector<Incident> items;
  std::optional<std::string> next_cursor;
};

// GET /alerts filters; unset ones do not filter.
struct AlertFilter {
  std::optional<std::string> state;    // "open", "acknowledged", "closed"
  std::optional<std::string> type;     // e.g. "probing" (the API's `kind`)
  std::optional<std::string> account;  // the account whose act raised it
};

struct AlertPage {
  std::vector<Alert> items;
  std::optional<std::string> next_cursor;
};

class Incidents {
 public:
  Incidents(const auth::Runtime& rt, const Grants& grants)
      : rt_(rt), grants_(grants), objects_(rt) {}

  // Inside the reporting transaction: opens the incident, suspends the holder's grants on the
  // document and raises the alert (S8). `holder_id` is whose copy or notes were lost.
  Result<Incident> open(barrier::WriteTx& tx, const auth::User& reporter, const Matter& matter,
                        const std::string& holder_id, std::optional<std::string> serial,
                        const std::string& description, TimePoint now) const;
  // POST /incidents: lost notes about a document one may know of (S8).
  Result<Incident> report_notes_lost(const auth::User& actor, const Document& doc,
                                     const std::string& description) const;
  Result<Incident> get(const auth::User& actor, const std::string& id) const;
  Result<IncidentPage> list(const auth::User& actor, std::optional<bool> open,
                            const std::string& cursor, std::size_t limit) const;
  Result<Incident> add_step(const auth::User& actor, const std::string& id,
                            const std::string& note) const;
  Result<Incident> close(const auth::User& actor, const std::string& id,
                         const std::string& note) const;
  // S9: inside the transaction that audits the block, the alert of a source failing logins
  // across many names (password spraying). It names the source and counts, never a name.
  Result<void> raise_spraying_alert(barrier::WriteTx& tx, const auth::SourceBlock& block,
                                    TimePoint now) const;
  Result<std::vector<Alert>> alerts(const auth::User& actor, const std::string& cursor,
                                    std::size_t limit) const;
  Result<AlertPage> alerts(const auth::User& actor, const AlertFilter& filter,
                           const std::string& cursor, std::size_t limit) const;
  // The security administrator takes an open alert in hand, with a note (sealed at rest);
  // 409 `alert_not_open` otherwise.
  Result<Alert> acknowledge_alert(const auth::User& actor, const std::string& id,
                                  const std::string& note) const;
  // The security administrator or the auditor closes an open or acknowledged alert with a
  // finding (sealed at rest); 409 `alert_closed` when it already is.
  Result<Alert> close_alert(const auth::User& actor, const std::string& id,
                            const std::string& finding) const;

 private:
  struct Loaded {
    Incident incident;
    Matter matter;
  };
  // What an incident is about: its document, or the customer register (a lost export, C2).
  Result<Matter> matter_of(barrier::ReadTx& tx, const Incident& incident) const;
  Result<Loaded> load(const auth::User& actor, const std::string& id, policy::Action action,
                      std::string_view audit_action) const;
  Result<Incident> append_step(const auth::User& actor, Loaded loaded, const std::string& note,
                               bool closing, std::string_view audit_action,
                               std::string_view rule) const;
  Result<Alert> act_on_alert(const auth::User& actor, const std::string& id, policy::Action action,
                             std::string_view audit_action, const std::string& text) const;
  const auth::Runtime& rt_;
  const Grants& grants_;
  SealedObjects objects_;
};

}  // namespace baomi::services
