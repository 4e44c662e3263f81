#include "policy/loader.h"

#include <fstream>
#include <iterator>
#include <string>

#include "policy/loader_sections.h"
#include "policy/version.h"
#include "policy/yaml_precheck.h"

namespace baomi::policy {
namespace {

constexpr std::uintmax_t kMaxPolicyFileBytes = 1 << 20;

// Every section that carries a rule is required: no rule is in force without being written in
// the file. `alerts` only says where alerts are delivered, so a file without it is complete.
const Keys kAllowed = {"policy",       "levels",    "categories", "roles",
                       "documents",    "sessions",  "lockout",    "limits",
                       "organisation", "approvals", "centre",     "handovers",
                       "customers",    "reporting", "watch",      "alerts"};
const Keys kRequired = {"policy",   "levels",    "categories", "roles",        "documents",
                        "sessions", "lockout",   "limits",     "organisation", "approvals",
                        "centre",   "handovers", "customers",  "reporting",    "watch"};

Result<Policy> build(const SourceFile& src, const YAML::Node& root, std::string_view text) {
  BAOMI_ASSIGN_OR_RETURN(
      const Section top,
      Section::open(src, root, "", SourceFile::line_of(root, 1), kAllowed, kRequired));
  PolicyData data;
  BAOMI_TRY(sections::read_meta(top, data));
  BAOMI_TRY(sections::read_levels(src, top, data));
  BAOMI_TRY(sections::read_categories(src, top, data));
  BAOMI_TRY(sections::read_roles(src, top, data));
  BAOMI_TRY(sections::read_documents(src, top, data));
  BAOMI_TRY(sections::read_sessions(top, data));
  BAOMI_TRY(sections::read_lockout(top, data));
  BAOMI_TRY(sections::read_limits(top, data));
  BAOMI_TRY(sections::read_organisation(src, top, data));
  BAOMI_TRY(sections::read_approvals(src, top, data));
  BAOMI_TRY(sections::read_centre(src, top, data));
  BAOMI_TRY(sections::read_handovers(src, top, data));
  BAOMI_TRY(sections::read_customers(src, top, data));
  BAOMI_TRY(sections::read_reporting(top, data));
  BAOMI_TRY(sections::read_watch(top, data));
  BAOMI_TRY(sections::read_alerts(top, data));
  return Policy(std::move(data), policy_version_of(text));
}

}  // namespace

Result<Policy> parse_policy(std::string_view yaml_text, std::string_view file_label) {
  const SourceFile src(file_label);
  BAOMI_TRY(precheck_yaml(yaml_text, src));  // yaml-cpp can hang on malformed text
  try {
    // One document: the precheck refused more (yaml-cpp's LoadAll can loop for ever).
    const YAML::Node doc = YAML::Load(std::string(yaml_text));
    if (!doc || doc.IsNull()) return src.error(1, "the policy file is empty");
    return build(src, doc, yaml_text);
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports syntax errors by exception; they are expected input errors here.
    const int line = e.mark.is_null() ? 1 : e.mark.line + 1;
    return src.error(line, "YAML syntax error: " + e.msg);
  }
}

Result<Policy> load_policy(const std::filesystem::path& file) {
  const SourceFile src(file.string());
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec) return src.error(1, "cannot read the policy file");
  if (size > kMaxPolicyFileBytes) return src.error(1, "the policy file is larger than 1 MiB");
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) return src.error(1, "cannot read the policy file");
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return src.error(1, "cannot read the policy file");
  return parse_policy(bytes, file.string());
}

}  // namespace baomi::policy
