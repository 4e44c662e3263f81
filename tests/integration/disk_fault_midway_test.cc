// A failing disk that starts in the middle of a workload (issue 16, I1). disk_fault_test.cc turns
// the fault on before a whole workload; here it is armed between two requests, "from now on, let
// the next n calls succeed and fail every later one" (tests/faults/diskfault.cc: the count starts
// when the control file is replaced), with n swept upwards one round after another, the way
// SQLite's own I/O-error tests sweep their fault counter. Each round runs the steps of a scenario
// that are not yet done until one is refused, clears the fault and checks every step: those
// answered 2xx are visible, the refused one answered 503 without internals and left nothing
// visible. Each round starts from an empty write-ahead log, so the n-th call is the same call in
// every round. As n grows the fault lands at every commit (or every write) of each step in turn,
// so these cases happen on purpose rather than by chance:
//   - an approval commits and the copy issue right after it is refused;
//   - an upload's chunks are all stored and the commit of its version is refused;
//   - a handover slip is created and the signed checkpoint right after it is refused, its
//     transaction broken at its first or second write.
// One server serves all three; afterwards it serves again and the trail verifies, over HTTPS and
// with `baomi audit verify` offline. Last, a commit whose fsync failed and a kill -9 right after:
// the refused write is absent or whole after the restart (SQLite may recover its frames).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "integration/harness.h"
#include "support/preload_env.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

// One request of a scenario: `run` sends it; `check(done)` asserts that its effect is visible
// exactly when it was answered 2xx (and nothing of it when it was refused or not yet sent).
struct Step {
  std::string name;
  std::function<HttpResponse()> run;
  std::function<void(bool done)> check;
};

// What one round of a sweep did: the fault's budget, the steps answered 2xx in it, and the one
// refused ("" when every remaining step passed).
struct Round {
  long budget = 0;
  std::vector<std::string> passed;
  std::string refused;
};

class DiskFaultMidwayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (test_engine() == Engine::kPostgres) {
      GTEST_SKIP() << "SQLite only: the failing disk is under the SQLite file";
    }
    inst = TestInstance::create();
    control = (inst->root() / "diskfault").string();
    set_fault("off");
    {
      PreloadForChildren preload(BAOMI_DISKFAULT_SO,
                                 {{"BAOMI_DISKFAULT_CONTROL", control},
                                  {"BAOMI_DISKFAULT_PREFIX", inst->data().string()}});
      // No timed checkpoint or sweep: they would spend the fault's budget at random moments.
      // The liveness lease's renewal (every 5 s) still may; the sweep only moves on then.
      server = inst->start({"--checkpoint-seconds", "86400", "--sweep-seconds", "86400"});
    }
    c = std::make_unique<HttpsClient>(server->port());
    staff = make_user(*c, *inst, "staff" + random_suffix(), "staff", "secret", {"technology"});
    reader = make_user(*c, *inst, "reader" + random_suffix(), "staff", "secret", {"technology"});
    auditor = inst->admin_token(*c, "auditor");
    raw = std::make_unique<RawDb>(*inst);
    doc_id = std::string(
        create_document(*c, staff.token, "midway", "secret", {"technology"}).at("id").as_string());
    upload_content(*c, staff.token, doc_id, "version one");
  }

  // Replaces the control file (rename, so the shim sees a new inode and starts counting anew).
  void set_fault(const std::string& line) {
    const std::string tmp = control + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << line << "\n";
    }
    ASSERT_EQ(std::rename(tmp.c_str(), control.c_str()), 0);
  }

  // Runs the steps under "<fault> after n" for n = 0, stride, 2 stride, ... until all are done,
  // checking every step after each round with the fault cleared (I1).
  std::vector<Round> sweep(const std::string& fault, long stride, const std::vector<Step>& steps) {
    std::vector<Round> rounds;
    std::size_t next = 0;
    for (long n = 0; next < steps.size(); n += stride) {
      if (rounds.size() >= 200) {
        ADD_FAILURE() << fault << ": still refused after 200 rounds at " << steps[next].name;
        break;
      }
      Round round{n, {}, {}};
      // Every round starts from an empty write-ahead log (checkpointed by this process, outside
      // the shim), so that SQLite's automatic checkpoint (at 1,000 pages) never spends part of
      // the budget in one round and not in the next: the n-th call is the same call each time.
      raw->exec("PRAGMA wal_checkpoint(TRUNCATE)");
      set_fault(fault + " after " + std::to_string(n));
      for (; next < steps.size(); ++next) {
        const auto r = steps[next].run();
        if (r.status == 503) {
          expect_clean_refusal(r, steps[next].name);
          round.refused = steps[next].name;
          break;
        }
        EXPECT_TRUE(r.status >= 200 && r.status < 300)
            << steps[next].name << " under '" << fault << " after " << n
            << "': only 2xx or 503 may answer: " << r.status << " " << r.body;
        round.passed.push_back(steps[next].name);
      }
      set_fault("off");
      for (std::size_t i = 0; i < steps.size(); ++i) {
        SCOPED_TRACE(steps[i].name + " after the round '" + fault + " after " + std::to_string(n) +
                     "'");
        steps[i].check(i < next);
      }
      // The refusal came from the shim: it wrote the armed episode's count of failed calls when
      // the checks' first write saw the fault cleared.
      if (!round.refused.empty()) {
        EXPECT_GT(injected_last_episode(), 0) << round.refused << " refused without a fault";
      }
      rounds.push_back(round);
      if (::testing::Test::HasFatalFailure()) break;
    }
    return rounds;
  }

  long injected_last_episode() const {
    std::ifstream count_file(control + ".count");
    long injected = 0;
    count_file >> injected;
    return injected;
  }

  // 503 with the API's error shape, naming nothing about the disk or SQLite behind it.
  static void expect_clean_refusal(const HttpResponse& r, const std::string& what) {
    EXPECT_EQ(r.error_code(), "unavailable") << what << ": " << r.body;
    for (const char* secret : {"sqlite", "SQLite", "disk", "I/O", "/data", "errno", "fsync"}) {
      EXPECT_EQ(r.body.find(secret), std::string::npos)
          << what << " leaks '" << secret << "': " << r.body;
    }
  }

  // The first round in which `first` passed and `then` was refused, or nullptr.
  static const Round* midway(const std::vector<Round>& rounds, const std::string& first,
                             const std::string& then) {
    for (const auto& r : rounds) {
      if (!r.passed.empty() && r.passed.back() == first && r.refused == then) return &r;
    }
    return nullptr;
  }

  static std::string describe(const std::vector<Round>& rounds) {
    std::string out;
    for (const auto& r : rounds) {
      out += "n=" + std::to_string(r.budget) + ":";
      for (const auto& p : r.passed) out += " " + p + " ok,";
      out += r.refused.empty() ? " done; " : " " + r.refused + " 503; ";
    }
    return out;
  }

  std::string ask_print() {
    auto r = c->post_json("/api/v1/requests",
                          json::object{{"type", "print"},
                                       {"document_id", doc_id},
                                       {"reason", "for the archive"},
                                       {"copies", 1}},
                          reader.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json().at("id").as_string()) : std::string();
  }

  std::size_t own_copies() {
    auto r = c->get("/api/v1/copies?limit=100", reader.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().at("items").as_array().size() : 0;
  }

  std::size_t slips() {
    auto r = c->get("/api/v1/handovers?limit=100", staff.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().at("items").as_array().size() : 0;
  }

  std::size_t checkpoint_entries() {
    return audit_entries(*c, *inst, "action=audit.checkpoint").size();
  }

  // An approval, then the copy it allows. Sweeping the fault's count of fsyncs (one per commit)
  // from 0, the first round in which the approval passes leaves no budget for the copy.
  std::vector<Round> approval_then_copy() {
    const std::string request_id = ask_print();
    const std::size_t copies_before = own_copies();
    std::vector<Step> steps{
        {"approval",
         [=, this] {
           return c->post_json("/api/v1/requests/" + request_id + "/approve",
                               json::object{{"comment", "ok"}}, staff.token);
         },
         [=, this](bool done) {
           auto r = c->get("/api/v1/requests/" + request_id, reader.token);
           ASSERT_EQ(r.status, 200) << r.body;
           EXPECT_EQ(r.json().at("status").as_string(), done ? "approved" : "pending") << r.body;
           EXPECT_EQ(r.json().at("approvals").as_array().size(), done ? 1u : 0u) << r.body;
         }},
        {"copy issue",
         [=, this] {
           return c->post_json("/api/v1/copies", json::object{{"request_id", request_id}},
                               reader.token);
         },
         [=, this](bool done) {
           auto r = c->get("/api/v1/requests/" + request_id, reader.token);
           ASSERT_EQ(r.status, 200) << r.body;
           EXPECT_EQ(r.json().at("copies_issued").to_number<std::int64_t>(), done ? 1 : 0);
           EXPECT_EQ(own_copies(), copies_before + (done ? 1 : 0));
         }}};
    return sweep("sync EIO", 1, steps);
  }

  // An upload of `content` over version `version` (whose content is `previous`), fsyncs
  // counted. After each refused round the chunks of the pending version stored in the file are
  // appended to `chunks_stored`: the last refused round is the version's own commit.
  std::vector<Round> upload_sweep(std::int64_t version, const std::string& previous,
                                  const std::string& content, std::string& chunks_stored) {
    const std::string path = "/api/v1/documents/" + doc_id + "/content";
    std::vector<Step> steps{
        {"upload",
         [&] {
           return c->request("PUT", path, content,
                             {{"Authorization", "Bearer " + staff.token},
                              {"Content-Type", "application/octet-stream"}});
         },
         [&](bool done) {
           auto meta = c->get("/api/v1/documents/" + doc_id, staff.token);
           ASSERT_EQ(meta.status, 200) << meta.body;
           EXPECT_EQ(meta.json().at("version").as_int64(), done ? version + 1 : version);
           auto read = c->get(path, staff.token);
           ASSERT_EQ(read.status, 200) << read.status;
           // Version 1 is text (its view carries an invisible fingerprint), later ones binary.
           const std::string seen = version == 1 && !done ? read.text() : read.body;
           EXPECT_TRUE(seen == (done ? content : previous)) << "the content read differs";
           if (!done) {
             // Stored but invisible: the refused upload's chunks, committed batch by batch.
             chunks_stored += " " + std::to_string(raw->count_chunks(doc_id, version + 1));
           }
         }}};
    return sweep("sync EIO", 1, steps);
  }

  // A slip, then a signed checkpoint, with the fault counting writes (two more each round): the
  // first round in which the slip passes leaves the checkpoint at most one write, so its
  // transaction breaks at its first or second write.
  std::vector<Round> slip_then_checkpoint() {
    const std::size_t slips_before = slips();
    const std::size_t checkpoints_before = checkpoint_entries();
    std::vector<Step> steps{
        {"handover slip",
         [this] {
           return c->post_json(
               "/api/v1/handovers",
               json::object{{"shift", "day"},
                            {"items", json::array{json::object{{"summary", "call back"}}}}},
               staff.token);
         },
         [=, this](bool done) { EXPECT_EQ(slips(), slips_before + (done ? 1 : 0)); }},
        {"checkpoint", [this] { return c->get("/api/v1/audit/checkpoint", auditor); },
         [=, this](bool done) {
           EXPECT_EQ(checkpoint_entries(), checkpoints_before + (done ? 1 : 0));
         }}};
    return sweep("write EIO", 2, steps);
  }

  std::unique_ptr<TestInstance> inst;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpsClient> c;
  std::unique_ptr<RawDb> raw;  // the SQLite file, read and checkpointed beside the server
  std::string control, doc_id, auditor;
  TestUser staff, reader;
};

TEST_F(DiskFaultMidwayTest, FaultsArmedMidWorkloadLandBetweenCommitsAndLeaveNothingHalfWritten_I1) {
  // 1. The approval commits, the copy issue is refused. A renewal of the liveness lease inside
  // the decisive round can leave the copy one commit of budget, so up to three requests try.
  std::vector<Round> rounds;
  const Round* landed = nullptr;
  for (int attempt = 0; attempt < 3 && landed == nullptr && !HasFatalFailure(); ++attempt) {
    rounds = approval_then_copy();
    landed = midway(rounds, "approval", "copy issue");
  }
  std::cout << "[ approval, copy ] " << describe(rounds) << "\n";
  EXPECT_NE(landed, nullptr) << "no round committed the approval and refused the copy: "
                             << describe(rounds);

  // 2. An upload of six 256 KiB chunks (two batches, each its own commit, then the version's
  // commit). A round in which every chunk is stored but the version is refused must occur; a
  // renewal inside the decisive round can move it past, so a second upload may try.
  std::string current = "version one";
  std::int64_t version = 1;
  bool every_chunk_stored_version_refused = false;
  for (int attempt = 0; attempt < 2 && !every_chunk_stored_version_refused && !HasFatalFailure();
       ++attempt) {
    std::string big(6 * 256 * 1024 - 1000, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) {
      big[i] = static_cast<char>((i * 131 + i / 977 + attempt) & 0xff);
    }
    std::string chunks_stored;  // by each refused round
    rounds = upload_sweep(version, current, big, chunks_stored);
    std::cout << "[ upload ] " << describe(rounds)
              << "chunks stored by the refused rounds:" << chunks_stored << "\n";
    every_chunk_stored_version_refused = chunks_stored.ends_with(" 6");
    EXPECT_GE(rounds.size(), 4u) << "the fault never met the chunk batches: " << describe(rounds);
    current = std::move(big);
    ++version;
  }
  EXPECT_TRUE(every_chunk_stored_version_refused)
      << "no round stored every chunk and refused the version: " << describe(rounds);

  // 3. A slip, then a checkpoint broken at its first or second write.
  landed = nullptr;
  for (int attempt = 0; attempt < 3 && landed == nullptr && !HasFatalFailure(); ++attempt) {
    rounds = slip_then_checkpoint();
    landed = midway(rounds, "handover slip", "checkpoint");
  }
  std::cout << "[ slip, checkpoint ] " << describe(rounds) << "\n";
  EXPECT_NE(landed, nullptr) << "no round created the slip and refused the checkpoint: "
                             << describe(rounds);

  // 4. A commit whose fsync failed, then kill -9 before anything else commits: its frames are in
  // the write-ahead log, whole and marked as a commit, and SQLite's recovery at the next start may
  // take them. So a 503 means "not acknowledged": the document is either absent or there whole,
  // with its audit entry; never half.
  const auto created = [&] {
    auto r = c->get("/api/v1/documents?limit=100", staff.token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::size_t n = 0;
    const auto listed = r.json();
    for (const auto& d : listed.at("items").as_array()) {
      if (d.at("title").as_string() == "refused, then killed") ++n;
    }
    std::size_t entries = 0;
    for (const auto& e : audit_entries(*c, *inst, "action=document.create")) {
      if (e.at("decision").as_string() == "allow") ++entries;
    }
    return std::pair{n, entries};
  };
  const auto [listed_before, entries_before] = created();
  set_fault("sync EIO");
  auto doomed = c->post_json("/api/v1/documents",
                             json::object{{"title", "refused, then killed"},
                                          {"level", "secret"},
                                          {"categories", json::array{"technology"}}},
                             staff.token);
  ASSERT_EQ(doomed.status, 503) << doomed.body;
  expect_clean_refusal(doomed, "document creation");
  server->kill9();
  set_fault("off");
  server = inst->start({"--checkpoint-seconds", "86400", "--sweep-seconds", "86400"});
  c = std::make_unique<HttpsClient>(server->port());
  const auto [listed_after, entries_after] = created();
  EXPECT_EQ(listed_before, 0u);
  EXPECT_LE(listed_after, 1u);
  EXPECT_EQ(entries_after - entries_before, listed_after) << "a document without its audit entry";
  std::cout << "[ fsync refused, then kill -9 ] the refused document is "
            << (listed_after == 1 ? "there after the restart, whole with its audit entry"
                                  : "absent after the restart")
            << "\n";

  // The server writes again, and the trail is whole: over HTTPS, then offline.
  auto after = upload_content(*c, staff.token, doc_id, "after the faults");
  EXPECT_EQ(after.at("version").as_int64(), version + 1);
  auto verify = c->get("/api/v1/audit/verify", auditor);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
  raw.reset();
  server->stop();
  std::string out;
  EXPECT_EQ(inst->run_cli({"audit", "verify", "--data", inst->data().string(), "--keys",
                           inst->keys().string()},
                          &out),
            0)
      << out;
}

}  // namespace
}  // namespace baomi::testing
