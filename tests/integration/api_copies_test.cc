// Copies over HTTPS (API.md "Copies"): an approved print comes out as a PDF marked with the
// level, the holder and the serial on every page (S5, S7); copies never exceed the approved
// count, even when issued concurrently (S7); a lost copy opens an incident, suspends the
// holder's grants and alerts the custodian and the security administrator (S8); the audit
// chain still verifies.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include "harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

std::string pdf_text(const std::filesystem::path& dir, const std::string& pdf) {
  const auto file = dir / ("artifact-" + random_suffix() + ".pdf");
  std::ofstream(file, std::ios::binary) << pdf;
  const std::string cmd = "pdftotext -enc UTF-8 '" + file.string() + "' - 2>/dev/null";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  std::filesystem::remove(file);
  return out;
}

class CopiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = TestInstance::create();
    server_ = instance_->start();
    client_ = std::make_unique<HttpsClient>(server_->port());
    auto& c = *client_;
    custodian_ = make_user(c, *instance_, "keeper" + random_suffix(), "custodian", "confidential",
                           {"finance"});
    staff_ = make_user(c, *instance_, "staff" + random_suffix(), "staff", "secret", {"finance"});
    doc_id_ = std::string(create_document(c, custodian_.token, "年度采购合同", "secret",
                                          {"finance"}, {{"secret_until", "2030-12-31"}})
                              .at("id")
                              .as_string());
    upload_content(c, custodian_.token, doc_id_, body_);
  }

  // Asks for `type`, has the custodian approve it, returns the request id.
  std::string approved(const TestUser& who, std::string_view type, int copies,
                       json::object extra = {}) {
    extra["type"] = type;
    extra["document_id"] = doc_id_;
    extra["reason"] = "向客户说明合同条款";
    extra["copies"] = copies;
    auto created = client_->post_json("/api/v1/requests", extra, who.token);
    EXPECT_EQ(created.status, 201) << created.body;
    const std::string id(created.json().at("id").as_string());
    auto ok = client_->post_json("/api/v1/requests/" + id + "/approve",
                                 json::object{{"comment", "同意"}}, custodian_.token);
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.json().at("status").as_string(), "approved");
    return id;
  }

  HttpResponse issue(const TestUser& who, const std::string& request_id) {
    return client_->post_json("/api/v1/copies", json::object{{"request_id", request_id}},
                              who.token);
  }

  const std::string body_ =
      "第一条 本合同金额为人民币壹佰万元整。Article 1: the amount is one million yuan.\n"
      "第二条 付款方式为分期付款，每期不超过三十万元。\n";
  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpsClient> client_;
  TestUser custodian_, staff_;
  std::string doc_id_;
};

