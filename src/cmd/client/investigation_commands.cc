// baomi investigate open|ls|show|add-evidence|timeline|bundle|close: the auditor's leak
// investigations on a server (/api/v1/investigations...; S10). Offline checking of a bundle is
// `baomi evidence verify`.
#include <iostream>

#include "client/files.h"
#include "client/json_text.h"
#include "cmd/client/registry.h"

namespace baomi::cmd::client {
namespace {

namespace json = boost::json;
using baomi::client::array_at;
using baomi::client::percent_encode;
using baomi::client::text_of;
using baomi::client::time_of;

struct OpenOptions {
  std::string title, reason;
  std::vector<std::string> documents;
};

struct InvestigationLsOptions {
  ListFlags list;
  std::string state;
};

struct EvidenceOptions {
  std::string id, file, note, type;
};

struct BundleOptions {
  std::string id, output;
};

struct CloseOptions {
  std::string id, finding;
};

std::string case_path(const std::string& id) { return "/investigations/" + percent_encode(id); }

void print_case(const json::object& inv) {
  baomi::client::print_fields(std::cout, {{"id", text_of(inv, "id")},
                                          {"state", text_of(inv, "state")},
                                          {"title", text_of(inv, "title")},
                                          {"reason", text_of(inv, "reason")},
                                          {"documents", text_of(inv, "document_ids")},
                                          {"opened by", text_of(inv, "opened_by")},
                                          {"opened", time_of(inv, "opened_at")},
                                          {"finding", text_of(inv, "finding")},
                                          {"closed by", text_of(inv, "closed_by")},
                                          {"closed", time_of(inv, "closed_at")}});
}

std::string position_text(const json::object& m) {
  const auto* p = m.if_contains("position");
  if (!p || !p->is_object()) return "-";
  const auto& pos = p->as_object();
  if (pos.contains("page")) return "page " + text_of(pos, "page");
  return "bytes " + text_of(pos, "from") + "-" + text_of(pos, "to");
}

// One row per match: which copy or view the artifact traced to, and its holder (S10).
void print_matches(const json::array& matches) {
  if (matches.empty()) {
    std::cout << "No fingerprint, serial or canary found in this artifact (matches: none).\n";
    return;
  }
  Table t({"METHOD", "KIND", "SERIAL/VIEW", "DOCUMENT", "VERSION", "HOLDER", "ISSUED/VIEWED",
           "AUDIT SEQ", "POSITION"});
  for (const auto& v : matches) {
    const auto& m = v.as_object();
    const bool view = text_of(m, "kind") == "view";
    t.add({text_of(m, "method"), text_of(m, "kind"), text_of(m, view ? "view_id" : "serial"),
           text_of(m, "document_id"), text_of(m, "version"), text_of(m, "holder_id"),
           time_of(m, view ? "viewed_at" : "issued_at"), text_of(m, "audit_seq"),
           position_text(m)});
  }
  t.print(std::cout);
}

Result<Ok> open_case(const ConnectionOptions& c, const OpenOptions& o) {
  json::array docs;
  for (const auto& d : o.documents) docs.emplace_back(d);
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto inv, api.send_json("POST", "/investigations",
                                                 json::object{{"title", o.title},
                                                              {"reason", o.reason},
                                                              {"document_ids", std::move(docs)}}));
  if (c.json) {
    print_json(inv);
    return Ok{};
  }
  print_case(inv.as_object());
  std::cerr << "Add a leaked file with: baomi investigate add-evidence "
            << text_of(inv.as_object(), "id") << " FILE\n";
  return Ok{};
}

Result<Ok> list_investigations(const ConnectionOptions& c, const InvestigationLsOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(
      auto page, api.list("/investigations" + baomi::client::query_string({{"state", o.state}}),
                          o.list.request()));
  if (c.json) {
    print_json(page.as_json());
    return Ok{};
  }
  Table t({"ID", "STATE", "OPENED", "DOCUMENTS", "TITLE"});
  for (const auto& v : page.items) {
    const auto& inv = v.as_object();
    t.add({text_of(inv, "id"), text_of(inv, "state"), time_of(inv, "opened_at"),
           std::to_string(array_at(inv, "document_ids").size()), text_of(inv, "title")});
  }
  t.print(std::cout);
  print_more_hint(page);
  return Ok{};
}

Result<Ok> show_investigation(const ConnectionOptions& c, const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto inv, api.get_json(case_path(id)));
  BAOMI_ASSIGN_OR_RETURN(auto evidence, api.get_json(case_path(id) + "/evidence"));
  if (c.json) {
    auto out = inv.as_object();
    out["evidence"] = evidence.as_object()["items"];
    print_json(out);
    return Ok{};
  }
  print_case(inv.as_object());
  std::cout << "\nEvidence:\n";
  Table t({"EVIDENCE", "ADDED", "SIZE", "TYPE", "MATCHES", "SHA256", "NOTE"});
  for (const auto& v : array_at(evidence.as_object(), "items")) {
    const auto& e = v.as_object();
    t.add({text_of(e, "evidence_id"), time_of(e, "added_at"), text_of(e, "size"),
           text_of(e, "content_type"), std::to_string(array_at(e, "matches").size()),
           text_of(e, "sha256"), text_of(e, "note")});
  }
  t.print(std::cout);
  return Ok{};
}

