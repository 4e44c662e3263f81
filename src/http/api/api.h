// Api: the services the HTTP handlers call, and register_routes(), which maps API.md's
// endpoints onto them. Handlers are plain functions from a parsed request to a response:
// authenticate, parse strictly, call one service, shape the result. No decisions here: every
// allow/deny comes from the policy through the services.
#pragma once

#include <atomic>
#include <functional>

#include "auth/accounts.h"
#include "auth/sessions.h"
#include "http/api/latency.h"
#include "http/server/router.h"
#include "http/server/server.h"
#include "services/areas/areas.h"
#include "services/audit_trail/audit_trail.h"
#include "services/copies/copies.h"
#include "services/customers/customer_export.h"
#include "services/customers/customers.h"
#include "services/departments/departments.h"
#include "services/documents/documents.h"
#include "services/grants/grants.h"
#include "services/handovers/handovers.h"
#include "services/incidents/incidents.h"
#include "services/investigations/investigations.h"
#include "services/keys/audit_key_rotation.h"
#include "services/keys/kek_rotation.h"
#include "services/reports/weekly_reports.h"
#include "services/requests/requests.h"
#include "services/retention/retention.h"

namespace baomi::http::api {

struct Metrics {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> responses_2xx{0};
  std::atomic<std::uint64_t> responses_4xx{0};
  std::atomic<std::uint64_t> responses_5xx{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};
  LatencyHistograms latency;  // per route class
  // The HTTP server's own counters (connections, refusals); set once before serving starts.
  std::function<ServerStats()> server_stats;
};

struct Api {
  explicit Api(const auth::Runtime& runtime)
      : rt(runtime),
        sessions(rt),
        accounts(rt),
        documents(rt),
        grants(rt),
        requests(rt, documents, grants),
        incidents(rt, grants),
        copies(rt, documents, requests, incidents),
        retention(rt, documents, requests),
        audit_trail(rt),
        handovers(rt),
        customers(rt),
        exports(rt),
        weekly_reports(rt),
        investigations(rt, exports),
        areas(rt),
        departments(rt),
        keys(rt),
        audit_keys(rt) {
    copies.set_export_renderer(&exports);  // C2: exports of customer records are copies too
    // S9: password spraying alerts the security administrator and the auditor.
    sessions.set_spraying_alert(
        [this](barrier::WriteTx& tx, const auth::SourceBlock& block, TimePoint now) {
          return incidents.raise_spraying_alert(tx, block, now);
        });
  }
  const auth::Runtime& rt;
  auth::Sessions sessions;
  auth::Accounts accounts;
  services::Documents documents;
  services::Grants grants;
  services::Requests requests;
  services::Incidents incidents;
  services::Copies copies;
  services::Retention retention;
  services::AuditTrail audit_trail;
  services::Handovers handovers;
  services::Customers customers;
  services::CustomerExports exports;
  services::WeeklyReports weekly_reports;
  services::Investigations investigations;
  services::Areas areas;                  // S11
  services::Departments departments;      // A2
  services::KekRotation keys;             // key lifecycle (issue 15)
  services::AuditKeyRotation audit_keys;  // I1: the chain of audit signing keys
  Metrics metrics;
  std::atomic<bool> serving{true};
};

void register_routes(Router& router, Api& api);

}  // namespace baomi::http::api
