// Documents over real HTTPS: pledge (S2), clearance and need-to-know (S6), markings and custodians
// (S5), versions, listing, and the audit of every refusal (S9).
#include <gtest/gtest.h>

#include <algorithm>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

const std::vector<std::string> kFinPers{"finance", "personnel"};

class DocumentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    HttpsClient c(server_->port());
    // alice: author; carol: her document's custodian; bob lacks a category; ivy is cleared only
    // to internal; nina has everything but has not accepted the pledge.
    alice_ = new TestUser(make_user(c, *instance_, "alice", "staff", "secret", kFinPers));
    carol_ = new TestUser(make_user(c, *instance_, "carol", "custodian", "secret", kFinPers));
    bob_ = new TestUser(make_user(c, *instance_, "bob", "staff", "secret", {"finance"}));
    ivy_ = new TestUser(make_user(c, *instance_, "ivy", "staff", "internal", kFinPers));
    nina_ = new TestUser(make_user(c, *instance_, "nina", "staff", "secret", kFinPers, false));
    ready_ = true;
  }
  static void TearDownTestSuite() {
    for (auto* u : {alice_, carol_, bob_, ivy_, nina_}) delete u;
    delete server_;
    delete instance_;
    server_ = nullptr;
    instance_ = nullptr;
    ready_ = false;
  }
  HttpsClient client() { return HttpsClient(server_->port()); }
  static std::string id_of(const boost::json::object& doc) {
    return std::string(doc.at("id").as_string());
  }

  // A secret finance+personnel document by alice with content.
  std::string secret_doc(HttpsClient& c, std::string_view content = "payroll 2026") {
    auto doc = create_document(c, alice_->token, "Payroll", "secret", kFinPers);
    upload_content(c, alice_->token, id_of(doc), content);
    return id_of(doc);
  }

  static bool audited(HttpsClient& c, const TestUser& actor, const std::string& doc_id,
                      std::string_view action, std::string_view decision, std::string_view rule) {
    auto entries = audit_entries(
        c, *instance_,
        "actor=" + actor.id + "&document_id=" + doc_id + "&action=" + std::string(action));
    for (const auto& e : entries) {
      // The filters really filter.
      EXPECT_EQ(e.at("actor").as_string(), actor.id);
      EXPECT_EQ(e.at("target").as_string(), "document:" + doc_id);
      EXPECT_EQ(e.at("action").as_string(), action);
      if (e.at("decision").as_string() == decision && e.at("rule").as_string() == rule) return true;
    }
    return false;
  }

  // Tests stop at once, instead of crashing, when the suite's set-up threw.
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }
  static inline bool ready_ = false;
  static TestInstance* instance_;
  static ServerProcess* server_;
  static TestUser *alice_, *carol_, *bob_, *ivy_, *nina_;
};
TestInstance* DocumentsTest::instance_ = nullptr;
ServerProcess* DocumentsTest::server_ = nullptr;
TestUser *DocumentsTest::alice_, *DocumentsTest::carol_, *DocumentsTest::bob_, *DocumentsTest::ivy_,
    *DocumentsTest::nina_;

TEST_F(DocumentsTest, CreateReturnsTheDocumentedShape) {
  auto c = client();
  auto doc = create_document(c, alice_->token, "Plan", "internal", {"finance"},
                             {{"description", "the plan"}});
  for (const char* key : {"id", "title", "level", "categories", "marking", "custodian_id",
                          "version", "secret_until", "description"}) {
    EXPECT_TRUE(doc.contains(key)) << "missing " << key;
  }
  EXPECT_EQ(doc.at("title").as_string(), "Plan");
  EXPECT_EQ(doc.at("level").as_string(), "internal");
  EXPECT_EQ(doc.at("custodian_id").as_string(), alice_->id);  // defaults to the author
  EXPECT_EQ(doc.at("version").to_number<std::int64_t>(), 0);
}

