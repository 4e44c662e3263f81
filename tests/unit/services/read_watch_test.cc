// ReadWatch (C4: anomalous reading is alerted; S7) and the episode rule shared by the watches:
// counts live in the store beside the audit entries that feed them; an alert at the N+1st and
// not at the Nth; one alert per episode, updated while open, a new one once acknowledged or
// the episode ended; off-hours shifts in the centre's time; requests per local day.
#include "services/watch/read_watch.h"

#include <gtest/gtest.h>

#include "services/incidents/incident.h"
#include "services/watch/off_hours.h"
#include "services/watch/probing_watch.h"
#include "services/workflow/sealed_objects.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::TestRuntime;

constexpr int kDocuments = 3;
constexpr int kRequests = 2;

policy::PolicyData watched() {
  policy::PolicyData data;
  data.watch.bulk_read_documents = kDocuments;
  data.watch.bulk_read_window = hours{1};
  data.watch.requests_per_day = kRequests;
  data.watch.off_hours_shifts = {"night"};  // day 08:00-20:00, night 20:00-08:00 (UTC+8)
  return data;
}

// 2026-12-07 10:00 centre time (UTC+8): the day shift.
TimePoint day_time() { return *parse_rfc3339("2026-12-07T02:00:00Z"); }

class ReadWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t.now = day_time();
    t.set_audit_observer(&watches);
  }
  void TearDown() override { t.set_audit_observer(nullptr); }

  void read(const std::string& actor, const std::string& doc) {
    ASSERT_TRUE(t.rt()
                    .audit
                    .record(t.store(),
                            {actor, "document.read_content", "document:" + doc, "allow", "S6",
                             R"({"version":1})"},
                            t.now)
                    .ok());
  }
  void request(const std::string& actor, const std::string& type) {
    ASSERT_TRUE(t.rt()
                    .audit
                    .record(t.store(),
                            {actor, "request.create", "request:" + crypto::random_id(), "allow",
                             "S7", R"({"type":")" + type + R"(","state":"pending"})"},
                            t.now)
                    .ok());
  }
  std::vector<Alert> alerts(const std::string& type) {
    std::vector<Alert> out;
    const SealedObjects objects(t.rt());
    EXPECT_TRUE(t.sealed()
                    .read([&](barrier::ReadTx& tx) -> Result<void> {
                      ObjectQuery q;
                      q.kind = std::string(kAlertKind);
                      q.limit = 1000;
                      BAOMI_ASSIGN_OR_RETURN(auto list, objects.list(tx, q));
                      for (const auto& o : list) {
                        BAOMI_ASSIGN_OR_RETURN(auto a, alert_from_object(o));
                        if (a.type == type) out.push_back(std::move(a));
                      }
                      return {};
                    })
                    .ok());
    return out;
  }
  void acknowledge(const std::string& id) {
    const SealedObjects objects(t.rt());
    ASSERT_TRUE(t.sealed()
                    .write([&](barrier::WriteTx& tx) -> Result<void> {
                      BAOMI_ASSIGN_OR_RETURN(auto o, objects.get(tx, std::string(kAlertKind), id));
                      BAOMI_ASSIGN_OR_RETURN(auto a, alert_from_object(*o));
                      a.state = "acknowledged";
                      auto updated = to_object(a);
                      updated.revision = o->revision;
                      BAOMI_TRY(objects.update(tx, updated));
                      BAOMI_TRY(t.rt().audit.append(
                          tx, {"secadmin", "alert.acknowledge", "alert:" + id, "allow", "C4", "{}"},
                          t.now));
                      return {};
                    })
                    .ok());
  }

  TestRuntime t{watched()};
  ProbingWatch probing{t.rt()};
  ReadWatch reading{t.rt()};
  Watches watches{probing, reading};
  const std::string reader = crypto::random_id();
};

