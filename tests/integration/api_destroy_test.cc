// Crypto-shredding over HTTPS (issue 15 part 3; docs/operations.md "Destroying documents"): a
// document's custodian asks to destroy it (a `destroy` request), the security administrator
// approves it (never the custodian: A1), and the custodian carries it out (S5). Its data keys
// are erased from the store, so the content can never be decrypted again: reads answer 410, the
// wrapped keys are gone from the rows and from the SQLite file, the signed tombstone names who,
// when and under which approval, copies still out are listed for recall, and the audit chain
// verifies. A legal hold and the retention floor refuse it (H3); so does a missing approval.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "core/bytes.h"
#include "crypto/sign.h"
#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

class DestroyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = TestInstance::create();
    server_ = instance_->start({"--policy", policy_file()});
    c_ = std::make_unique<HttpsClient>(server_->port());
    keeper_ =
        make_user(*c_, *instance_, "keeper" + random_suffix(), "custodian", "secret", {"finance"});
    reader_ =
        make_user(*c_, *instance_, "reader" + random_suffix(), "staff", "secret", {"finance"});
    secadmin_ = instance_->admin_token(*c_, "secadmin");
    auditor_ = instance_->admin_token(*c_, "auditor");
  }

  // The instance's policy with secret documents kept 0 months (so that a test can destroy one
  // at once) and internal ones 3 months; no category keeps anything longer.
  std::string policy_file() {
    std::ifstream in(instance_->data() / "policy.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = text.str();
    const auto replace = [&yaml](const std::string& from, const std::string& to) {
      const auto at = yaml.find(from);
      if (at == std::string::npos) throw std::runtime_error("policy text not found: " + from);
      yaml.replace(at, from.size(), to);
    };
    replace("secret: 12,", "secret: 0,");
    replace("      - {name: contracts_customers, months: 36}\n", "");
    replace("      - {name: finance, months: 36}\n", "");
    replace("    categories:\n    max_months", "    max_months");
    const auto path = instance_->root() / "destroy-policy.yaml";
    std::ofstream(path) << yaml;
    return path.string();
  }

  std::string new_document(std::string_view level, std::string_view title = "供应商合同") {
    return std::string(
        create_document(*c_, keeper_.token, title, level, {"finance"}).at("id").as_string());
  }

  HttpResponse ask_destroy(const std::string& id, const std::string& token,
                           std::optional<int> version = std::nullopt) {
    json::object body{{"type", "destroy"}, {"document_id", id}, {"reason", "保存期满，按规定销毁"}};
    if (version) body["version"] = *version;
    return c_->post_json("/api/v1/requests", body, token);
  }

  // The custodian's destroy request, approved by the security administrator.
  std::string approved_destroy(const std::string& id, std::optional<int> version = std::nullopt) {
    auto asked = ask_destroy(id, keeper_.token, version);
    EXPECT_EQ(asked.status, 201) << asked.body;
    const std::string request_id(asked.json().at("id").as_string());
    auto ok = c_->post_json("/api/v1/requests/" + request_id + "/approve",
                            json::object{{"comment", "同意销毁"}}, secadmin_);
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.json().at("status").as_string(), "approved");
    return request_id;
  }

  HttpResponse destroy(const std::string& id, const std::string& token, json::object body = {}) {
    return c_->post_json("/api/v1/documents/" + id + "/destroy", body, token);
  }

  // A copy of the document's current version issued to the reader; returns its serial.
  std::string issued_copy(const std::string& id) {
    auto asked = c_->post_json(
        "/api/v1/requests",
        json::object{{"type", "copy"}, {"document_id", id}, {"reason", "核对条款"}, {"copies", 1}},
        reader_.token);
    EXPECT_EQ(asked.status, 201) << asked.body;
    const std::string request_id(asked.json().at("id").as_string());
    EXPECT_EQ(
        c_->post_json("/api/v1/requests/" + request_id + "/approve", json::object{}, keeper_.token)
            .status,
        200);
    auto copy =
        c_->post_json("/api/v1/copies", json::object{{"request_id", request_id}}, reader_.token);
    EXPECT_EQ(copy.status, 201) << copy.body;
    return std::string(copy.json().at("serial").as_string());
  }

  std::vector<std::uint8_t> stored_key(const std::string& table, const std::string& where,
                                       const std::vector<std::string>& params) {
    RawDb db(*instance_);
    return db.query_blob("SELECT wrapped_key FROM " + table + " WHERE " + where, params);
  }

  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpsClient> c_;
  TestUser keeper_, reader_;
  std::string secadmin_, auditor_;
};

