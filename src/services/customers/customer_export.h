// Customer exports (C2): the marked CSV an approved `export` request of the customer register
// yields, and tracing a leaked file or row back to its export. Every export carries:
//   - a marking line (level marking, holder, serial, issue time) before the column headers (S5);
//   - the serial and row number in every row, so a leaked row names its export;
//   - canary customers: plausible, unique, fake records derived from the serial with a keyed
//     hash and planted at keyed positions, registered (as blind indexes) when the copy is
//     issued, so a leaked file names its export even with the marks stripped.
// Fields the holder's roles may not unmask (C3) are exported masked. The CSV is rendered anew on
// each download from the current records (nothing rendered is stored) and neutralises
// spreadsheet formulas. Thread-safety: stateless apart from the Runtime; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "services/copies/copies.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {

inline constexpr std::string_view kCanaryKind = "export_canary";
// The most records one export holds: a larger register needs narrower exports (by level).
inline constexpr std::size_t kMaxExportRows = 200'000;

struct TraceMatch {
  std::string serial;
  std::string evidence;  // "serial" (a row or header names it) or "canary" (a planted record)
  std::string holder_id;
  std::string request_id;
  TimePoint issued_at;
};

class CustomerExports final : public ExportRenderer {
 public:
  explicit CustomerExports(const auth::Runtime& rt) : rt_(rt), objects_(rt) {}

  Result<void> on_issue(barrier::WriteTx& tx, const Copy& copy) const override;
  Result<Artifact> render_export(const auth::User& holder, const Copy& copy) const override;

  // S10, C2: the auditor pastes a leaked text (a file, a few rows); every export it names.
  Result<std::vector<TraceMatch>> trace(const auth::User& actor, std::string_view leaked) const;

 private:
  Result<std::string> csv_of(const auth::User& holder, const Copy& copy, std::size_t& rows) const;
  const auth::Runtime& rt_;
  SealedObjects objects_;
};

}  // namespace baomi::services