// Issue 16: a title with a bidi override ("invoice\u202Egnp.exe" shows as "invoiceexe.png") or a
// zero-width character could pass for another in any list; it is refused, naming the field.
// Chinese text, full-width punctuation and emoji are ordinary titles.
TEST_F(DocumentsTest, SpoofingTitlesAreRefusedOrdinaryOnesKept) {
  auto c = client();
  for (const std::string title : {"invoice\u202Egnp.exe", "Pl\u200Ban", "\u2066Plan\u2069"}) {
    auto r = c.post_json(
        "/api/v1/documents",
        boost::json::object{
            {"title", title}, {"level", "internal"}, {"categories", boost::json::array{"finance"}}},
        alice_->token);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.error_code(), "invalid_field");
    EXPECT_NE(r.body.find("'title'"), std::string::npos) << r.body;
  }
  auto bad_description =
      c.post_json("/api/v1/documents",
                  boost::json::object{{"title", "Plan"},
                                      {"level", "internal"},
                                      {"categories", boost::json::array{"finance"}},
                                      {"description", "line one\nline \u202Etwo"}},
                  alice_->token);
  EXPECT_EQ(bad_description.status, 400) << bad_description.body;
  EXPECT_NE(bad_description.body.find("'description'"), std::string::npos);
  const std::string ordinary = "年度报告（草稿）：第一季度 📊 👩\u200D💻";
  auto doc = create_document(c, alice_->token, ordinary, "internal", {"finance"},
                             {{"description", "第一行\n第二行"}});
  EXPECT_EQ(doc.at("title").as_string(), ordinary);
}

// S2: nothing above public is read or created before the pledge (保密承诺) is accepted.
TEST_F(DocumentsTest, PledgeRequiredBeforeReadingAbovePublic_S2) {
  auto c = client();
  const auto id = secret_doc(c);
  auto meta = c.get("/api/v1/documents/" + id, nina_->token);
  EXPECT_EQ(meta.status, 403) << meta.body;
  EXPECT_EQ(meta.error_code(), "pledge_required");
  EXPECT_EQ(meta.json().at("error").at("rule").as_string(), "S2");
  auto content = c.get("/api/v1/documents/" + id + "/content", nina_->token);
  EXPECT_EQ(content.status, 403);
  EXPECT_EQ(content.error_code(), "pledge_required");
  EXPECT_EQ(content.text().find("payroll"), std::string::npos);
  auto created =
      c.post_json("/api/v1/documents",
                  boost::json::object{
                      {"title", "x"}, {"level", "internal"}, {"categories", boost::json::array{}}},
                  nina_->token);
  EXPECT_EQ(created.status, 403) << created.body;
  EXPECT_EQ(created.error_code(), "pledge_required");
  // Public documents need no pledge.
  auto pub = create_document(c, alice_->token, "Notice", "public", {});
  EXPECT_EQ(c.get("/api/v1/documents/" + id_of(pub), nina_->token).status, 200);
  EXPECT_TRUE(audited(c, *nina_, id, "document.read_metadata", "deny", "S2"));
}

TEST_F(DocumentsTest, CreateOnlyAtOrBelowOwnClearanceAndWithHeldCategories_S6) {
  auto c = client();
  auto above =
      c.post_json("/api/v1/documents",
                  boost::json::object{
                      {"title", "x"}, {"level", "secret"}, {"categories", boost::json::array{}}},
                  ivy_->token);
  EXPECT_EQ(above.status, 403) << above.body;
  EXPECT_EQ(above.json().at("error").at("rule").as_string(), "S6");
  auto way_above = c.post_json(
      "/api/v1/documents",
      boost::json::object{
          {"title", "x"}, {"level", "confidential"}, {"categories", boost::json::array{}}},
      alice_->token);
  EXPECT_EQ(way_above.status, 403) << way_above.body;
  auto foreign_category = c.post_json(
      "/api/v1/documents",
      boost::json::object{
          {"title", "x"}, {"level", "secret"}, {"categories", boost::json::array{"bidding"}}},
      alice_->token);
  EXPECT_EQ(foreign_category.status, 403) << foreign_category.body;
  EXPECT_EQ(foreign_category.error_code(), "need_to_know");
  // At and below one's clearance is fine.
  EXPECT_EQ(create_document(c, ivy_->token, "ok", "internal", {"finance"}).at("level").as_string(),
            "internal");
  EXPECT_EQ(create_document(c, alice_->token, "ok", "secret", kFinPers).at("level").as_string(),
            "secret");
}

