// Leak investigations over HTTPS (S10, S9): the auditor opens a case, adds leaked artifacts as
// evidence and each is traced to its source: a text copy or excerpt (invisible fingerprint →
// serial → holder), a text view (view fingerprint → view id → reader and audit entry), a paste
// mixing several (each with its position), a customer export CSV (the export trace), a print
// (the serial in the PDF's text layer and its hidden mark); the timeline lists the documents' audit
// entries in order, paged; anyone else finds no case (404, audited); a closed case is read-only
// (409). Prints are also traced by their hidden mark (an invisible keyed token on every page).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

// Code points [from, to) of UTF-8 text (fingerprint symbols count as code points: a paste
// starts and ends anywhere).
std::string utf8_slice(const std::string& s, std::size_t from, std::size_t to) {
  std::size_t cp = 0, begin = s.size(), end = s.size();
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (cp == from) begin = i;
    if (cp == to) {
      end = i;
      break;
    }
    ++cp;
  }
  return begin >= end ? std::string() : s.substr(begin, end - begin);
}

std::string prose() {
  const std::string paragraph =
      "第三季度客户服务中心的投诉处理情况如下：电话渠道共受理投诉一千二百件，平均处理时长为"
      "三天，较上季度缩短半天。售后组负责的退换货工单中，有百分之八超过承诺时限，主要原因是"
      "备件库存不足。下季度的重点是完善交接流程，确保每一张交接单在次日得到确认。";
  std::string out;
  for (int i = 1; i <= 6; ++i) out += "第" + std::to_string(i) + "段。" + paragraph + "\n";
  return out;
}

class InvestigationsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    inst = TestInstance::create().release();
    server = inst->start().release();
    HttpsClient c(server->port());
    custodian = new TestUser(
        make_user(c, *inst, "inv.keeper", "custodian", "confidential", {"business_decisions"}));
    holder =
        new TestUser(make_user(c, *inst, "inv.staff", "staff", "secret", {"business_decisions"}));
    reader =
        new TestUser(make_user(c, *inst, "inv.reader", "staff", "secret", {"business_decisions"}));
    supervisor = new TestUser(make_user(c, *inst, "inv.super", "supervisor", "secret", {}));
    auditor = inst->admin_token(c, "auditor");
    doc_id = std::string(create_document(c, custodian->token, "第三季度投诉分析", "secret",
                                         {"business_decisions"}, {{"secret_until", "2031-06-30"}})
                             .at("id")
                             .as_string());
    upload_content(c, custodian->token, doc_id, prose());
  }
  static void TearDownTestSuite() {
    for (auto* u : {custodian, holder, reader, supervisor}) delete u;
    delete server;
    delete inst;
  }

  // An approved request of `type` by `who`, its copy issued: {serial, artifact body}.
  std::pair<std::string, std::string> issued(const TestUser& who, std::string_view type,
                                             json::object extra = {}) {
    extra["type"] = type;
    extra["document_id"] = doc_id;
    extra["reason"] = "向客户说明投诉处理情况";
    extra["copies"] = 1;
    auto asked = client.post_json("/api/v1/requests", extra, who.token);
    EXPECT_EQ(asked.status, 201) << asked.body;
    const std::string id(asked.json().at("id").as_string());
    auto ok = client.post_json("/api/v1/requests/" + id + "/approve",
                               json::object{{"comment", "同意"}}, custodian->token);
    EXPECT_EQ(ok.status, 200) << ok.body;
    auto copy = client.post_json("/api/v1/copies", json::object{{"request_id", id}}, who.token);
    EXPECT_EQ(copy.status, 201) << copy.body;
    const std::string serial(copy.json().at("serial").as_string());
    auto artifact = client.get("/api/v1/copies/" + serial + "/artifact", who.token);
    EXPECT_EQ(artifact.status, 200) << artifact.body;
    return {serial, artifact.body};
  }

  std::string open_case(const json::array& documents = {}) {
    auto r = client.post_json("/api/v1/investigations",
                              json::object{{"title", "第三季度投诉分析外泄"},
                                           {"reason", "微信群里出现了报告原文"},
                                           {"document_ids", documents}},
                              auditor);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }

  HttpResponse add_evidence(const std::string& case_id, const std::string& bytes,
                            std::string_view type = "text/plain; charset=utf-8",
                            const std::string& token = {}) {
    return client.request("POST", "/api/v1/investigations/" + case_id + "/evidence?note=wechat",
                          bytes,
                          {{"Authorization", "Bearer " + (token.empty() ? auditor : token)},
                           {"Content-Type", std::string(type)}});
  }

  static json::array matches_of(const HttpResponse& r) { return r.json().at("matches").as_array(); }

  static inline TestInstance* inst = nullptr;
  static inline ServerProcess* server = nullptr;
  static inline TestUser *custodian = nullptr, *holder = nullptr, *reader = nullptr,
                         *supervisor = nullptr;
  static inline std::string auditor, doc_id;
  HttpsClient client{server->port()};
};

