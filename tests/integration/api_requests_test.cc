// Requests, approvals and grants over HTTPS (API.md "Requests and approvals"): S6 grants give
// need-to-know for one document only, S7 requests need a reason and approval, A1 no
// self-approval and only named approvers, closed requests are 409, every step is audited.
#include <gtest/gtest.h>

#include "harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

class RequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = TestInstance::create();
    server_ = instance_->start();
    client_ = std::make_unique<HttpsClient>(server_->port());
    auto& c = *client_;
    // The custodian holds the document's category; the reader has clearance but not the
    // category, so content needs a grant (S6).
    custodian_ = make_user(c, *instance_, "keeper" + random_suffix(), "custodian", "confidential",
                           {"finance"});
    reader_ = make_user(c, *instance_, "reader" + random_suffix(), "staff", "secret", {});
    outsider_ = make_user(c, *instance_, "outsider" + random_suffix(), "staff", "internal", {});
    doc_id_ = std::string(create_document(c, custodian_.token, "季度预算", "secret", {"finance"})
                              .at("id")
                              .as_string());
    upload_content(c, custodian_.token, doc_id_, "预算正文 budget body");
  }

  HttpResponse ask(const TestUser& who, json::object body) {
    if (!body.contains("document_id")) body["document_id"] = doc_id_;
    if (!body.contains("reason")) body["reason"] = "客户回访需要核对预算";
    return client_->post_json("/api/v1/requests", body, who.token);
  }
  HttpResponse decide(const TestUser& who, const std::string& id, std::string_view verb) {
    return client_->post_json("/api/v1/requests/" + id + "/" + std::string(verb),
                              json::object{{"comment", "ok"}}, who.token);
  }
  HttpResponse content(const TestUser& who) {
    return client_->get("/api/v1/documents/" + doc_id_ + "/content", who.token);
  }

  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<HttpsClient> client_;
  TestUser custodian_, reader_, outsider_;
  std::string doc_id_;
};

TEST_F(RequestsTest, AccessGrantSuppliesNeedToKnowUntilUsesAreSpent_S6_S7) {
  ASSERT_EQ(content(reader_).status, 403) << "no need-to-know without a grant";
  auto created = ask(reader_, {{"type", "access"}, {"days", 3}, {"uses", 2}});
  ASSERT_EQ(created.status, 201) << created.body;
  const auto req = created.json().as_object();
  EXPECT_EQ(req.at("status").as_string(), "pending");
  ASSERT_FALSE(req.at("required").as_array().empty());
  EXPECT_TRUE(req.at("required").as_array()[0].as_object().contains("role"));
  EXPECT_TRUE(req.at("approvals").as_array().empty());
  const std::string id(req.at("id").as_string());

  auto approved = decide(custodian_, id, "approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("status").as_string(), "approved");

  auto grants = client_->get("/api/v1/grants", reader_.token);
  ASSERT_EQ(grants.status, 200);
  const auto grants_json = grants.json();
  const auto& items = grants_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("document_id").as_string(), doc_id_);
  EXPECT_EQ(items[0].at("uses_left").as_int64(), 2);
  EXPECT_FALSE(items[0].at("expires_at").as_string().empty());

  EXPECT_EQ(content(reader_).text(), "预算正文 budget body");
  EXPECT_EQ(content(reader_).status, 200);
  auto spent = content(reader_);
  EXPECT_EQ(spent.status, 403) << "two uses were granted";
  EXPECT_EQ(spent.error_code(), "need_to_know");
  EXPECT_TRUE(client_->get("/api/v1/grants", reader_.token).json().at("items").as_array().empty());
  EXPECT_EQ(audit_entries(*client_, *instance_, "action=grant.create").size(), 1u);
}