// S6: a document above one's clearance does not exist for them: the same 404 as an unknown id.
TEST_F(DocumentsTest, MetadataBelowClearanceIsHiddenAs404_S6) {
  auto c = client();
  const auto id = secret_doc(c);
  auto hidden = c.get("/api/v1/documents/" + id, ivy_->token);
  auto unknown = c.get("/api/v1/documents/does-not-exist-" + random_suffix(), ivy_->token);
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(hidden.json().at("error"), unknown.json().at("error"));
  EXPECT_EQ(hidden.body.find("Payroll"), std::string::npos);
  auto content = c.get("/api/v1/documents/" + id + "/content", ivy_->token);
  EXPECT_EQ(content.status, 404) << content.body;
  EXPECT_TRUE(audited(c, *ivy_, id, "document.read_metadata", "deny", "S6"));
  EXPECT_TRUE(audited(c, *ivy_, id, "document.read_content", "deny", "S6"));
}

// S6: clearance lets bob know the document exists, but without every category he may not read it.
TEST_F(DocumentsTest, ContentWithoutNeedToKnowIs403AndAudited_S6_S9) {
  auto c = client();
  const auto id = secret_doc(c, "salaries of everyone");
  EXPECT_EQ(c.get("/api/v1/documents/" + id, bob_->token).status, 200);
  auto r = c.get("/api/v1/documents/" + id + "/content", bob_->token);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "need_to_know");
  EXPECT_EQ(r.json().at("error").at("rule").as_string(), "S6");
  EXPECT_EQ(r.text().find("salaries"), std::string::npos);
  EXPECT_TRUE(audited(c, *bob_, id, "document.read_content", "deny", "S6"));
  // The one who has the categories reads it.
  auto ok = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.text(), "salaries of everyone");
  EXPECT_TRUE(audited(c, *alice_, id, "document.read_content", "allow", "S6"));
}

// S5: the marking 秘密★<secrecy term> is on the metadata and on every view of the content.
TEST_F(DocumentsTest, MarkingAndViewIdOnEveryView_S5) {
  auto c = client();
  auto doc = create_document(c, alice_->token, "Marked", "secret", kFinPers,
                             {{"secret_until", "2030-12-31"}});
  const auto id = id_of(doc);
  upload_content(c, alice_->token, id, "marked content");
  // The raw UTF-8 bytes of 秘密★2030-12-31.
  const std::string expected =
      "\xE7\xA7\x98\xE5\xAF\x86\xE2\x98\x85"
      "2030-12-31";
  EXPECT_EQ(doc.at("marking").as_string(), expected);
  auto meta = c.get("/api/v1/documents/" + id, alice_->token);
  ASSERT_EQ(meta.status, 200);
  EXPECT_EQ(meta.json().at("marking").as_string(), expected);
  EXPECT_NE(meta.body.find(expected), std::string::npos) << "marking is sent as raw UTF-8";
  EXPECT_EQ(meta.header("cache-control"), "no-store");

  auto v1 = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  auto v2 = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  ASSERT_EQ(v1.status, 200) << v1.body;
  EXPECT_EQ(v1.text(), "marked content");
  EXPECT_EQ(v1.header("x-baomi-marking"), expected);
  EXPECT_FALSE(v1.header("x-baomi-view-id").empty());
  EXPECT_NE(v1.header("x-baomi-view-id"), v2.header("x-baomi-view-id")) << "each view is its own";
  EXPECT_EQ(v1.header("cache-control"), "no-store");
  // The view id ties the view to its audit entry.
  bool found = false;
  for (const auto& e :
       audit_entries(c, *instance_, "document_id=" + id + "&action=document.read_content")) {
    found = found || boost::json::serialize(e.at("detail")).find(v1.header("x-baomi-view-id")) !=
                         std::string::npos;
  }
  EXPECT_TRUE(found) << "view id " << v1.header("x-baomi-view-id") << " not in the audit trail";
  // A public document's marking is 公开 with no term.
  auto pub = create_document(c, alice_->token, "Open", "public", {});
  EXPECT_EQ(pub.at("marking").as_string(), "\xE5\x85\xAC\xE5\xBC\x80");
}

