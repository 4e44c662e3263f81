// baomi request access|copy|print|excerpt DOC and baomi requests ls|show|approve|reject|cancel:
// asking for access or an approved copy, and deciding requests (POST /api/v1/requests,
// GET /api/v1/requests[/{id}], POST /api/v1/requests/{id}/approve|reject|cancel; S6, S7, A1).
#include <iostream>

#include "client/json_text.h"
#include "cmd/client/registry.h"

namespace baomi::cmd::client {
namespace {

namespace json = boost::json;
using baomi::client::array_at;
using baomi::client::object_at;
using baomi::client::percent_encode;
using baomi::client::text_of;
using baomi::client::time_of;

struct AskOptions {
  std::string type;
  std::string document;
  std::string reason;
  int days = 0;
  int uses = 0;
  int copies = 0;
  long long from = -1;
  long long to = -1;
  std::string match;  // an excerpt given by its text instead of --from/--to
};

struct RequestLsOptions {
  ListFlags list;
  std::string status;
  bool approvable = false;
};

struct DecideOptions {
  std::string id;
  std::string comment;
};

std::string request_path(const std::string& id) { return "/requests/" + percent_encode(id); }

// "document_custodian|supervisor ×1 (0 signed)" for each step of the rule.
std::string steps_text(const json::object& r) {
  std::string out;
  for (const auto& v : array_at(r, "required")) {
    const auto& step = v.as_object();
    if (!out.empty()) out += "; ";
    out += text_of(step, "role") + " x" + text_of(step, "count");
    if (step.contains("have")) out += " (" + text_of(step, "have") + " signed)";
  }
  return out.empty() ? "-" : out;
}

void print_request(const json::object& r) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"id", text_of(r, "id")},
      {"type", text_of(r, "type")},
      {"status", text_of(r, "status")},
      {"document", text_of(r, "document_id")},
      {"version", text_of(r, "version")},
      {"requester", text_of(object_at(r, "requester"), "username") + " (" +
                        text_of(object_at(r, "requester"), "display_name") + ")"},
      {"reason", text_of(r, "reason")},
      {"needs", steps_text(r)},
      {"copies", text_of(r, "copies_issued") + " of " + text_of(r, "copies") + " issued"},
      {"days", text_of(r, "days")},
      {"created", time_of(r, "created_at")},
      {"expires", time_of(r, "expires_at")},
      {"decided", time_of(r, "decided_at")}};
  if (const auto* e = r.if_contains("excerpt"); e && e->is_object()) {
    fields.emplace_back("excerpt", "[" + text_of(e->as_object(), "from") + ", " +
                                       text_of(e->as_object(), "to") + ")");
  }
  if (const auto* t = r.if_contains("excerpt_text"); t && t->is_string()) {
    fields.emplace_back("excerpt text", std::string(t->as_string()));
  }
  if (const auto* g = r.if_contains("grant_id"); g && g->is_string()) {
    fields.emplace_back("grant", std::string(g->as_string()));
  }
  baomi::client::print_fields(std::cout, fields);
  const auto& approvals = array_at(r, "approvals");
  if (!approvals.empty()) {
    std::cout << "\n";
    Table t({"APPROVER", "NAME", "AT", "COMMENT"});
    for (const auto& v : approvals) {
      const auto& a = v.as_object();
      t.add({text_of(object_at(a, "approver"), "username"),
             text_of(object_at(a, "approver"), "display_name"), time_of(a, "at"),
             text_of(a, "comment")});
    }
    t.print(std::cout);
  }
}

bool fingerprint_symbol_at(const std::string& s, std::size_t i) {
  return i + 3 <= s.size() && static_cast<unsigned char>(s[i]) == 0xEF &&
         static_cast<unsigned char>(s[i + 1]) == 0xB8 &&
         (static_cast<unsigned char>(s[i + 2]) & 0xFC) == 0x84;
}

// A text view without the view's invisible fingerprint (U+FE04..U+FE07, fingerprint.md): the
// document's own text, whose code points excerpt ranges count.
std::string without_fingerprint(const std::string& view) {
  std::string out;
  out.reserve(view.size());
  for (std::size_t i = 0; i < view.size();) {
    if (fingerprint_symbol_at(view, i)) {
      i += 3;
    } else {
      out += view[i++];
    }
  }
  return out;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
  return n;
}