TEST_F(ReadWatchTest, BulkReadAlertsAtNPlusOneDistinctDocumentsNotAtN_C4_S6) {
  for (int i = 0; i < kDocuments; ++i) read(reader, "d-" + std::to_string(i));
  read(reader, "d-0");  // again: still N distinct
  EXPECT_TRUE(alerts("bulk_read_documents").empty());
  read(reader, "d-" + std::to_string(kDocuments));
  const auto raised = alerts("bulk_read_documents");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].target, "account:" + reader);
  EXPECT_NE(raised[0].detail->find("4 distinct documents read within 1h"), std::string::npos)
      << *raised[0].detail;
  EXPECT_NE(raised[0].detail->find("document:d-3"), std::string::npos);
  EXPECT_EQ(raised[0].audit_seqs.size(), static_cast<std::size_t>(kDocuments + 1));
  const auto rows = t.audit_rows();
  EXPECT_EQ(rows.back().action, "alert.raise");
  EXPECT_EQ(rows.back().rule, "C4");
  EXPECT_EQ(rows[rows.size() - 2].action, "document.read_content");
  EXPECT_TRUE(t.verify().ok) << "counts and alerts are committed to by the trail";
}

// The counts are kept in this process under the write they came from (read_watch.h); a job that
// wrote them and then failed leaves the ledger naming the earlier write, so its count is neither
// stored nor taken from what this process kept.
TEST_F(ReadWatchTest, AReadWhoseJobFailsIsNotCountedNotEvenByThisProcess_C4) {
  read(reader, "d-0");
  read(reader, "d-1");
  auto failed = t.sealed().write([&](barrier::WriteTx& tx) -> Result<void> {
    BAOMI_TRY(t.rt().audit.append(
        tx, {reader, "document.read_content", "document:d-2", "allow", "S6", R"({"version":1})"},
        t.now));
    return Error::internal("the job fails after its entry");
  });
  ASSERT_FALSE(failed.ok());
  const auto before = reading.stats();
  read(reader, "d-3");
  EXPECT_EQ(reading.stats().decoded, before.decoded + 1) << "the failed job's counts were used";
  EXPECT_TRUE(alerts("bulk_read_documents").empty()) << "three distinct documents stored, not four";
  read(reader, "d-3");
  EXPECT_EQ(reading.stats().kept, before.kept + 1) << "an unchanged re-read uses the kept counts";
  read(reader, "d-4");
  EXPECT_EQ(alerts("bulk_read_documents").size(), 1u);
  EXPECT_TRUE(t.verify().ok) << "counts and alerts are committed to by the trail";
}

TEST_F(ReadWatchTest, ReadsOutsideTheWindowAndOfOthersDoNotCount_C4) {
  const auto other = crypto::random_id();
  for (int i = 0; i < kDocuments; ++i) read(reader, "d-" + std::to_string(i));
  read(other, "d-9");
  t.now += minutes{61};
  read(reader, "d-" + std::to_string(kDocuments));
  EXPECT_TRUE(alerts("bulk_read_documents").empty()) << "the first reads left the window";
  read("system", "d-20");
  EXPECT_TRUE(alerts("bulk_read_documents").empty());
}

TEST_F(ReadWatchTest, AnOpenAlertIsUpdatedAndAnAcknowledgedOneStartsANewEpisode_C4) {
  for (int i = 0; i <= kDocuments; ++i) read(reader, "d-" + std::to_string(i));
  ASSERT_EQ(alerts("bulk_read_documents").size(), 1u);
  read(reader, "d-10");
  read(reader, "d-11");
  auto raised = alerts("bulk_read_documents");
  ASSERT_EQ(raised.size(), 1u) << "one alert per episode";
  EXPECT_NE(raised[0].detail->find("document:d-11"), std::string::npos) << *raised[0].detail;
  EXPECT_GE(raised[0].audit_seqs.size(), static_cast<std::size_t>(kDocuments + 3))
      << "the update adds the new reads' seqs";
  acknowledge(raised[0].id);
  read(reader, "d-12");
  EXPECT_EQ(alerts("bulk_read_documents").size(), 2u) << "acknowledged: a new episode";
  // The episode also ends after a whole window without a crossing.
  t.now += minutes{61};
  for (int i = 0; i <= kDocuments; ++i) read(reader, "e-" + std::to_string(i));
  EXPECT_EQ(alerts("bulk_read_documents").size(), 3u);
}