TEST_F(InvestigationsTest, AuditorOpensListsAndClosesACase_S10) {
  auto opened = client.post_json("/api/v1/investigations",
                                 json::object{{"title", "报告外泄"},
                                              {"reason", "客户转来截图"},
                                              {"document_ids", json::array{doc_id.c_str()}}},
                                 auditor);
  ASSERT_EQ(opened.status, 201) << opened.body;
  const auto inv = opened.json().as_object();
  const std::string id(inv.at("id").as_string());
  EXPECT_EQ(inv.at("state").as_string(), "open");
  EXPECT_EQ(inv.at("title").as_string(), "报告外泄");
  EXPECT_EQ(inv.at("reason").as_string(), "客户转来截图");
  EXPECT_EQ(inv.at("document_ids").as_array().size(), 1u);
  EXPECT_FALSE(inv.at("opened_by").as_string().empty());
  EXPECT_FALSE(inv.at("opened_at").as_string().empty());

  auto got = client.get("/api/v1/investigations/" + id, auditor);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json().at("title").as_string(), "报告外泄");
  auto listed = client.get("/api/v1/investigations?state=open&limit=500", auditor);
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool found = false;
  const auto listed_json = listed.json();
  for (const auto& i : listed_json.at("items").as_array()) found |= i.at("id").as_string() == id;
  EXPECT_TRUE(found);
  EXPECT_EQ(client.get("/api/v1/investigations?state=maybe", auditor).status, 400);

  auto closed = client.post_json("/api/v1/investigations/" + id + "/close",
                                 json::object{{"finding", "外泄来自一份已收回的复印件"}}, auditor);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json().at("state").as_string(), "closed");
  EXPECT_EQ(closed.json().at("finding").as_string(), "外泄来自一份已收回的复印件");
  auto closed_list = client.get("/api/v1/investigations?state=closed&limit=500", auditor);
  found = false;
  const auto closed_json = closed_list.json();
  for (const auto& i : closed_json.at("items").as_array()) {
    found |= i.at("id").as_string() == id;
  }
  EXPECT_TRUE(found);

  // A closed case is read-only.
  auto again = client.post_json("/api/v1/investigations/" + id + "/close",
                                json::object{{"finding", "改口"}}, auditor);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "investigation_closed");
  auto late = add_evidence(id, "late text");
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(late.error_code(), "investigation_closed");
  // Still readable.
  EXPECT_EQ(client.get("/api/v1/investigations/" + id + "/timeline", auditor).status, 200);
}

TEST_F(InvestigationsTest, EveryoneButTheAuditorFindsNoCaseAndIsAudited_S10_S9) {
  const auto id = open_case();
  const auto secadmin = inst->admin_token(client, "secadmin");
  for (const std::string* token :
       std::initializer_list<const std::string*>{&holder->token, &custodian->token, &secadmin}) {
    auto read = client.get("/api/v1/investigations/" + id, *token);
    EXPECT_EQ(read.status, 404) << read.body;
    EXPECT_EQ(client.get("/api/v1/investigations", *token).status, 404);
    EXPECT_EQ(client.get("/api/v1/investigations/" + id + "/timeline", *token).status, 404);
    auto opened = client.post_json("/api/v1/investigations",
                                   json::object{{"title", "x"}, {"reason", "y"}}, *token);
    EXPECT_EQ(opened.status, 404) << opened.body;
    EXPECT_EQ(add_evidence(id, "text", "text/plain", *token).status, 404);
    auto file =
        client.request("POST", "/api/v1/investigations", "GIF89a",
                       {{"Authorization", "Bearer " + *token}, {"Content-Type", "image/gif"}});
    EXPECT_EQ(file.status, 404) << "not a 415: the endpoint answers nothing else to them";
    auto closed = client.post_json("/api/v1/investigations/" + id + "/close",
                                   json::object{{"finding", "z"}}, *token);
    EXPECT_EQ(closed.status, 404);
  }
  // The same answer as for a case that does not exist.
  EXPECT_EQ(client.get("/api/v1/investigations/nosuchcase", auditor).status, 404);
  // S9: each refusal is on the trail.
  const auto refusals =
      audit_entries(client, *inst, "action=investigation.read&actor=" + holder->id);
  ASSERT_FALSE(refusals.empty());
  EXPECT_EQ(refusals.back().at("decision").as_string(), "deny");
  EXPECT_EQ(refusals.back().at("target").as_string(), "investigation:" + id);
}

