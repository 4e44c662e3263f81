// baomi copies issue|get|ls|show: taking approved copies and downloading their marked
// artifacts (POST /api/v1/copies, GET /api/v1/copies[/{serial}[/artifact]]; S5, S7).
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

struct IssueOptions {
  std::string request_id;
  int count = 1;
};

struct CopyGetOptions {
  std::string serial;
  std::string output;  // default: the server's file name in the current directory
};

struct CopyLsOptions {
  ListFlags list;
  std::string document;
};

std::string copy_path(const std::string& serial) { return "/copies/" + percent_encode(serial); }

void add_copy_row(Table& t, const json::object& c) {
  t.add({text_of(c, "serial"), text_of(c, "kind"), text_of(c, "state"), text_of(c, "document_id"),
         text_of(c, "version"), text_of(c, "marking"), time_of(c, "issued_at"),
         time_of(c, "due_back")});
}

Table copy_table() {
  return Table({"SERIAL", "KIND", "STATE", "DOCUMENT", "VERSION", "MARKING", "ISSUED", "DUE BACK"});
}

Result<Ok> issue(const ConnectionOptions& c, const IssueOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  json::array issued;
  for (int i = 0; i < o.count; ++i) {
    auto copy = api.send_json("POST", "/copies", json::object{{"request_id", o.request_id}});
    if (!copy.ok()) {
      if (issued.empty()) return copy.take_error();
      Error e = copy.take_error();
      e.message += " (after " + std::to_string(issued.size()) + " copies were issued)";
      if (c.json) print_json(json::object{{"items", issued}});
      return e;
    }
    issued.push_back(std::move(*copy));
  }
  if (c.json) {
    print_json(o.count == 1 ? issued.front() : json::value(json::object{{"items", issued}}));
    return Ok{};
  }
  auto t = copy_table();
  for (const auto& v : issued) add_copy_row(t, v.as_object());
  t.print(std::cout);
  std::cerr << "Download with: baomi copies get " << text_of(issued.front().as_object(), "serial")
            << "\n";
  return Ok{};
}

Result<Ok> get_copy(const ConnectionOptions& c, const CopyGetOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  const std::filesystem::path target =
      std::filesystem::path(o.output.empty() ? o.serial + ".download" : o.output);
  BAOMI_ASSIGN_OR_RETURN(auto file, baomi::client::DownloadFile::create(target));
  BAOMI_ASSIGN_OR_RETURN(auto r, api.download(copy_path(o.serial) + "/artifact", file));
  std::filesystem::path saved = target;
  if (o.output.empty()) {
    saved = baomi::client::attachment_name(r.header("content-disposition"));
    if (saved.empty()) saved = o.serial + ".bin";
  }
  BAOMI_TRY(file.commit(saved));
  const json::object info{{"file", saved.string()},
                          {"bytes", r.sunk},
                          {"serial", r.header("x-baomi-serial")},
                          {"content_type", r.header("content-type")}};
  if (c.json && !file.is_stdout()) {
    print_json(info);
  } else if (!c.json) {
    std::cerr << "Saved " << r.sunk << " bytes of copy " << text_of(info, "serial")
              << (file.is_stdout() ? std::string() : " to " + saved.string())
              << ". The copy is marked and fingerprinted with its serial and holder (S5, S7).\n";
  }
  return Ok{};
}

Result<Ok> list_copies(const ConnectionOptions& c, const CopyLsOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(
      auto page, api.list("/copies" + baomi::client::query_string({{"document_id", o.document}}),
                          o.list.request()));
  if (c.json) {
    print_json(page.as_json());
    return Ok{};
  }
  auto t = copy_table();
  for (const auto& v : page.items) add_copy_row(t, v.as_object());
  t.print(std::cout);
  print_more_hint(page);
  return Ok{};
}

