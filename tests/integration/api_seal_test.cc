// K-of-N sealing over real HTTPS (issue 15): an instance created with --key-shares keeps no
// master key on disk; its server starts sealed and serves nothing but the seal endpoints until
// K valid shares arrive, in any order; wrong, repeated, foreign and malformed shares are refused
// by name, limited per source, and recorded in the trail once it can be written (S9, I1); the
// security administrator alone seals a running server (SoD).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

HttpResponse give_share(HttpsClient& c, const std::string& share) {
  return c.post_json("/api/v1/sys/unseal", json::object{{"share", share}});
}

std::int64_t int_at(const HttpResponse& r, std::string_view key) {
  return r.json().as_object().at(key).as_int64();
}

bool sealed_of(const HttpResponse& r) { return r.json().as_object().at("sealed").as_bool(); }

void expect_sealed_everywhere(HttpsClient& c, const std::string& token = {}) {
  const auto health = c.get("/healthz");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.json().as_object().at("status").as_string(), "sealed");
  for (const char* path : {"/api/v1/me", "/api/v1/documents", "/api/v1/audit", "/metrics",
                           "/api/v1/no-such-thing", "/"}) {
    const auto r = c.get(path, token);
    EXPECT_EQ(r.status, 503) << path;
    EXPECT_EQ(r.error_code(), "sealed") << path;
  }
  const auto login =
      c.post_json("/api/v1/session", json::object{{"username", "secadmin"}, {"password", "x"}});
  EXPECT_EQ(login.status, 503);
  EXPECT_EQ(login.error_code(), "sealed");
}

// Seals a fresh instance by key shares with `baomi operator rekey` (which splits its master key
// file and removes the key files); returns the shares, also written to ROOT/share-1..N.
struct SealedInstance {
  std::unique_ptr<TestInstance> inst;
  std::vector<std::string> shares;
};

std::vector<std::string> operator_args(const TestInstance& inst, std::vector<std::string> args) {
  std::vector<std::string> out{"operator",           "rekey",  "--data",
                               inst.data().string(), "--keys", inst.keys().string()};
  for (auto& a : inst.database_args()) out.push_back(std::move(a));
  out.insert(out.end(), args.begin(), args.end());
  return out;
}

SealedInstance sealed_instance(int shares, int threshold) {
  SealedInstance s{TestInstance::create(), {}};
  std::vector<std::string> args{"--key-shares", std::to_string(shares), "--key-threshold",
                                std::to_string(threshold)};
  for (int i = 1; i <= shares; ++i) {
    args.insert(args.end(),
                {"--share-file", (s.inst->root() / ("share-" + std::to_string(i))).string()});
  }
  std::string out;
  const int rc = s.inst->run_cli(operator_args(*s.inst, args), &out);
  if (rc != 0) throw std::runtime_error("operator rekey failed: " + out);
  for (int i = 1; i <= shares; ++i) {
    s.shares.push_back(read_text(s.inst->root() / ("share-" + std::to_string(i))));
  }
  return s;
}

// The trail's entries of `action` (read by the auditor).
json::array entries_of(HttpsClient& c, const TestInstance& inst, const std::string& action) {
  const auto r = c.get("/api/v1/audit?action=" + action, inst.admin_token(c, "auditor"));
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json().as_object().at("items").as_array();
}

void expect_no_key_on_disk(const std::filesystem::path& keys,
                           const std::filesystem::path& share_dir, int shares) {
  EXPECT_FALSE(std::filesystem::exists(keys / "master.key"));
  EXPECT_FALSE(std::filesystem::exists(keys / "audit-signing.key"));
  EXPECT_TRUE(std::filesystem::exists(keys / "seal.json"));
  EXPECT_TRUE(std::filesystem::exists(keys / "audit-signing.key.sealed"));
  for (int i = 1; i <= shares; ++i) {
    const auto file = share_dir / ("share-" + std::to_string(i));
    ASSERT_TRUE(std::filesystem::exists(file));
    const auto perms = std::filesystem::status(file).permissions();
    EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
              std::filesystem::perms::none);
  }
}

