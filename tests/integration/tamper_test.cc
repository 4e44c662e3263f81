// Tamper tests (I1): change the stored audit trail or stored ciphertext behind the server's back,
// with SQLite or PostgreSQL directly (RawDb), and check that `baomi audit verify`, GET
// /api/v1/audit/verify and content reads all notice, naming the first bad sequence number. Each
// test starts from the same intact snapshot of the instance's database.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <regex>

#include "audit/merkle.h"
#include "core/bytes.h"
#include "crypto/hash.h"
#include "crypto/sha256.h"
#include "integration/harness.h"

namespace baomi::testing {
namespace {

// The outcome of `baomi audit verify` on the instance.
struct TamperVerdict {
  int exit_code = -1;
  std::string output;
  std::optional<std::uint64_t> first_bad;  // from "FAILED: first bad sequence number K: ..."
};

TamperVerdict verify_offline(const TestInstance& inst) {
  TamperVerdict v;
  v.exit_code = inst.run_cli(
      {"audit", "verify", "--data", inst.data().string(), "--keys", inst.keys().string()},
      &v.output);
  static const std::regex kFailed("^FAILED: first bad sequence number ([0-9]+): ");
  std::smatch m;
  if (std::regex_search(v.output, m, kFailed)) v.first_bad = std::stoull(m[1].str());
  return v;
}

std::string tamper_sha256_hex(std::string_view data) {
  crypto::Sha256 sha;
  sha.update(data);
  return sha.hex_digest();
}

std::string pattern(std::size_t size, char salt) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 131 + salt) & 0xff);
  return out;
}

std::string text_of(const std::vector<std::uint8_t>& b) { return std::string(b.begin(), b.end()); }
std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

const std::vector<std::string> kTextColumns{"actor",    "action",    "target",
                                            "decision", "rule",      "policy_version",
                                            "detail",   "prev_hash", "hash"};

class TamperTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = TestInstance::create().release();
    small_ = pattern(1000, 7);
    big_ = pattern(600 * 1024 + 1, 3);  // three chunks, the last one short
    {
      auto server = instance_->start();
      HttpsClient c(server->port());
      keeper_ = make_user(c, *instance_, "keeper", "custodian", "secret", {"technology"});
      snoop_ = make_user(c, *instance_, "snoop", "staff", "secret", {"finance"});
      small_id_ = new_document(c, "small", small_);
      big_id_ = new_document(c, "big", big_);
      activity(c);
      server->stop();  // signs a checkpoint of the head
    }
    {
      auto server = instance_->start();
      HttpsClient c(server->port());
      activity(c);
      server->stop();  // a second checkpoint, so the first one sits in the middle of the trail
    }
    {
      RawDb db(*instance_);
      last_seq_ = static_cast<std::uint64_t>(db.query_int("SELECT max(seq) FROM audit"));
      last_cp_ = static_cast<std::uint64_t>(db.query_int("SELECT max(seq) FROM audit_checkpoints"));
      mid_cp_ = static_cast<std::uint64_t>(
          db.query_int("SELECT max(seq) FROM audit_checkpoints WHERE seq < (SELECT max(seq) FROM "
                       "audit_checkpoints)"));
    }  // PostgreSQL copies a database only while nobody is connected to it
    instance_->save_storage("intact");
  }
  static void TearDownTestSuite() {
    delete instance_;
    instance_ = nullptr;
  }

  // Every test starts from the intact trail.
  void SetUp() override { instance_->restore_storage("intact"); }

  static std::string new_document(HttpsClient& c, std::string_view title, std::string_view body) {
    auto doc = create_document(c, keeper_.token, title, "secret", {"technology"});
    const std::string id(doc.at("id").as_string());
    upload_content(c, keeper_.token, id, body, "application/octet-stream");
    return id;
  }

  // Allowed reads and refused ones (S9), so the trail holds entries of several kinds.
  static void activity(HttpsClient& c) {
    for (const auto& id : {small_id_, big_id_}) {
      EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", keeper_.token).status, 200);
      EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", snoop_.token).status, 403);  // S6
    }
  }

  // A seq strictly inside the trail and before the first checkpoint, seeded for the run.
  std::uint64_t middle_seq() { return 2 + rng_() % (std::min(mid_cp_, last_seq_) - 2); }

  static void expect_reported_at(std::uint64_t k, const std::string& what) {
    const auto v = verify_offline(*instance_);
    EXPECT_EQ(v.exit_code, 1) << what << ": " << v.output;
    EXPECT_EQ(v.first_bad, k) << what << ": " << v.output;
  }

  static std::string column_text(RawDb& db, const std::string& column, std::uint64_t seq) {
    return text_of(db.query_blob("SELECT " + db.as_blob(column) +
                                 " FROM audit WHERE seq = " + std::to_string(seq)));
  }
  static void set_column_text(RawDb& db, const std::string& column, std::uint64_t seq,
                              const std::string& value) {
    ASSERT_EQ(db.exec_with_blob("UPDATE audit SET " + column + " = " + db.as_text("?") +
                                    " WHERE seq = " + std::to_string(seq),
                                bytes_of(value)),
              1);
  }

  static TestInstance* instance_;
  static TestUser keeper_, snoop_;
  static std::string small_, big_, small_id_, big_id_;
  static std::uint64_t last_seq_, mid_cp_, last_cp_;
  std::mt19937_64 rng_{std::random_device{}()};
};
TestInstance* TamperTest::instance_ = nullptr;
TestUser TamperTest::keeper_, TamperTest::snoop_;
std::string TamperTest::small_, TamperTest::big_, TamperTest::small_id_, TamperTest::big_id_;
std::uint64_t TamperTest::last_seq_ = 0, TamperTest::mid_cp_ = 0, TamperTest::last_cp_ = 0;

