// Merkle proofs and signed evidence bundles over real HTTPS (I1, S10): signed tree heads in the
// checkpoint, inclusion and consistency proofs checked with RFC 9162's algorithms, and bundles
// checked offline by BOTH verifiers (`baomi evidence verify` and tools/verify_bundle.py, the
// outsider's implementation written from docs/audit-format.md), intact and tampered.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "audit/merkle.h"
#include "audit/ustar.h"
#include "crypto/init.h"
#include "crypto/sign.h"
#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace fs = std::filesystem;

struct Verdict {
  int exit_code = -1;
  std::string output;
};

class AuditProofsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::init();
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    HttpsClient c(server_->port());
    staff_ = new TestUser(make_user(c, *instance_, "proofs-staff", "staff", "internal", {"other"}));
    for (int i = 0; i < 5; ++i)
      c.get("/api/v1/documents/unknown-" + std::to_string(i), staff_->token);
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete server_;
    delete instance_;
    delete staff_;
    ready_ = false;
  }
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }
  HttpsClient client() { return HttpsClient(server_->port()); }
  std::string auditor(HttpsClient& c) { return instance_->admin_token(c, "auditor"); }
  boost::json::object checkpoint(HttpsClient& c) {
    auto r = c.get("/api/v1/audit/checkpoint", auditor(c));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }
  Bytes bundle(HttpsClient& c, const std::string& seqs) {
    auto r = c.get("/api/v1/audit/bundle?seqs=" + seqs, auditor(c));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/x-tar");
    return to_bytes(r.body);
  }
  fs::path save(const Bytes& data, const std::string& name) {
    const auto file = instance_->root() / name;
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
    return file;
  }
  // Both verifiers on `data`; each verdict holds the exit code and output.
  std::pair<Verdict, Verdict> verify_both(const Bytes& data) {
    const auto file = save(data, "bundle-" + random_suffix() + ".tar");
    const auto pub = (instance_->keys() / "audit.pub").string();
    Verdict cpp;
    cpp.exit_code =
        instance_->run_cli({"evidence", "verify", file.string(), "--public-key", pub}, &cpp.output);
    Verdict py;
    const std::string source = source_dir();
    const std::string cmd = "/usr/bin/python3 '" + source + "/tools/verify_bundle.py' '" +
                            file.string() + "' '" + pub + "' 2>&1";
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) py.output.append(buf, n);
      const int status = pclose(p);
      py.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return {cpp, py};
  }
  void expect_both_fail(const Bytes& data, std::string_view problem, const std::string& what) {
    const auto [cpp, py] = verify_both(data);
    EXPECT_EQ(cpp.exit_code, 1) << what << ": " << cpp.output;
    EXPECT_NE(cpp.output.find("FAILED: " + std::string(problem)), std::string::npos)
        << what << ": " << cpp.output;
    EXPECT_EQ(py.exit_code, 1) << what << ": " << py.output;
    EXPECT_NE(py.output.find("FAILED: " + std::string(problem)), std::string::npos)
        << what << ": " << py.output;
  }

  static inline bool ready_ = false;
  static inline TestInstance* instance_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline TestUser* staff_ = nullptr;
};

audit::RawHash raw(const boost::json::value& v) {
  return audit::parse_hash_hex(std::string(v.as_string())).value();
}
std::vector<audit::RawHash> raw_list(const boost::json::value& v) {
  std::vector<audit::RawHash> out;
  for (const auto& h : v.as_array()) out.push_back(raw(h));
  return out;
}

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void put_field(std::string& out, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  out.append(s);
}

