// Breaking things on purpose: a flipped byte of stored ciphertext is detected, never served, and
// audited (DESIGN.md "every single-byte change to stored ciphertext ... is detected"); when the
// audit store fails, nothing happens that cannot be audited (fail closed, 503).
#include <gtest/gtest.h>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

constexpr std::size_t kIntegrityChunk = 256 * 1024;  // barrier::ContentSealer::kChunkSize

// Flips one bit in the middle of the stored ciphertext of chunk `idx` (server stopped).
void flip_chunk_byte(const TestInstance& inst, const std::string& doc_id, int idx) {
  RawDb db(inst);
  // Wherever the engine keeps it: a row, or (SQLite, issue 14) a file beside the database.
  auto blob = db.read_chunk(doc_id, 1, static_cast<std::uint64_t>(idx));
  ASSERT_GT(blob.size(), 64u);
  blob[blob.size() / 2] ^= 0x01;
  EXPECT_EQ(db.write_chunk(doc_id, 1, static_cast<std::uint64_t>(idx), blob), 1);
}

// Makes the audit table refuse every insert (a trigger, in each engine's dialect), and undoes it.
void break_audit_store(const TestInstance& inst, RawDb& db) {
  if (inst.on_postgres()) {
    db.exec(
        "CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$BEGIN RAISE EXCEPTION 'audit down'; END$$; "
        "CREATE TRIGGER fail_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION "
        "fail_audit();");
  } else {
    db.exec(
        "CREATE TRIGGER fail_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'audit down'); "
        "END;");
  }
}

void mend_audit_store(const TestInstance& inst, RawDb& db) {
  db.exec(inst.on_postgres() ? "DROP TRIGGER fail_audit ON audit; DROP FUNCTION fail_audit();"
                             : "DROP TRIGGER fail_audit;");
}

std::string content_of(std::size_t size) {
  std::string s;
  while (s.size() < size) s += "integrity matters " + std::to_string(s.size()) + "\n";
  s.resize(size);
  return s;
}

TEST(IntegrityTest, FlippedCiphertextByteIs500IntegrityErrorAndAudited_I1) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  auto u = make_user(c, *inst, "reader", "staff", "internal", {});
  const std::string id(create_document(c, u.token, "Ledger", "internal", {}).at("id").as_string());
  const auto content = content_of(1000);
  upload_content(c, u.token, id, content);
  ASSERT_EQ(c.get("/api/v1/documents/" + id + "/content", u.token).text(), content);
  server->stop();

  flip_chunk_byte(*inst, id, 0);

  server = inst->start();
  HttpsClient c2(server->port());
  auto r = c2.get("/api/v1/documents/" + id + "/content", u.token);
  EXPECT_EQ(r.status, 500) << r.body.substr(0, 200);
  EXPECT_EQ(r.error_code(), "integrity_error");
  EXPECT_EQ(r.text().find("integrity matters"), std::string::npos) << "damaged content was served";
  EXPECT_TRUE(r.header("x-baomi-view-id").empty());
  // Metadata is untouched and still readable.
  EXPECT_EQ(c2.get("/api/v1/documents/" + id, u.token).status, 200);
  auto failures =
      audit_entries(c2, *inst, "document_id=" + id + "&action=document.integrity_failure");
  ASSERT_FALSE(failures.empty()) << "the integrity failure is on the record";
  EXPECT_EQ(failures[0].at("actor").as_string(), u.id);
  // A failed read is not recorded as a view: only the read before the damage is.
  int views = 0;
  for (const auto& e :
       audit_entries(c2, *inst, "document_id=" + id + "&action=document.read_content")) {
    views += e.at("decision").as_string() == "allow";
  }
  EXPECT_EQ(views, 1);
  // The audit trail itself is intact.
  auto verify = c2.get("/api/v1/audit/verify", inst->admin_token(c2, "auditor"));
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
}

// A damaged later chunk: the first chunks were already sent, so the server must cut the response
// short rather than send the damaged bytes or pretend the document ended there. Both ways content
// leaves: binary content with a Content-Length, and a fingerprinted text view (S7), which is
// chunked, so only an aborted transfer tells the client it is incomplete.
TEST(IntegrityTest, DamagedLaterChunkCutsTheDownloadShortAndIsAudited_I1) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  auto u = make_user(c, *inst, "reader", "staff", "internal", {});
  const auto content = content_of(3 * kIntegrityChunk + 100);
  struct Case {
    std::string content_type;
    bool text;
    std::string id;
  };
  std::vector<Case> cases{{"application/octet-stream", false, {}},
                          {"text/plain; charset=utf-8", true, {}}};
  for (auto& k : cases) {
    k.id =
        std::string(create_document(c, u.token, "Big ledger", "internal", {}).at("id").as_string());
    upload_content(c, u.token, k.id, content, k.content_type);
  }
  server->stop();

  for (const auto& k : cases) flip_chunk_byte(*inst, k.id, 2);

  server = inst->start();
  HttpsClient c2(server->port());
  for (const auto& k : cases) {
    SCOPED_TRACE(k.content_type);
    std::string received;
    bool cut = false;
    int status = 0;
    try {
      status = c2.get_stream("/api/v1/documents/" + k.id + "/content", u.token,
                             [&](const std::uint8_t* p, std::size_t n) {
                               received.append(reinterpret_cast<const char*>(p), n);
                             })
                   .status;
    } catch (const std::exception&) {
      cut = true;  // the connection was closed before the whole body arrived
    }
    EXPECT_TRUE(cut || status >= 500)
        << "a damaged document was served completely (status " << status << ")";
    // A text view carries its fingerprint (S7); what it says is compared without it.
    const std::string said = k.text ? visible_text(received) : received;
    if (k.text && !received.empty()) {
      EXPECT_GT(fingerprint_symbols(received), 0u) << "the text view was not fingerprinted";
    }
    EXPECT_LT(said.size(), content.size());
    EXPECT_LE(said.size(), 2 * kIntegrityChunk)
        << "bytes from or after the damaged chunk were sent";
    EXPECT_EQ(said, content.substr(0, said.size())) << "what was sent must be genuine";
    auto failures =
        audit_entries(c2, *inst, "document_id=" + k.id + "&action=document.integrity_failure");
    EXPECT_FALSE(failures.empty());
  }
  // The server survives it.
  EXPECT_EQ(c2.get("/healthz").status, 200);
}