TEST_F(RequestsTest, ApproversSeeWhoAsksAndWhoSigned_A1) {
  auto created = ask(reader_, {{"type", "access"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.json().at("id").as_string());
  auto queue = client_->get("/api/v1/requests?status=pending&approvable=true", custodian_.token);
  ASSERT_EQ(queue.status, 200);
  const auto queue_json = queue.json();
  const auto& items = queue_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const auto& requester = items[0].at("requester").as_object();
  EXPECT_EQ(requester.at("username").as_string(), reader_.username);
  EXPECT_EQ(requester.at("department").as_string(), "general_cs");
  auto approved = decide(custodian_, id, "approve");
  ASSERT_EQ(approved.status, 200) << approved.body;
  const auto approved_json = approved.json();
  const auto& approval = approved_json.at("approvals").as_array().at(0).as_object();
  EXPECT_EQ(approval.at("approver").at("username").as_string(), custodian_.username);
  // The requester sees who signed too.
  auto mine = client_->get("/api/v1/requests/" + id, reader_.token);
  EXPECT_EQ(mine.json().at("approvals").as_array().at(0).at("approver").at("username").as_string(),
            custodian_.username);
}

TEST_F(RequestsTest, RequesterCannotApproveOwnRequest_A1) {
  // The custodian asks for a copy of their own document: someone else must approve.
  auto created = ask(custodian_, {{"type", "copy"}, {"copies", 1}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.json().at("id").as_string());
  auto self = decide(custodian_, id, "approve");
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(self.error_code(), "self_approval");
  EXPECT_EQ(self.json().at("error").at("rule").as_string(), "A1");
  auto denied =
      audit_entries(*client_, *instance_, "action=request.approve&actor=" + custodian_.id);
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].at("decision").as_string(), "deny");
}

TEST_F(RequestsTest, OnlyNamedApproversDecideAndOthersSeeNothing_A1_S9) {
  const std::string id(ask(reader_, {{"type", "access"}}).json().at("id").as_string());
  // A staff member with clearance is no approver for a secret document.
  auto peer =
      make_user(*client_, *instance_, "peer" + random_suffix(), "staff", "secret", {"finance"});
  auto by_peer = decide(peer, id, "approve");
  EXPECT_EQ(by_peer.status, 404) << "a request one may not decide is not shown: " << by_peer.body;
  EXPECT_EQ(client_->get("/api/v1/requests/" + id, outsider_.token).status, 404);
  EXPECT_EQ(client_->get("/api/v1/requests/" + id, reader_.token).status, 200);
  // The custodian sees it among the requests they may decide.
  auto approvable =
      client_->get("/api/v1/requests?status=pending&approvable=true", custodian_.token);
  ASSERT_EQ(approvable.status, 200);
  bool listed = false;
  const auto approvable_json = approvable.json();
  for (const auto& item : approvable_json.at("items").as_array()) {
    listed |= item.at("id").as_string() == id;
    EXPECT_TRUE(item.at("can_decide").as_bool());
  }
  EXPECT_TRUE(listed);
  auto own = client_->get("/api/v1/requests?status=pending&approvable=true", reader_.token);
  EXPECT_TRUE(own.json().at("items").as_array().empty()) << "the requester cannot decide it";
}

TEST_F(RequestsTest, ClosedRequestsAreConflicts_S7) {
  const std::string rejected(ask(reader_, {{"type", "access"}}).json().at("id").as_string());
  auto r = decide(custodian_, rejected, "reject");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status").as_string(), "rejected");
  EXPECT_EQ(decide(custodian_, rejected, "approve").status, 409);
  EXPECT_EQ(decide(custodian_, rejected, "reject").status, 409);
  EXPECT_EQ(content(reader_).status, 403) << "a rejected request grants nothing";

  const std::string cancelled(ask(reader_, {{"type", "access"}}).json().at("id").as_string());
  EXPECT_EQ(decide(custodian_, cancelled, "cancel").status, 403) << "only the requester cancels";
  auto c = client_->post_json("/api/v1/requests/" + cancelled + "/cancel", json::object{},
                              reader_.token);
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_EQ(c.json().at("status").as_string(), "cancelled");
  auto late = decide(custodian_, cancelled, "approve");
  EXPECT_EQ(late.status, 409);
  EXPECT_EQ(late.error_code(), "request_closed");
}

TEST_F(RequestsTest, BadRequestsNameTheField_S7) {
  EXPECT_EQ(ask(reader_, {{"type", "access"}, {"reason", ""}}).error_code(), "invalid_field");
  auto bad_type = ask(reader_, {{"type", "steal"}});
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_NE(bad_type.body.find("type"), std::string::npos);
  auto no_excerpt = ask(reader_, {{"type", "excerpt"}});
  EXPECT_EQ(no_excerpt.status, 400);
  EXPECT_NE(no_excerpt.body.find("excerpt"), std::string::npos);
  auto unknown = ask(reader_, {{"type", "access"}, {"colour", "red"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.error_code(), "unknown_field");
  auto too_long = ask(reader_, {{"type", "access"}, {"days", 100000}});
  EXPECT_EQ(too_long.status, 400);
  // A document above one's clearance cannot be asked for: it does not exist for them (S9).
  EXPECT_EQ(ask(outsider_, {{"type", "access"}}).status, 404);
}

TEST_F(RequestsTest, CustodianRevokesAGrantAtOnce_S6) {
  const std::string id(ask(reader_, {{"type", "access"}, {"days", 7}}).json().at("id").as_string());
  const auto approved = decide(custodian_, id, "approve").json();
  const std::string grant(approved.at("grant_id").as_string());
  ASSERT_EQ(content(reader_).status, 200);
  EXPECT_EQ(client_->post_json("/api/v1/grants/" + grant + "/revoke", json::object{}, reader_.token)
                .status,
            403)
      << "the holder does not revoke";
  auto revoked =
      client_->post_json("/api/v1/grants/" + grant + "/revoke", json::object{}, custodian_.token);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(revoked.json().at("state").as_string(), "revoked");
  EXPECT_EQ(content(reader_).status, 403);
  auto verify = client_->get("/api/v1/audit/verify", instance_->admin_token(*client_, "auditor"));
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
}

}  // namespace
}  // namespace baomi::testing