// Code points of UTF-8 `text` other than spaces and line breaks: the characters that each carry
// one fingerprint symbol in a view (for text without combining marks or other clusters).
std::size_t visible_characters(std::string_view text) {
  std::size_t n = 0;
  for (char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    n += (b & 0xC0) != 0x80 && ch != ' ' && ch != '\n';
  }
  return n;
}

// S7: a text view is marked for its reader with an invisible fingerprint of its view id, one
// symbol (U+FE04..U+FE07) after each visible character. What it says is exactly what was
// uploaded; each view carries its own id, so two views by the same reader differ. (That the
// symbols decode to X-Baomi-View-Id is checked where the key is at hand: the services unit
// test DocumentsTest.TextViewFingerprintNamesItsViewEvenInAnExcerpt_S7.)
TEST_F(DocumentsTest, TextViewsCarryAnInvisibleFingerprintOfTheirView_S7) {
  auto c = client();
  std::string text;
  for (int i = 1; i <= 6; ++i) {
    text += "\xE7\xAC\xAC" + std::to_string(i) +  // 第i条 客户资料保密。
            "\xE6\x9D\xA1 \xE5\xAE\xA2\xE6\x88\xB7\xE8\xB5\x84\xE6\x96\x99"
            "\xE4\xBF\x9D\xE5\xAF\x86\xE3\x80\x82 Clause " +
            std::to_string(i) + ": customer records stay secret.\n";
  }
  const auto id = secret_doc(c, text);
  auto v1 = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  auto v2 = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  ASSERT_EQ(v1.status, 200) << v1.body;
  ASSERT_EQ(v2.status, 200) << v2.body;
  EXPECT_EQ(v1.header("content-type"), "text/plain; charset=utf-8");
  // With the symbols removed, the view is the upload, byte for byte.
  EXPECT_EQ(v1.text(), text);
  EXPECT_EQ(v2.text(), text);
  // The raw view holds them: one after each visible character, nothing else added.
  EXPECT_NE(v1.body, text);
  EXPECT_EQ(fingerprint_symbols(v1.body), visible_characters(text));
  EXPECT_EQ(fingerprint_symbols(v2.body), visible_characters(text));
  EXPECT_EQ(v1.body.size(), text.size() + 3 * visible_characters(text));
  // The view is longer than what is stored: it is sent chunked, without a Content-Length.
  EXPECT_EQ(v1.header("content-length"), "");
  EXPECT_NE(v1.header("transfer-encoding").find("chunked"), std::string::npos);
  // Every view is its own: different ids (16 hex digits, the 64-bit payload), different marks.
  for (const auto* v : {&v1, &v2}) {
    const auto view_id = v->header("x-baomi-view-id");
    EXPECT_EQ(view_id.size(), 16u) << view_id;
    EXPECT_EQ(view_id.find_first_not_of("0123456789abcdef"), std::string::npos) << view_id;
  }
  EXPECT_NE(v1.header("x-baomi-view-id"), v2.header("x-baomi-view-id"));
  EXPECT_NE(v1.body, v2.body) << "two views by the same reader carry the same fingerprint";
}

