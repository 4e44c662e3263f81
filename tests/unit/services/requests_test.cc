// Requests, grants and copies as services, with time as an input (no sleeping): pending
// requests expire (S7), grants lapse on time (S4, S6), approved declassification changes the
// document and keeps its history (S4), the secrecy-term review lists what is due (S4),
// approvers see the exact excerpt (S7), and the copy state machine, exhaustively (S5, S8).
#include <gtest/gtest.h>

#include "marking/fingerprint.h"
#include "services/copies/copies.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::Level;
using policy::Role;
using testing::TestRuntime;

ContentSource request_source_of(std::string s) {
  auto data = std::make_shared<std::string>(std::move(s));
  auto offset = std::make_shared<std::size_t>(0);
  return [=](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
    const std::size_t k = std::min(n, data->size() - *offset);
    std::memcpy(buf, data->data() + *offset, k);
    *offset += k;
    return k;
  };
}

// Long enough to carry several fingerprint frames (one frame spans 64 visible characters).
const std::string kBody =
    "甲乙丙丁戊己庚辛壬癸 ABCDEFGHIJ\n" +
    std::string(
        "保密工作事关企业安全和利益，涉密载体的复制、打印和摘抄须经审批并登记编号。"
        "Each copy carries a serial number and the marks of its level.\n");

class RequestsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto finance = testing::cats(t.policy(), {"finance"});
    custodian = t.user("liu.yang", Role::kCustodian, Level::kTopSecret, finance);
    manager = t.user("chen.jing", Role::kManager, Level::kTopSecret, finance);
    reader = t.user("li.na", Role::kStaff, Level::kSecret);
    secadmin = t.user("sec.admin", Role::kSecadmin, Level::kPublic);
    DocumentSpec spec{"预算", "secret", {"finance"}, std::nullopt, "2027-01-31", "说明"};
    doc = documents.create(custodian, spec).value().doc;
    ASSERT_TRUE(
        documents.upload(custodian, doc.id, "text/plain; charset=utf-8", request_source_of(kBody))
            .ok());
  }

  RequestView ask(const auth::User& who, std::string type, RequestSpec extra = {}) {
    extra.type = std::move(type);
    extra.document_id = doc.id;
    extra.reason = "核对";
    auto r = requests.create(who, extra);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return *r;
  }

  TestRuntime t;
  Documents documents{t.rt()};
  Grants grants{t.rt()};
  Requests requests{t.rt(), documents, grants};
  Incidents incidents{t.rt(), grants};
  Copies copies{t.rt(), documents, requests, incidents};
  auth::User custodian, manager, reader, secadmin;
  Document doc;
};

TEST_F(RequestsServiceTest, PendingRequestExpiresAtItsDeadline_S7) {
  const auto view = ask(reader, "access");
  const auto ttl =
      t.policy().approval_rule(policy::RequestType::kAccess, Level::kSecret).pending_ttl;
  t.now += ttl - std::chrono::seconds(1);
  EXPECT_EQ(requests.sweep().value(), 0);
  t.now += std::chrono::seconds(1);
  auto late = requests.approve(custodian, view.request.id, "");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "request_closed");
  EXPECT_EQ(requests.get(reader, view.request.id).value().request.state, RequestState::kExpired);
  int expire_entries = 0;
  for (const auto& row : t.audit_rows()) expire_entries += row.action == "request.expire";
  EXPECT_EQ(expire_entries, 1);
  EXPECT_TRUE(t.verify().ok);
}

TEST_F(RequestsServiceTest, GrantLapsesOnTimeAndSweepStoresIt_S4_S6) {
  RequestSpec spec;
  spec.days = 2;
  const auto view = ask(reader, "access", spec);
  ASSERT_EQ(requests.approve(custodian, view.request.id, "ok").value().request.state,
            RequestState::kApproved);
  EXPECT_TRUE(documents.open_content(reader, doc.id).ok());
  t.now += std::chrono::days{2};
  auto refused = documents.open_content(reader, doc.id);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "need_to_know");
  EXPECT_TRUE(grants.usable_of(reader).value().empty());
  EXPECT_EQ(requests.sweep().value(), 1) << "the lapsed grant is stored as expired";
  EXPECT_EQ(requests.sweep().value(), 0);
}