TEST(Seal, InitWithKeySharesWritesNoMasterKey) {
  auto scratch = TestInstance::create();  // only for its temporary directory and run_cli
  const auto root = scratch->root() / "sharded";
  const auto pw = scratch->root() / "pw.json";
  {
    std::ofstream f(pw);
    f << R"({"sysadmin":"sysadmin-pw-1","secadmin":"secadmin-pw-1","auditor":"auditor-pw-1"})";
  }
  std::filesystem::permissions(pw, std::filesystem::perms::owner_read);
  std::vector<std::string> args{"init",
                                "--data",
                                (root / "data").string(),
                                "--keys",
                                (root / "keys").string(),
                                "--admin-passwords",
                                pw.string(),
                                "--key-shares",
                                "3",
                                "--key-threshold",
                                "2"};
  std::string out;
  auto bad = args;
  bad.insert(bad.end(), {"--share-file", (root / "only-one").string()});
  EXPECT_EQ(scratch->run_cli(bad, &out), 1);
  EXPECT_NE(out.find("one --share-file per share"), std::string::npos) << out;
  for (int i = 1; i <= 3; ++i) {
    args.insert(args.end(), {"--share-file", (root / ("share-" + std::to_string(i))).string()});
  }
  ASSERT_EQ(scratch->run_cli(args, &out), 0) << out;
  expect_no_key_on_disk(root / "keys", root, 3);
  // Offline commands cannot open it without the shares, and say why.
  EXPECT_NE(scratch->run_cli({"demo", "load", "--data", (root / "data").string(), "--keys",
                              (root / "keys").string(), "--password", "demo-password-1"},
                             &out),
            0);
  EXPECT_NE(out.find("key shares"), std::string::npos) << out;
}

TEST(Seal, RekeyOfAKeyFileInstanceSealsItAndRemovesTheKeyFiles) {
  auto s = sealed_instance(3, 2);
  expect_no_key_on_disk(s.inst->keys(), s.inst->root(), 3);
}

TEST(Seal, SealedServerServesOnlyTheSealEndpoints) {
  auto sealed = sealed_instance(3, 2);
  auto& inst = sealed.inst;
  auto server = inst->start();
  HttpsClient c(server->port());
  expect_sealed_everywhere(c);
  const auto status = c.get("/api/v1/sys/seal-status");
  ASSERT_EQ(status.status, 200);
  EXPECT_TRUE(sealed_of(status));
  EXPECT_EQ(int_at(status, "progress"), 0);
  EXPECT_EQ(int_at(status, "threshold"), 2);
  EXPECT_EQ(int_at(status, "shares"), 3);
  // Sealing a sealed server changes nothing and needs nobody.
  const auto seal = c.post_json("/api/v1/sys/seal", json::object{});
  EXPECT_EQ(seal.status, 200);
  EXPECT_TRUE(sealed_of(seal));
}

TEST(Seal, ThresholdSharesInAnyOrderUnseal_FewerDoNot) {
  auto sealed = sealed_instance(5, 3);
  auto& inst = sealed.inst;
  auto server = inst->start();
  HttpsClient c(server->port());
  const auto& shares = sealed.shares;
  auto first = give_share(c, shares[4]);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(sealed_of(first));
  EXPECT_EQ(int_at(first, "progress"), 1);
  EXPECT_EQ(int_at(first, "threshold"), 3);
  auto second = give_share(c, shares[1]);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_TRUE(sealed_of(second));
  EXPECT_EQ(int_at(second, "progress"), 2);
  expect_sealed_everywhere(c);  // K-1 shares are not enough
  auto third = give_share(c, shares[3]);
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_FALSE(sealed_of(third));
  EXPECT_EQ(c.get("/healthz").status, 200);
  const auto token = login(c, "secadmin", inst->admin_password("secadmin"));
  EXPECT_EQ(c.get("/api/v1/me", token).status, 200);
  // A share given to an unsealed server changes nothing.
  EXPECT_EQ(give_share(c, shares[0]).status, 200);
  const auto unsealed = entries_of(c, *inst, "seal.unseal");
  ASSERT_EQ(unsealed.size(), 1u);
  EXPECT_EQ(unsealed[0].as_object().at("decision").as_string(), "allow");
  EXPECT_EQ(json::serialize(unsealed[0].as_object().at("detail")),
            R"({"threshold":3,"shares":5,"refusals":0,"refusals_not_kept":0})");
}

