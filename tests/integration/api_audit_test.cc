// The audit trail over real HTTPS (I1, S9, S10): verification, signed checkpoints checked with
// our own libsodium code from docs/audit-format.md, and agreement with `baomi audit verify`.
#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <regex>

#include "crypto/init.h"
#include "integration/harness.h"

namespace baomi::testing {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::init();
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    HttpsClient c(server_->port());
    // Some activity: an account, a document, a read, a refusal.
    auto u = make_user(c, *instance_, "writer", "staff", "internal", {"other"});
    auto doc = create_document(c, u.token, "Minutes", "internal", {"other"});
    const std::string id(doc.at("id").as_string());
    upload_content(c, u.token, id, "minutes of the meeting");
    c.get("/api/v1/documents/" + id + "/content", u.token);
    c.get("/api/v1/documents/unknown", u.token);
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete instance_;
    server_ = nullptr;
    instance_ = nullptr;
    ready_ = false;
  }
  HttpsClient client() { return HttpsClient(server_->port()); }
  std::string auditor(HttpsClient& c) { return instance_->admin_token(c, "auditor"); }
  // Tests stop at once, instead of crashing, when the suite's set-up threw.
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }
  static inline bool ready_ = false;
  static TestInstance* instance_;
  static ServerProcess* server_;
};
TestInstance* AuditTest::instance_ = nullptr;
ServerProcess* AuditTest::server_ = nullptr;

bool is_lower_hex(std::string_view s, std::size_t len) {
  if (s.size() != len) return false;
  for (char ch : s) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

std::vector<unsigned char> from_hex(std::string_view hex) {
  std::vector<unsigned char> out(hex.size() / 2);
  std::size_t len = 0;
  EXPECT_EQ(sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, nullptr),
            0);
  out.resize(len);
  return out;
}

void put_entry_u64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_entry_field(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(s);
}

// docs/audit-format.md: field("baomi-checkpoint-v1") ‖ u64(seq) ‖ field(head hex) ‖ u64(time_us).
std::string checkpoint_message(std::uint64_t seq, std::string_view head, std::int64_t time_us) {
  std::string m;
  put_entry_field(m, "baomi-checkpoint-v1");
  put_entry_u64(m, seq);
  put_entry_field(m, head);
  put_entry_u64(m, static_cast<std::uint64_t>(time_us));
  return m;
}

