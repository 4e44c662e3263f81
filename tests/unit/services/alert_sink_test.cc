// AlertSink: a line for each alert whose transaction committed, none for one rolled back, each
// once (the cursor moves); ids and counts, no detail sentence; the file is its owner's only.
#include "services/watch/alert_sink.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "crypto/random.h"
#include "services/incidents/incident.h"
#include "services/workflow/sealed_objects.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using testing::TestRuntime;

class AlertSinkTest : public ::testing::Test {
 protected:
  // Stores an alert and its alert.raise entry in one job; `fail` rolls the job back.
  std::string raise(bool fail = false) {
    Alert alert;
    alert.id = crypto::random_id();
    alert.type = "bulk_read_documents";
    alert.raised_by = account;
    alert.target = "account:" + account;
    alert.detail = "51 distinct documents read within 1h; SENTENCE";
    alert.audit_seqs = {3, 4};
    alert.at = t.now;
    auto done = t.sealed().write([&](barrier::WriteTx& tx) -> Result<void> {
      auto object = to_object(alert);
      BAOMI_TRY(SealedObjects(t.rt()).insert(tx, object));
      const std::string detail = R"({"type":"bulk_read_documents","alert_id":")" + alert.id +
                                 R"(","count":51,"window_s":3600})";
      BAOMI_TRY(t.rt().audit.append(
          tx, {"system", "alert.raise", "account:" + account, "allow", "C4", detail}, t.now));
      if (fail) return Error::internal("the job fails after the alert");
      return {};
    });
    EXPECT_EQ(done.ok(), !fail);
    return alert.id;
  }
  std::vector<std::string> lines() {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  TestRuntime t;
  const std::string account = crypto::random_id();
  const std::filesystem::path file = t.dir() / "alerts.jsonl";
};

TEST_F(AlertSinkTest, OnlyCommittedAlertsAreDeliveredOnceEach_S9) {
  AlertSink sink(t.rt(), file.string());
  EXPECT_FALSE(*sink.pending());
  const auto kept = raise();
  raise(/*fail=*/true);
  ASSERT_TRUE(*sink.pending());
  auto delivered = sink.deliver();
  ASSERT_TRUE(delivered.ok()) << delivered.error().message;
  EXPECT_EQ(*delivered, 1u) << "no line for the rolled-back alert";
  EXPECT_FALSE(*sink.pending());
  EXPECT_EQ(*sink.deliver(), 0u);
  const auto got = lines();
  ASSERT_EQ(got.size(), 1u);
  const auto line = boost::json::parse(got[0]).as_object();
  EXPECT_EQ(line.at("id").as_string(), kept);
  EXPECT_EQ(line.at("kind").as_string(), "bulk_read_documents");
  EXPECT_EQ(line.at("account").as_string(), account);
  EXPECT_EQ(line.at("count").to_number<int>(), 51);
  EXPECT_EQ(line.at("window_s").to_number<int>(), 3600);
  EXPECT_EQ(line.at("seqs").as_array().size(), 2u);
  EXPECT_EQ(got[0].find("SENTENCE"), std::string::npos) << "no detail sentence: " << got[0];
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A second sink (another process, or after a restart) goes on from the stored cursor.
  raise();
  AlertSink again(t.rt(), file.string());
  EXPECT_EQ(*again.deliver(), 1u);
  EXPECT_EQ(lines().size(), 2u);
}

TEST_F(AlertSinkTest, AFileOthersMayReadIsRefusedAndTheAlertKeptForLater) {
  std::ofstream(file) << "";
  ::chmod(file.c_str(), 0644);
  AlertSink sink(t.rt(), file.string());
  raise();
  EXPECT_FALSE(sink.deliver().ok());
  EXPECT_EQ(sink.failures(), 1u);
  EXPECT_TRUE(*sink.pending()) << "the cursor stays: nothing is lost";
  ::chmod(file.c_str(), 0600);
  EXPECT_EQ(*sink.deliver(), 1u);
}

}  // namespace
}  // namespace baomi::services