TEST(Seal, WrongRepeatedForeignAndMalformedSharesAreRefusedByName_S9) {
  auto sealed = sealed_instance(3, 2);
  auto other = sealed_instance(3, 2);
  auto& inst = sealed.inst;
  auto server = inst->start();
  HttpsClient c(server->port());
  const auto& shares = sealed.shares;
  ASSERT_EQ(give_share(c, shares[0]).status, 200);

  const auto repeated = give_share(c, shares[0]);
  EXPECT_EQ(repeated.status, 409);
  EXPECT_EQ(repeated.error_code(), "duplicate_share");
  const auto foreign = give_share(c, other.shares[1]);
  EXPECT_EQ(foreign.status, 400);
  EXPECT_EQ(foreign.error_code(), "foreign_share");
  std::string damaged = shares[1];
  damaged[20] = damaged[20] == 'a' ? 'b' : 'a';
  const auto corrupt = give_share(c, damaged);
  EXPECT_EQ(corrupt.status, 400);
  EXPECT_EQ(corrupt.error_code(), "corrupt_share");
  const auto malformed = give_share(c, "correct horse battery staple");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.error_code(), "malformed_share");
  const auto no_field = c.post_json("/api/v1/sys/unseal", json::object{{"key", shares[1]}});
  EXPECT_EQ(no_field.status, 400);
  EXPECT_NE(no_field.body.find("share"), std::string::npos);
  // None of them counted.
  EXPECT_EQ(int_at(c.get("/api/v1/sys/seal-status"), "progress"), 1);

  // Each refusal enters the trail once the server is unsealed.
  HttpsClient holder(server->port(), "127.0.0.2");
  const auto done = give_share(holder, shares[2]);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_FALSE(sealed_of(done));
  const auto refused = entries_of(c, *inst, "seal.unseal_refused");
  ASSERT_EQ(refused.size(), 4u);
  std::string details;
  for (const auto& e : refused) {
    EXPECT_EQ(e.as_object().at("decision").as_string(), "deny");
    EXPECT_EQ(e.as_object().at("rule").as_string(), "S9");
    // {"code","source","refused_at"[,"share_index"]}: strings, and the index a number.
    std::vector<std::string> keys;
    for (const auto& m : e.as_object().at("detail").as_object()) {
      keys.emplace_back(m.key());
      EXPECT_EQ(m.value().is_string(), m.key() != "share_index") << m.key();
    }
    keys.resize(3);
    EXPECT_EQ(keys, (std::vector<std::string>{"code", "source", "refused_at"}));
    details += json::serialize(e);
  }
  for (const char* code :
       {"duplicate_share", "foreign_share", "corrupt_share", "malformed_share"}) {
    EXPECT_NE(details.find(code), std::string::npos) << code;
  }
  EXPECT_EQ(details.find(shares[0]), std::string::npos);  // shares never enter the trail
}

TEST(Seal, RefusedSharesAreRateLimitedPerSource) {
  auto sealed = sealed_instance(3, 2);
  auto& inst = sealed.inst;
  auto server = inst->start();
  HttpsClient prober(server->port(), "127.0.0.3");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(give_share(prober, "baomi-share-00").error_code(), "malformed_share");
  }
  const auto limited = give_share(prober, sealed.shares[0]);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "too_many_attempts");
  HttpsClient holder(server->port(), "127.0.0.4");
  const auto taken = give_share(holder, sealed.shares[0]);
  EXPECT_EQ(taken.status, 200);
  EXPECT_EQ(int_at(taken, "progress"), 1);
}