std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool contains(const std::string& haystack, const std::vector<std::uint8_t>& needle) {
  return haystack.find(std::string(needle.begin(), needle.end())) != std::string::npos;
}

TEST_F(DestroyTest, ApprovedDestructionErasesTheKeysSignsATombstoneAndListsCopies_S5_H3_A1_I1) {
  auto& c = *c_;
  const auto id = new_document("secret");
  const std::string v1 = "第一版：合同金额壹佰万元。", v2 = "第二版：合同金额玖拾万元。";
  const auto up1 = upload_content(c, keeper_.token, id, v1);
  const auto up2 = upload_content(c, keeper_.token, id, v2);
  const auto serial = issued_copy(id);
  const auto keys = std::vector{stored_key("versions", "document_id = ? AND version = 1", {id}),
                                stored_key("versions", "document_id = ? AND version = 2", {id}),
                                stored_key("documents", "id = ?", {id})};
  for (const auto& k : keys) ASSERT_GT(k.size(), 32u);

  // A1: without an approved destroy request nothing happens, and the custodian cannot approve
  // their own; the security administrator cannot carry it out (SoD).
  EXPECT_EQ(destroy(id, keeper_.token).error_code(), "not_approved");
  auto asked = ask_destroy(id, keeper_.token);
  ASSERT_EQ(asked.status, 201) << asked.body;
  EXPECT_EQ(asked.json().at("required").at(0).at("role").as_string(), "secadmin");
  const std::string request_id(asked.json().at("id").as_string());
  auto self =
      c.post_json("/api/v1/requests/" + request_id + "/approve", json::object{}, keeper_.token);
  EXPECT_EQ(self.status, 403) << self.body;
  EXPECT_EQ(self.json().at("error").at("rule").as_string(), "A1");
  ASSERT_EQ(
      c.post_json("/api/v1/requests/" + request_id + "/approve", json::object{}, secadmin_).status,
      200);
  // SoD: administrators do no business; a secret document does not exist for them (404).
  EXPECT_EQ(destroy(id, secadmin_).status, 404);
  EXPECT_EQ(destroy(id, reader_.token).error_code(), "not_custodian");

  auto done = destroy(id, keeper_.token);
  ASSERT_EQ(done.status, 200) << done.body;
  const auto answer = done.json().as_object();
  const auto& tomb = answer.at("tombstone").as_object();
  EXPECT_EQ(tomb.at("document_id").as_string(), id);
  EXPECT_TRUE(tomb.at("version").is_null());
  EXPECT_EQ(tomb.at("destroyed_by").as_string(), keeper_.id);
  EXPECT_EQ(tomb.at("request_id").as_string(), request_id);
  ASSERT_EQ(tomb.at("approved_by").as_array().size(), 1u);
  ASSERT_EQ(tomb.at("versions").as_array().size(), 2u);
  EXPECT_EQ(tomb.at("versions").at(0).at("sha256"), up1.at("sha256"));
  EXPECT_EQ(tomb.at("versions").at(1).at("sha256"), up2.at("sha256"));
  // I1: the tombstone is signed with the audit key (the checkpoint's public key verifies it).
  auto checkpoint = c.get("/api/v1/audit/checkpoint", auditor_);
  ASSERT_EQ(checkpoint.status, 200) << checkpoint.body;
  const auto public_key = from_hex(std::string(checkpoint.json().at("public_key").as_string()));
  const auto signature = from_hex(std::string(tomb.at("signature").as_string()));
  ASSERT_TRUE(public_key && signature);
  const std::string message =
      "baomi-statement\ndocument-tombstone\n" + std::string(tomb.at("statement").as_string());
  EXPECT_TRUE(crypto::verify_signature(*public_key, crypto::bytes_of(message), *signature));
  // S5: the copy still out is listed for recall, with its holder.
  ASSERT_EQ(answer.at("recall").as_array().size(), 1u);
  EXPECT_EQ(answer.at("recall").at(0).at("serial").as_string(), serial);
  EXPECT_EQ(answer.at("recall").at(0).at("holder_id").as_string(), reader_.id);

  // H3: the content can never be read again, by anyone, in any form; what is known remains.
  auto read = c.get("/api/v1/documents/" + id + "/content", keeper_.token);
  EXPECT_EQ(read.status, 410) << read.body;
  EXPECT_EQ(read.error_code(), "destroyed");
  EXPECT_EQ(read.json().at("error").at("rule").as_string(), "H3");
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content?version=1", keeper_.token).status, 410);
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", reader_.token).status, 410);
  EXPECT_EQ(c.get("/api/v1/copies/" + serial + "/artifact", reader_.token).status, 410);
  auto meta = c.get("/api/v1/documents/" + id, reader_.token);
  ASSERT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(meta.json().at("state").as_string(), "destroyed");
  EXPECT_EQ(meta.json().at("title").as_string(), "");  // sealed under the erased key
  EXPECT_TRUE(meta.json().at("sha256").is_null());
  const auto listed = c.get("/api/v1/documents?limit=100", keeper_.token).json();
  bool seen = false;
  for (const auto& d : listed.at("items").as_array()) {
    if (d.at("id").as_string() != id) continue;
    seen = true;
    EXPECT_EQ(d.at("state").as_string(), "destroyed");
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(
      c.put_json("/api/v1/documents/" + id + "/content", json::object{}, keeper_.token).status,
      410);
  EXPECT_EQ(ask_destroy(id, keeper_.token).status, 410);
  EXPECT_EQ(destroy(id, keeper_.token).status, 410);
  auto tombstones = c.get("/api/v1/documents/" + id + "/tombstones", keeper_.token);
  ASSERT_EQ(tombstones.status, 200) << tombstones.body;
  EXPECT_EQ(tombstones.json().at("items").at(0).at("signature"), tomb.at("signature"));

  // The wrapped keys are gone from the rows...
  const std::vector<std::pair<std::string, std::string>> rows = {{"versions", "document_id = ?"},
                                                                 {"documents", "id = ?"}};
  for (const auto& row : rows) {
    RawDb db(*instance_);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM " + row.first + " WHERE " + row.second +
                               " AND length(wrapped_key) > 0",
                           {id}),
              0)
        << row.first;
  }
  auto entries = audit_entries(c, *instance_, "action=document.destroy");
  int allowed = 0, denied = 0;  // the destruction, and the refusals before and after it
  for (const auto& e : entries) {
    EXPECT_EQ(e.at("target").as_string(), "document:" + id);
    (e.at("decision").as_string() == "allow" ? allowed : denied) += 1;
    if (e.at("decision").as_string() == "allow") {
      EXPECT_EQ(e.at("rule").as_string(), "H3");
      // The stored trail is clear text: no content digest, no statement, no signature in it.
      const auto entry = json::serialize(e);
      EXPECT_EQ(entry.find(std::string(up1.at("sha256").as_string())), std::string::npos);
      EXPECT_EQ(entry.find(std::string(tomb.at("signature").as_string())), std::string::npos);
      // {"tombstone","request_id","versions"} (then the record ledger's "writes").
      const auto& detail = e.at("detail").as_object();
      std::vector<std::string> keys;
      for (const auto& m : detail) keys.emplace_back(m.key());
      if (!keys.empty() && keys.back() == "writes") keys.pop_back();
      EXPECT_EQ(keys, (std::vector<std::string>{"tombstone", "request_id", "versions"}));
      EXPECT_TRUE(detail.at("tombstone").is_string());
      EXPECT_EQ(detail.at("request_id").as_string(), request_id);
      EXPECT_EQ(json::serialize(detail.at("versions")), "[1,2]");
    }
  }
  EXPECT_EQ(allowed, 1);
  EXPECT_GE(denied, 2);
  auto verified = c.get("/api/v1/audit/verify", auditor_);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_TRUE(verified.json().at("ok").as_bool()) << verified.body;

  // The ciphertext goes with compaction (at the next start, or the next maintenance sweep)...
  server_->stop();
  server_ = instance_->start({"--policy", policy_file()});
  {
    RawDb db(*instance_);
    EXPECT_EQ(db.count_chunks(id), 0);
    if (!instance_->on_postgres()) {
      EXPECT_FALSE(std::filesystem::exists(db.chunk_file(id, 1)))
          << "SQLite: the version's chunk file is unlinked after its index went";
    }
  }
  HttpsClient restarted(server_->port());
  const auto compacted = audit_entries(restarted, *instance_, "action=document.compact");
  ASSERT_FALSE(compacted.empty());
  // {"count":N,"versions":["<document>:<version>",...]}
  const auto& compact_detail = compacted[0].at("detail").as_object();
  ASSERT_GE(compact_detail.size(), 2u);
  EXPECT_EQ(compact_detail.begin()->key(), "count");
  EXPECT_EQ(std::next(compact_detail.begin())->key(), "versions");
  EXPECT_EQ(compact_detail.at("count").as_int64(),
            static_cast<std::int64_t>(compact_detail.at("versions").as_array().size()));
  const auto listed_versions = json::serialize(compact_detail.at("versions"));
  EXPECT_NE(listed_versions.find("\"" + id + ":1\""), std::string::npos) << listed_versions;
  // ...and, once the server has stopped (its write-ahead log checkpointed), the keys are gone
  // from the database file too.
  server_->stop();
  std::string out;
  EXPECT_EQ(instance_->run_cli({"audit", "verify", "--data", instance_->data().string(), "--keys",
                                instance_->keys().string()},
                               &out),
            0)
      << out;
  if (!instance_->on_postgres()) {
    std::string files;
    for (const auto& e : std::filesystem::directory_iterator(instance_->data())) {
      if (e.is_regular_file() && e.path().filename().string().starts_with("baomi.db")) {
        files += file_bytes(e.path());
      }
    }
    ASSERT_FALSE(files.empty());
    for (const auto& k : keys) EXPECT_FALSE(contains(files, k)) << "a wrapped key is still stored";
  }
}