TEST_F(CopiesTest, ApprovedPrintIsAMarkedPdfThenReportedLost_S5_S7_S8) {
  auto& c = *client_;
  const auto request_id = approved(staff_, "print", 1);
  auto issued = issue(staff_, request_id);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const auto copy = issued.json().as_object();
  const std::string serial(copy.at("serial").as_string());
  EXPECT_EQ(copy.at("kind").as_string(), "print");
  EXPECT_EQ(copy.at("holder_id").as_string(), staff_.id);
  EXPECT_EQ(copy.at("document_id").as_string(), doc_id_);
  EXPECT_FALSE(copy.at("issued_at").as_string().empty());
  EXPECT_EQ(serial.rfind("BM-", 0), 0u) << serial;

  // S7: exactly the approved number of copies.
  auto again = issue(staff_, request_id);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.error_code(), "copies_exhausted");

  // S5: the artifact is a PDF marked with the level and term, the holder and the serial.
  auto artifact = c.get("/api/v1/copies/" + serial + "/artifact", staff_.token);
  ASSERT_EQ(artifact.status, 200) << artifact.body;
  EXPECT_EQ(artifact.header("content-type"), "application/pdf");
  EXPECT_EQ(artifact.header("cache-control").find("no-store") != std::string::npos, true);
  EXPECT_EQ(artifact.body.rfind("%PDF-", 0), 0u);
  std::string text = pdf_text(instance_->root(), artifact.body);
  std::erase_if(text, [](char ch) { return ch == ' ' || ch == '\n' || ch == '\f'; });
  EXPECT_NE(text.find("秘密★2030-12-31"), std::string::npos) << text;
  EXPECT_NE(text.find(serial), std::string::npos);
  EXPECT_NE(text.find(staff_.id), std::string::npos);
  EXPECT_NE(text.find("本合同金额为人民币壹佰万元整"), std::string::npos) << "Chinese body text";
  // Only the holder downloads it.
  EXPECT_EQ(c.get("/api/v1/copies/" + serial + "/artifact", custodian_.token).status, 403);

  // The custodian sees the copy among the document's copies.
  auto listed = c.get("/api/v1/copies?document_id=" + doc_id_, custodian_.token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json().at("items").as_array().size(), 1u);
  EXPECT_EQ(c.get("/api/v1/copies?document_id=" + doc_id_, staff_.token).status, 403);

  // S8: the holder reports it lost.
  auto lost = c.post_json("/api/v1/copies/" + serial + "/report-lost",
                          json::object{{"description", "在地铁上遗失"}}, staff_.token);
  ASSERT_EQ(lost.status, 201) << lost.body;
  const std::string incident(lost.json().at("id").as_string());
  EXPECT_EQ(lost.json().at("state").as_string(), "open");
  EXPECT_EQ(lost.json().at("serial").as_string(), serial);
  auto state = c.get("/api/v1/copies/" + serial, staff_.token);
  EXPECT_EQ(state.json().at("state").as_string(), "lost");
  EXPECT_EQ(c.get("/api/v1/copies/" + serial + "/artifact", staff_.token).status, 409)
      << "a lost copy is not downloaded again";

  // The custodian and the security administrator see the alert; the auditor too.
  const auto secadmin = instance_->admin_token(c, "secadmin");
  for (const auto& token : {custodian_.token, secadmin, instance_->admin_token(c, "auditor")}) {
    auto alerts = c.get("/api/v1/alerts", token);
    ASSERT_EQ(alerts.status, 200) << alerts.body;
    const auto alerts_json = alerts.json();
    const auto& items = alerts_json.at("items").as_array();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(items[0].at("type").as_string(), "copy_lost");
    EXPECT_EQ(items[0].at("incident_id").as_string(), incident);
  }
  EXPECT_TRUE(c.get("/api/v1/alerts", staff_.token).json().at("items").as_array().empty());

  // Remediation until the security administrator closes it (S8).
  auto step = c.post_json("/api/v1/incidents/" + incident + "/steps",
                          json::object{{"note", "已通知客户更换合同编号"}}, custodian_.token);
  EXPECT_EQ(step.status, 200) << step.body;
  EXPECT_EQ(c.post_json("/api/v1/incidents/" + incident + "/close",
                        json::object{{"note", "closed"}}, custodian_.token)
                .status,
            403);
  auto closed = c.post_json("/api/v1/incidents/" + incident + "/close",
                            json::object{{"note", "处置完毕"}}, secadmin);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json().at("state").as_string(), "closed");
  EXPECT_EQ(closed.json().at("steps").as_array().size(), 2u);

  auto verify = c.get("/api/v1/audit/verify", instance_->admin_token(c, "auditor"));
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
  EXPECT_EQ(audit_entries(c, *instance_, "action=copy.issue").size(), 1u);
  EXPECT_EQ(audit_entries(c, *instance_, "action=incident.open").size(), 1u);
}

// S3: what leaves the system is a copy, and a copy needs an approved copy-type request of the
// one who takes it.
TEST_F(CopiesTest, NothingLeavesWithoutAnApprovedRequest_S3_S7) {
  auto& c = *client_;
  auto pending = c.post_json(
      "/api/v1/requests",
      json::object{{"type", "copy"}, {"document_id", doc_id_}, {"reason", "存档"}, {"copies", 1}},
      staff_.token);
  ASSERT_EQ(pending.status, 201) << pending.body;
  const std::string pending_id(pending.json().at("id").as_string());
  auto early = issue(staff_, pending_id);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.error_code(), "request_not_approved");

  auto other = make_user(c, *instance_, "other" + random_suffix(), "staff", "secret", {"finance"});
  const auto approved_id = approved(staff_, "print", 1);
  auto stolen = issue(other, approved_id);
  EXPECT_EQ(stolen.status, 404) << "someone else's approval yields nothing, not even its existence";

  const auto access_id = approved(staff_, "access", 0);
  auto not_copy = issue(staff_, access_id);
  EXPECT_EQ(not_copy.status, 409);
  EXPECT_EQ(not_copy.error_code(), "not_a_copy_request");
  EXPECT_TRUE(c.get("/api/v1/copies", staff_.token).json().at("items").as_array().empty());
  EXPECT_GE(audit_entries(c, *instance_, "action=copy.issue&actor=" + other.id).size(), 1u)
      << "the refused attempt is recorded";
}