// S7 marks text only: binary content, even bytes that look like fingerprint symbols, is served
// unchanged and with its length.
TEST_F(DocumentsTest, BinaryViewsAreServedUnchangedWithTheirLength_S7) {
  auto c = client();
  const std::string bytes("\x00\xFF binary \xEF\xB8\x84\xEF\xB8\x87 \xC3(\x80", 20);
  const auto id = id_of(create_document(c, alice_->token, "Blob", "secret", kFinPers));
  upload_content(c, alice_->token, id, bytes, "application/octet-stream");
  auto v = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(v.body, bytes);
  EXPECT_EQ(fingerprint_symbols(v.body), 2u) << "only the uploaded look-alikes";
  EXPECT_EQ(v.header("content-length"), std::to_string(bytes.size()));
  EXPECT_EQ(v.header("content-type"), "application/octet-stream");
  EXPECT_EQ(v.header("x-baomi-view-id").size(), 16u);
}

// Text views are fingerprinted, which needs well-formed UTF-8 (S7): a text/* upload that is not
// is refused with 415 invalid_text and changes nothing; the same bytes as binary are accepted.
TEST_F(DocumentsTest, TextUploadsMustBeWellFormedUtf8_S7) {
  auto c = client();
  const auto id = secret_doc(c, "valid text");
  const std::vector<std::string> malformed{
      "GBK \xC4\xE3\xBA\xC3",    // another encoding
      "stray \xFF byte",         // never in UTF-8
      "overlong \xC0\xAF",       // overlong form of '/'
      "surrogate \xED\xA0\x80",  // UTF-16 surrogate
      "cut off \xE6\x9C",        // ends inside a sequence
  };
  for (const auto& bad : malformed) {
    for (const char* type : {"text/plain; charset=utf-8", "Text/Markdown"}) {
      auto r = c.request("PUT", "/api/v1/documents/" + id + "/content", bad,
                         {{"Authorization", "Bearer " + alice_->token}, {"Content-Type", type}});
      EXPECT_EQ(r.status, 415) << type << " " << bad << ": " << r.body;
      EXPECT_EQ(r.error_code(), "invalid_text") << type << " " << bad;
    }
  }
  auto meta = c.get("/api/v1/documents/" + id, alice_->token);
  ASSERT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(meta.json().at("version").to_number<std::int64_t>(), 1)
      << "a refused upload made a version";
  auto current = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  EXPECT_EQ(current.text(), "valid text");
  EXPECT_EQ(current.header("x-baomi-version"), "1");
  // Binary content is uploaded as such, and comes back unchanged.
  for (std::size_t i = 0; i < malformed.size(); ++i) {
    auto up = upload_content(c, alice_->token, id, malformed[i], "application/octet-stream");
    EXPECT_EQ(up.at("version").to_number<std::int64_t>(), static_cast<std::int64_t>(i + 2));
    EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", alice_->token).body, malformed[i]);
  }
}

