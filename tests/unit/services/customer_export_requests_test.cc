// Exports of customer records go through the same approval workflow as document copies (C2,
// S7, A1, A2): the request names the customer register instead of a document, approvers must be
// entitled to read customer records, the approved export is a serial-numbered copy, and a lost
// export opens an incident. The CSV itself is rendered by the customers service; here a
// recording renderer stands in, so only the workflow is under test.
#include <gtest/gtest.h>

#include "services/copies/copies.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::Level;
using policy::Role;
using testing::TestRuntime;

class RecordingRenderer : public ExportRenderer {
 public:
  Result<void> on_issue(barrier::WriteTx&, const Copy& copy) const override {
    issued.push_back(copy.serial);
    return {};
  }
  Result<Artifact> render_export(const auth::User& holder, const Copy& copy) const override {
    return Artifact{"text/csv; charset=utf-8", copy.serial + ".csv",
                    Bytes(holder.id.begin(), holder.id.end())};
  }
  mutable std::vector<std::string> issued;
};

class CustomerExportRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    staff = t.user("wang.fang", Role::kStaff, Level::kInternal);
    supervisor = t.user("zhao.lei", Role::kSupervisor, Level::kSecret);
    custodian = t.user("liu.yang", Role::kCustodian, Level::kSecret);
    sysadmin = t.user("sys.admin", Role::kSysadmin, Level::kPublic);
    secadmin = t.user("sec.admin", Role::kSecadmin, Level::kPublic);
    copies.set_export_renderer(&renderer);
  }

  Result<RequestView> ask(const auth::User& who, CustomerExportSpec cs = {}) {
    RequestSpec spec;
    spec.type = "export";
    spec.reason = "季度回访名单";
    spec.customers = std::move(cs);
    return requests.create(who, spec);
  }

  TestRuntime t;
  Documents documents{t.rt()};
  Grants grants{t.rt()};
  Requests requests{t.rt(), documents, grants};
  Incidents incidents{t.rt(), grants};
  Copies copies{t.rt(), documents, requests, incidents};
  RecordingRenderer renderer;
  auth::User staff, supervisor, custodian, sysadmin, secadmin;
};

TEST_F(CustomerExportRequests, ExportNeedsApprovalThenYieldsOneSerialNumberedCopy_C2_S7) {
  auto view = ask(staff, {std::nullopt, {}, {"name", "phone"}});
  ASSERT_TRUE(view.ok()) << view.error().message;
  const auto& q = view->request;
  ASSERT_TRUE(q.customer_export.has_value());
  EXPECT_TRUE(q.document_id.empty());
  EXPECT_EQ(q.customer_export->level, Level::kInternal);  // the policy's default level
  EXPECT_EQ(q.customer_export->fields, policy::field_bit(policy::CustomerField::kName) |
                                           policy::field_bit(policy::CustomerField::kPhone));
  EXPECT_EQ(q.state, RequestState::kPending);
  EXPECT_FALSE(view->can_decide);  // A1: never one's own

  // S7: nothing leaves before approval.
  auto early = copies.issue(staff, q.id);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, "request_not_approved");

  const auto seen = requests.get(supervisor, q.id);
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  EXPECT_TRUE(seen->can_decide);  // A2: the requester's supervisor in the reporting line
  auto approved = requests.approve(supervisor, q.id, "同意");
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ(approved->request.state, RequestState::kApproved);

  auto copy = copies.issue(staff, q.id);
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  EXPECT_EQ(copy->kind, policy::RequestType::kExport);
  EXPECT_TRUE(copy->customer_export.has_value());
  EXPECT_TRUE(copy->document_id.empty());
  EXPECT_EQ(copy->marking, "内部");
  EXPECT_EQ(copy->content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(renderer.issued, std::vector<std::string>{copy->serial});  // canaries registered

  auto artifact = copies.artifact(staff, copy->serial);
  ASSERT_TRUE(artifact.ok()) << artifact.error().message;
  EXPECT_EQ(artifact->filename, copy->serial + ".csv");

  auto again = copies.issue(staff, q.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "copies_exhausted");
  // Only the holder downloads it; to anyone who may not know of the copy its serial is
  // unknown (S9: serials are sequential, a 403 would confirm that it exists).
  EXPECT_EQ(copies.artifact(supervisor, copy->serial).error().kind, ErrorKind::kNotFound);
}

TEST_F(CustomerExportRequests, OnlyTheCentresStaffAskForExports_C1_C2) {
  auto admin = ask(sysadmin);
  ASSERT_FALSE(admin.ok());
  EXPECT_EQ(admin.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(admin.error().rule, "C1");
  auto outsider = ask(custodian);  // the custodian role alone is not customer service
  ASSERT_FALSE(outsider.ok());
  EXPECT_EQ(outsider.error().rule, "C1");
}

TEST_F(CustomerExportRequests, NoExportAboveOnesOwnClearance_S6_C2) {
  auto high = ask(staff, {"secret", {}, {}});
  ASSERT_FALSE(high.ok());
  EXPECT_EQ(high.error().rule, "S6");
  auto ok = ask(supervisor, {"secret", {"contracts_customers"}, {}});
  EXPECT_FALSE(ok.ok());  // the supervisor lacks the category
  EXPECT_EQ(ok.error().rule, "S6");
}

TEST_F(CustomerExportRequests, BadExportRequestsNameTheField) {
  auto field = ask(staff, {std::nullopt, {}, {"salary"}});
  ASSERT_FALSE(field.ok());
  EXPECT_NE(field.error().message.find("customers.fields"), std::string::npos);
  auto level = ask(staff, {"ultra", {}, {}});
  ASSERT_FALSE(level.ok());
  EXPECT_NE(level.error().message.find("customers.level"), std::string::npos);
  RequestSpec print;
  print.type = "print";
  print.reason = "x";
  print.customers = CustomerExportSpec{};
  auto not_export = requests.create(staff, print);
  ASSERT_FALSE(not_export.ok());
  EXPECT_EQ(not_export.error().kind, ErrorKind::kInvalidArgument);
}

TEST_F(CustomerExportRequests, LostExportOpensAnIncidentForTheSecurityAdministrator_S8_C2) {
  auto view = ask(staff);
  ASSERT_TRUE(view.ok());
  ASSERT_TRUE(requests.approve(supervisor, view->request.id, "").ok());
  auto copy = copies.issue(staff, view->request.id);
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  auto incident = copies.report_lost(staff, copy->serial, "U盘丢失");
  ASSERT_TRUE(incident.ok()) << incident.error().message;
  EXPECT_TRUE(incident->document_id.empty());
  auto alerts = incidents.alerts(secadmin, "", 10);
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(alerts->front().target, std::optional<std::string>("customers"));
  EXPECT_TRUE(incidents.get(secadmin, incident->id).ok());
  EXPECT_TRUE(incidents.get(staff, incident->id).ok());  // the reporter
  // S5: secadmin can revoke an export; nobody is its custodian.
  EXPECT_EQ(copies.get(staff, copy->serial)->state, CopyState::kLost);
}

}  // namespace
}  // namespace baomi::services