// --match TEXT: reads the document (an audited view) and finds the excerpt's code point range.
Result<std::pair<std::size_t, std::size_t>> find_excerpt(const ApiClient& api,
                                                         const AskOptions& o) {
  std::cerr << "Reading the document to find the text (this read is an audited view).\n";
  BAOMI_ASSIGN_OR_RETURN(
      auto r,
      api.get_bytes("/documents/" + baomi::client::percent_encode(o.document) + "/content"));
  if (!r.header("content-type").starts_with("text/")) {
    return client_error("usage",
                        "--match selects text in a text document; for a PDF give "
                        "pages with --from and --to");
  }
  const std::string text = without_fingerprint(r.body);
  const auto at = text.find(o.match);
  if (at == std::string::npos) {
    return client_error("usage", "the --match text is not in the document's current version");
  }
  const std::size_t from = code_points(std::string_view(text).substr(0, at));
  if (text.find(o.match, at + 1) != std::string::npos) {
    std::cerr << "The text occurs more than once; the excerpt is its first occurrence.\n";
  }
  return std::pair{from, from + code_points(o.match)};
}

Result<Ok> ask(const ConnectionOptions& c, const AskOptions& o) {
  json::object body{{"type", o.type}, {"document_id", o.document}, {"reason", o.reason}};
  if (o.days > 0) body["days"] = o.days;
  if (o.uses > 0) body["uses"] = o.uses;
  if (o.copies > 0) body["copies"] = o.copies;
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  if (o.type == "excerpt") {
    if (!o.match.empty()) {
      if (o.from >= 0 || o.to >= 0) {
        return client_error("usage", "give the excerpt by --match or by --from/--to, not both");
      }
      BAOMI_ASSIGN_OR_RETURN(auto range, find_excerpt(api, o));
      body["excerpt"] = json::object{{"from", range.first}, {"to", range.second}};
    } else if (o.from < 0 || o.to <= o.from) {
      return client_error("usage",
                          "an excerpt needs --match TEXT, or --from and --to with from < to: "
                          "code points [from, to) of a text, or pages [from, to) of a PDF "
                          "(0-based)");
    } else {
      body["excerpt"] = json::object{{"from", o.from}, {"to", o.to}};
    }
  }
  BAOMI_ASSIGN_OR_RETURN(auto r, api.send_json("POST", "/requests", body));
  if (c.json) {
    print_json(r);
    return Ok{};
  }
  const auto& req = r.as_object();
  std::cout << "Request " << text_of(req, "id") << " (" << o.type << ") is "
            << text_of(req, "status")
            << "; it needs: " << baomi::client::terminal_safe(steps_text(req)) << "\n";
  if (o.type != "access") {
    std::cerr << "Once approved, take the copy with: baomi copies issue " << text_of(req, "id")
              << "\n";
  }
  return Ok{};
}

Result<Ok> list_requests(const ConnectionOptions& c, const RequestLsOptions& o) {
  std::string path =
      "/requests" + baomi::client::query_string(
                        {{"status", o.status}, {"approvable", o.approvable ? "true" : ""}});
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto page, api.list(path, o.list.request()));
  if (c.json) {
    print_json(page.as_json());
    return Ok{};
  }
  Table t({"ID", "TYPE", "STATUS", "DOCUMENT", "REQUESTER", "COPIES", "CREATED", "NEEDS"});
  for (const auto& v : page.items) {
    const auto& r = v.as_object();
    t.add({text_of(r, "id"), text_of(r, "type"), text_of(r, "status"), text_of(r, "document_id"),
           text_of(object_at(r, "requester"), "username"), text_of(r, "copies"),
           time_of(r, "created_at"), steps_text(r)});
  }
  t.print(std::cout);
  print_more_hint(page);
  return Ok{};
}

Result<Ok> show_request(const ConnectionOptions& c, const std::string& id) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto r, api.get_json(request_path(id)));
  if (c.json) {
    print_json(r);
  } else {
    print_request(r.as_object());
  }
  return Ok{};
}

Result<Ok> decide(const ConnectionOptions& c, const DecideOptions& o, const std::string& verb) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  json::object body;
  if (!o.comment.empty()) body["comment"] = o.comment;
  auto answer = verb == "cancel" ? api.send_empty("POST", request_path(o.id) + "/cancel")
                                 : api.send_json("POST", request_path(o.id) + "/" + verb, body);
  if (!answer.ok()) return answer.take_error();
  if (c.json) {
    print_json(*answer);
    return Ok{};
  }
  const auto& r = answer->as_object();
  std::cout << "Request " << text_of(r, "id") << " is now " << text_of(r, "status");
  if (text_of(r, "status") == "pending") {
    std::cout << "; still needs: " << baomi::client::terminal_safe(steps_text(r));
  }
  std::cout << "\n";
  return Ok{};
}