TEST(Seal, OnlyTheSecurityAdministratorSeals_SoD_ThenSharesUnsealAgain) {
  auto sealed = sealed_instance(3, 2);
  auto& inst = sealed.inst;
  auto server = inst->start();
  HttpsClient c(server->port());
  const auto& shares = sealed.shares;
  ASSERT_EQ(give_share(c, shares[0]).status, 200);
  ASSERT_FALSE(sealed_of(give_share(c, shares[2])));

  for (const char* role : {"sysadmin", "auditor"}) {
    const auto refused =
        c.post_json("/api/v1/sys/seal", json::object{}, inst->admin_token(c, role));
    EXPECT_EQ(refused.status, 403) << role;
    EXPECT_EQ(refused.json().as_object().at("error").as_object().at("rule").as_string(), "SoD");
  }
  EXPECT_EQ(c.post_json("/api/v1/sys/seal", json::object{}).status, 401);
  EXPECT_EQ(c.get("/healthz").status, 200);

  const auto secadmin = inst->admin_token(c, "secadmin");
  const auto by_secadmin = c.post_json("/api/v1/sys/seal", json::object{}, secadmin);
  ASSERT_EQ(by_secadmin.status, 200) << by_secadmin.body;
  EXPECT_TRUE(sealed_of(by_secadmin));
  expect_sealed_everywhere(c, secadmin);

  ASSERT_TRUE(sealed_of(give_share(c, shares[1])));
  ASSERT_FALSE(sealed_of(give_share(c, shares[0])));
  EXPECT_EQ(c.get("/api/v1/me", secadmin).status, 200);  // sessions outlive a seal
  // The seal, and the refusals of the sysadmin and the auditor, are in the trail.
  int allowed = 0, denied = 0;
  for (const auto& e : entries_of(c, *inst, "seal.seal")) {
    (e.as_object().at("decision").as_string() == "allow" ? allowed : denied)++;
  }
  EXPECT_EQ(allowed, 1);
  EXPECT_EQ(denied, 2);
  EXPECT_EQ(entries_of(c, *inst, "seal.unseal").size(), 2u);
}

TEST(Seal, AnInstanceWithAKeyFileIsNeverSealed) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  const auto status = c.get("/api/v1/sys/seal-status");
  ASSERT_EQ(status.status, 200);
  EXPECT_FALSE(sealed_of(status));
  EXPECT_FALSE(status.json().as_object().at("key_shares").as_bool());
  const auto seal =
      c.post_json("/api/v1/sys/seal", json::object{}, inst->admin_token(c, "secadmin"));
  EXPECT_EQ(seal.status, 409);
  EXPECT_EQ(seal.error_code(), "not_sealable");
  EXPECT_EQ(c.get("/healthz").status, 200);
}

TEST(Seal, OperatorCommandsUnsealFromShareFilesAndReportStatus) {
  auto sealed = sealed_instance(3, 2);
  auto& inst = sealed.inst;
  auto server = inst->start();
  const std::vector<std::string> at{"--addr", "https://127.0.0.1:" + std::to_string(server->port()),
                                    "--ca", (inst->keys() / "tls.crt").string()};
  auto run = [&](std::vector<std::string> args, std::string* out) {
    args.insert(args.end(), at.begin(), at.end());
    return inst->run_cli(args, out);
  };
  std::string out;
  ASSERT_EQ(run({"operator", "seal-status"}, &out), 0) << out;
  EXPECT_NE(out.find("sealed (2 of 3 key shares unseal it; 0 given so far)"), std::string::npos)
      << out;
  ASSERT_EQ(run({"operator", "unseal", "--share-file", (inst->root() / "share-2").string()}, &out),
            0)
      << out;
  EXPECT_NE(out.find("1 given so far"), std::string::npos) << out;
  const auto bad = inst->root() / "bad-share";
  {
    std::ofstream f(bad);
    f << "not a share\n";
  }
  std::filesystem::permissions(bad, std::filesystem::perms::owner_read);
  EXPECT_EQ(run({"operator", "unseal", "--share-file", bad.string()}, &out), 1);
  EXPECT_NE(out.find("not a Baomi key share"), std::string::npos) << out;
  ASSERT_EQ(run({"operator", "unseal", "--share-file", (inst->root() / "share-3").string()}, &out),
            0)
      << out;
  EXPECT_NE(out.find("unsealed"), std::string::npos) << out;
  HttpsClient c(server->port());
  EXPECT_EQ(c.get("/healthz").status, 200);
}