TEST_F(InvestigationsTest, TextCopyAndExcerptTracedToTheirHolder_S10_S7) {
  const auto [copy_serial, copy_text] = issued(*holder, "copy");
  const auto [excerpt_serial, excerpt_text] =
      issued(*reader, "excerpt", {{"excerpt", json::object{{"from", 40}, {"to", 400}}}});
  const auto id = open_case();

  // 200 characters from the middle of the copy, as pasted into a chat.
  auto r = add_evidence(id, utf8_slice(copy_text, 300, 500));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto e = r.json().as_object();
  EXPECT_FALSE(e.at("evidence_id").as_string().empty());
  EXPECT_EQ(e.at("sha256").as_string().size(), 64u);
  EXPECT_GT(e.at("size").as_int64(), 0);
  auto matches = matches_of(r);
  ASSERT_EQ(matches.size(), 1u) << r.body;
  EXPECT_EQ(matches[0].at("method").as_string(), "fingerprint");
  EXPECT_EQ(matches[0].at("kind").as_string(), "copy");
  EXPECT_EQ(matches[0].at("serial").as_string(), copy_serial);
  EXPECT_EQ(matches[0].at("holder_id").as_string(), holder->id);
  EXPECT_EQ(matches[0].at("document_id").as_string(), doc_id);
  EXPECT_EQ(matches[0].at("version").as_int64(), 1);
  EXPECT_FALSE(matches[0].at("issued_at").as_string().empty());
  EXPECT_FALSE(matches[0].at("evidence").as_string().empty());

  auto ex = add_evidence(id, utf8_slice(excerpt_text, 100, 300));
  ASSERT_EQ(ex.status, 201) << ex.body;
  matches = matches_of(ex);
  ASSERT_GE(matches.size(), 1u) << ex.body;
  EXPECT_EQ(matches[0].at("serial").as_string(), excerpt_serial);
  EXPECT_EQ(matches[0].at("holder_id").as_string(), reader->id);

  // The evidence is kept with the case, byte for byte.
  auto listed = client.get("/api/v1/investigations/" + id + "/evidence", auditor);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.json().at("items").as_array().size(), 2u);
  const std::string first_id(listed.json().at("items").as_array()[0].at("evidence_id").as_string());
  auto artifact =
      client.get("/api/v1/investigations/" + id + "/evidence/" + first_id + "/artifact", auditor);
  ASSERT_EQ(artifact.status, 200);
  EXPECT_EQ(artifact.body, utf8_slice(copy_text, 300, 500));
}

