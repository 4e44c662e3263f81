// baomi docs ls|get|put: documents (GET /api/v1/documents, GET .../{id}, GET .../{id}/content,
// POST /api/v1/documents, PUT .../{id}/content).
#include <iostream>

#include "client/files.h"
#include "client/json_text.h"
#include "cmd/client/registry.h"

namespace baomi::cmd::client {
namespace {

namespace json = boost::json;
using baomi::client::percent_encode;
using baomi::client::size_of;
using baomi::client::text_of;
using baomi::client::time_of;

struct DocumentLsOptions {
  ListFlags list;
  bool review = false;
};

struct DocumentGetOptions {
  std::string id;
  std::string output;  // content to this file ("-": stdout)
  bool meta = false;
  int version = 0;
};

struct PutOptions {
  std::string file;
  std::string doc;  // a new version of this document
  std::string type;
  std::string title, level, secret_until, custodian, description;
  std::vector<std::string> categories;
};

std::string doc_path(const std::string& id) { return "/documents/" + percent_encode(id); }

Result<Ok> list_documents(const ConnectionOptions& c, const DocumentLsOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(
      auto page,
      api.list(o.review ? "/documents?review=term_expired" : "/documents", o.list.request()));
  if (c.json) {
    print_json(page.as_json());
    return Ok{};
  }
  Table t({"ID", "MARKING", "VERSION", "SIZE", "TYPE", "TITLE"});
  for (const auto& v : page.items) {
    const auto& d = v.as_object();
    t.add({text_of(d, "id"), text_of(d, "marking"), text_of(d, "version"), size_of(d, "size"),
           text_of(d, "content_type"), text_of(d, "title")});
  }
  t.print(std::cout);
  print_more_hint(page);
  return Ok{};
}

void print_document(const json::object& d) {
  baomi::client::print_fields(std::cout, {{"id", text_of(d, "id")},
                                          {"title", text_of(d, "title")},
                                          {"marking", text_of(d, "marking")},
                                          {"level", text_of(d, "level")},
                                          {"categories", text_of(d, "categories")},
                                          {"secret until", time_of(d, "secret_until")},
                                          {"custodian", text_of(d, "custodian_id")},
                                          {"author", text_of(d, "author_id")},
                                          {"version", text_of(d, "version")},
                                          {"size", size_of(d, "size")},
                                          {"content type", text_of(d, "content_type")},
                                          {"sha256", text_of(d, "sha256")},
                                          {"created", time_of(d, "created_at")},
                                          {"description", text_of(d, "description")}});
}

Result<Ok> download_content(const ApiClient& api, const ConnectionOptions& c,
                            const DocumentGetOptions& o) {
  std::string path = doc_path(o.id) + "/content";
  if (o.version > 0) path += "?version=" + std::to_string(o.version);
  BAOMI_ASSIGN_OR_RETURN(auto file, baomi::client::DownloadFile::create(o.output));
  BAOMI_ASSIGN_OR_RETURN(auto r, api.download(path, file));
  BAOMI_TRY(file.commit());
  // The marking header is raw UTF-8 (docs/api.md).
  const json::object info{{"file", o.output},
                          {"bytes", r.sunk},
                          {"version", r.header("x-baomi-version")},
                          {"marking", r.header("x-baomi-marking")},
                          {"view_id", r.header("x-baomi-view-id")},
                          {"content_type", r.header("content-type")}};
  if (c.json && !file.is_stdout()) {
    print_json(info);
  } else if (!file.is_stdout() || !c.json) {
    std::cerr << (file.is_stdout() ? std::string("Read ") : "Saved ") << r.sunk << " bytes"
              << (file.is_stdout() ? std::string() : " to " + o.output) << ": version "
              << text_of(info, "version") << ", marking "
              << baomi::client::terminal_safe(text_of(info, "marking")) << ", view "
              << text_of(info, "view_id") << ".\n"
              << "This read is audited; a text view carries an invisible fingerprint naming "
                 "you (S7). Taking a copy away needs an approved request: baomi request copy.\n";
  }
  return Ok{};
}

Result<Ok> get_document(const ConnectionOptions& c, const DocumentGetOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  if (o.output.empty() || o.meta) {
    BAOMI_ASSIGN_OR_RETURN(auto d, api.get_json(doc_path(o.id)));
    if (c.json) {
      print_json(d);
    } else {
      print_document(d.as_object());
    }
  }
  if (!o.output.empty()) BAOMI_TRY(download_content(api, c, o));
  return Ok{};
}

Result<std::string> create_document(const ApiClient& api, const PutOptions& o) {
  if (o.title.empty() || o.level.empty()) {
    return client_error("usage",
                        "a new document needs --title and --level (or give --doc ID to upload a "
                        "new version of an existing one)");
  }
  json::object body{{"title", o.title}, {"level", o.level}};
  json::array categories;
  for (const auto& cat : o.categories) categories.emplace_back(cat);
  body["categories"] = std::move(categories);
  if (!o.secret_until.empty()) body["secret_until"] = o.secret_until;
  if (!o.custodian.empty()) body["custodian_id"] = o.custodian;
  if (!o.description.empty()) body["description"] = o.description;
  BAOMI_ASSIGN_OR_RETURN(auto d, api.send_json("POST", "/documents", body));
  return std::string(d.as_object().at("id").as_string());
}

Result<Ok> put(const ConnectionOptions& c, const PutOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  std::string id = o.doc;
  if (!id.empty() && !(o.title.empty() && o.level.empty() && o.categories.empty())) {
    return client_error("usage",
                        "--doc uploads a new version: --title, --level and --category "
                        "are for a new document only");
  }
  if (id.empty()) {
    BAOMI_ASSIGN_OR_RETURN(id, create_document(api, o));
  }
  const std::string type = o.type.empty() ? baomi::client::content_type_for(o.file) : o.type;
  std::string sent_sha256;
  auto answer = api.upload("PUT", doc_path(id) + "/content", o.file, type, &sent_sha256);
  if (!answer.ok()) {
    Error e = answer.take_error();
    if (o.doc.empty()) {
      e.message += " (document " + id +
                   " was created without content; retry with: baomi docs "
                   "put FILE --doc " +
                   id + ")";
    }
    return e;
  }
  auto v = answer->as_object();
  if (text_of(v, "sha256") != sent_sha256) {
    return Error::integrity("the server's sha256 " + text_of(v, "sha256") +
                            " differs from the bytes sent (" + sent_sha256 + ")");
  }
  v["id"] = id;
  if (c.json) {
    print_json(v);
    return Ok{};
  }
  Table t({"ID", "VERSION", "SIZE", "SHA256"});
  t.add({id, text_of(v, "version"), text_of(v, "size"), text_of(v, "sha256")});
  t.print(std::cout);
  std::cerr << "Uploaded as " << type << "; the server's SHA-256 matches the file.\n";
  return Ok{};
}

}  // namespace

void add_document_commands(Registry& registry, CLI::App& app) {
  auto& c = registry.connection();
  auto* docs = app.add_subcommand("docs", "Documents: list, read, upload");
  docs->require_subcommand(1);

  auto ls_o = std::make_shared<DocumentLsOptions>();
  auto* ls_cmd = registry.add(docs, "ls", "List the documents you may know of",
                              [&c, ls_o] { return list_documents(c, *ls_o); });
  add_list_flags(ls_cmd, ls_o->list);
  ls_cmd->add_flag("--review", ls_o->review,
                   "Only documents you keep whose secrecy term has passed (S4)");

  auto get_o = std::make_shared<DocumentGetOptions>();
  auto* get_cmd = registry.add(docs, "get", "Show a document's metadata, or save its content",
                               [&c, get_o] { return get_document(c, *get_o); });
  get_cmd->add_option("id", get_o->id, "Document id")->required();
  get_cmd->add_option("-o,--output", get_o->output,
                      "Save the content to FILE (streamed; '-' for standard output)");
  get_cmd->add_flag("--meta", get_o->meta, "Print the metadata (the default without -o)");
  get_cmd->add_option("--version", get_o->version, "Read this version (custodian only)")
      ->check(CLI::PositiveNumber);

  auto put_o = std::make_shared<PutOptions>();
  auto* put_cmd = registry.add(
      docs, "put", "Upload FILE: a new document (--title, --level) or a new version (--doc)",
      [&c, put_o] { return put(c, *put_o); });
  put_cmd->add_option("file", put_o->file, "The file to upload (streamed)")
      ->required()
      ->check(CLI::ExistingFile);
  put_cmd->add_option("--doc", put_o->doc, "Upload a new version of this document");
  put_cmd->add_option("--type", put_o->type, "Content type (default: from the file's extension)");
  put_cmd->add_option("--title", put_o->title, "Title of a new document");
  put_cmd->add_option("--level", put_o->level,
                      "Level of a new document: public, internal, secret, confidential, "
                      "top_secret");
  put_cmd->add_option("--category", put_o->categories, "A category (repeat for several)");
  put_cmd->add_option("--secret-until", put_o->secret_until,
                      "End of the secrecy term (S4), "
                      "YYYY-MM-DD");
  put_cmd->add_option("--custodian", put_o->custodian, "Custodian's user id (default: you)");
  put_cmd->add_option("--description", put_o->description, "Description");
}

}  // namespace baomi::cmd::client
