// Audit signing-key rotation over real HTTPS (issue 15; docs/operations.md, "Rotating the audit
// signing key"; I1): only the security administrator rotates (SoD, refusals audited); the old
// key signs the new one in the trail; later checkpoints and tree heads are signed by the new key,
// also after a restart; the server's own verification, the offline `baomi audit verify` and both
// offline bundle verifiers pass from the first key (audit.pub) alone; a tampered hand-over fails,
// naming it.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

class AuditKeyRotationTest : public ::testing::Test {
 protected:
  void SetUp() override { inst_ = TestInstance::create(); }

  HttpResponse rotate(HttpsClient& c, const std::string& token) {
    return c.request("POST", "/api/v1/sys/rotate-audit-key", "",
                     {{"Authorization", "Bearer " + token}});
  }
  std::string first_key() const {
    std::string text = read_text(inst_->keys() / "audit.pub");
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }
  json::object checkpoint(HttpsClient& c) {
    const auto r = c.get("/api/v1/audit/checkpoint", inst_->admin_token(c, "auditor"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  json::object verify_online(HttpsClient& c) {
    const auto r = c.get("/api/v1/audit/verify", inst_->admin_token(c, "auditor"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  int verify_offline(std::string* out) const {
    return inst_->run_cli(
        {"audit", "verify", "--data", inst_->data().string(), "--keys", inst_->keys().string()},
        out);
  }
  fs::path save(const std::string& body, const std::string& name) const {
    const auto file = inst_->root() / name;
    std::ofstream(file, std::ios::binary) << body;
    return file;
  }
  // Both offline bundle verifiers, from audit.pub; returns {C++ exit, Python exit}, outputs.
  std::pair<int, int> verify_bundle(const fs::path& file, std::string* cpp_out,
                                    std::string* py_out) const {
    const auto pub = (inst_->keys() / "audit.pub").string();
    const int cpp =
        inst_->run_cli({"evidence", "verify", file.string(), "--public-key", pub}, cpp_out);
    int py = -1;
    const std::string cmd = "/usr/bin/python3 '" + source_dir() + "/tools/verify_bundle.py' '" +
                            file.string() + "' '" + pub + "' 2>&1";
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) py_out->append(buf, n);
      const int status = pclose(p);
      py = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return {cpp, py};
  }
  // Some more entries after the rotation (each audited).
  void more_entries(HttpsClient& c, int n) {
    const auto token = inst_->admin_token(c, "auditor");
    for (int i = 0; i < n; ++i) EXPECT_EQ(c.get("/api/v1/audit?limit=1", token).status, 200);
  }

  std::unique_ptr<TestInstance> inst_;
};

TEST_F(AuditKeyRotationTest, OnlyTheSecurityAdministratorRotatesTheAuditKey_SoD_S9) {
  auto server = inst_->start();
  HttpsClient c(server->port());
  for (const char* role : {"sysadmin", "auditor"}) {
    EXPECT_EQ(rotate(c, inst_->admin_token(c, role)).status, 403) << role;
  }
  EXPECT_EQ(c.request("POST", "/api/v1/sys/rotate-audit-key").status, 401);
  const auto refused = audit_entries(c, *inst_, "action=audit.signing_key_rotate");
  ASSERT_EQ(refused.size(), 2u);
  for (const auto& e : refused) EXPECT_EQ(e.at("decision").as_string(), "deny");
  // Nothing changed: the first key still signs.
  EXPECT_EQ(checkpoint(c).at("public_key").as_string(), first_key());
  // Reading the chain of keys is the auditor's.
  EXPECT_EQ(c.get("/api/v1/audit/keys", inst_->admin_token(c, "secadmin")).status, 403);
}

TEST_F(AuditKeyRotationTest, I1_RotatedKeySignsAndEveryVerifierFollowsTheChain) {
  auto server = inst_->start();
  HttpsClient c(server->port());
  more_entries(c, 3);
  const auto r = rotate(c, inst_->admin_token(c, "secadmin"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto t = r.json().as_object();
  const std::string new_key(t.at("new_public_key").as_string());
  EXPECT_EQ(t.at("old_public_key").as_string(), first_key());
  EXPECT_NE(new_key, first_key());
  const auto seq = t.at("seq").to_number<std::int64_t>();

  // The hand-over is an entry of the trail, by the security administrator.
  const auto entries = audit_entries(c, *inst_, "action=audit.signing_key_rotate");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("seq").to_number<std::int64_t>(), seq);
  EXPECT_EQ(entries[0].at("decision").as_string(), "allow");

  more_entries(c, 5);
  const auto cp = checkpoint(c);
  EXPECT_EQ(cp.at("public_key").as_string(), new_key);
  EXPECT_EQ(cp.at("first_public_key").as_string(), first_key());
  EXPECT_GT(cp.at("seq").to_number<std::int64_t>(), seq);

  const auto online = verify_online(c);
  EXPECT_TRUE(online.at("ok").as_bool()) << json::serialize(online);
  EXPECT_EQ(online.at("key_transitions").to_number<std::int64_t>(), 1);

  const auto keys = c.get("/api/v1/audit/keys", inst_->admin_token(c, "auditor"));
  ASSERT_EQ(keys.status, 200) << keys.body;
  const auto chain = keys.json().as_object();
  EXPECT_EQ(chain.at("first_public_key").as_string(), first_key());
  EXPECT_EQ(chain.at("current_public_key").as_string(), new_key);
  ASSERT_EQ(chain.at("transitions").as_array().size(), 1u);

  // An evidence bundle signed by the new key verifies offline from audit.pub (the first key).
  const auto bundle = c.get("/api/v1/audit/bundle?seqs=1," + std::to_string(seq + 2),
                            inst_->admin_token(c, "auditor"));
  ASSERT_EQ(bundle.status, 200) << bundle.body;
  const auto file = save(bundle.body, "rotated.tar");
  std::string cpp_out, py_out;
  const auto [cpp, py] = verify_bundle(file, &cpp_out, &py_out);
  EXPECT_EQ(cpp, 0) << cpp_out;
  EXPECT_EQ(py, 0) << py_out;

  // After a restart the rotated key still signs (stored sealed under the master key).
  server->stop();
  std::string out;
  ASSERT_EQ(verify_offline(&out), 0) << out;
  EXPECT_NE(out.find("1 audit signing key transition(s) followed"), std::string::npos) << out;
  server = inst_->start();
  HttpsClient c2(server->port());
  more_entries(c2, 2);
  EXPECT_EQ(checkpoint(c2).at("public_key").as_string(), new_key);
  EXPECT_TRUE(verify_online(c2).at("ok").as_bool());
  server->stop();
  ASSERT_EQ(verify_offline(&out), 0) << out;
}

TEST_F(AuditKeyRotationTest, I1_TamperedHandOverFailsNamingIt) {
  auto server = inst_->start();
  HttpsClient c(server->port());
  const auto r = rotate(c, inst_->admin_token(c, "secadmin"));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto seq = r.json().as_object().at("seq").to_number<std::int64_t>();
  more_entries(c, 2);
  checkpoint(c);
  // A bundle whose hand-over was altered (one hex digit of the old key's signature).
  const auto bundle = c.get("/api/v1/audit/bundle?seqs=1", inst_->admin_token(c, "auditor"));
  ASSERT_EQ(bundle.status, 200) << bundle.body;
  server->stop();
  std::string tar = bundle.body;
  const auto at = tar.find("\"signature\":\"", tar.find("\"transitions\""));
  ASSERT_NE(at, std::string::npos);
  // The ustar checksum covers the header only, so editing file content keeps the archive valid.
  tar[at + 13] = tar[at + 13] == '0' ? '1' : '0';
  std::string cpp_out, py_out;
  const auto [cpp, py] = verify_bundle(save(tar, "tampered.tar"), &cpp_out, &py_out);
  EXPECT_EQ(cpp, 1) << cpp_out;
  EXPECT_NE(cpp_out.find("key transition at seq " + std::to_string(seq)), std::string::npos)
      << cpp_out;
  EXPECT_EQ(py, 1) << py_out;
  EXPECT_NE(py_out.find("key transition at seq " + std::to_string(seq)), std::string::npos)
      << py_out;

  // The hand-over entry itself altered in the database: the offline verifier stops there.
  {
    RawDb db(*inst_);
    db.exec(
        "UPDATE audit SET detail = replace(detail, '\"new_public_key\":\"', "
        "'\"new_public_key\":\"0') WHERE seq = " +
        std::to_string(seq));
  }
  std::string out;
  EXPECT_EQ(verify_offline(&out), 1) << out;
  EXPECT_NE(out.find("first bad sequence number " + std::to_string(seq)), std::string::npos) << out;
}

}  // namespace
}  // namespace baomi::testing