// The auditor sees who, not ids: every answer about a case names the accounts it mentions
// (`people`: username, display name and department only).
TEST_F(InvestigationsTest, AnswersNameTheHoldersAndActorsTheyMention_S10) {
  const auto [serial, text] = issued(*holder, "copy");
  const auto id = open_case(json::array{doc_id.c_str()});
  auto r = add_evidence(id, utf8_slice(text, 300, 500));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto answer = r.json();
  const auto& people = answer.at("people").as_object();
  ASSERT_TRUE(people.contains(holder->id)) << r.body;
  const auto& who = people.at(holder->id).as_object();
  EXPECT_EQ(who.at("username").as_string(), holder->username);
  EXPECT_FALSE(who.at("display_name").as_string().empty());
  EXPECT_EQ(who.at("department").as_string(), "general_cs");
  EXPECT_EQ(who.size(), 3u) << "a name and a department, never roles or clearance";
  // The holder and the auditor who added the evidence: nobody the answer does not mention.
  EXPECT_EQ(people.size(), 2u) << r.body;

  auto holders = client.get("/api/v1/investigations/" + id + "/copy-holders", auditor);
  ASSERT_EQ(holders.status, 200) << holders.body;
  EXPECT_TRUE(holders.json().at("people").as_object().contains(holder->id)) << holders.body;

  auto timeline = client.get("/api/v1/investigations/" + id + "/timeline?limit=200", auditor);
  ASSERT_EQ(timeline.status, 200) << timeline.body;
  const auto events = timeline.json();
  const auto& actors = events.at("people").as_object();
  EXPECT_EQ(actors.at(custodian->id).at("username").as_string(), custodian->username);
  EXPECT_TRUE(actors.contains(holder->id));

  auto one = client.get("/api/v1/investigations/" + id, auditor);
  ASSERT_EQ(one.status, 200) << one.body;
  const std::string opener(one.json().at("opened_by").as_string());
  EXPECT_EQ(one.json().at("people").at(opener).at("username").as_string(), "auditor");

  auto trail = client.get("/api/v1/audit?action=copy.issue", auditor);
  ASSERT_EQ(trail.status, 200) << trail.body;
  EXPECT_TRUE(trail.json().at("people").as_object().contains(holder->id)) << trail.body;
}

TEST_F(InvestigationsTest, ViewPasteTracedToReaderAndAuditEntry_S10) {
  auto view = client.get("/api/v1/documents/" + doc_id + "/content", reader->token);
  ASSERT_EQ(view.status, 200) << view.body;
  const auto view_id = view.header("x-baomi-view-id");
  ASSERT_EQ(view_id.size(), 16u);
  const auto id = open_case();
  auto r = add_evidence(id, utf8_slice(view.body, 50, 260));
  ASSERT_EQ(r.status, 201) << r.body;
  const auto matches = matches_of(r);
  ASSERT_EQ(matches.size(), 1u) << r.body;
  EXPECT_EQ(matches[0].at("kind").as_string(), "view");
  EXPECT_EQ(matches[0].at("method").as_string(), "fingerprint");
  EXPECT_EQ(matches[0].at("view_id").as_string(), view_id);
  EXPECT_EQ(matches[0].at("holder_id").as_string(), reader->id);
  EXPECT_EQ(matches[0].at("document_id").as_string(), doc_id);
  EXPECT_FALSE(matches[0].at("viewed_at").as_string().empty());
  // The audit entry of that very view.
  const auto seq = matches[0].at("audit_seq").as_int64();
  bool found = false;
  for (const auto& entry :
       audit_entries(client, *inst, "action=document.read_content&actor=" + reader->id)) {
    if (entry.at("seq").as_int64() == seq) found = true;
  }
  EXPECT_TRUE(found) << "audit_seq " << seq << " is the reader's document.read_content entry";
}

TEST_F(InvestigationsTest, MixedPasteNamesEverySourceWithItsPosition_S10) {
  const auto [serial, copy_text] = issued(*holder, "copy");
  auto view = client.get("/api/v1/documents/" + doc_id + "/content", reader->token);
  ASSERT_EQ(view.status, 200);
  // About 200 visible characters from each (a fingerprint symbol follows each of them).
  const std::string first = utf8_slice(copy_text, 200, 620);
  const std::string second = utf8_slice(view.body, 100, 520);
  const std::string paste = first + "\n——转发自另一个群——\n" + second;
  const auto id = open_case();
  auto r = add_evidence(id, paste);
  ASSERT_EQ(r.status, 201) << r.body;
  const auto matches = matches_of(r);
  ASSERT_EQ(matches.size(), 2u) << r.body;
  std::set<std::string> kinds;
  std::map<std::string, std::pair<std::size_t, std::size_t>> where;
  for (const auto& m : matches) {
    const std::string kind(m.at("kind").as_string());
    kinds.insert(kind);
    const auto& pos = m.at("position").as_object();
    where[kind] = {static_cast<std::size_t>(pos.at("from").as_int64()),
                   static_cast<std::size_t>(pos.at("to").as_int64())};
    ASSERT_LT(where[kind].first, where[kind].second);
    ASSERT_LE(where[kind].second, paste.size());
    if (kind == "copy") {
      EXPECT_EQ(m.at("serial").as_string(), serial);
    } else {
      EXPECT_EQ(m.at("holder_id").as_string(), reader->id);
    }
  }
  // Each source where it was pasted (to within one 64-character frame at the seam: a frame
  // cut by the seam may still verify when only its last symbols come from the other source).
  EXPECT_LT(where["copy"].first, first.size());
  EXPECT_GT(where["view"].second, first.size());
  EXPECT_LT(where["copy"].first, where["view"].first);
  EXPECT_LT(where["copy"].second, where["view"].second);
  EXPECT_EQ(kinds, (std::set<std::string>{"copy", "view"}));
}