Result<Ok> add_evidence(const ConnectionOptions& c, const EvidenceOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  const std::string type = o.type.empty() ? baomi::client::content_type_for(o.file) : o.type;
  std::string sent_sha256;
  BAOMI_ASSIGN_OR_RETURN(auto v, api.upload("POST",
                                            case_path(o.id) + "/evidence" +
                                                baomi::client::query_string({{"note", o.note}}),
                                            o.file, type, &sent_sha256));
  const auto& e = v.as_object();
  if (text_of(e, "sha256") != sent_sha256) {
    return Error::integrity("the server's sha256 " + text_of(e, "sha256") +
                            " of the evidence differs from the bytes sent (" + sent_sha256 + ")");
  }
  if (c.json) {
    print_json(v);
    return Ok{};
  }
  baomi::client::print_fields(std::cout, {{"evidence", text_of(e, "evidence_id")},
                                          {"sha256", text_of(e, "sha256") + " (matches the file)"},
                                          {"size", text_of(e, "size")},
                                          {"type", text_of(e, "content_type")}});
  std::cout << "\n";
  print_matches(array_at(e, "matches"));
  return Ok{};
}

Result<Ok> timeline(const ConnectionOptions& c, const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto page, api.list(case_path(id) + "/timeline", PageRequest{}));
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
  return Ok{};
}

Result<Ok> bundle(const ConnectionOptions& c, const BundleOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  const std::string output = o.output.empty() ? "baomi-investigation-" + o.id + ".tar" : o.output;
  BAOMI_ASSIGN_OR_RETURN(auto file, baomi::client::DownloadFile::create(output));
  BAOMI_ASSIGN_OR_RETURN(auto r, api.download(case_path(o.id) + "/bundle", file));
  BAOMI_TRY(file.commit());
  if (c.json && !file.is_stdout()) {
    print_json(json::object{{"file", output}, {"bytes", r.sunk}});
  } else if (!c.json) {
    std::cerr << "Saved the signed evidence bundle (" << r.sunk << " bytes)"
              << (file.is_stdout() ? std::string() : " to " + output)
              << ". Anyone can check it offline: baomi evidence verify " << output
              << " --public-key audit.pub\n";
  }
  return Ok{};
}

Result<Ok> close_case(const ConnectionOptions& c, const CloseOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto inv, api.send_json("POST", case_path(o.id) + "/close",
                                                 json::object{{"finding", o.finding}}));
  if (c.json) {
    print_json(inv);
  } else {
    print_case(inv.as_object());
  }
  return Ok{};
}

}  // namespace

void add_investigation_commands(Registry& registry, CLI::App& app) {
  auto& c = registry.connection();
  auto* group = app.add_subcommand("investigate", "Leak investigations (auditor, S10)");
  group->require_subcommand(1);

  auto open_o = std::make_shared<OpenOptions>();
  auto* open_cmd =
      registry.add(group, "open", "Open a case", [&c, open_o] { return open_case(c, *open_o); });
  open_cmd->add_option("--title", open_o->title, "Title of the case")->required();
  open_cmd->add_option("--reason", open_o->reason, "Why it is opened")->required();
  open_cmd->add_option("--document", open_o->documents,
                       "A document the case is about (repeat for several)");

  auto ls_o = std::make_shared<InvestigationLsOptions>();
  auto* ls_cmd =
      registry.add(group, "ls", "List cases", [&c, ls_o] { return list_investigations(c, *ls_o); });
  add_list_flags(ls_cmd, ls_o->list);
  ls_cmd->add_option("--state", ls_o->state, "open or closed")
      ->check(CLI::IsMember({"open", "closed"}));

  auto show_id = std::make_shared<std::string>();
  auto* show_cmd = registry.add(group, "show", "Show a case and its evidence",
                                [&c, show_id] { return show_investigation(c, *show_id); });
  show_cmd->add_option("id", *show_id, "Case id")->required();

  auto ev = std::make_shared<EvidenceOptions>();
  auto* ev_cmd =
      registry.add(group, "add-evidence", "Add a leaked file to a case and trace it to its source",
                   [&c, ev] { return add_evidence(c, *ev); });
  ev_cmd->add_option("id", ev->id, "Case id")->required();
  ev_cmd->add_option("file", ev->file, "The leaked artifact as found (streamed)")
      ->required()
      ->check(CLI::ExistingFile);
  ev_cmd->add_option("--note", ev->note, "Where it was found");
  ev_cmd->add_option("--type", ev->type,
                     "text/plain, text/csv or application/pdf (default: from the extension)");

  auto tl_id = std::make_shared<std::string>();
  auto* tl_cmd = registry.add(group, "timeline", "Every audit event of the case, in order",
                              [&c, tl_id] { return timeline(c, *tl_id); });
  tl_cmd->add_option("id", *tl_id, "Case id")->required();

  auto b = std::make_shared<BundleOptions>();
  auto* b_cmd = registry.add(group, "bundle", "Download the case's signed evidence bundle",
                             [&c, b] { return bundle(c, *b); });
  b_cmd->add_option("id", b->id, "Case id")->required();
  b_cmd->add_option("-o,--output", b->output,
                    "Save to FILE (default baomi-investigation-ID.tar; '-': standard output)");

  auto cl = std::make_shared<CloseOptions>();
  auto* cl_cmd = registry.add(group, "close", "Close a case with its finding (read-only after)",
                              [&c, cl] { return close_case(c, *cl); });
  cl_cmd->add_option("id", cl->id, "Case id")->required();
  cl_cmd->add_option("--finding", cl->finding, "What the investigation found")->required();
}

}  // namespace baomi::cmd::client