TEST_F(CopiesTest, ConcurrentIssuesNeverExceedTheApprovedCount_S7) {
  const auto request_id = approved(staff_, "copy", 3);
  std::atomic<int> created{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&] {
      auto r = issue(staff_, request_id);
      if (r.status == 201) {
        ++created;
      } else if (r.status == 409 && r.error_code() == "copies_exhausted") {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 3);
  EXPECT_EQ(refused.load(), 9);
  EXPECT_EQ(other.load(), 0);
  auto listed = client_->get("/api/v1/copies?document_id=" + doc_id_, custodian_.token);
  const auto listed_json = listed.json();
  const auto& items = listed_json.at("items").as_array();
  ASSERT_EQ(items.size(), 3u);
  std::set<std::string> serials;
  for (const auto& item : items) serials.insert(std::string(item.at("serial").as_string()));
  EXPECT_EQ(serials.size(), 3u) << "serials are unique";
}

TEST_F(CopiesTest, TextCopyAndExcerptCarryMarksAndFingerprint_S5_S7) {
  auto& c = *client_;
  const auto copy_request = approved(staff_, "copy", 1);
  const std::string serial(issue(staff_, copy_request).json().at("serial").as_string());
  auto artifact = c.get("/api/v1/copies/" + serial + "/artifact", staff_.token);
  ASSERT_EQ(artifact.status, 200) << artifact.body;
  EXPECT_EQ(artifact.header("content-type"), "text/plain; charset=utf-8");
  EXPECT_NE(artifact.body.find("秘密★2030-12-31"), std::string::npos);
  EXPECT_NE(artifact.body.find(serial), std::string::npos);
  EXPECT_NE(artifact.body.find("\xEF\xB8\x84"), std::string::npos)
      << "invisible fingerprint symbols (U+FE04..7) are in the body";

  const auto excerpt_request =
      approved(staff_, "excerpt", 1, {{"excerpt", json::object{{"from", 4}, {"to", 16}}}});
  auto excerpt = issue(staff_, excerpt_request);
  ASSERT_EQ(excerpt.status, 201) << excerpt.body;
  auto part =
      c.get("/api/v1/copies/" + std::string(excerpt.json().at("serial").as_string()) + "/artifact",
            staff_.token);
  ASSERT_EQ(part.status, 200) << part.body;
  const std::string visible = part.text();
  EXPECT_NE(visible.find("本合同金额为人民币壹佰"), std::string::npos) << visible;
  EXPECT_EQ(visible.find("第一条"), std::string::npos) << "characters before the excerpt";
  EXPECT_EQ(visible.find("付款方式"), std::string::npos) << "characters after the excerpt";
}

TEST_F(CopiesTest, CustodianRecordsReturnAndClosedCopiesAreConflicts_S5) {
  auto& c = *client_;
  const std::string serial(
      issue(staff_, approved(staff_, "copy", 1)).json().at("serial").as_string());
  EXPECT_EQ(
      c.post_json("/api/v1/copies/" + serial + "/return", json::object{}, staff_.token).status, 403)
      << "the holder does not record their own return";
  auto returned = c.post_json("/api/v1/copies/" + serial + "/return",
                              json::object{{"note", "原件归还"}}, custodian_.token);
  ASSERT_EQ(returned.status, 200) << returned.body;
  EXPECT_EQ(returned.json().at("state").as_string(), "returned");
  auto destroyed =
      c.post_json("/api/v1/copies/" + serial + "/destroy", json::object{}, custodian_.token);
  EXPECT_EQ(destroyed.status, 409);
  EXPECT_EQ(destroyed.error_code(), "copy_closed");
  // A mistyped serial fails its check digit and is simply unknown.
  std::string typo = serial;
  typo.back() = typo.back() == '0' ? '1' : '0';
  EXPECT_EQ(c.get("/api/v1/copies/" + typo, custodian_.token).status, 404);
}

// A well-formed serial (Damm check digit, as marking/serial.h) for `number`.
std::string serial_of(std::uint64_t number) {
  static constexpr int kDamm[10][10] = {
      {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
      {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
      {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
      {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
      {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
  std::string digits = std::to_string(number);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  int interim = 0;
  for (char d : digits) interim = kDamm[interim][d - '0'];
  return "BM-" + digits + "-" + std::to_string(interim);
}

// S9: serials are sequential, so whoever may not know of a copy gets, for every copy endpoint,
// exactly the 404 of a serial that does not exist; holder and custodian keep their answers.
TEST_F(CopiesTest, OthersCannotTellAnExistingSerialFromAMissingOne_S9) {
  auto& c = *client_;
  const std::string serial(
      issue(staff_, approved(staff_, "copy", 1)).json().at("serial").as_string());
  const auto number = std::stoull(serial.substr(3, serial.rfind('-') - 3));
  ASSERT_EQ(serial_of(number), serial) << "the test's Damm digit agrees with the server's";
  const std::string missing = serial_of(number + 1000);
  // Cleared for the document, so it is visible to them: only the copy is not theirs.
  const auto other =
      make_user(c, *instance_, "other" + random_suffix(), "staff", "secret", {"finance"});
  const auto ask = [&](const std::string& s, int endpoint) {
    switch (endpoint) {
      case 0:
        return c.get("/api/v1/copies/" + s, other.token);
      case 1:
        return c.get("/api/v1/copies/" + s + "/artifact", other.token);
      case 2:
        return c.post_json("/api/v1/copies/" + s + "/report-lost",
                           json::object{{"description", "捡到的"}}, other.token);
      case 3:
        return c.post_json("/api/v1/copies/" + s + "/return", json::object{}, other.token);
      case 4:
        return c.post_json("/api/v1/copies/" + s + "/destroy", json::object{}, other.token);
      default:
        return c.post_json("/api/v1/copies/" + s + "/revoke", json::object{}, other.token);
    }
  };
  for (int endpoint = 0; endpoint < 6; ++endpoint) {
    const auto existing = ask(serial, endpoint);
    const auto absent = ask(missing, endpoint);
    EXPECT_EQ(existing.status, 404) << "endpoint " << endpoint << ": " << existing.body;
    EXPECT_EQ(existing.status, absent.status) << "endpoint " << endpoint;
    EXPECT_EQ(existing.body, absent.body) << "endpoint " << endpoint;
  }
  // Those who know of the copy keep their answers.
  EXPECT_EQ(c.get("/api/v1/copies/" + serial, staff_.token).status, 200);
  EXPECT_EQ(c.get("/api/v1/copies/" + serial, custodian_.token).status, 200);
  const auto custodian_artifact = c.get("/api/v1/copies/" + serial + "/artifact", custodian_.token);
  EXPECT_EQ(custodian_artifact.status, 403);
  EXPECT_EQ(custodian_artifact.error_code(), "not_holder");
  EXPECT_EQ(
      c.post_json("/api/v1/copies/" + serial + "/return", json::object{}, staff_.token).status,
      403);
  EXPECT_EQ(c.get("/api/v1/copies/" + missing, staff_.token).status, 404);
}

TEST_F(CopiesTest, UnmarkableFormatsAreRefusedAtSecret_S5) {
  auto& c = *client_;
  const std::string bin(
      create_document(c, custodian_.token, "二进制", "secret", {"finance"}).at("id").as_string());
  upload_content(c, custodian_.token, bin, std::string("\x00\x01\x02", 3),
                 "application/octet-stream");
  auto created = c.post_json(
      "/api/v1/requests",
      json::object{{"type", "copy"}, {"document_id", bin}, {"reason", "备份"}, {"copies", 1}},
      staff_.token);
  ASSERT_EQ(created.status, 201);
  const std::string id(created.json().at("id").as_string());
  ASSERT_EQ(
      c.post_json("/api/v1/requests/" + id + "/approve", json::object{}, custodian_.token).status,
      200);
  auto refused = issue(staff_, id);
  EXPECT_EQ(refused.status, 415) << refused.body;
  EXPECT_EQ(refused.error_code(), "unmarkable_format");
}

}  // namespace
}  // namespace baomi::testing