TEST_F(AuditProofsTest, CheckpointIsASignedTreeHead_I1_S10) {
  auto c = client();
  const auto cp = checkpoint(c);
  for (const char* k : {"seq", "head", "time", "signature", "public_key"})
    EXPECT_TRUE(cp.contains(k)) << k;
  ASSERT_TRUE(cp.contains("tree_size") && cp.contains("root_hash"));
  EXPECT_EQ(cp.at("tree_size").to_number<std::uint64_t>(), cp.at("seq").to_number<std::uint64_t>());
  // docs/audit-format.md: the exact signed bytes of a tree head.
  std::string msg;
  put_field(msg, "baomi-tree-head-v1");
  put_u64(msg, cp.at("tree_size").to_number<std::uint64_t>());
  put_field(msg, cp.at("root_hash").as_string());
  put_field(msg, cp.at("head").as_string());
  put_u64(msg, static_cast<std::uint64_t>(cp.at("tree_head_time_us").to_number<std::int64_t>()));
  const auto pk = from_hex(std::string(cp.at("public_key").as_string())).value();
  const auto sig = from_hex(std::string(cp.at("tree_head_signature").as_string())).value();
  EXPECT_TRUE(crypto::verify_signature(pk, crypto::bytes_of(msg), sig));
  msg[msg.size() - 1] ^= 1;
  EXPECT_FALSE(crypto::verify_signature(pk, crypto::bytes_of(msg), sig));
}

TEST_F(AuditProofsTest, InclusionAndConsistencyProofsVerifyAgainstSignedRoots_I1) {
  auto c = client();
  const auto token = auditor(c);
  const auto first = checkpoint(c);
  const auto m = first.at("tree_size").to_number<std::uint64_t>();
  for (int i = 0; i < 3; ++i) c.get("/api/v1/documents/later-" + std::to_string(i), staff_->token);
  const auto second = checkpoint(c);
  const auto n = second.at("tree_size").to_number<std::uint64_t>();
  ASSERT_GT(n, m);
  for (std::uint64_t seq : {std::uint64_t{1}, m / 2 + 1, m}) {
    auto r = c.get("/api/v1/audit/proof/inclusion?seq=" + std::to_string(seq) +
                       "&tree_size=" + std::to_string(n),
                   token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto p = r.json().as_object();
    EXPECT_EQ(p.at("leaf_index").to_number<std::uint64_t>(), seq - 1);
    EXPECT_EQ(p.at("root_hash"), second.at("root_hash"));
    const auto path = raw_list(p.at("audit_path"));
    EXPECT_TRUE(audit::verify_inclusion(seq - 1, n, raw(p.at("leaf_hash")), path,
                                        raw(second.at("root_hash"))));
    EXPECT_FALSE(audit::verify_inclusion(seq - 1, n, raw(p.at("leaf_hash")), path,
                                         raw(first.at("root_hash"))));
  }
  auto r = c.get(
      "/api/v1/audit/proof/consistency?from=" + std::to_string(m) + "&to=" + std::to_string(n),
      token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto p = r.json().as_object();
  EXPECT_EQ(p.at("from_root"), first.at("root_hash"));  // the auditor's kept tree head
  EXPECT_EQ(p.at("to_root"), second.at("root_hash"));
  EXPECT_TRUE(audit::verify_consistency(m, n, raw_list(p.at("proof")), raw(first.at("root_hash")),
                                        raw(second.at("root_hash"))));
  // Each proof asked for is on the trail: {"proof":"inclusion"|"consistency","m":...,"n":...}.
  std::vector<std::string> details;
  for (const auto& e : audit_entries(c, *instance_, "action=audit.proof")) {
    details.push_back(boost::json::serialize(e.at("detail")));
  }
  std::sort(details.begin(), details.end());
  std::vector<std::string> expected;
  for (std::uint64_t seq : {std::uint64_t{1}, m / 2 + 1, m}) {
    expected.push_back(R"({"proof":"inclusion","m":)" + std::to_string(seq) + R"(,"n":)" +
                       std::to_string(n) + "}");
  }
  expected.push_back(R"({"proof":"consistency","m":)" + std::to_string(m) + R"(,"n":)" +
                     std::to_string(n) + "}");
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(details, expected);
}

TEST_F(AuditProofsTest, BadProofParametersAre400NamingTheParameter) {
  auto c = client();
  const auto token = auditor(c);
  const auto size = checkpoint(c).at("tree_size").to_number<std::uint64_t>();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"inclusion?seq=0", "'seq'"},
      {"inclusion?seq=abc", "'seq'"},
      {"inclusion", "'seq'"},
      {"inclusion?seq=1&tree_size=-1", "'tree_size'"},
      {"inclusion?seq=1&tree_size=" + std::to_string(size + 1000), "'tree_size'"},
      {"inclusion?seq=5&tree_size=4", "'tree_size'"},
      {"consistency?from=5&to=4", "'from'"},
      {"consistency?from=0&to=4", "'from'"},
      {"consistency?from=1", "'to'"},
      {"consistency?from=1&to=" + std::to_string(size + 1000), "'to'"}};
  for (const auto& [query, name] : cases) {
    auto r = c.get("/api/v1/audit/proof/" + query, token);
    EXPECT_EQ(r.status, 400) << query << ": " << r.body;
    EXPECT_NE(r.body.find(name), std::string::npos) << query << ": " << r.body;
  }
  EXPECT_EQ(c.get("/api/v1/audit/bundle?seqs=1,x", token).status, 400);
  EXPECT_EQ(c.get("/api/v1/audit/bundle", token).status, 400);
  EXPECT_EQ(c.get("/api/v1/audit/bundle?seqs=" + std::to_string(size + 1000), token).status, 400);
}