TEST_F(TamperTest, IntactTrailVerifiesWithItsCheckpoints_I1) {
  const auto v = verify_offline(*instance_);
  EXPECT_EQ(v.exit_code, 0) << v.output;
  EXPECT_EQ(v.output.rfind("ok: " + std::to_string(last_seq_) + " entries, head ", 0), 0u)
      << v.output;
  // The fixture's premises: a checkpoint in the middle and one on the last entry.
  EXPECT_LT(mid_cp_, last_cp_);
  EXPECT_GT(mid_cp_, 3u);
  EXPECT_EQ(last_cp_, last_seq_);
}

TEST_F(TamperTest, EditedDecisionInTheMiddleIsReportedAtItsSeq_I1) {
  std::uint64_t seq = 0;
  {
    RawDb db(*instance_);
    // Turning a refusal into an allow is the edit a prober would want (S9).
    seq = static_cast<std::uint64_t>(
        db.query_int("SELECT min(seq) FROM audit WHERE decision = 'deny' AND seq > 1"));
    ASSERT_GT(seq, 0u);
    ASSERT_LT(seq, last_seq_);
    set_column_text(db, "decision", seq, "allow");
  }
  expect_reported_at(seq, "decision deny->allow at seq " + std::to_string(seq));
}

TEST_F(TamperTest, EditedActorInTheMiddleIsReportedAtItsSeq_I1) {
  const auto seq = middle_seq();
  {
    RawDb db(*instance_);
    const auto actor = column_text(db, "actor", seq);
    set_column_text(db, "actor", seq, actor == keeper_.id ? snoop_.id : keeper_.id);
  }
  expect_reported_at(seq, "actor at seq " + std::to_string(seq));
}

// DESIGN.md: every single-byte change to any audit field is detected, first row to last.
TEST_F(TamperTest, AnySingleByteChangeToAnyFieldIsReportedAtItsSeq_I1) {
  static const std::string kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789{}\":-_";
  for (const auto& column : kTextColumns) {
    SetUp();
    std::uint64_t seq = 0;
    {
      RawDb db(*instance_);
      seq = static_cast<std::uint64_t>(db.query_int("SELECT seq FROM audit WHERE length(" + column +
                                                    ") > 0 ORDER BY random() LIMIT 1"));
      auto value = column_text(db, column, seq);
      const std::size_t at = rng_() % value.size();
      char replacement = value[at];
      while (replacement == value[at]) replacement = kAlphabet[rng_() % kAlphabet.size()];
      value[at] = replacement;
      set_column_text(db, column, seq, value);
    }
    expect_reported_at(seq, column + " byte changed at seq " + std::to_string(seq));
  }
  SetUp();
  const auto seq = 1 + rng_() % last_seq_;
  RawDb(*instance_).exec("UPDATE audit SET time = time + 1 WHERE seq = " + std::to_string(seq));
  expect_reported_at(seq, "time changed at seq " + std::to_string(seq));
}

TEST_F(TamperTest, DeletedMiddleRowIsReportedAtItsSeq_I1) {
  const auto seq = middle_seq();
  RawDb(*instance_).exec("DELETE FROM audit WHERE seq = " + std::to_string(seq));
  expect_reported_at(seq, "deleted seq " + std::to_string(seq));
}