// S5: corrections are new versions; superseded versions stay with the custodian.
TEST_F(DocumentsTest, NewVersionsAndOldVersionsForTheCustodianOnly_S5) {
  auto c = client();
  auto doc = create_document(c, alice_->token, "Contract", "secret", kFinPers,
                             {{"custodian_id", carol_->id}});
  const auto id = id_of(doc);
  EXPECT_EQ(doc.at("custodian_id").as_string(), carol_->id);
  auto up1 = upload_content(c, alice_->token, id, "version one");   // the author may upload
  auto up2 = upload_content(c, carol_->token, id, "version two!");  // and so may the custodian
  EXPECT_EQ(up1.at("version").to_number<std::int64_t>(), 1);
  EXPECT_EQ(up2.at("version").to_number<std::int64_t>(), 2);
  EXPECT_EQ(up2.at("size").to_number<std::int64_t>(), 12);
  EXPECT_EQ(up1.at("sha256").as_string().size(), 64u);
  EXPECT_NE(up1.at("sha256"), up2.at("sha256"));

  auto meta = c.get("/api/v1/documents/" + id, alice_->token).json();
  EXPECT_EQ(meta.at("version").to_number<std::int64_t>(), 2);
  EXPECT_EQ(meta.at("sha256"), up2.at("sha256"));

  auto current = c.get("/api/v1/documents/" + id + "/content", alice_->token);
  EXPECT_EQ(current.text(), "version two!");
  EXPECT_EQ(current.header("x-baomi-version"), "2");
  auto old_by_custodian = c.get("/api/v1/documents/" + id + "/content?version=1", carol_->token);
  EXPECT_EQ(old_by_custodian.status, 200);
  EXPECT_EQ(old_by_custodian.text(), "version one");
  auto old_by_author = c.get("/api/v1/documents/" + id + "/content?version=1", alice_->token);
  EXPECT_EQ(old_by_author.status, 403) << old_by_author.body;
  EXPECT_EQ(old_by_author.json().at("error").at("rule").as_string(), "S5");
  EXPECT_EQ(old_by_author.text().find("version one"), std::string::npos);
  auto explicit_current = c.get("/api/v1/documents/" + id + "/content?version=2", alice_->token);
  EXPECT_EQ(explicit_current.text(), "version two!");
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content?version=9", carol_->token).status, 404);
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content?version=x", carol_->token).status, 400);
  EXPECT_TRUE(audited(c, *alice_, id, "document.read_content", "deny", "S5"));
  // Someone with need-to-know who is neither author nor custodian may not upload.
  auto other = make_user(c, *instance_, "other-" + random_suffix(), "staff", "secret", kFinPers);
  auto refused = c.request("PUT", "/api/v1/documents/" + id + "/content", "overwrite",
                           {{"Authorization", "Bearer " + other.token}});
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", alice_->token).text(), "version two!");
}

TEST_F(DocumentsTest, CustodianMustBeClearedForTheDocument_S5) {
  auto c = client();
  auto r =
      c.post_json("/api/v1/documents",
                  boost::json::object{{"title", "x"},
                                      {"level", "secret"},
                                      {"categories", boost::json::array{"finance", "personnel"}},
                                      {"custodian_id", bob_->id}},
                  alice_->token);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("custodian_id"), std::string::npos);
}

TEST_F(DocumentsTest, ContentBeforeAnyUploadIs404) {
  auto c = client();
  auto doc = create_document(c, alice_->token, "Empty", "internal", {});
  EXPECT_EQ(c.get("/api/v1/documents/" + id_of(doc) + "/content", alice_->token).status, 404);
}