TEST_F(AuditProofsTest, OnlyTheAuditorGetsProofsAndBundles_S10) {
  auto c = client();
  const int refused = c.get("/api/v1/audit/verify", staff_->token).status;
  ASSERT_TRUE(refused == 403 || refused == 404);
  for (const char* target :
       {"/api/v1/audit/proof/inclusion?seq=1&tree_size=1",
        "/api/v1/audit/proof/consistency?from=1&to=2", "/api/v1/audit/bundle?seqs=1"}) {
    auto r = c.get(target, staff_->token);
    EXPECT_EQ(r.status, refused) << target;
    EXPECT_EQ(r.body.find("\"audit_path\""), std::string::npos);
  }
  EXPECT_EQ(c.get("/api/v1/audit/bundle?seqs=1").status, 401);
}

TEST_F(AuditProofsTest, BundleVerifiesOfflineWithBothVerifiersAndIsDeterministic_S10_I1) {
  auto c = client();
  const auto data = bundle(c, "1,3,5");
  const auto [cpp, py] = verify_both(data);
  EXPECT_EQ(cpp.exit_code, 0) << cpp.output;
  EXPECT_NE(cpp.output.find("ok: 3 audit entries proven"), std::string::npos) << cpp.output;
  EXPECT_EQ(py.exit_code, 0) << py.output;
  EXPECT_NE(py.output.find("ok: 3 audit entries proven"), std::string::npos) << py.output;
  EXPECT_EQ(bundle(c, "5,3,1"), data);  // same entries, same bytes (even as the trail grows)
  std::string alias;
  const auto file = save(data, "alias.tar");
  EXPECT_EQ(instance_->run_cli({"audit", "verify-bundle", file.string(), "--public-key",
                                (instance_->keys() / "audit.pub").string(), "--show-entries"},
                               &alias),
            0)
      << alias;
  EXPECT_NE(alias.find("ok: 3 audit entries"), std::string::npos);
}