TEST_F(TamperTest, DeletedFirstRowIsReportedAtOne_I1) {
  RawDb(*instance_).exec("DELETE FROM audit WHERE seq = 1");
  expect_reported_at(1, "deleted seq 1");
}

// Swapping the seq numbers of two rows swaps their places in the trail (a reordering).
TEST_F(TamperTest, SwappedRowsAreReportedAtTheFirstOfThem_I1) {
  const auto first = middle_seq();
  for (const std::uint64_t second : {first + 1, first + 5}) {
    SetUp();
    const auto a = std::to_string(first), b = std::to_string(std::min(second, last_seq_));
    RawDb(*instance_)
        .exec("UPDATE audit SET seq = -1 WHERE seq = " + a + "; UPDATE audit SET seq = " + a +
              " WHERE seq = " + b + "; UPDATE audit SET seq = " + b + " WHERE seq = -1;");
    expect_reported_at(first, "swapped seq " + a + " and " + b);
  }
}

// Removing the tail beyond the newest checkpoint leaves a valid shorter chain (docs/audit-format.md
// says so); a checkpoint on the removed entry is what exposes it.
TEST_F(TamperTest, DeletedLastRowCoveredByACheckpointIsReported_I1) {
  ASSERT_EQ(last_cp_, last_seq_);
  RawDb(*instance_).exec("DELETE FROM audit WHERE seq = " + std::to_string(last_seq_));
  expect_reported_at(last_seq_, "deleted the last entry " + std::to_string(last_seq_));
}

TEST_F(TamperTest, FlippedCheckpointSignatureByteIsReported_I1) {
  for (const auto cp : {mid_cp_, last_cp_}) {
    SetUp();
    {
      RawDb db(*instance_);
      const auto where = " FROM audit_checkpoints WHERE seq = " + std::to_string(cp);
      auto sig = from_hex(text_of(db.query_blob("SELECT " + db.as_blob("signature") + where)));
      ASSERT_TRUE(sig && sig->size() == 64);
      (*sig)[rng_() % sig->size()] ^= static_cast<std::uint8_t>(1 + rng_() % 255);
      ASSERT_EQ(db.exec_with_blob("UPDATE audit_checkpoints SET signature = " + db.as_text("?") +
                                      " WHERE seq = " + std::to_string(cp),
                                  bytes_of(to_hex(*sig))),
                1);
    }
    expect_reported_at(cp, "checkpoint signature at seq " + std::to_string(cp));
  }
}

// An outside re-implementation of docs/audit-format.md: hash(e) = BLAKE2b-256(raw(prev) ‖
// canonical_bytes(e)).
std::string entry_hash(RawDb& db, std::uint64_t seq, const std::string& prev_hex) {
  const auto where = " FROM audit WHERE seq = " + std::to_string(seq);
  auto field = [&](const std::string& column) {
    return text_of(db.query_blob("SELECT " + db.as_blob(column) + where));
  };
  Bytes bytes = *from_hex(prev_hex);
  append_field(bytes, "baomi-audit-v1");
  append_u64(bytes, seq);
  append_u64(bytes, static_cast<std::uint64_t>(db.query_int("SELECT time" + where)));
  for (const char* column :
       {"actor", "action", "target", "decision", "rule", "policy_version", "detail"}) {
    append_field(bytes, field(column));
  }
  return to_hex(crypto::hash32(crypto::BytesView(bytes)));
}

