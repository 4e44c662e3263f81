// Investigations service (S10, S9): cases open and close (closed cases are read-only), only the
// auditor works them and everyone else is refused as if the case did not exist (and audited),
// case text and evidence are sealed at rest, evidence round-trips byte for byte, a text view's
// fingerprint leads to its reader and audit entry, and the timeline pages in trail order.
#include "services/investigations/investigations.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <regex>

#include "marking/fingerprint.h"
#include "services/documents/documents.h"
#include "support/test_runtime.h"
#include "unit/services/audit_detail_util.h"

namespace baomi::services {
namespace {

using policy::Level;
using policy::Role;
using testing::TestRuntime;

EvidenceSource source_of(std::string s) {
  auto data = std::make_shared<std::string>(std::move(s));
  auto offset = std::make_shared<std::size_t>(0);
  return [=](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
    const std::size_t k = std::min(n, data->size() - *offset);
    std::memcpy(buf, data->data() + *offset, k);
    *offset += k;
    return k;
  };
}

std::string case_prose() {
  std::string out;
  for (int i = 0; i < 12; ++i)
    out += "客户服务中心第三季度投诉处理报告，售后组的工单超时情况说明。";
  return out;
}

class InvestigationsServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auditor = t.user("shen.ji", Role::kAuditor, Level::kPublic);
    custodian = t.user("liu.yang", Role::kCustodian, Level::kTopSecret,
                       testing::cats(t.policy(), {"finance"}));
    reader = t.user("li.na", Role::kStaff, Level::kSecret, testing::cats(t.policy(), {"finance"}));
    secadmin = t.user("an.quan", Role::kSecadmin, Level::kPublic);
  }

  NewEvidence evidence(std::string bytes, std::string type = "text/plain") {
    return NewEvidence{std::move(type), "found in a chat", source_of(std::move(bytes)), 1 << 20};
  }

  std::string document() {
    DocumentSpec spec{"投诉报告", "secret", {"finance"}, custodian.id, std::nullopt, "说明"};
    auto v = docs.create(custodian, spec);
    EXPECT_TRUE(v.ok());
    auto up = docs.upload(custodian, v->doc.id, "text/plain; charset=utf-8",
                          [s = case_prose(), off = std::size_t{0}](
                              std::uint8_t* buf, std::size_t n) mutable -> Result<std::size_t> {
                            const std::size_t k = std::min(n, s.size() - off);
                            std::memcpy(buf, s.data() + off, k);
                            off += k;
                            return k;
                          });
    EXPECT_TRUE(up.ok());
    return v->doc.id;
  }

  int audit_count(std::string_view action, std::string_view decision) {
    int n = 0;
    for (const auto& r : t.audit_rows()) n += r.action == action && r.decision == decision;
    return n;
  }

  TestRuntime t;
  Documents docs{t.rt()};
  CustomerExports exports{t.rt()};
  Investigations investigations{t.rt(), exports};
  auth::User auditor, custodian, reader, secadmin;
};

TEST_F(InvestigationsServiceTest, OpenCloseAndClosedIsReadOnly_S10) {
  const auto doc = document();
  auto opened = investigations.open(auditor, "报告外泄", "群聊截图", {doc, doc});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_TRUE(opened->open);
  EXPECT_EQ(opened->document_ids, std::vector<std::string>{doc}) << "duplicates dropped";
  auto closed = investigations.close(auditor, opened->id, "来源已查明");
  ASSERT_TRUE(closed.ok());
  EXPECT_FALSE(closed->open);
  EXPECT_EQ(closed->finding, "来源已查明");
  auto again = investigations.close(auditor, opened->id, "再次");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "investigation_closed");
  auto late = investigations.add_evidence(auditor, opened->id, evidence("text"));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "investigation_closed");
  auto reread = investigations.get(auditor, opened->id);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->title, "报告外泄");
  EXPECT_FALSE(reread->open);
  // Bad input is named.
  EXPECT_EQ(investigations.open(auditor, "", "r", {}).error().code, "invalid_field");
  EXPECT_EQ(investigations.open(auditor, "t", "r", {"nosuchdoc"}).error().code, "invalid_field");
}