// Fail closed: while the audit table refuses inserts, nothing that would need an entry happens.
TEST(FailClosedTest, AuditStoreDownMeans503AndNothingHappens) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  auto u = make_user(c, *inst, "writer", "staff", "secret", {"finance"});
  const auto auditor = inst->admin_token(c, "auditor");
  const std::string existing(
      create_document(c, u.token, "Before", "secret", {"finance"}).at("id").as_string());
  upload_content(c, u.token, existing, "content before the outage");
  const auto creates_before =
      audit_entries(c, *inst, "actor=" + u.id + "&action=document.create").size();

  RawDb db(*inst);
  break_audit_store(*inst, db);

  const std::string title = "During outage " + random_suffix();
  auto created = c.post_json(
      "/api/v1/documents",
      boost::json::object{
          {"title", title}, {"level", "secret"}, {"categories", boost::json::array{"finance"}}},
      u.token);
  EXPECT_EQ(created.status, 503) << created.body;
  EXPECT_EQ(created.body.find(title), std::string::npos);
  auto read = c.get("/api/v1/documents/" + existing + "/content", u.token);
  EXPECT_EQ(read.status, 503) << read.body.substr(0, 200);
  EXPECT_EQ(read.text().find("content before"), std::string::npos)
      << "content left without an audit entry";
  auto meta = c.get("/api/v1/documents/" + existing, u.token);
  EXPECT_EQ(meta.status, 503) << "an audited metadata read cannot happen either";
  auto upload = c.request("PUT", "/api/v1/documents/" + existing + "/content", "new content",
                          {{"Authorization", "Bearer " + u.token}});
  EXPECT_EQ(upload.status, 503) << upload.body;
  auto login_attempt = c.post_json(
      "/api/v1/session", boost::json::object{{"username", u.username}, {"password", u.password}});
  EXPECT_EQ(login_attempt.status, 503) << "a session that cannot be audited is not opened";

  mend_audit_store(*inst, db);

  // Nothing of the refused actions happened.
  auto list = c.get("/api/v1/documents?limit=500", u.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(title), std::string::npos)
      << "the document created during the outage exists";
  EXPECT_EQ(audit_entries(c, *inst, "actor=" + u.id + "&action=document.create").size(),
            creates_before);
  auto now_content = c.get("/api/v1/documents/" + existing + "/content", u.token);
  EXPECT_EQ(now_content.status, 200);
  EXPECT_EQ(now_content.text(), "content before the outage")
      << "the upload during the outage took effect";
  EXPECT_EQ(now_content.header("x-baomi-version"), "1");
  // And it works again.
  auto after = create_document(c, u.token, "After", "secret", {"finance"});
  EXPECT_FALSE(after.at("id").as_string().empty());
  EXPECT_EQ(c.get("/api/v1/documents/" + existing + "/content", u.token).status, 200);
  auto verify = c.get("/api/v1/audit/verify", auditor);
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
}

// An upload refused because its audit entry could not be written must leave nothing behind that
// blocks the document once the audit store is back (without a restart).
TEST(FailClosedTest, UploadRefusedDuringOutageDoesNotBlockLaterUploads) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  auto u = make_user(c, *inst, "writer", "staff", "internal", {});
  const std::string id(create_document(c, u.token, "Doc", "internal", {}).at("id").as_string());
  upload_content(c, u.token, id, "version one");
  {
    RawDb db(*inst);
    break_audit_store(*inst, db);
    auto refused = c.request("PUT", "/api/v1/documents/" + id + "/content", "version two",
                             {{"Authorization", "Bearer " + u.token}});
    EXPECT_EQ(refused.status, 503) << refused.body;
    mend_audit_store(*inst, db);
  }
  auto again = c.request("PUT", "/api/v1/documents/" + id + "/content", "version two",
                         {{"Authorization", "Bearer " + u.token}});
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", u.token).body, "version two")
      << "uploaded without a Content-Type: application/octet-stream, served unchanged";
}

}  // namespace
}  // namespace baomi::testing