TEST_F(InvestigationsTest, PrintTracedByTheSerialInThePdfTextLayer_S10_S5) {
  const auto [serial, pdf] = issued(*holder, "print");
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  const auto id = open_case();
  auto r = add_evidence(id, pdf, "application/pdf");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto matches = matches_of(r);
  // Two channels name the same copy: the printed serial, and the hidden mark (an invisible
  // keyed token on every page) that outlives the visible marks being cut off.
  ASSERT_EQ(matches.size(), 2u) << r.body;
  std::set<std::string> methods;
  for (const auto& m : matches) {
    methods.insert(std::string(m.at("method").as_string()));
    EXPECT_EQ(m.at("kind").as_string(), "copy");
    EXPECT_EQ(m.at("serial").as_string(), serial);
    EXPECT_EQ(m.at("holder_id").as_string(), holder->id);
    EXPECT_EQ(m.at("document_id").as_string(), doc_id);
    EXPECT_EQ(m.at("position").at("page").as_int64(), 1);
  }
  EXPECT_EQ(methods, (std::set<std::string>{"visible_serial", "fingerprint"}));
  // A damaged PDF is a clear 400, not a crash.
  auto bad = add_evidence(id, "%PDF-1.7 nothing else", "application/pdf");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.error_code(), "invalid_pdf");
}

TEST_F(InvestigationsTest, CustomerExportCsvTracedByTheExportTrace_S10_C2) {
  auto customer =
      client.post_json("/api/v1/customers",
                       json::object{{"name", "王女士"}, {"phone", "13911112222"}}, holder->token);
  ASSERT_EQ(customer.status, 201) << customer.body;
  auto asked = client.post_json(
      "/api/v1/requests",
      json::object{{"type", "export"},
                   {"reason", "回访名单"},
                   {"customers", json::object{{"fields", json::array{"name", "phone"}}}}},
      holder->token);
  ASSERT_EQ(asked.status, 201) << asked.body;
  const std::string request_id(asked.json().at("id").as_string());
  ASSERT_EQ(client
                .post_json("/api/v1/requests/" + request_id + "/approve",
                           json::object{{"comment", "同意"}}, supervisor->token)
                .status,
            200);
  auto copy =
      client.post_json("/api/v1/copies", json::object{{"request_id", request_id}}, holder->token);
  ASSERT_EQ(copy.status, 201) << copy.body;
  const std::string serial(copy.json().at("serial").as_string());
  auto csv = client.get("/api/v1/copies/" + serial + "/artifact", holder->token);
  ASSERT_EQ(csv.status, 200);
  const auto id = open_case();
  auto r = add_evidence(id, csv.body, "text/csv");
  ASSERT_EQ(r.status, 201) << r.body;
  bool row = false;
  for (const auto& m : matches_of(r)) {
    EXPECT_EQ(m.at("kind").as_string(), "export");
    EXPECT_EQ(m.at("serial").as_string(), serial);
    EXPECT_EQ(m.at("holder_id").as_string(), holder->id);
    EXPECT_TRUE(m.at("document_id").is_null());
    row |= m.at("method").as_string() == "export_row";
  }
  EXPECT_TRUE(row) << r.body;
}