Result<Ok> show_copy(const ConnectionOptions& c, const std::string& serial) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto v, api.get_json(copy_path(serial)));
  if (c.json) {
    print_json(v);
    return Ok{};
  }
  const auto& copy = v.as_object();
  baomi::client::print_fields(std::cout, {{"serial", text_of(copy, "serial")},
                                          {"kind", text_of(copy, "kind")},
                                          {"state", text_of(copy, "state")},
                                          {"document", text_of(copy, "document_id")},
                                          {"version", text_of(copy, "version")},
                                          {"holder", text_of(copy, "holder_id")},
                                          {"request", text_of(copy, "request_id")},
                                          {"marking", text_of(copy, "marking")},
                                          {"issued", time_of(copy, "issued_at")},
                                          {"due back", time_of(copy, "due_back")},
                                          {"excerpt", text_of(copy, "excerpt")}});
  const auto& history = array_at(copy, "history");
  if (!history.empty()) {
    std::cout << "\n";
    Table t({"EVENT", "BY", "AT", "NOTE"});
    for (const auto& h : history) {
      const auto& e = h.as_object();
      t.add({text_of(e, "event"), text_of(e, "actor_id"), time_of(e, "at"), text_of(e, "note")});
    }
    t.print(std::cout);
  }
  return Ok{};
}

struct EventOptions {
  std::string serial;
  std::string text;  // the note, or the loss report's description
};

// return, destroy (custodian), report-lost (holder or custodian, S8).
Result<Ok> record_event(const ConnectionOptions& c, const EventOptions& o,
                        const std::string& event) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  json::object body;
  if (event == "report-lost") {
    body["description"] = o.text;
  } else if (!o.text.empty()) {
    body["note"] = o.text;
  }
  BAOMI_ASSIGN_OR_RETURN(auto v, api.send_json("POST", copy_path(o.serial) + "/" + event, body));
  if (c.json) {
    print_json(v);
  } else if (event == "report-lost") {
    std::cout << "Copy " << o.serial << " is recorded lost; incident "
              << text_of(v.as_object(), "id")
              << " is open and the custodian and security administrator are alerted (S8).\n";
  } else {
    std::cout << "Copy " << o.serial << " is now " << text_of(v.as_object(), "state") << "\n";
  }
  return Ok{};
}

void add_event_command(Registry& registry, CLI::App* copies, const std::string& event,
                       const std::string& description) {
  auto o = std::make_shared<EventOptions>();
  auto& c = registry.connection();
  auto* cmd = registry.add(copies, event, description,
                           [&c, o, event] { return record_event(c, *o, event); });
  cmd->add_option("serial", o->serial, "Copy serial")->required();
  if (event == "report-lost") {
    cmd->add_option("--description", o->text, "What happened, when and where")->required();
  } else {
    cmd->add_option("--note", o->text, "A note for the register");
  }
}

}  // namespace

void add_copy_commands(Registry& registry, CLI::App& app) {
  auto& c = registry.connection();
  auto* copies = app.add_subcommand("copies", "Approved copies: issue, download, list (S7)");
  copies->require_subcommand(1);

  auto issue_o = std::make_shared<IssueOptions>();
  auto* issue_cmd =
      registry.add(copies, "issue", "Issue the copy (or copies) of an approved request",
                   [&c, issue_o] { return issue(c, *issue_o); });
  issue_cmd->add_option("request", issue_o->request_id, "The approved request's id")->required();
  issue_cmd->add_option("--count", issue_o->count, "How many of the approved copies to issue")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();

  auto get_o = std::make_shared<CopyGetOptions>();
  auto* get_cmd = registry.add(copies, "get", "Download a copy's marked artifact (PDF or text)",
                               [&c, get_o] { return get_copy(c, *get_o); });
  get_cmd->add_option("serial", get_o->serial, "Copy serial, e.g. BM-000042-7")->required();
  get_cmd->add_option("-o,--output", get_o->output,
                      "Save to FILE ('-': standard output; default: SERIAL.pdf or .txt here)");

  auto ls_o = std::make_shared<CopyLsOptions>();
  auto* ls_cmd = registry.add(copies, "ls", "Your copies, or with --document a document's register",
                              [&c, ls_o] { return list_copies(c, *ls_o); });
  add_list_flags(ls_cmd, ls_o->list);
  ls_cmd->add_option("--document", ls_o->document,
                     "Every copy of this document (its custodian, the auditor)");

  auto serial = std::make_shared<std::string>();
  auto* show_cmd = registry.add(copies, "show", "Show one copy with its history",
                                [&c, serial] { return show_copy(c, *serial); });
  show_cmd->add_option("serial", *serial, "Copy serial")->required();

  add_event_command(registry, copies, "report-lost",
                    "Report a copy lost at once (S8): it becomes lost and an incident opens");
  add_event_command(registry, copies, "return", "Record a copy returned (its custodian)");
  add_event_command(registry, copies, "destroy", "Record a copy destroyed (its custodian)");
}

}  // namespace baomi::cmd::client
