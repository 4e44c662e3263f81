// baomi keys rotate|status: KEK rotation on a running server (POST /api/v1/sys/rotate,
// GET /api/v1/sys/keys; docs/operations.md, "Key rotation"). The security administrator's
// commands: the server decides (policy kRotateKeys, kReadKeyStatus) and audits them.
#include <iostream>

#include "client/json_text.h"
#include "cmd/client/registry.h"

namespace baomi::cmd::client {
namespace {

namespace json = boost::json;
using baomi::client::text_of;

void print_key_status(const json::object& s) {
  Table table({"KEK VERSION", "KEYS WRAPPED", "CURRENT"});
  if (const auto* versions = s.if_contains("versions"); versions && versions->is_array()) {
    for (const auto& v : versions->as_array()) {
      const auto& o = v.as_object();
      const bool current = o.if_contains("current") && o.at("current").as_bool();
      table.add({text_of(o, "version"), text_of(o, "keys"), current ? "yes" : ""});
    }
  }
  table.print(std::cout);
  const auto* rewrap = s.if_contains("rewrap");
  if (rewrap && rewrap->is_object()) {
    const auto& r = rewrap->as_object();
    std::cout << "rewrap to version " << text_of(r, "target_version") << " running since "
              << text_of(r, "started_at") << ": " << text_of(r, "rewrapped")
              << " keys rewrapped, pass " << text_of(r, "passes") << " in " << text_of(r, "table")
              << "\n";
  } else {
    std::cout << "no rewrap running\n";
  }
}

// I1: the old audit key signs the new one in the trail (docs/operations.md, "Rotating the audit
// signing key").
Result<Ok> rotate_audit_signing(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto answer, api.send_empty("POST", "/sys/rotate-audit-key"));
  if (c.json) {
    print_json(answer);
  } else {
    const auto& o = answer.as_object();
    std::cout << "audit signing key rotated at entry " << text_of(o, "seq") << ": new public key "
              << text_of(o, "new_public_key") << "\n(was " << text_of(o, "old_public_key")
              << "; the trail records the hand-over, and verifiers that trust the first key "
                 "follow it)\n";
  }
  return Ok{};
}

Result<Ok> rotate(const ConnectionOptions& c, bool audit_signing) {
  if (audit_signing) return rotate_audit_signing(c);
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto answer, api.send_empty("POST", "/sys/rotate"));
  if (c.json) {
    print_json(answer);
  } else {
    const auto& o = answer.as_object();
    std::cout << "KEK version " << text_of(o, "kek_version") << " is current (was "
              << text_of(o, "previous_version")
              << "); older data keys are being rewrapped in the background: "
                 "baomi keys status shows the progress\n";
  }
  return Ok{};
}

Result<Ok> status(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto answer, api.get_json("/sys/keys"));
  if (c.json) {
    print_json(answer);
  } else {
    print_key_status(answer.as_object());
  }
  return Ok{};
}

}  // namespace

void add_key_commands(Registry& registry, CLI::App& keys_group) {
  auto audit_signing = std::make_shared<bool>(false);
  auto* rotate_cmd = registry.add(
      &keys_group, "rotate",
      "New key-encryption key version; older data keys are rewrapped in the background "
      "(security administrator)",
      [&registry, audit_signing] { return rotate(registry.connection(), *audit_signing); });
  rotate_cmd->add_flag("--audit-signing", *audit_signing,
                       "Rotate the audit signing key instead: the old key signs the new one in "
                       "the trail");
  registry.add(&keys_group, "status",
               "KEK versions and how many data keys each still wraps (security administrator)",
               [&registry] { return status(registry.connection()); });
}

}  // namespace baomi::cmd::client