TEST_F(DestroyTest, OneVersionIsDestroyedAndTheOthersStayReadable_H3) {
  auto& c = *c_;
  const auto id = new_document("secret");
  upload_content(c, keeper_.token, id, "旧版本内容");
  const auto serial = issued_copy(id);  // of version 1
  upload_content(c, keeper_.token, id, "新版本内容");
  const auto request_id = approved_destroy(id, 1);
  auto done = destroy(id, keeper_.token, json::object{{"version", 1}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json().at("tombstone").at("version").as_int64(), 1);
  EXPECT_EQ(done.json().at("recall").at(0).at("serial").as_string(), serial);
  auto old = c.get("/api/v1/documents/" + id + "/content?version=1", keeper_.token);
  EXPECT_EQ(old.status, 410);
  EXPECT_EQ(old.error_code(), "version_destroyed");
  auto current = c.get("/api/v1/documents/" + id + "/content", reader_.token);
  ASSERT_EQ(current.status, 200) << current.body;
  EXPECT_EQ(current.text(), "新版本内容");
  auto meta = c.get("/api/v1/documents/" + id, keeper_.token);
  EXPECT_EQ(meta.json().at("state").as_string(), "active");
  EXPECT_NE(meta.json().at("title").as_string(), "");
  RawDb db(*instance_);
  EXPECT_EQ(db.query_int("SELECT length(wrapped_key) FROM versions WHERE document_id = ? AND "
                         "version = 1",
                         {id}),
            0);
  EXPECT_GT(db.query_int("SELECT length(wrapped_key) FROM versions WHERE document_id = ? AND "
                         "version = 2",
                         {id}),
            0);
  // The approval covered version 1 only: the whole document needs one of its own.
  EXPECT_EQ(destroy(id, keeper_.token).error_code(), "not_approved");
  (void)request_id;
}

TEST_F(DestroyTest, LegalHoldAndRetentionFloorRefuseDestruction_H3) {
  auto& c = *c_;
  // Before the retention floor (internal: 3 months) not even the request is accepted.
  const auto young = new_document("internal");
  auto early = ask_destroy(young, keeper_.token);
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(early.error_code(), "retention");
  EXPECT_EQ(early.json().at("error").at("rule").as_string(), "H3");
  auto meta = c.get("/api/v1/documents/" + young, keeper_.token);
  EXPECT_GT(meta.json().at("retain_until").as_string(), meta.json().at("created_at").as_string());
  // A floor chosen at creation: never before the policy's, and then binding.
  auto bad = c.post_json("/api/v1/documents",
                         json::object{{"title", "早销毁"},
                                      {"level", "internal"},
                                      {"categories", json::array{"finance"}},
                                      {"retain_until", "2000-01-01"}},
                         keeper_.token);
  EXPECT_EQ(bad.status, 400) << bad.body;
  const auto kept = std::string(create_document(c, keeper_.token, "长期保存", "secret", {"finance"},
                                                {{"retain_until", "2040-01-01"}})
                                    .at("id")
                                    .as_string());
  EXPECT_EQ(ask_destroy(kept, keeper_.token).error_code(), "retention");

  // H3: a legal hold (auditor or security administrator; never staff) refuses the destruction
  // even after its approval, until it is lifted.
  const auto id = new_document("secret");
  upload_content(c, keeper_.token, id, "涉案合同");
  approved_destroy(id);
  EXPECT_EQ(c.post_json("/api/v1/documents/" + id + "/hold", json::object{{"reason", "诉讼"}},
                        keeper_.token)
                .status,
            403);
  auto held = c.post_json("/api/v1/documents/" + id + "/hold",
                          json::object{{"reason", "诉讼保全，案号保密"}}, auditor_);
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_TRUE(held.json().at("legal_hold").as_bool());
  EXPECT_TRUE(c.get("/api/v1/documents/" + id, keeper_.token).json().at("legal_hold").as_bool());
  auto refused = destroy(id, keeper_.token);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.error_code(), "legal_hold");
  EXPECT_EQ(refused.json().at("error").at("rule").as_string(), "H3");
  EXPECT_EQ(ask_destroy(id, keeper_.token).error_code(), "legal_hold");
  ASSERT_EQ(c.get("/api/v1/documents/" + id + "/content", keeper_.token).status, 200);
  auto denials = audit_entries(c, *instance_, "action=document.destroy");
  ASSERT_FALSE(denials.empty());
  EXPECT_EQ(denials.back().at("decision").as_string(), "deny");
  EXPECT_EQ(denials.back().at("rule").as_string(), "H3");

  auto released =
      c.request("DELETE", "/api/v1/documents/" + id + "/hold", R"({"reason":"案件已结"})",
                {{"Authorization", "Bearer " + secadmin_}, {"Content-Type", "application/json"}});
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_FALSE(released.json().at("legal_hold").as_bool());
  EXPECT_EQ(destroy(id, keeper_.token).status, 200);
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", keeper_.token).status, 410);
  auto holds = audit_entries(c, *instance_, "action=document.hold");
  ASSERT_FALSE(holds.empty());
  // The reason of a hold stays sealed: never in the trail.
  EXPECT_EQ(json::serialize(holds.back()).find("诉讼保全"), std::string::npos);
}

}  // namespace
}  // namespace baomi::testing