// Without the signing key, even a rewrite that re-hashes every later entry is exposed by the
// next signed checkpoint: the chain is self-consistent but not the one that was signed.
TEST_F(TamperTest, RehashedRewriteIsCaughtByTheNextCheckpoint_I1) {
  const auto seq = middle_seq();
  RawDb db(*instance_);
  // The format as documented reproduces every stored hash of the intact trail.
  for (std::uint64_t s = 1; s <= last_seq_; ++s) {
    ASSERT_EQ(entry_hash(db, s, column_text(db, "prev_hash", s)), column_text(db, "hash", s))
        << "seq " << s;
  }
  set_column_text(db, "actor", seq,
                  column_text(db, "actor", seq) == keeper_.id ? snoop_.id : keeper_.id);
  std::string prev = column_text(db, "prev_hash", seq);
  for (std::uint64_t s = seq; s <= last_seq_; ++s) {
    set_column_text(db, "prev_hash", s, prev);
    prev = entry_hash(db, s, prev);
    set_column_text(db, "hash", s, prev);
  }
  // The first signed checkpoint at or after the rewrite catches it: mid_cp_, unless the rewrite
  // starts at or before an earlier one (`baomi init` signs one of its own few entries).
  const auto next_cp = static_cast<std::uint64_t>(
      db.query_int("SELECT min(seq) FROM audit_checkpoints WHERE seq >= " + std::to_string(seq)));
  ASSERT_LE(next_cp, mid_cp_);
  // Before that, the stored Merkle tree (S10) still holds the old hashes: the first subtree the
  // rewritten entry completes (its pair: at seq itself when seq is even) no longer matches.
  const std::uint64_t first_node = seq % 2 == 0 ? seq : seq + 1;
  expect_reported_at(std::min(next_cp, first_node), "rewrite from seq " + std::to_string(seq));
  // An attacker who also rebuilds the tree from the rewritten hashes gets past the nodes, but
  // not past the signed checkpoint (and tree head).
  db.exec("DELETE FROM audit_tree");
  audit::MerkleFrontier frontier;
  for (std::uint64_t s = 1; s <= last_seq_; ++s) {
    const auto hash = audit::parse_hash_hex(column_text(db, "hash", s)).value();
    frontier.append(audit::merkle_leaf_hash(hash), [&](unsigned level, std::uint64_t index,
                                                       const audit::RawHash& node) {
      ASSERT_EQ(db.exec_with_blob("INSERT INTO audit_tree(level, idx, hash) VALUES(" +
                                      std::to_string(level) + ", " + std::to_string(index) + ", ?)",
                                  std::vector<std::uint8_t>(node.begin(), node.end())),
                1);
    });
  }
  expect_reported_at(next_cp, "rewrite from seq " + std::to_string(seq) + " with a rebuilt tree");
}

// (f) The server's own verification sees an edit made while it runs (WAL lets SQLite in).
TEST_F(TamperTest, ServerVerifyReportsAnEditMadeWhileItRuns_I1) {
  auto server = instance_->start();
  HttpsClient c(server->port());
  const auto token = instance_->admin_token(c, "auditor");
  auto before = c.get("/api/v1/audit/verify", token);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(before.json().at("ok").as_bool()) << before.body;

  const auto seq = middle_seq();
  RawDb db(*instance_);
  const auto decision = column_text(db, "decision", seq);
  set_column_text(db, "decision", seq, decision == "allow" ? "deny" : "allow");
  auto after = c.get("/api/v1/audit/verify", token);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_FALSE(after.json().at("ok").as_bool()) << after.body;
  EXPECT_EQ(after.json().at("first_bad_seq").to_number<std::uint64_t>(), seq) << after.body;

  // Undoing the edit makes the trail whole again: the report was about that edit.
  set_column_text(db, "decision", seq, decision);
  auto undone = c.get("/api/v1/audit/verify", token);
  ASSERT_EQ(undone.status, 200) << undone.body;
  EXPECT_TRUE(undone.json().at("ok").as_bool()) << undone.body;
  server->stop();
}

// Reads one version as the custodian; `received` gets every byte that arrived, even if the
// stream broke, and `error` says why it broke.
struct Read {
  HttpResponse response;
  std::string received;
  std::string error;
};