// Your grants usable now (GET /api/v1/grants, S6).
Result<Ok> grants(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto v, api.get_json("/grants"));
  if (c.json) {
    print_json(v);
    return Ok{};
  }
  Table t({"GRANT", "DOCUMENT", "REQUEST", "STATE", "EXPIRES", "USES LEFT"});
  for (const auto& g : array_at(v.as_object(), "items")) {
    const auto& o = g.as_object();
    t.add({text_of(o, "id"), text_of(o, "document_id"), text_of(o, "request_id"),
           text_of(o, "state"), time_of(o, "expires_at"), text_of(o, "uses_left")});
  }
  t.print(std::cout);
  return Ok{};
}

void add_ask(Registry& registry, CLI::App* group, const std::string& type,
             const std::string& description) {
  auto o = std::make_shared<AskOptions>();
  o->type = type;
  auto& c = registry.connection();
  auto* cmd = registry.add(group, type, description, [&c, o] { return ask(c, *o); });
  cmd->add_option("document", o->document, "Document id")->required();
  cmd->add_option("--reason", o->reason, "Why you need it (shown to the approvers)")->required();
  cmd->add_option("--days", o->days, "Days the grant or copy is for")->check(CLI::Range(1, 3650));
  if (type == "access") {
    cmd->add_option("--uses", o->uses,
                    "Reads the grant allows (default: unlimited until it "
                    "expires)")
        ->check(CLI::Range(1, 1000));
  } else {
    cmd->add_option("--copies", o->copies, "Number of copies (default 1)")
        ->check(CLI::Range(1, 1000));
  }
  if (type == "excerpt") {
    cmd->add_option("--from", o->from,
                    "Start of the excerpt: a code point offset in a text, a page (0-based) in "
                    "a PDF")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--to", o->to, "End of the excerpt (exclusive)")->check(CLI::PositiveNumber);
    cmd->add_option("--match", o->match,
                    "The excerpt's exact text (a text document): its range is found for you "
                    "(reading the document, an audited view)");
  }
}

}  // namespace

void add_request_commands(Registry& registry, CLI::App& app) {
  auto& c = registry.connection();
  auto* request = app.add_subcommand("request", "Ask for access or an approved copy (S6, S7)");
  request->require_subcommand(1);
  add_ask(registry, request, "access", "Ask for time-limited access to a document (S6)");
  add_ask(registry, request, "copy", "Ask for a marked, fingerprinted copy (S7)");
  add_ask(registry, request, "print", "Ask for a marked PDF print (S5, S7)");
  add_ask(registry, request, "excerpt", "Ask for an excerpt: a range of a text or PDF (S7)");

  auto* requests = app.add_subcommand("requests", "Follow and decide requests (A1)");
  requests->require_subcommand(1);
  auto ls_o = std::make_shared<RequestLsOptions>();
  auto* ls_cmd =
      registry.add(requests, "ls", "Your requests, or with --approvable those you may decide",
                   [&c, ls_o] { return list_requests(c, *ls_o); });
  add_list_flags(ls_cmd, ls_o->list);
  ls_cmd->add_option("--status", ls_o->status, "pending, approved, rejected, cancelled or expired");
  ls_cmd->add_flag("--approvable", ls_o->approvable, "Only pending requests you may decide now");

  registry.add(requests, "grants", "Your access grants usable now (S6)",
               [&c] { return grants(c); });

  auto show_id = std::make_shared<std::string>();
  auto* show_cmd = registry.add(requests, "show", "Show one request with its approvals",
                                [&c, show_id] { return show_request(c, *show_id); });
  show_cmd->add_option("id", *show_id, "Request id")->required();

  for (const std::string verb : {"approve", "reject", "cancel"}) {
    auto o = std::make_shared<DecideOptions>();
    const std::string what = verb == "approve"  ? "Approve a request you may decide (A1)"
                             : verb == "reject" ? "Reject a request you may decide, saying why"
                                                : "Withdraw your own pending request";
    auto* cmd = registry.add(requests, verb, what, [&c, o, verb] { return decide(c, *o, verb); });
    cmd->add_option("id", o->id, "Request id")->required();
    if (verb == "approve") cmd->add_option("--comment", o->comment, "A comment for the record");
    if (verb == "reject") {
      cmd->add_option("--comment", o->comment, "Why (recorded, shown to the requester)")
          ->required();
    }
  }
}

}  // namespace baomi::cmd::client