TEST_F(ReadWatchTest, RequestVolumeAlertsAboveTheDailyCountAndResetsAtLocalMidnight_S7) {
  request(reader, "copy");
  request(reader, "print");
  request(reader, "access");  // not a copy leaving
  EXPECT_TRUE(alerts("request_volume").empty());
  request(reader, "excerpt");
  auto raised = alerts("request_volume");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_NE(raised[0].detail->find("3 copy, print and excerpt requests on 2026-12-07"),
            std::string::npos)
      << *raised[0].detail;
  // 2026-12-08 00:30 centre time is a new day.
  t.now = *parse_rfc3339("2026-12-07T16:30:00Z");
  request(reader, "copy");
  request(reader, "copy");
  EXPECT_EQ(alerts("request_volume").size(), 1u) << "a new day starts from zero";
}

TEST_F(ReadWatchTest, OffHoursReadsRaiseOneAlertPerShift_C4) {
  read(reader, "d-1");
  EXPECT_TRUE(alerts("off_hours").empty()) << "10:00 is the day shift";
  t.now = *parse_rfc3339("2026-12-07T13:00:00Z");  // 21:00 centre time: night
  read(reader, "d-1");
  read(reader, "d-2");
  auto raised = alerts("off_hours");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_NE(raised[0].detail->find("2 document read(s) during the night shift"), std::string::npos)
      << *raised[0].detail;
  t.now = *parse_rfc3339("2026-12-08T13:00:00Z");  // the next night
  read(reader, "d-3");
  EXPECT_EQ(alerts("off_hours").size(), 2u);
}

TEST(OffHoursTest, ShiftsRunFromTheirStartToTheNextInCentreTime) {
  const policy::Policy policy(watched(), "v");
  const auto at = [&](const char* utc) { return watch::shift_at(policy, *parse_rfc3339(utc)); };
  EXPECT_EQ(at("2026-12-07T00:00:00Z").name, "day");    // 08:00 local
  EXPECT_EQ(at("2026-12-06T23:59:00Z").name, "night");  // 07:59 local
  EXPECT_EQ(at("2026-12-07T12:00:00Z").name, "night");  // 20:00 local
  EXPECT_EQ(at("2026-12-07T13:00:00Z").ends, *parse_rfc3339("2026-12-08T00:00:00Z"));
  EXPECT_EQ(at("2026-12-06T22:00:00Z").ends, *parse_rfc3339("2026-12-07T00:00:00Z"));
  EXPECT_EQ(at("2026-12-07T02:00:00Z").ends, *parse_rfc3339("2026-12-07T12:00:00Z"));
  EXPECT_FALSE(watch::off_hours_at(policy, *parse_rfc3339("2026-12-07T02:00:00Z")));
  EXPECT_TRUE(watch::off_hours_at(policy, *parse_rfc3339("2026-12-07T13:00:00Z")));
}

TEST_F(ReadWatchTest, ProbingAlertIsUpdatedWhileOpenAndRenewedOnceAcknowledged_S9) {
  const auto refuse = [&] {
    ASSERT_TRUE(
        t.rt()
            .audit
            .record(t.store(), {reader, "document.read", "document:x", "deny", "S6", "{}"}, t.now)
            .ok());
  };
  for (int i = 0; i <= 20; ++i) refuse();
  auto raised = alerts("probing");
  ASSERT_EQ(raised.size(), 1u);
  refuse();
  raised = alerts("probing");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].audit_seqs.size(), 22u) << "the open alert names the later refusal too";
  acknowledge(raised[0].id);
  refuse();
  EXPECT_EQ(alerts("probing").size(), 2u);
}

}  // namespace
}  // namespace baomi::services