Read read_content(HttpsClient& c, const std::string& token, const std::string& id) {
  Read r;
  try {
    r.response = c.get_stream("/api/v1/documents/" + id + "/content", token,
                              [&](const std::uint8_t* p, std::size_t n) {
                                r.received.append(reinterpret_cast<const char*>(p), n);
                              });
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  return r;
}

// (g) A flipped byte anywhere in stored ciphertext never reads back as different content: the
// first chunk is checked before the answer starts (integrity_error), a later one breaks the
// stream after the bytes that were still genuine; each failure is audited.
TEST_F(TamperTest, FlippedChunkByteNeverReadsBackAsOtherContent_I1) {
  auto server = instance_->start();
  HttpsClient c(server->port());
  RawDb db(*instance_);
  constexpr int kFlips = 8;
  for (int i = 0; i < kFlips; ++i) {
    const bool big = i % 2 == 1;
    const auto& id = big ? big_id_ : small_id_;
    const auto& original = big ? big_ : small_;
    const int idx = big ? static_cast<int>(rng_() % 3) : 0;
    // A row, or on SQLite the chunk's bytes in its file beside the database (issue 14).
    const auto chunk = db.read_chunk(id, 1, static_cast<std::uint64_t>(idx));
    ASSERT_FALSE(chunk.empty());
    auto flipped = chunk;
    const std::size_t at = rng_() % flipped.size();
    flipped[at] ^= static_cast<std::uint8_t>(1 + rng_() % 255);
    ASSERT_EQ(db.write_chunk(id, 1, static_cast<std::uint64_t>(idx), flipped), 1);

    const auto what = (big ? "big" : "small") + std::string(" chunk ") + std::to_string(idx) +
                      " byte " + std::to_string(at);
    const auto r = read_content(c, keeper_.token, id);
    if (idx == 0) {
      EXPECT_TRUE(r.error.empty()) << what << ": " << r.error;
      EXPECT_EQ(r.response.status, 500) << what;
      EXPECT_EQ(r.response.error_code(), "integrity_error") << what << ": " << r.response.body;
    } else {
      EXPECT_FALSE(r.error.empty()) << what << ": the damaged stream completed";
    }
    EXPECT_LT(r.received.size(), original.size()) << what;
    EXPECT_EQ(original.compare(0, r.received.size(), r.received), 0)
        << what << ": bytes that were never stored were served";

    ASSERT_EQ(db.write_chunk(id, 1, static_cast<std::uint64_t>(idx), chunk), 1);
  }
  // Restored, both read back whole: the failures came from the flips.
  for (const auto& [id, original] : {std::pair{small_id_, small_}, std::pair{big_id_, big_}}) {
    const auto r = read_content(c, keeper_.token, id);
    EXPECT_TRUE(r.error.empty()) << r.error;
    EXPECT_EQ(r.response.status, 200);
    EXPECT_EQ(tamper_sha256_hex(r.received), tamper_sha256_hex(original));
  }
  const auto failures = audit_entries(c, *instance_, "action=document.integrity_failure");
  EXPECT_GE(failures.size(), static_cast<std::size_t>(kFlips));
  server->stop();
  EXPECT_EQ(verify_offline(*instance_).exit_code, 0);
}

// Flips single bytes of a wrapped data key (format byte, key version, sealed key) and of a
// sealed title, one at a time, and reads what depends on each: always 500 integrity_error. With
// `recorded`, each failure must also add a document.integrity_failure audit entry, as the error
// message ("the failure was recorded") promises.
void flip_key_and_title_bytes(TestInstance& inst, const std::string& token, const std::string& id,
                              std::mt19937_64& rng, bool recorded) {
  auto server = inst.start();
  HttpsClient c(server->port());
  RawDb db(inst);
  struct Target {
    std::string table, column, where, path;
  };
  const std::vector<Target> targets{
      {"versions", "wrapped_key", " WHERE document_id = ? AND version = 1",
       "/api/v1/documents/" + id + "/content"},
      {"documents", "sealed_title", " WHERE id = ?", "/api/v1/documents/" + id}};
  auto failures = [&] {
    return audit_entries(c, inst, "action=document.integrity_failure").size();
  };
  for (const auto& t : targets) {
    const auto stored = db.query_blob("SELECT " + t.column + " FROM " + t.table + t.where, {id});
    const auto update = "UPDATE " + t.table + " SET " + t.column + " = ?" + t.where;
    for (const std::size_t at :
         {std::size_t{0}, std::size_t{3}, rng() % stored.size(), stored.size() - 1}) {
      auto flipped = stored;
      flipped[at] ^= static_cast<std::uint8_t>(1 + rng() % 255);
      ASSERT_EQ(db.exec_with_blob(update, flipped, {id}), 1);
      const auto what = t.table + "." + t.column + " byte " + std::to_string(at);
      const auto before = recorded ? failures() : 0;
      const auto r = c.get(t.path, token);
      EXPECT_EQ(r.status, 500) << what << ": " << r.body;
      EXPECT_EQ(r.error_code(), "integrity_error") << what << ": " << r.body;
      if (recorded) {
        EXPECT_EQ(failures(), before + 1) << what << ": the failure was not recorded";
      }
      ASSERT_EQ(db.exec_with_blob(update, stored, {id}), 1);
    }
    EXPECT_EQ(c.get(t.path, token).status, 200) << t.path << " after restoring";
  }
  server->stop();
}

TEST_F(TamperTest, FlippedWrappedKeyOrSealedTitleByteIsIntegrityError_I1) {
  flip_key_and_title_bytes(*instance_, keeper_.token, small_id_, rng_, /*recorded=*/false);
}

// I1: a damaged wrapped key or sealed title is refused as integrity_error and recorded.
TEST_F(TamperTest, FlippedWrappedKeyOrSealedTitleByteIsRecorded_I1) {
  flip_key_and_title_bytes(*instance_, keeper_.token, small_id_, rng_, /*recorded=*/true);
}

}  // namespace
}  // namespace baomi::testing