// S6: the list shows exactly the documents whose existence one may know.
TEST_F(DocumentsTest, ListShowsOnlyWhatOneMayKnow_S6) {
  auto c = client();
  const auto pub = id_of(create_document(c, alice_->token, "L-public", "public", {}));
  const auto internal =
      id_of(create_document(c, alice_->token, "L-internal", "internal", {"finance"}));
  const auto secret = id_of(create_document(c, alice_->token, "L-secret", "secret", {"finance"}));
  auto ids_seen_by = [&](const std::string& token) {
    std::vector<std::string> ids;
    std::string cursor;
    for (;;) {
      auto r =
          c.get("/api/v1/documents?limit=500" + (cursor.empty() ? "" : "&cursor=" + cursor), token);
      EXPECT_EQ(r.status, 200) << r.body;
      EXPECT_EQ(r.header("cache-control"), "no-store");
      auto page = r.json().as_object();
      for (const auto& d : page.at("items").as_array()) ids.emplace_back(d.at("id").as_string());
      if (page.at("next_cursor").is_null()) break;
      cursor = std::string(page.at("next_cursor").as_string());
    }
    return ids;
  };
  auto has = [](const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  const auto ivy_sees = ids_seen_by(ivy_->token);
  EXPECT_TRUE(has(ivy_sees, pub));
  EXPECT_TRUE(has(ivy_sees, internal));
  EXPECT_FALSE(has(ivy_sees, secret)) << "S6: a secret document is listed for an internal reader";
  const auto alice_sees = ids_seen_by(alice_->token);
  EXPECT_TRUE(has(alice_sees, pub));
  EXPECT_TRUE(has(alice_sees, internal));
  EXPECT_TRUE(has(alice_sees, secret));
  // Listing reveals nothing about what one may not know: not its title either.
  auto raw = c.get("/api/v1/documents?limit=500", ivy_->token);
  EXPECT_EQ(raw.body.find("L-secret"), std::string::npos);
}

// S9: the audit trail, filtered by actor, document and action, holds each refusal exactly for
// what was asked.
TEST_F(DocumentsTest, EveryRefusalIsAuditedAndFiltersWork_S9) {
  auto c = client();
  auto prober = make_user(c, *instance_, "prober-" + random_suffix(), "staff", "internal", {});
  const auto id = secret_doc(c);
  const auto open_id = id_of(create_document(c, alice_->token, "Open", "internal", {"finance"}));
  EXPECT_EQ(c.get("/api/v1/documents/" + id, prober.token).status, 404);
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", prober.token).status, 404);
  EXPECT_EQ(c.get("/api/v1/documents/" + open_id + "/content", prober.token).status, 403);
  const auto unknown = "nope-" + random_suffix();
  EXPECT_EQ(c.get("/api/v1/documents/" + unknown, prober.token).status, 404);

  auto all = audit_entries(c, *instance_, "actor=" + prober.id);
  int denies = 0;
  for (const auto& e : all) {
    EXPECT_EQ(e.at("actor").as_string(), prober.id);
    if (e.at("decision").as_string() == "deny") ++denies;
  }
  EXPECT_GE(denies, 4) << "S9: every refused attempt is audited";
  EXPECT_TRUE(audited(c, prober, id, "document.read_metadata", "deny", "S6"));
  EXPECT_TRUE(audited(c, prober, id, "document.read_content", "deny", "S6"));
  EXPECT_TRUE(audited(c, prober, open_id, "document.read_content", "deny", "S6"));
  auto probe = audit_entries(c, *instance_, "actor=" + prober.id + "&document_id=" + unknown);
  ASSERT_EQ(probe.size(), 1u) << "S9: asking about a document that does not exist is audited";
  EXPECT_EQ(probe[0].at("decision").as_string(), "deny");
  // Filtering by action alone returns only that action.
  for (const auto& e : audit_entries(c, *instance_, "action=document.create")) {
    EXPECT_EQ(e.at("action").as_string(), "document.create");
  }
  // Each entry has the documented fields.
  ASSERT_FALSE(all.empty());
  for (const char* key : {"seq", "time", "actor", "action", "target", "decision", "rule", "hash"}) {
    EXPECT_TRUE(all.front().contains(key)) << key;
  }
}

TEST_F(DocumentsTest, UnknownLevelOrCategoryIs400) {
  auto c = client();
  auto level = c.post_json(
      "/api/v1/documents",
      boost::json::object{{"title", "x"}, {"level", "ultra"}, {"categories", boost::json::array{}}},
      alice_->token);
  EXPECT_EQ(level.status, 400) << level.body;
  EXPECT_NE(level.body.find("level"), std::string::npos);
  auto cat = c.post_json(
      "/api/v1/documents",
      boost::json::object{
          {"title", "x"}, {"level", "internal"}, {"categories", boost::json::array{"gossip"}}},
      alice_->token);
  EXPECT_EQ(cat.status, 400) << cat.body;
  auto past = c.post_json("/api/v1/documents",
                          boost::json::object{{"title", "x"},
                                              {"level", "internal"},
                                              {"categories", boost::json::array{}},
                                              {"secret_until", "2001-01-01"}},
                          alice_->token);
  EXPECT_EQ(past.status, 400) << past.body;
  EXPECT_NE(past.body.find("secret_until"), std::string::npos);
}

}  // namespace
}  // namespace baomi::testing