// Each class of byte position, a swapped entry and a dropped one: both verifiers refuse and
// name the same first problem.
TEST_F(AuditProofsTest, TamperedBundlesFailInBothVerifiers_S10_I1) {
  auto c = client();
  const auto data = bundle(c, "2,4,6");
  const auto files = audit::read_ustar(data).value();
  auto repack = [&](const std::function<void(std::vector<audit::TarFile>&)>& change) {
    auto copy = files;
    change(copy);
    return audit::write_ustar(copy);
  };
  auto in = [](std::vector<audit::TarFile>& fs, std::string_view name) -> Bytes& {
    for (auto& f : fs) {
      if (f.name == name) return f.data;
    }
    throw std::runtime_error("no " + std::string(name));
  };
  // The first hex digit after `"key":"` (or `"key":["`) turned into another hex digit.
  auto flip_hex = [](Bytes& json, std::string_view key) {
    const std::string text = to_string(json);
    auto at = text.find("\"" + std::string(key) + "\":");
    at = text.find_first_of("0123456789abcdef", at + key.size() + 3);
    json[at] = json[at] == '0' ? '1' : '0';
  };
  expect_both_fail(repack([&](auto& fs) { in(fs, "manifest.json")[20] ^= 1; }),
                   "manifest signature invalid", "manifest byte");
  expect_both_fail(repack([&](auto& fs) { in(fs, "entries/4.bin")[60] ^= 1; }),
                   "entry 4: not included in the tree head", "entry byte");
  expect_both_fail(repack([&](auto& fs) { flip_hex(in(fs, "proofs/4.json"), "audit_path"); }),
                   "entry 4: not included in the tree head", "proof hash");
  expect_both_fail(repack([&](auto& fs) { flip_hex(in(fs, "tree-head.json"), "root_hash"); }),
                   "tree head signature invalid", "tree head byte");
  expect_both_fail(repack([&](auto& fs) { flip_hex(in(fs, "signature.json"), "signature"); }),
                   "manifest signature invalid", "signature byte");
  expect_both_fail(repack([&](auto& fs) {
                     in(fs, "entries/4.bin") = in(fs, "entries/6.bin");
                     in(fs, "proofs/4.json") = in(fs, "proofs/6.json");
                   }),
                   "entry 4: the file holds entry 6", "entry swapped for another real entry");
  expect_both_fail(repack([&](auto& fs) {
                     std::erase_if(fs, [](const auto& f) { return f.name == "entries/4.bin"; });
                   }),
                   "entry 4: missing from the bundle", "entry dropped");
  expect_both_fail(repack([&](auto& fs) {
                     std::erase_if(fs, [](const auto& f) { return f.name == "proofs/6.json"; });
                   }),
                   "proof for entry 6: missing", "proof dropped");
  expect_both_fail(repack([&](auto& fs) {
                     fs.push_back({"entries/1.bin", in(fs, "entries/2.bin")});
                   }),
                   "unexpected file entries/1.bin", "entry added");
  // Raw flips in the archive structure itself: a header byte and a padding byte.
  ASSERT_LT(files[0].data.size(), 511u);  // the manifest fills one block: header 2 at 1024
  Bytes header_flip = data;
  header_flip[1024 + 300] ^= 1;  // an unused byte of tree-head.json's header
  expect_both_fail(header_flip, "archive header 2", "header byte");
  Bytes padding_flip = data;
  padding_flip[1023] ^= 1;  // the last byte of the manifest's block: padding
  expect_both_fail(padding_flip, "the padding after manifest.json is not zero", "padding byte");
}

// An instance from before the tree (no nodes, no tree heads) gets its tree when the server opens
// it, and everything works on it: verification, proofs, bundles.
TEST(AuditTreeMigration, OlderInstanceGetsItsTreeOnOpen_I1_S10) {
  crypto::init();
  auto inst = TestInstance::create();
  {
    auto server = inst->start();
    HttpsClient c(server->port());
    for (int i = 0; i < 20; ++i) c.get("/api/v1/documents/x", inst->admin_token(c, "auditor"));
    server->stop();
  }
  {
    RawDb db(*inst);
    db.exec("DELETE FROM audit_tree; DELETE FROM audit_tree_heads;");
  }
  auto server = inst->start();
  EXPECT_NE(server->log().find("audit Merkle tree rebuilt"), std::string::npos) << server->log();
  HttpsClient c(server->port());
  const auto token = inst->admin_token(c, "auditor");
  auto verify = c.get("/api/v1/audit/verify", token);
  ASSERT_EQ(verify.status, 200);
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
  auto cp = c.get("/api/v1/audit/checkpoint", token).json().as_object();
  ASSERT_TRUE(cp.contains("root_hash")) << serialize(cp);
  auto proof = c.get("/api/v1/audit/proof/inclusion?seq=3", token);
  EXPECT_EQ(proof.status, 200) << proof.body;
  EXPECT_EQ(c.get("/api/v1/audit/bundle?seqs=1,2,3", token).status, 200);
}

}  // namespace
}  // namespace baomi::testing