bool signature_ok(const std::string& message, std::string_view sig_hex, std::string_view key_hex) {
  const auto sig = from_hex(sig_hex);
  const auto key = from_hex(key_hex);
  if (sig.size() != crypto_sign_BYTES || key.size() != crypto_sign_PUBLICKEYBYTES) return false;
  return crypto_sign_verify_detached(sig.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

TEST_F(AuditTest, VerifyIsOkWithEntriesAndHead_I1) {
  auto c = client();
  auto r = c.get("/api/v1/audit/verify", auditor(c));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto v = r.json().as_object();
  EXPECT_TRUE(v.at("ok").as_bool());
  EXPECT_GE(v.at("entries").to_number<std::int64_t>(), 8);
  EXPECT_TRUE(is_lower_hex(v.at("head").as_string(), 64)) << v.at("head");
  EXPECT_EQ(v.if_contains("first_bad_seq"), nullptr);
}

// The head reported by verify is the hash of the newest entry listed (nothing between).
TEST_F(AuditTest, EntriesAreHashLinked_I1) {
  auto c = client();
  auto entries = audit_entries(c, *instance_, "");
  ASSERT_GE(entries.size(), 8u);
  std::string prev(64, '0');
  std::int64_t seq = 0;
  for (const auto& e : entries) {
    EXPECT_EQ(e.at("seq").to_number<std::int64_t>(), ++seq);
    EXPECT_EQ(e.at("prev_hash").as_string(), prev) << "seq " << seq;
    EXPECT_TRUE(is_lower_hex(e.at("hash").as_string(), 64));
    prev = std::string(e.at("hash").as_string());
  }
}

// The checkpoint's signature verifies with the exported public key, under our own implementation
// of the documented message format; a changed head does not.
TEST_F(AuditTest, CheckpointSignatureVerifiesWithThePublicKey_I1_S10) {
  auto c = client();
  auto r = c.get("/api/v1/audit/checkpoint", auditor(c));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto cp = r.json().as_object();
  const auto seq = cp.at("seq").to_number<std::uint64_t>();
  const std::string head(cp.at("head").as_string());
  const auto time_us = cp.at("time_us").to_number<std::int64_t>();
  const std::string sig(cp.at("signature").as_string());
  const std::string key(cp.at("public_key").as_string());
  EXPECT_GT(seq, 0u);
  EXPECT_TRUE(is_lower_hex(head, 64));
  EXPECT_TRUE(is_lower_hex(sig, 128));
  EXPECT_FALSE(cp.at("time").as_string().empty());

  // The key the server reports is the one `baomi init` exported for auditors.
  std::ifstream pub_file(instance_->keys() / "audit.pub");
  std::string pub;
  pub_file >> pub;
  EXPECT_EQ(key, pub);

  EXPECT_TRUE(signature_ok(checkpoint_message(seq, head, time_us), sig, pub));
  std::string other_head = head;
  other_head[0] = other_head[0] == '0' ? '1' : '0';
  EXPECT_FALSE(signature_ok(checkpoint_message(seq, other_head, time_us), sig, pub));
  EXPECT_FALSE(signature_ok(checkpoint_message(seq + 1, head, time_us), sig, pub));

  // The checkpoint vouches for an entry whose hash is its head.
  auto entries = audit_entries(c, *instance_, "");
  ASSERT_GE(entries.size(), seq);
  EXPECT_EQ(entries[seq - 1].at("hash").as_string(), head);
}

// `baomi audit verify` (offline, from the files) and the API agree at a quiet moment. The API
// computes its report before recording its own audit.verify entry, so both see the same trail.
TEST_F(AuditTest, CliVerifyAgreesWithTheApi_I1) {
  auto c = client();
  const auto token = auditor(c);  // log in first: logging in writes to the trail
  std::string out;
  const int rc = instance_->run_cli({"audit", "verify", "--data", instance_->data().string(),
                                     "--keys", instance_->keys().string()},
                                    &out);
  ASSERT_EQ(rc, 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      out, m,
      std::regex(R"(ok: (\d+) entries, head ([0-9a-f]{64}), (\d+) signed checkpoints verified)")))
      << out;
  const auto cli_entries = std::stoll(m[1]);
  const std::string cli_head = m[2];
  EXPECT_GE(std::stoll(m[3]), 1) << "init signs a checkpoint";

  auto api = c.get("/api/v1/audit/verify", token).json().as_object();
  EXPECT_TRUE(api.at("ok").as_bool());
  EXPECT_EQ(api.at("entries").to_number<std::int64_t>(), cli_entries);
  EXPECT_EQ(api.at("head").as_string(), cli_head);

  // The API's own verification was recorded: the offline tool now sees one more entry.
  ASSERT_EQ(instance_->run_cli({"audit", "verify", "--data", instance_->data().string(), "--keys",
                                instance_->keys().string()},
                               &out),
            0)
      << out;
  ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(ok: (\d+) entries)"))) << out;
  EXPECT_EQ(std::stoll(m[1]), cli_entries + 1);
}

// The auditor's reading is itself on the record.
TEST_F(AuditTest, ReadingTheTrailIsAudited_S9) {
  auto c = client();
  const auto token = auditor(c);
  const std::string id(c.get("/api/v1/me", token).json().at("id").as_string());
  c.get("/api/v1/audit/verify", token);
  auto mine = audit_entries(c, *instance_, "actor=" + id + "&action=audit.verify");
  EXPECT_FALSE(mine.empty());
}

TEST_F(AuditTest, BadQueryParametersAre400) {
  auto c = client();
  const auto token = auditor(c);
  EXPECT_EQ(c.get("/api/v1/audit?from=yesterday", token).status, 400);
  EXPECT_EQ(c.get("/api/v1/audit?limit=0", token).status, 400);
  EXPECT_EQ(c.get("/api/v1/audit?limit=100000", token).status, 400);
}

}  // namespace
}  // namespace baomi::testing
