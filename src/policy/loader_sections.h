// The per-section parsers behind parse_policy (internal to the policy layer). Each reads one
// top-level section of an already key-checked root into `out`. Not thread-shared.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "policy/policy.h"
#include "policy/yaml_section.h"

namespace baomi::policy::sections {

// Opens every item of the sequence under `key` as a mapping and hands it to `fn`. Items are
// named "<section>.<key>[i]" in messages ("approvals.rules[2]", or "levels[1]" at the root).
template <typename Fn>
Status for_each_item(const SourceFile& src, const Section& parent, std::string_view key,
                     Keys allowed, Keys required, Fn fn) {
  BAOMI_ASSIGN_OR_RETURN(const YAML::Node seq, parent.sequence(key));
  const std::string base =
      parent.path().empty() ? std::string(key) : parent.path() + "." + std::string(key);
  int index = 0;
  for (const auto& item : seq) {
    const int line = SourceFile::line_of(item, parent.key_line(key));
    std::string path = base + "[" + std::to_string(index++) + "]";
    BAOMI_ASSIGN_OR_RETURN(const Section entry,
                           Section::open(src, item, std::move(path), line, allowed, required));
    BAOMI_TRY(fn(entry));
  }
  return {};
}

// Optional `display` of an entry: any UTF-8 text up to 200 bytes; empty when absent.
Result<std::string> read_display(const Section& entry);

Status read_meta(const Section& root, PolicyData& out);
Status read_levels(const SourceFile& src, const Section& root, PolicyData& out);
Status read_categories(const SourceFile& src, const Section& root, PolicyData& out);
Status read_roles(const SourceFile& src, const Section& root, PolicyData& out);
Status read_documents(const SourceFile& src, const Section& root, PolicyData& out);
Status read_sessions(const Section& root, PolicyData& out);
Status read_lockout(const Section& root, PolicyData& out);
// S9, C4, S6: when refusals add up to probing, reads to bulk reading and so on. After
// read_handovers (off-hours shifts are named from handovers.shifts).
Status read_watch(const Section& root, PolicyData& out);
// Where raised alerts are delivered (optional section).
Status read_alerts(const Section& root, PolicyData& out);
Status read_limits(const Section& root, PolicyData& out);
// A2: departments and ranks. Must run before read_approvals, which checks steps against ranks.
Status read_organisation(const SourceFile& src, const Section& root, PolicyData& out);
// A1, A2, S5, S7: one rule for every request type x level.
Status read_approvals(const SourceFile& src, const Section& root, PolicyData& out);
// C1, H1-H4, C2-C4 (records.h has the defaults). After read_organisation,
// since department names are checked against the chart.
Status read_centre(const SourceFile& src, const Section& root, PolicyData& out);
Status read_handovers(const SourceFile& src, const Section& root, PolicyData& out);
Status read_customers(const SourceFile& src, const Section& root, PolicyData& out);
Status read_reporting(const Section& root, PolicyData& out);

}  // namespace baomi::policy::sections