TEST_F(RequestsServiceTest, ApprovedDeclassificationLowersTheLevelAndKeepsHistory_S4) {
  auto early =
      t.user("zhao.lei", Role::kStaff, Level::kInternal, testing::cats(t.policy(), {"finance"}));
  EXPECT_EQ(documents.get(early, doc.id).error().kind, ErrorKind::kNotFound);
  RequestSpec spec;
  spec.declassify_level = "internal";
  const auto view = ask(custodian, "declassify", spec);
  ASSERT_EQ(view.rule.steps.size(), 2u);
  auto self = requests.approve(custodian, view.request.id, "");
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().code, "self_approval");
  auto first = requests.approve(manager, view.request.id, "同意解密");
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->request.state, RequestState::kPending) << "secadmin must sign off too";
  EXPECT_EQ(documents.load(doc.id).value().level, Level::kSecret);
  auto second = requests.approve(secadmin, view.request.id, "");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->request.state, RequestState::kApproved);
  EXPECT_EQ(documents.load(doc.id).value().level, Level::kInternal);
  bool recorded = false;
  for (const auto& row : t.audit_rows()) {
    if (row.action == "document.reclassify") {
      recorded = true;
      EXPECT_NE(row.detail.find(R"("from_level":"secret")"), std::string::npos) << row.detail;
      EXPECT_NE(row.detail.find(R"("to_level":"internal")"), std::string::npos) << row.detail;
    }
  }
  EXPECT_TRUE(recorded);
  auto history = documents.classification_history(custodian, doc.id);
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].from_level, "secret");
  EXPECT_EQ((*history)[0].to_level, "internal");
  EXPECT_EQ((*history)[0].request_id, view.request.id);
  EXPECT_EQ((*history)[0].changed_by, secadmin.id) << "the approval that completed it";
  EXPECT_TRUE((*history)[0].from_secret_until.has_value());
  // Someone cleared for internal only (with the category) now may read it.
  auto low =
      t.user("wang.fang", Role::kStaff, Level::kInternal, testing::cats(t.policy(), {"finance"}));
  EXPECT_TRUE(documents.open_content(low, doc.id).ok());
  EXPECT_TRUE(t.verify().ok);
}

TEST_F(RequestsServiceTest, TermReviewListsTheCustodiansDocumentsPastTheirTerm_S4) {
  EXPECT_TRUE(documents.list(custodian, "", 100, true).value().items.empty());
  t.now = parse_rfc3339("2027-02-01T00:00:00Z").value();
  auto due = documents.list(custodian, "", 100, true).value();
  ASSERT_EQ(due.items.size(), 1u);
  EXPECT_EQ(due.items[0].doc.id, doc.id);
  EXPECT_TRUE(documents.list(manager, "", 100, true).value().items.empty())
      << "only the custodian reviews";
}

TEST_F(RequestsServiceTest, ApproversSeeTheExactExcerptButTheRequesterDoesNot_S7) {
  RequestSpec spec;
  spec.excerpt = ExcerptRange{2, 5};
  const auto view = ask(reader, "excerpt", spec);
  EXPECT_FALSE(view.excerpt_text.has_value());
  auto seen = requests.get(custodian, view.request.id);
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(seen->excerpt_text.has_value());
  EXPECT_EQ(*seen->excerpt_text, "丙丁戊");
  RequestSpec beyond;
  beyond.type = "excerpt";
  beyond.document_id = doc.id;
  beyond.reason = "r";
  beyond.excerpt = ExcerptRange{10, 10000};
  auto refused = requests.create(reader, beyond);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "excerpt_out_of_range");
}

TEST_F(RequestsServiceTest, CopyIsOfTheApprovedVersion_S7) {
  RequestSpec spec;
  spec.copies = 1;
  const auto view = ask(reader, "copy", spec);
  ASSERT_TRUE(requests.approve(custodian, view.request.id, "").ok());
  ASSERT_TRUE(
      documents.upload(custodian, doc.id, "text/plain; charset=utf-8", request_source_of("新版本"))
          .ok());
  auto copy = copies.issue(reader, view.request.id);
  ASSERT_TRUE(copy.ok()) << copy.error().message;
  EXPECT_EQ(copy->version, 1u);
  auto artifact = copies.artifact(reader, copy->serial);
  ASSERT_TRUE(artifact.ok()) << artifact.error().message;
  const std::string text =
      marking::strip_fingerprint(std::string(artifact->bytes.begin(), artifact->bytes.end()));
  EXPECT_EQ(marking::decode_fingerprint(std::string(artifact->bytes.begin(), artifact->bytes.end()),
                                        t.rt().barrier.copy_fingerprint_key()),
            copy->number);
  EXPECT_NE(text.find("ABCDEFGHIJ"), std::string::npos) << "bytes of version 1, fingerprinted";
  EXPECT_EQ(text.find("新版本"), std::string::npos);
}

TEST(CopyState, EveryStateTimesEveryEvent_S5_S8) {
  for (int s = 0; s < kCopyStateCount; ++s) {
    for (int e = 0; e < kCopyEventCount; ++e) {
      const auto state = static_cast<CopyState>(s);
      const auto event = static_cast<CopyEvent>(e);
      SCOPED_TRACE(std::string(copy_state_name(state)) + " + " +
                   std::string(copy_event_name(event)));
      auto next = next_copy_state(state, event);
      if (state != CopyState::kIssued) {
        ASSERT_FALSE(next.ok());
        EXPECT_EQ(next.error().code, "copy_closed");
        continue;
      }
      ASSERT_TRUE(next.ok());
      const CopyState want[] = {CopyState::kReturned, CopyState::kDestroyed, CopyState::kLost,
                                CopyState::kRevoked};
      EXPECT_EQ(*next, want[e]);
    }
  }
}

}  // namespace
}  // namespace baomi::services