TEST_F(InvestigationsServiceTest, OnlyTheAuditorAndOthersSeeNothing_S10_S9) {
  auto opened = investigations.open(auditor, "t", "r", {});
  ASSERT_TRUE(opened.ok());
  for (const auto* who : {&reader, &custodian, &secadmin}) {
    auto got = investigations.get(*who, opened->id);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(investigations.open(*who, "t", "r", {}).error().kind, ErrorKind::kNotFound);
    EXPECT_EQ(investigations.list(*who, std::nullopt, "", 10).error().kind, ErrorKind::kNotFound);
  }
  EXPECT_EQ(audit_count("investigation.read", "deny"), 3);
  EXPECT_EQ(audit_count("investigation.open", "deny"), 3);
  // The auditor asking for an unknown case gets the same 404, also recorded.
  EXPECT_EQ(investigations.get(auditor, "nosuchcase").error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(audit_count("investigation.read", "deny"), 4);
}

TEST_F(InvestigationsServiceTest, TextAndEvidenceAreSealedAtRestAndRoundTrip_S10) {
  auto opened = investigations.open(auditor, "绝密标题XYZ", "机密理由QRS", {});
  ASSERT_TRUE(opened.ok());
  const std::string leaked = "泄露的原文ABCDEFGH一段";
  auto added = investigations.add_evidence(auditor, opened->id, evidence(leaked));
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_TRUE(added->matches.empty());
  EXPECT_EQ(added->size, leaked.size());
  auto back = investigations.artifact(auditor, opened->id, added->id);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(std::string(back->begin(), back->end()), leaked);
  // Nothing of the title, the reason or the artifact is in the database file in clear.
  std::ifstream in(t.dir() / "baomi.db", std::ios::binary);
  const std::string db((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::string needle : {"XYZ", "QRS", "ABCDEFGH"}) {
    EXPECT_EQ(db.find(needle), std::string::npos) << needle;
  }
  EXPECT_EQ(investigations.artifact(auditor, opened->id, "nosuch").error().kind,
            ErrorKind::kNotFound);
  // Types it cannot trace are refused.
  auto gif = investigations.add_evidence(auditor, opened->id, evidence("GIF89a", "image/gif"));
  ASSERT_FALSE(gif.ok());
  EXPECT_EQ(gif.error().kind, ErrorKind::kUnsupportedMedia);
  auto big = investigations.add_evidence(
      auditor, opened->id, NewEvidence{"text/plain", "", source_of(std::string(100, 'x')), 10});
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind, ErrorKind::kTooLarge);
}

TEST_F(InvestigationsServiceTest, AViewPasteNamesTheReaderAndTheAuditEntry_S10) {
  const auto doc = document();
  auto view = docs.open_content(reader, doc);
  ASSERT_TRUE(view.ok());
  std::string body;
  ASSERT_TRUE((*view)
                  ->stream([&](Bytes& piece) -> Result<void> {
                    body.append(reinterpret_cast<const char*>(piece.data()), piece.size());
                    return {};
                  })
                  .ok());
  auto opened = investigations.open(auditor, "t", "r", {});
  auto added = investigations.add_evidence(auditor, opened->id, evidence(body));
  ASSERT_TRUE(added.ok()) << added.error().message;
  ASSERT_EQ(added->matches.size(), 1u);
  const auto& m = added->matches[0];
  EXPECT_EQ(m.kind, TraceKind::kView);
  EXPECT_EQ(m.view_id, (*view)->view_id());
  EXPECT_EQ(m.holder_id, reader.id);
  EXPECT_EQ(m.document_id, doc);
  ASSERT_TRUE(m.audit_seq.has_value());
  bool found = false;
  for (const auto& r : t.audit_rows()) {
    if (r.seq == *m.audit_seq) {
      found = r.action == "document.read_content" && r.actor == reader.id;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(InvestigationsServiceTest, TimelinePagesInTrailOrderAndRefusesBadCursors_S10) {
  const auto doc = document();
  for (int i = 0; i < 3; ++i) {
    auto v = docs.open_content(reader, doc);
    ASSERT_TRUE(v.ok());
  }
  auto opened = investigations.open(auditor, "t", "r", {doc});
  ASSERT_TRUE(opened.ok());
  std::vector<std::uint64_t> seqs;
  std::string cursor;
  for (int guard = 0; guard < 20; ++guard) {
    auto page = investigations.timeline(auditor, opened->id, cursor, 2);
    ASSERT_TRUE(page.ok()) << page.error().message;
    for (const auto& e : page->items) {
      seqs.push_back(e.seq);
      EXPECT_EQ(e.target, "document:" + doc);
    }
    if (!page->next_cursor) break;
    cursor = *page->next_cursor;
  }
  // create, upload, three views.
  ASSERT_EQ(seqs.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()));
  EXPECT_EQ(std::adjacent_find(seqs.begin(), seqs.end()), seqs.end());
  EXPECT_EQ(investigations.timeline(auditor, opened->id, "12x", 2).error().kind,
            ErrorKind::kInvalidArgument);
  // The whole record in one read, as an evidence bundle takes it.
  auto record = investigations.record(auditor, opened->id);
  ASSERT_TRUE(record.ok()) << record.error().message;
  ASSERT_EQ(record->timeline.size(), seqs.size());
  for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(record->timeline[i].seq, seqs[i]);
  EXPECT_EQ(record->investigation.id, opened->id);
  EXPECT_EQ(investigations.record(reader, opened->id).error().kind, ErrorKind::kNotFound);
}

// Each action's detail, member by member (keys, order, types): ids, counts and hashes only,
// never the case's title, reason or finding, or the evidence itself (S10).
TEST_F(InvestigationsServiceTest, AuditDetailsHaveTheirDocumentedMembers_S10) {
  using testing_detail::details_of;
  using Details = std::vector<std::string>;
  const auto q = [](const std::string& s) { return "\"" + s + "\""; };
  const auto doc = document();
  auto view = docs.open_content(reader, doc);
  ASSERT_TRUE(view.ok());
  std::string body;
  ASSERT_TRUE((*view)
                  ->stream([&](Bytes& piece) -> Result<void> {
                    body.append(reinterpret_cast<const char*>(piece.data()), piece.size());
                    return {};
                  })
                  .ok());
  auto opened = investigations.open(auditor, "t", "r", {doc});
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(details_of(t, "investigation.open"), Details{R"({"document_ids":[)" + q(doc) + "]}"});
  auto added = investigations.add_evidence(auditor, opened->id, evidence(body));
  ASSERT_TRUE(added.ok()) << added.error().message;
  ASSERT_EQ(added->matches.size(), 1u);
  std::string serials;
  for (const auto& m : added->matches) {
    if (!m.serial.empty()) serials += (serials.empty() ? "" : ",") + q(m.serial);
  }
  EXPECT_EQ(details_of(t, "investigation.add_evidence"),
            Details{R"({"evidence_id":)" + q(added->id) + R"(,"sha256":)" + q(added->sha256) +
                    R"(,"size":)" + std::to_string(added->size) + R"(,"matches":1,"serials":[)" +
                    serials + R"(],"view_ids":[)" + q((*view)->view_id()) + "]}"});
  ASSERT_TRUE(investigations.list(auditor, std::nullopt, "", 10).ok());
  EXPECT_EQ(details_of(t, "investigation.list"), Details{R"({"count":1})"});
  ASSERT_TRUE(investigations.evidence(auditor, opened->id).ok());
  EXPECT_EQ(details_of(t, "investigation.read_evidence"), Details{R"({"count":1})"});
  ASSERT_TRUE(investigations.artifact(auditor, opened->id, added->id).ok());
  EXPECT_EQ(details_of(t, "investigation.read_artifact"),
            Details{R"({"evidence_id":)" + q(added->id) + "}"});
  auto page = investigations.timeline(auditor, opened->id, "", 100);
  ASSERT_TRUE(page.ok());
  const auto timeline = details_of(t, "investigation.timeline");
  ASSERT_EQ(timeline.size(), 1u);
  EXPECT_TRUE(std::regex_match(timeline[0],
                               std::regex(R"(\{"events":)" + std::to_string(page->items.size()) +
                                          R"(,"targets":[1-9][0-9]*\})")))
      << timeline[0];
  auto record = investigations.record(auditor, opened->id);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(details_of(t, "investigation.record"),
            Details{R"({"evidence":1,"events":)" + std::to_string(record->timeline.size()) + "}"});
}

}  // namespace
}  // namespace baomi::services