TEST(Seal, RekeyReplacesTheSharesWithoutTouchingTheData_I1) {
  auto sealed = sealed_instance(3, 2);
  auto& inst = sealed.inst;
  const auto root = inst->root();
  auto args = operator_args(*inst, {"--key-shares", "4", "--key-threshold", "3"});
  std::string out;
  // One current share is not enough.
  auto short_of = args;
  short_of.insert(short_of.end(), {"--current-share-file", (root / "share-1").string()});
  EXPECT_EQ(inst->run_cli(short_of, &out), 1);
  EXPECT_NE(out.find("2 current key shares are needed"), std::string::npos) << out;
  for (const char* f : {"share-3", "share-1"}) {
    args.insert(args.end(), {"--current-share-file", (root / f).string()});
  }
  for (int i = 1; i <= 4; ++i) {
    args.insert(args.end(), {"--share-file", (root / ("new-" + std::to_string(i))).string()});
  }
  ASSERT_EQ(inst->run_cli(args, &out), 0) << out;

  auto server = inst->start();
  HttpsClient c(server->port());
  const auto old = give_share(c, sealed.shares[1]);
  EXPECT_EQ(old.status, 400);
  EXPECT_EQ(old.error_code(), "foreign_share");
  for (int i : {4, 2}) {
    const auto r = give_share(c, read_text(root / ("new-" + std::to_string(i))));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(sealed_of(r));
    EXPECT_EQ(int_at(r, "threshold"), 3);
  }
  const auto last = give_share(c, read_text(root / "new-1"));
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_FALSE(sealed_of(last));
  // The same accounts (so the same master key and data) are there.
  login(c, "auditor", inst->admin_password("auditor"));
  const auto rekeys = entries_of(c, *inst, "seal.rekey");  // sealed by shares, then rekeyed
  ASSERT_EQ(rekeys.size(), 2u);
  std::set<std::string> details;
  for (const auto& e : rekeys) details.insert(json::serialize(e.as_object().at("detail")));
  EXPECT_EQ(details,
            (std::set<std::string>{
                R"({"shares":3,"threshold":2,"previous":"key_file"})",
                R"({"shares":4,"threshold":3,"previous_shares":3,"previous_threshold":2})"}));
}

// Shares encrypted to their holders (issue 15, part 1's leftover): each holder makes a key pair,
// the rekey encrypts share i to holder i's public key, and a share file is then nothing without
// its holder's secret key: the server refuses it as it is, a wrong secret key does not open it,
// and `operator unseal --secret-key` opens it on the holder's side and unseals. A later rekey
// takes encrypted current shares with the holders' secret keys.
TEST(Seal, SharesEncryptedToHoldersOpenOnlyWithTheirSecretKeysAndUnseal) {
  auto sealed = sealed_instance(3, 2);
  auto& inst = sealed.inst;
  const auto root = inst->root();
  std::string out;
  auto args = operator_args(
      *inst, {"--key-shares", "3", "--key-threshold", "2", "--current-share-file",
              (root / "share-1").string(), "--current-share-file", (root / "share-2").string()});
  for (int i = 1; i <= 3; ++i) {
    const auto n = std::to_string(i);
    ASSERT_EQ(inst->run_cli({"operator", "share-keypair", "--secret-key",
                             (root / ("holder-" + n + ".key")).string(), "--public-key",
                             (root / ("holder-" + n + ".pub")).string()},
                            &out),
              0)
        << out;
    args.insert(args.end(), {"--share-public-key", (root / ("holder-" + n + ".pub")).string(),
                             "--share-file", (root / ("sealed-" + n)).string()});
  }
  ASSERT_EQ(inst->run_cli(args, &out), 0) << out;
  const auto first = read_text(root / "sealed-1");
  EXPECT_EQ(first.rfind("baomi-sealed-share-", 0), 0u) << first;

  auto server = inst->start();
  HttpsClient c(server->port());
  const auto as_is = give_share(c, first);
  EXPECT_EQ(as_is.status, 400);
  EXPECT_EQ(as_is.error_code(), "malformed_share") << "the server never sees it encrypted";
  const std::vector<std::string> at{"--addr", "https://127.0.0.1:" + std::to_string(server->port()),
                                    "--ca", (inst->keys() / "tls.crt").string()};
  auto unseal = [&](const std::string& share, const std::string& key) {
    std::vector<std::string> a{"operator", "unseal", "--share-file", (root / share).string()};
    if (!key.empty()) a.insert(a.end(), {"--secret-key", (root / key).string()});
    a.insert(a.end(), at.begin(), at.end());
    return inst->run_cli(a, &out);
  };
  EXPECT_EQ(unseal("sealed-1", ""), 2);
  EXPECT_NE(out.find("--secret-key"), std::string::npos) << out;
  EXPECT_EQ(unseal("sealed-1", "holder-2.key"), 2) << "another holder's key does not open it";
  EXPECT_NE(out.find("not encrypted to this secret key"), std::string::npos) << out;
  ASSERT_EQ(unseal("sealed-1", "holder-1.key"), 0) << out;
  EXPECT_NE(out.find("1 given so far"), std::string::npos) << out;
  ASSERT_EQ(unseal("sealed-3", "holder-3.key"), 0) << out;
  EXPECT_NE(out.find("unsealed"), std::string::npos) << out;
  EXPECT_EQ(c.get("/healthz").status, 200);
  server->stop();

  // The next rekey takes the encrypted shares with their holders' secret keys.
  auto again = operator_args(
      *inst, {"--key-shares", "2", "--key-threshold", "2", "--current-share-file",
              (root / "sealed-2").string(), "--current-share-file", (root / "sealed-3").string(),
              "--current-secret-key", (root / "holder-3.key").string(), "--current-secret-key",
              (root / "holder-2.key").string(), "--share-file", (root / "plain-1").string(),
              "--share-file", (root / "plain-2").string()});
  ASSERT_EQ(inst->run_cli(again, &out), 0) << out;
  auto reopened = inst->start();
  HttpsClient d(reopened->port());
  ASSERT_EQ(give_share(d, read_text(root / "plain-1")).status, 200);
  const auto last = give_share(d, read_text(root / "plain-2"));
  ASSERT_EQ(last.status, 200) << last.body;
  EXPECT_FALSE(sealed_of(last));
}

