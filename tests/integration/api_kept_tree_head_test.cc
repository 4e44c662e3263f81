// An auditor who kept an old signed tree head proves the trail only grew since (S10, I1), with
// BOTH offline verifiers (`baomi evidence verify --kept-tree-head` and tools/verify_bundle.py):
// a bundle downloaded over HTTPS with ?since_tree_size=M carries the consistency proof from the
// kept head; one without it, an altered proof, a head of another key, and a head from a forked
// trail signed by the same key (built offline with the audit library) all fail with a clear
// message.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "audit/audit_log.h"
#include "audit/evidence_bundle.h"
#include "audit/ustar.h"
#include "crypto/init.h"
#include "integration/harness.h"
#include "storage/sqlite/sqlite_store.h"

namespace baomi::testing {
namespace {

namespace fs = std::filesystem;

struct HeadVerdict {
  int exit_code = -1;
  std::string output;
};

class KeptTreeHeadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::init();
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete instance_;
  }

  fs::path save(const Bytes& data, const std::string& name) {
    const auto file = instance_->root() / name;
    std::ofstream(file, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
    return file;
  }
  static Bytes member(const Bytes& bundle, std::string_view name) {
    const auto files = audit::read_ustar(bundle).value();
    for (const auto& f : files) {
      if (f.name == name) return f.data;
    }
    return {};
  }
  // Both verifiers on `bundle` with `kept` as the kept tree head, under the key in `pub`.
  std::pair<HeadVerdict, HeadVerdict> verify_both(const Bytes& bundle, const Bytes& kept,
                                                  const std::string& pub) {
    const auto id = random_suffix();
    const auto file = save(bundle, "bundle-" + id + ".tar");
    const auto head = save(kept, "kept-" + id + ".json");
    HeadVerdict cpp, py;
    cpp.exit_code = instance_->run_cli({"evidence", "verify", file.string(), "--public-key", pub,
                                        "--kept-tree-head", head.string()},
                                       &cpp.output);
    const std::string source = source_dir();
    const std::string cmd = "/usr/bin/python3 '" + source + "/tools/verify_bundle.py' '" +
                            file.string() + "' '" + pub + "' '" + head.string() + "' 2>&1";
    if (FILE* p = popen(cmd.c_str(), "r")) {
      char buf[4096];
      while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) py.output.append(buf, n);
      const int status = pclose(p);
      py.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    return {cpp, py};
  }
  void expect_both_pass(const Bytes& bundle, const Bytes& kept, const std::string& pub) {
    const auto [cpp, py] = verify_both(bundle, kept, pub);
    EXPECT_EQ(cpp.exit_code, 0) << cpp.output;
    EXPECT_NE(cpp.output.find("the trail only grew since the kept tree head"), std::string::npos)
        << cpp.output;
    EXPECT_EQ(py.exit_code, 0) << py.output;
    EXPECT_NE(py.output.find("the trail only grew since the kept tree head"), std::string::npos)
        << py.output;
  }
  void expect_both_fail(const Bytes& bundle, const Bytes& kept, const std::string& pub,
                        std::string_view problem) {
    const auto [cpp, py] = verify_both(bundle, kept, pub);
    EXPECT_EQ(cpp.exit_code, 1) << cpp.output;
    EXPECT_NE(cpp.output.find("FAILED: " + std::string(problem)), std::string::npos) << cpp.output;
    EXPECT_EQ(py.exit_code, 1) << py.output;
    EXPECT_NE(py.output.find("FAILED: " + std::string(problem)), std::string::npos) << py.output;
  }

  static inline TestInstance* instance_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
};

TEST_F(KeptTreeHeadTest, BundleSinceAKeptHeadProvesTheTrailOnlyGrewInBothVerifiers_S10_I1) {
  HttpsClient c(server_->port());
  const auto token = instance_->admin_token(c, "auditor");
  auto first = c.get("/api/v1/audit/bundle?seqs=1", token);
  ASSERT_EQ(first.status, 200) << first.body;
  const Bytes kept = member(to_bytes(first.body), "tree-head.json");
  const auto kept_size = boost::json::parse(to_string(kept)).at("tree_size").as_int64();
  for (int i = 0; i < 4; ++i) c.get("/api/v1/audit?limit=1", token);  // the trail grows
  ASSERT_EQ(c.get("/api/v1/audit/checkpoint", token).status, 200);
  const std::string since = "&since_tree_size=" + std::to_string(kept_size);
  auto later = c.get("/api/v1/audit/bundle?seqs=" + std::to_string(kept_size + 2) + since, token);
  ASSERT_EQ(later.status, 200) << later.body;
  const Bytes bundle = to_bytes(later.body);
  ASSERT_FALSE(member(bundle, "consistency.json").empty());
  const auto pub = (instance_->keys() / "audit.pub").string();
  expect_both_pass(bundle, kept, pub);

  // Without the proof: both say how to get it.
  auto plain = c.get("/api/v1/audit/bundle?seqs=" + std::to_string(kept_size + 2), token);
  ASSERT_EQ(plain.status, 200);
  expect_both_fail(to_bytes(plain.body), kept, pub,
                   "the bundle carries no consistency proof from tree size " +
                       std::to_string(kept_size) +
                       ": download it with ?since_tree_size=" + std::to_string(kept_size));
  // An altered proof hash: the trail no longer extends the kept head.
  auto files = audit::read_ustar(bundle).value();
  for (auto& f : files) {
    if (f.name != "consistency.json") continue;
    const auto at = to_string(f.data).find("\"proof\":[\"") + 10;
    f.data[at] = f.data[at] == '0' ? '1' : '0';
  }
  expect_both_fail(audit::write_ustar(files), kept, pub, "FORKED TRAIL");
  // A kept head whose signature does not verify under the key (altered, or another key's).
  Bytes forged = kept;
  const auto at_sig = to_string(forged).find("\"signature\":\"") + 13;
  forged[at_sig] = forged[at_sig] == '0' ? '1' : '0';
  expect_both_fail(bundle, forged, pub, "the kept tree head's signature is invalid");
  // Bad parameter: 400 naming it.
  auto bad = c.get("/api/v1/audit/bundle?seqs=1&since_tree_size=0", token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("since_tree_size"), std::string::npos) << bad.body;
}

// A server that rewrote its trail and re-signed it with the same key: the kept head of the
// original trail exposes it (built offline with the audit library and a test key).
TEST_F(KeptTreeHeadTest, AHeadFromAForkedTrailFailsInBothVerifiers_S10_I1) {
  Bytes seed(32, 7);
  auto trail = [&](const std::string& name, std::uint64_t size, std::uint64_t fork_at) {
    const auto dir = instance_->root() / name;
    fs::create_directories(dir);
    auto store = storage::sqlite::SqliteStore::open(dir / "baomi.db", true).value();
    audit::AuditLog log(crypto::SigningKey::from_seed(seed).value(), "policy-v", {16});
    EXPECT_TRUE(store
                    ->write([&](storage::WriteTx& tx) -> Result<void> {
                      for (std::uint64_t seq = 1; seq <= size; ++seq) {
                        const std::string detail = seq >= fork_at ? "{\"rewritten\":1}" : "{}";
                        BAOMI_TRY(log.append(
                            tx,
                            {"u-1", "document.read_content", "document:d-" + std::to_string(seq),
                             "allow", "S6", detail},
                            from_micros(1'700'000'000'000'000 + static_cast<std::int64_t>(seq))));
                      }
                      return {};
                    })
                    .ok());
    const audit::BundleInput in{boost::json::object{{"case", name}}, {size}, 16};
    return audit::make_evidence_bundle(*store, log, in, from_micros(1'800'000'000'000'000)).value();
  };
  const Bytes original = trail("original", 48, 1000);
  const Bytes rewritten = trail("rewritten", 48, 10);
  const auto pub_file = instance_->root() / "fork-audit.pub";
  std::ofstream(pub_file) << to_hex(crypto::SigningKey::from_seed(seed).value().public_key())
                          << "\n";
  const Bytes kept = member(trail("kept", 16, 1000), "tree-head.json");
  expect_both_pass(original, kept, pub_file.string());
  expect_both_fail(rewritten, kept, pub_file.string(),
                   "FORKED TRAIL: the bundle's trail (size 48) is not an append-only extension "
                   "of the kept tree head (size 16");
  // The rewritten trail's own head of 48 against the original's: same size, different roots.
  expect_both_fail(original, member(rewritten, "tree-head.json"), pub_file.string(),
                   "FORKED TRAIL: the kept tree head and the bundle's both cover 48 entries");
}

}  // namespace
}  // namespace baomi::testing