TEST_F(InvestigationsTest, ArtifactWithoutMarksGivesNoMatchesNotAnError_S10) {
  const auto id = open_case();
  auto r = add_evidence(id, "今天天气很好，我们去公园散步吧。编号 BM-123456-0 不是真的。");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(matches_of(r).empty()) << r.body;
  auto empty = add_evidence(id, "");
  EXPECT_EQ(empty.status, 201) << empty.body;
  auto image = add_evidence(id, "GIF89a", "image/gif");
  EXPECT_EQ(image.status, 415) << image.body;
  // Posted as a new case, a file of the wrong type opens nothing.
  const auto before = client.get("/api/v1/investigations?limit=500", auditor).json();
  auto rejected =
      client.request("POST", "/api/v1/investigations", "GIF89a",
                     {{"Authorization", "Bearer " + auditor}, {"Content-Type", "image/gif"}});
  EXPECT_EQ(rejected.status, 415) << rejected.body;
  const auto after = client.get("/api/v1/investigations?limit=500", auditor).json();
  EXPECT_EQ(after.at("items").as_array().size(), before.at("items").as_array().size());
  auto huge = client.request("POST", "/api/v1/investigations/" + id + "/evidence", "x",
                             {{"Authorization", "Bearer " + auditor},
                              {"Content-Type", "text/plain"},
                              {"Content-Length", "4000000000"}});
  EXPECT_EQ(huge.status, 413) << huge.body;
}

TEST_F(InvestigationsTest, TimelineListsTheDocumentsAuditEntriesInOrderPaged_S10_S9) {
  const auto [serial, copy_text] = issued(*holder, "copy");
  ASSERT_EQ(client.get("/api/v1/documents/" + doc_id + "/content", reader->token).status, 200);
  // S9: a refused view (no need-to-know) is part of the story.
  auto outsider = make_user(client, *inst, "inv.outsider", "staff", "secret", {"finance"});
  EXPECT_EQ(client.get("/api/v1/documents/" + doc_id + "/content", outsider.token).status, 403);
  const auto id = open_case(json::array{doc_id.c_str()});

  std::vector<json::object> events;
  std::string cursor;
  int pages = 0;
  for (;;) {
    auto page = client.get("/api/v1/investigations/" + id + "/timeline?limit=5" +
                               (cursor.empty() ? "" : "&cursor=" + cursor),
                           auditor);
    ASSERT_EQ(page.status, 200) << page.body;
    ++pages;
    const auto page_json = page.json();
    for (const auto& e : page_json.at("items").as_array()) events.push_back(e.as_object());
    const auto& next = page_json.at("next_cursor");
    if (next.is_null()) break;
    cursor = std::string(next.as_string());
  }
  EXPECT_GT(pages, 1);
  std::set<std::string> actions;
  std::int64_t last = 0;
  bool refused = false;
  for (const auto& e : events) {
    EXPECT_GT(e.at("seq").as_int64(), last) << "in trail order, each once";
    last = e.at("seq").as_int64();
    actions.insert(std::string(e.at("action").as_string()));
    refused |= e.at("decision").as_string() == "deny" && e.at("actor").as_string() == outsider.id;
  }
  for (const char* a : {"document.create", "document.upload", "document.read_content",
                        "request.create", "request.approve", "copy.issue"}) {
    EXPECT_TRUE(actions.count(a)) << a << " missing from the timeline";
  }
  EXPECT_TRUE(refused) << "S9: the refused view is on the timeline";
  EXPECT_EQ(client.get("/api/v1/investigations/" + id + "/timeline?cursor=abc", auditor).status,
            400);
}