// `baomi backup` of an instance sealed by key shares: the instance keeps its audit key sealed
// under the master key, so K current shares (files here; standard input by default) rebuild it
// in the backup process only; fewer, or none, are refused by name. The backup restores and
// verifies against audit.pub (I1). SQLite only: PostgreSQL is backed up with its own tools.
TEST(Seal, BackupOfAnInstanceSealedBySharesTakesKSharesAndRestores_I1) {
  if (test_engine() == Engine::kPostgres) {
    GTEST_SKIP() << "a PostgreSQL instance is backed up with pg_dump / pg_basebackup";
  }
  auto s = sealed_instance(3, 2);
  const auto& inst = *s.inst;
  const auto share = [&](int i) { return (inst.root() / ("share-" + std::to_string(i))).string(); };
  const auto backup = [&](const std::string& name, const std::vector<std::string>& extra,
                          std::string* out) {
    std::vector<std::string> args{"backup",
                                  "--data",
                                  inst.data().string(),
                                  "--keys",
                                  inst.keys().string(),
                                  "-o",
                                  (inst.root() / name).string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return inst.run_cli(args, out);
  };
  std::string out;
  EXPECT_EQ(backup("none.bak", {}, &out), 2) << out;
  EXPECT_NE(out.find("2 current key shares are needed, 0 were given"), std::string::npos) << out;
  EXPECT_EQ(backup("one.bak", {"--current-share-file", share(1)}, &out), 2) << out;
  EXPECT_NE(out.find("key shares are needed"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(inst.root() / "none.bak"));
  EXPECT_FALSE(std::filesystem::exists(inst.root() / "one.bak"));

  ASSERT_EQ(backup("sealed.bak",
                   {"--current-share-file", share(3), "--current-share-file", share(1)}, &out),
            0)
      << out;
  const auto restored = inst.root() / "restored";
  ASSERT_EQ(inst.run_cli({"restore", (inst.root() / "sealed.bak").string(), "--data",
                          restored.string(), "--public-key", (inst.keys() / "audit.pub").string()},
                         &out),
            0)
      << out;
  EXPECT_EQ(inst.run_cli({"audit", "verify", "--data", restored.string(), "--public-key",
                          (inst.keys() / "audit.pub").string()},
                         &out),
            0)
      << out;
  // Nothing key-like was left beside the instance by the backup.
  EXPECT_FALSE(std::filesystem::exists(inst.keys() / "master.key"));
  EXPECT_FALSE(std::filesystem::exists(inst.keys() / "audit-signing.key"));
}

}  // namespace
}  // namespace baomi::testing
