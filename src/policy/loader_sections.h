// The per-section parsers behind parse_policy (internal to the policy layer). Each reads one
// top-level section of an already key-checked root into `out`. Not thread-shared.
#pragma once

#include "core/result.h"
#include "policy/policy.h"
#include "policy/yaml_section.h"

namespace baomi::policy::sections {

Status read_meta(const Section& root, PolicyData& out);
Status read_levels(const SourceFile& src, const Section& root, PolicyData& out);
Status read_categories(const SourceFile& src, const Section& root, PolicyData& out);
Status read_roles(const SourceFile& src, const Section& root, PolicyData& out);
Status read_documents(const SourceFile& src, const Section& root, PolicyData& out);
Status read_sessions(const Section& root, PolicyData& out);
Status read_lockout(const Section& root, PolicyData& out);
Status read_limits(const Section& root, PolicyData& out);

}  // namespace baomi::policy::sections