TEST_F(InvestigationsTest, ReportFormOpensACaseAndAnswersWithMatchesHoldersTimeline_S10) {
  const auto [serial, copy_text] = issued(*holder, "copy");
  auto leaked =
      client.post_json("/api/v1/investigations",
                       json::object{{"leaked_text", utf8_slice(copy_text, 250, 460)}}, auditor);
  ASSERT_EQ(leaked.status, 201) << leaked.body;
  const auto report = leaked.json().as_object();
  EXPECT_EQ(report.at("state").as_string(), "open");
  EXPECT_EQ(report.at("title").as_string(), "Leaked text");
  ASSERT_EQ(report.at("matches").as_array().size(), 1u);
  EXPECT_EQ(report.at("matches").as_array()[0].at("serial").as_string(), serial);
  bool holder_listed = false;
  for (const auto& h : report.at("copy_holders").as_array()) {
    if (h.at("serial").as_string() == serial) {
      holder_listed = true;
      EXPECT_EQ(h.at("holder_id").as_string(), holder->id);
      EXPECT_EQ(h.at("state").as_string(), "issued");
    }
  }
  EXPECT_TRUE(holder_listed);
  EXPECT_FALSE(report.at("timeline").at("items").as_array().empty());

  auto by_document =
      client.post_json("/api/v1/investigations", json::object{{"document_id", doc_id}}, auditor);
  ASSERT_EQ(by_document.status, 201) << by_document.body;
  EXPECT_TRUE(by_document.json().at("matches").as_array().empty());
  EXPECT_GE(by_document.json().at("copy_holders").as_array().size(), 1u);

  // A leaked file as the body: the same report.
  auto file = client.request(
      "POST", "/api/v1/investigations?title=leak", utf8_slice(copy_text, 250, 460),
      {{"Authorization", "Bearer " + auditor}, {"Content-Type", "text/plain; charset=utf-8"}});
  ASSERT_EQ(file.status, 201) << file.body;
  ASSERT_EQ(file.json().at("matches").as_array().size(), 1u);
  EXPECT_EQ(file.json().at("matches").as_array()[0].at("serial").as_string(), serial);
  // Bad input is named.
  auto missing =
      client.post_json("/api/v1/investigations", json::object{{"title", "only"}}, auditor);
  EXPECT_EQ(missing.status, 400);
  auto unknown =
      client.post_json("/api/v1/investigations",
                       json::object{{"title", "t"}, {"reason", "r"}, {"extra", 1}}, auditor);
  EXPECT_EQ(unknown.status, 400);
  auto no_doc = client.post_json("/api/v1/investigations",
                                 json::object{{"document_id", "nosuchdocument"}}, auditor);
  EXPECT_EQ(no_doc.status, 400);
}

}  // namespace
}  // namespace baomi::testing

namespace baomi::testing {
namespace {

// Runs `cmd` through the shell; returns {exit code, stdout+stderr}.
std::pair<int, std::string> run_shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, out};
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST_F(InvestigationsTest, CaseBundleVerifiesOfflineAndTamperingIsNamed_S10_I1) {
  const auto [serial, text] = issued(*holder, "copy");
  const auto id = open_case(json::array{json::value(doc_id)});
  ASSERT_EQ(add_evidence(id, utf8_slice(text, 300, 500)).status, 201);

  auto r = client.get("/api/v1/investigations/" + id + "/bundle", auditor);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/x-tar");
  EXPECT_NE(r.header("cache-control").find("no-store"), std::string::npos);
  // The manifest names the case, the traced serial and the document's timeline.
  EXPECT_NE(r.body.find("\"kind\":\"investigation\""), std::string::npos);
  EXPECT_NE(r.body.find(serial), std::string::npos);
  EXPECT_NE(r.body.find("manifest.json"), std::string::npos);

  // Deterministic for the same case state.
  auto again = client.get("/api/v1/investigations/" + id + "/bundle", auditor);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.body, r.body);

  const auto file = inst->root() / ("case-" + id + ".tar");
  std::ofstream(file, std::ios::binary) << r.body;
  const auto pub = (inst->keys() / "audit.pub").string();
  std::string out;
  EXPECT_EQ(inst->run_cli({"evidence", "verify", file.string(), "--public-key", pub}, &out), 0)
      << out;
  const std::string source = source_dir();
  const auto [py_code, py_out] =
      run_shell("/usr/bin/python3 '" + source + "/tools/verify_bundle.py' '" + file.string() +
                "' '" + pub + "'");
  EXPECT_EQ(py_code, 0) << py_out;

  // One flipped byte inside the manifest (the traced serial) fails both verifiers.
  std::string tampered = r.body;
  const auto at = tampered.find(serial);
  ASSERT_NE(at, std::string::npos);
  tampered[at + serial.size() - 2] ^= 1;
  const auto bad = inst->root() / ("case-" + id + "-tampered.tar");
  std::ofstream(bad, std::ios::binary) << tampered;
  EXPECT_EQ(inst->run_cli({"evidence", "verify", bad.string(), "--public-key", pub}, &out), 1)
      << out;
  EXPECT_NE(out.find("FAILED"), std::string::npos) << out;
  const auto [bad_code, bad_out] =
      run_shell("/usr/bin/python3 '" + source + "/tools/verify_bundle.py' '" + bad.string() +
                "' '" + pub + "'");
  EXPECT_EQ(bad_code, 1) << bad_out;

  // Nobody but the auditor gets it, and the case does not exist for them (S9).
  auto refused = client.get("/api/v1/investigations/" + id + "/bundle", custodian->token);
  EXPECT_EQ(refused.status, 404) << refused.body;
}

}  // namespace
}  // namespace baomi::testing
