// baomi audit query|checkpoint, and `baomi audit verify` against a server (GET /api/v1/audit,
// /api/v1/audit/checkpoint, /api/v1/audit/verify; auditor only, S9, I1).
#include <iostream>

#include "client/json_text.h"
#include "cmd/client/registry.h"

namespace baomi::cmd::client {
namespace {

namespace json = boost::json;
using baomi::client::text_of;
using baomi::client::time_of;

struct QueryOptions {
  ListFlags list;
  std::string actor, action, document, target, from, to;
};

Result<Ok> query(const ConnectionOptions& c, const QueryOptions& o) {
  const std::string path = "/audit" + baomi::client::query_string({{"actor", o.actor},
                                                                   {"action", o.action},
                                                                   {"document_id", o.document},
                                                                   {"target", o.target},
                                                                   {"from", o.from},
                                                                   {"to", o.to}});
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto page, api.list(path, o.list.request()));
  if (c.json) {
    print_json(page.as_json());
    return Ok{};
  }
  Table t({"SEQ", "TIME", "ACTOR", "ACTION", "TARGET", "DECISION", "RULE", "DETAIL"});
  for (const auto& v : page.items) {
    const auto& e = v.as_object();
    t.add({text_of(e, "seq"), time_of(e, "time"), text_of(e, "actor"), text_of(e, "action"),
           text_of(e, "target"), text_of(e, "decision"), text_of(e, "rule"), text_of(e, "detail")});
  }
  t.print(std::cout);
  print_more_hint(page);
  return Ok{};
}

Result<Ok> checkpoint(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto v, api.get_json("/audit/checkpoint"));
  if (c.json) {
    print_json(v);
    return Ok{};
  }
  const auto& cp = v.as_object();
  baomi::client::print_fields(std::cout,
                              {{"seq", text_of(cp, "seq")},
                               {"head", text_of(cp, "head")},
                               {"time", text_of(cp, "time")},
                               {"signature", text_of(cp, "signature")},
                               {"public key", text_of(cp, "public_key")},
                               {"tree size", text_of(cp, "tree_size")},
                               {"root hash", text_of(cp, "root_hash")},
                               {"tree head signature", text_of(cp, "tree_head_signature")}});
  std::cerr << "Keep signed checkpoints (baomi audit checkpoint --json > FILE): they prove a "
               "later truncation or rewrite of the trail.\n";
  return Ok{};
}

// I1: the chain of audit signing keys, from the first (audit.pub) to the one that signs now.
Result<Ok> keys(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto v, api.get_json("/audit/keys"));
  if (c.json) {
    print_json(v);
    return Ok{};
  }
  const auto& r = v.as_object();
  std::cout << "first key (trust anchor): " << text_of(r, "first_public_key") << "\n";
  Table table({"SEQ", "OLD KEY", "NEW KEY"});
  if (const auto* list = r.if_contains("transitions"); list && list->is_array()) {
    for (const auto& t : list->as_array()) {
      const auto& o = t.as_object();
      table.add({text_of(o, "seq"), text_of(o, "old_public_key"), text_of(o, "new_public_key")});
    }
  }
  table.print(std::cout);
  std::cout << "current key: " << text_of(r, "current_public_key") << "\n";
  return Ok{};
}

// The server's own verification of its trail (I1). A failed check is exit status 1.
Result<Ok> verify_remote(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto v, api.get_json("/audit/verify"));
  const auto& r = v.as_object();
  const auto* ok = r.if_contains("ok");
  const bool good = ok && ok->is_bool() && ok->get_bool();
  if (c.json) {
    print_json(v);
  } else if (good) {
    std::cout << "ok: " << text_of(r, "entries") << " entries, head " << text_of(r, "head") << ", "
              << text_of(r, "checkpoints_verified") << " signed checkpoints verified, Merkle root "
              << text_of(r, "root_hash") << ", " << text_of(r, "tree_heads_verified")
              << " signed tree heads verified (by the server at " << api.endpoint().text() << ")\n";
  } else {
    std::cout << "FAILED: first bad sequence number " << text_of(r, "first_bad_seq") << ": "
              << baomi::client::terminal_safe(text_of(r, "problem")) << "\n";
  }
  if (!good) {
    return Error{ErrorKind::kIntegrity,
                 "audit_verify_failed",
                 "the server reports that its audit trail does not verify (I1)",
                 {}};
  }
  return Ok{};
}

}  // namespace

void add_audit_commands(Registry& registry, CLI::App& audit_group) {
  auto& c = registry.connection();
  auto q = std::make_shared<QueryOptions>();
  auto* query_cmd =
      registry.add(&audit_group, "query", "Query the audit trail on a server (auditor)",
                   [&c, q] { return query(c, *q); });
  add_list_flags(query_cmd, q->list);
  query_cmd->add_option("--actor", q->actor, "Account id, '-' or 'system'");
  query_cmd->add_option("--action", q->action, "e.g. document.read_content");
  query_cmd->add_option("--document", q->document, "Entries about this document");
  query_cmd->add_option("--target", q->target, "Any exact target, e.g. user:ID");
  query_cmd->add_option("--from", q->from, "From this time (RFC 3339 or YYYY-MM-DD), inclusive");
  query_cmd->add_option("--to", q->to, "Up to this time, inclusive");
  registry.add(&audit_group, "checkpoint",
               "Have the server sign its latest checkpoint and tree head, and print it (auditor)",
               [&c] { return checkpoint(c); });
  registry.add(&audit_group, "keys",
               "List the audit signing keys and the signed hand-overs between them (auditor)",
               [&c] { return keys(c); });
}

void add_remote_audit_verify(Registry& registry, CLI::App* verify_cmd, const std::string& data,
                             const std::string& database, std::function<int()> offline) {
  auto& c = registry.connection();
  add_connection_flags(verify_cmd, c);
  auto remote = std::make_shared<bool>(false);
  verify_cmd->add_flag("--remote", *remote,
                       "Ask the server at --addr/BAOMI_ADDR to verify its trail (auditor token)");
  registry.add_existing(verify_cmd, [&c, &data, &database, remote, offline = std::move(offline)] {
    // An explicit --addr names a server as clearly as --remote; BAOMI_ADDR alone does not
    // override --data (it is set for every client command of the shell).
    const bool local = !data.empty() || !database.empty();
    if (local && (*remote || !c.addr.empty())) {
      return fail(client_error(
          "usage",
          "give --data DIR / --database URL (offline) or --remote/--addr (server), not both"));
    }
    if (local) return offline();
    if (*remote || address_given(c)) return finish(verify_remote(c));
    return fail(client_error("usage",
                             "audit verify needs --data DIR (offline, on the instance's files) or "
                             "--remote / --addr / BAOMI_ADDR (the server's check)"));
  });
}

}  // namespace baomi::cmd::client
