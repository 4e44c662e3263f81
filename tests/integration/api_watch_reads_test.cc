// Watching how much and when accounts read (C4: anomalous reading is alerted; S6; S7) over real
// HTTPS: bulk reading, first access to a category, off-hours reads and copy-request volume each
// raise an alert at exactly N+1 and not at N; counts live in the store, so a restart in the
// middle neither forgets nor doubles them; one alert per episode, updated while open and new
// once acknowledged; every raised alert also reaches the policy's alerts.sink as one JSON line
// with ids and counts, never a title or a name.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

constexpr int kDocuments = 3;   // bulk_read.documents: the 4th distinct document alerts
constexpr int kAfterReads = 2;  // first_category.after_reads
constexpr int kRequests = 2;    // request_volume.per_day: the 3rd copy request alerts
constexpr std::string_view kTitle = "机密名录TITLE";

// The shift (of the demo's day 08:00 / night 20:00, UTC+8) the centre is in now, or "" within
// five minutes of a shift change (a test would straddle it).
std::string current_shift() {
  const auto now = std::chrono::system_clock::now() + std::chrono::hours{8};
  const auto into = std::chrono::duration_cast<std::chrono::minutes>(
      now - std::chrono::floor<std::chrono::days>(now));
  const auto m = into.count();
  if (std::abs(m - 8 * 60) < 5 || std::abs(m - 20 * 60) < 5 || m < 5 || m > 24 * 60 - 5) {
    return "";
  }
  return m >= 8 * 60 && m < 20 * 60 ? "day" : "night";
}

class WatchReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = TestInstance::create();
    sink_ = instance_->root() / "alerts.jsonl";
    start();
    auto c = client();
    reader_ = make_user(c, *instance_, "reader-" + random_suffix(), "custodian", "secret",
                        {"finance", "personnel", "technology"});
    for (int i = 0; i < kDocuments + 3; ++i) {
      docs_.push_back(id_of(create_document(
          c, reader_.token, std::string(kTitle) + std::to_string(i), "internal", {"finance"})));
    }
  }

  // The instance's policy with a watch section that alerts early, and the alert sink.
  std::string policy_file(const std::string& off_hours = "") {
    std::ifstream in(instance_->data() / "policy.yaml");
    std::stringstream text;
    text << in.rdbuf();
    std::string yaml = text.str();
    if (const auto at = yaml.find("\nwatch:\n"); at != std::string::npos) yaml.resize(at + 1);
    yaml +=
        "\nwatch:\n  probing:\n    refusals: 20\n    window: 10m\n"
        "  bulk_read:\n    documents: " +
        std::to_string(kDocuments) +
        "\n    window: 1h\n"
        "  first_category:\n    enabled: true\n    after_reads: " +
        std::to_string(kAfterReads) +
        "\n"
        "  off_hours:\n    shifts: [" +
        off_hours +
        "]\n"
        "  request_volume:\n    per_day: " +
        std::to_string(kRequests) + "\nalerts:\n  sink: " + sink_.string() + "\n";
    const auto path = instance_->root() / "watch-reads-policy.yaml";
    std::ofstream(path) << yaml;
    return path.string();
  }
  void start(const std::string& off_hours = "") {
    server_ = instance_->start({"--policy", policy_file(off_hours)});
  }

  static std::string id_of(const json::object& o) { return std::string(o.at("id").as_string()); }
  HttpsClient client() { return HttpsClient(server_->port()); }

  void read(const std::string& doc) {
    auto c = client();
    auto r = c.get("/api/v1/documents/" + doc, reader_.token);
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::vector<json::object> alerts(std::string_view kind) {
    auto c = client();
    auto r = c.get("/api/v1/alerts?limit=100&kind=" + std::string(kind),
                   instance_->admin_token(c, "secadmin"));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<json::object> out;
    const auto page = r.json();  // kept: the loop below reads into it
    for (const auto& item : page.at("items").as_array()) out.push_back(item.as_object());
    return out;
  }

  void acknowledge(const std::string& id) {
    auto c = client();
    auto r = c.post_json("/api/v1/alerts/" + id + "/acknowledge", {{"note", "looked at it"}},
                         instance_->admin_token(c, "secadmin"));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  // The sink's lines once at least `n` are there (the sink follows the committed trail about
  // once a second; generous margin on a loaded machine).
  std::vector<std::string> sink_lines(std::size_t n) {
    std::vector<std::string> lines;
    for (int i = 0; i < 600; ++i) {
      lines.clear();
      std::istringstream in(read_text(sink_));
      for (std::string line; std::getline(in, line);) lines.push_back(line);
      if (lines.size() >= n) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return lines;
  }

  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
  std::filesystem::path sink_;
  TestUser reader_;
  std::vector<std::string> docs_;
};

TEST_F(WatchReadsTest, BulkReadAlertAtExactlyNPlusOneDocumentsKeptAcrossARestart_C4_S6) {
  for (int i = 0; i < kDocuments - 1; ++i) read(docs_[i]);
  server_->stop();
  start();
  read(docs_[kDocuments - 1]);
  read(docs_[0]);  // again: still N distinct documents
  EXPECT_TRUE(alerts("bulk_read_documents").empty()) << "N distinct documents are allowed";
  read(docs_[kDocuments]);
  auto raised = alerts("bulk_read_documents");
  ASSERT_EQ(raised.size(), 1u) << "the reads before the restart were counted";
  const auto& alert = raised.front();
  EXPECT_EQ(alert.at("target").as_string(), "account:" + reader_.id);
  const std::string detail(alert.at("detail").as_string());
  EXPECT_NE(detail.find(std::to_string(kDocuments + 1) + " distinct documents read within 1h"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("document:" + docs_[kDocuments]), std::string::npos) << detail;
  EXPECT_EQ(detail.find("TITLE"), std::string::npos) << "ids only, never titles";
  EXPECT_GE(alert.at("audit_seqs").as_array().size(), static_cast<std::size_t>(kDocuments + 1));
  auto c = client();
  const auto raise = audit_entries(c, *instance_, "action=alert.raise");
  ASSERT_FALSE(raise.empty());
  EXPECT_EQ(raise.back().at("rule").as_string(), "C4");
  // {"type","alert_id","count","window_s"}: the kind, the alert, the count and the window.
  const std::string alert_id(alert.at("id").as_string());
  std::vector<std::string> details;
  for (const auto& e : raise) {
    const auto text = boost::json::serialize(e.at("detail"));
    if (text.find(alert_id) != std::string::npos) details.push_back(text);
  }
  EXPECT_EQ(details,
            std::vector<std::string>{R"({"type":"bulk_read_documents","alert_id":")" + alert_id +
                                     R"(","count":)" + std::to_string(kDocuments + 1) +
                                     R"(,"window_s":3600})"});
}

TEST_F(WatchReadsTest, OneAlertPerEpisodeUntilAcknowledged_C4) {
  for (int i = 0; i <= kDocuments; ++i) read(docs_[i]);
  auto raised = alerts("bulk_read_documents");
  ASSERT_EQ(raised.size(), 1u);
  const auto seqs_before = raised[0].at("audit_seqs").as_array().size();
  read(docs_[kDocuments + 1]);
  raised = alerts("bulk_read_documents");
  ASSERT_EQ(raised.size(), 1u) << "the open alert is updated, not repeated";
  EXPECT_GT(raised[0].at("audit_seqs").as_array().size(), seqs_before);
  EXPECT_NE(std::string(raised[0].at("detail").as_string()).find(docs_[kDocuments + 1]),
            std::string::npos);
  acknowledge(id_of(raised[0]));
  read(docs_[kDocuments + 2]);
  EXPECT_EQ(alerts("bulk_read_documents").size(), 2u) << "acknowledged: a new episode";
}

TEST_F(WatchReadsTest, FirstReadOfANewCategoryAlertsOnceTheAccountHasHabits_C4_S6) {
  auto c = client();
  const auto personnel = id_of(
      create_document(c, reader_.token, std::string(kTitle) + "P", "internal", {"personnel"}));
  const auto technology = id_of(
      create_document(c, reader_.token, std::string(kTitle) + "T", "internal", {"technology"}));
  read(docs_[0]);   // finance: the first read of all, no habits yet
  read(personnel);  // a new category after 1 read (< after_reads): not yet
  EXPECT_TRUE(alerts("first_category").empty());
  read(docs_[1]);  // finance again: known
  EXPECT_TRUE(alerts("first_category").empty());
  read(technology);  // a new category after 3 reads
  auto raised = alerts("first_category");
  ASSERT_EQ(raised.size(), 1u);
  const std::string detail(raised[0].at("detail").as_string());
  EXPECT_NE(detail.find("first read in category technology"), std::string::npos) << detail;
  EXPECT_NE(detail.find("document:" + technology), std::string::npos) << detail;
  EXPECT_EQ(detail.find("TITLE"), std::string::npos);
  read(technology);
  EXPECT_EQ(alerts("first_category").size(), 1u) << "a known category does not alert again";
}

TEST_F(WatchReadsTest, ReadsDuringAnOffHoursShiftAlertOncePerShift_C4) {
  const auto shift = current_shift();
  if (shift.empty()) GTEST_SKIP() << "within five minutes of a shift change";
  read(docs_[0]);
  EXPECT_TRUE(alerts("off_hours").empty()) << "no shift is off hours yet";
  server_->stop();
  start(shift);  // the shift we are in is now off hours
  read(docs_[1]);
  auto raised = alerts("off_hours");
  ASSERT_EQ(raised.size(), 1u);
  read(docs_[2]);
  raised = alerts("off_hours");
  ASSERT_EQ(raised.size(), 1u) << "one alert per off-hours shift";
  const std::string detail(raised[0].at("detail").as_string());
  EXPECT_NE(detail.find("2 document read(s) during the " + shift + " shift"), std::string::npos)
      << detail;
}

TEST_F(WatchReadsTest, CopyRequestsAboveTheDailyCountAlertAtNPlusOne_S7) {
  const auto ask = [&](std::string_view type) {
    auto c = client();
    auto r = c.post_json("/api/v1/requests",
                         {{"type", type}, {"document_id", docs_[0]}, {"reason", "回访核对"}},
                         reader_.token);
    ASSERT_EQ(r.status, 201) << r.body;
  };
  auto c = client();
  upload_content(c, reader_.token, docs_[0], "预算草案正文 TITLE-free body");
  ask("copy");
  ask("print");
  EXPECT_TRUE(alerts("request_volume").empty());
  ask("copy");
  auto raised = alerts("request_volume");
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_NE(std::string(raised[0].at("detail").as_string())
                .find(std::to_string(kRequests + 1) + " copy, print and excerpt requests"),
            std::string::npos);
}

TEST_F(WatchReadsTest, EachRaisedAlertReachesTheSinkAsOneJsonLineWithoutTitlesOrNames_C4_S9) {
  for (int i = 0; i <= kDocuments; ++i) read(docs_[i]);
  read(docs_[kDocuments + 1]);  // updates the open alert: no second line
  const auto raised = alerts("bulk_read_documents");
  ASSERT_EQ(raised.size(), 1u);
  const auto lines = sink_lines(1);
  ASSERT_EQ(lines.size(), 1u) << read_text(sink_);
  struct stat st {};
  ASSERT_EQ(::stat(sink_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the sink file is its owner's only";
  const auto line = json::parse(lines[0]).as_object();
  EXPECT_EQ(line.at("id").as_string(), raised[0].at("id").as_string());
  EXPECT_EQ(line.at("kind").as_string(), "bulk_read_documents");
  EXPECT_EQ(line.at("rule").as_string(), "C4");
  EXPECT_EQ(line.at("account").as_string(), reader_.id);
  EXPECT_EQ(line.at("count").to_number<int>(), kDocuments + 1);
  EXPECT_EQ(line.at("window_s").to_number<int>(), 3600);
  // The alert's seqs as they stand at delivery (the update after it may already be in).
  EXPECT_GE(line.at("seqs").as_array().size(), static_cast<std::size_t>(kDocuments + 1));
  EXPECT_TRUE(line.contains("time"));
  EXPECT_EQ(lines[0].find("TITLE"), std::string::npos) << "no title: " << lines[0];
  EXPECT_EQ(lines[0].find(reader_.username), std::string::npos) << "no name: " << lines[0];
  EXPECT_EQ(lines[0].find("detail"), std::string::npos) << "no sentence: " << lines[0];
  // After a restart the sink goes on where it stopped: the next alert is one new line.
  acknowledge(std::string(raised[0].at("id").as_string()));
  server_->stop();
  start();
  read(docs_[kDocuments + 2]);
  const auto more = sink_lines(2);
  ASSERT_EQ(more.size(), 2u) << read_text(sink_);
  EXPECT_EQ(more[0], lines[0]) << "nothing repeated";
  EXPECT_NE(json::parse(more[1]).at("id"), line.at("id"));
}

// C4, S6, S7: two `baomi serve` processes on one data directory count together. Reads and copy
// requests split across both at once, each process's share under the threshold, together cross
// it: exactly one alert of each kind (not zero: neither process counts alone; not two: the
// store's one writer orders the crossings), and further reads in the episode update it.
TEST_F(WatchReadsTest, ReadsAndRequestsSplitOverTwoServerProcessesAlertExactlyOnce_C4_S6_S7) {
  auto second = instance_->start({"--policy", policy_file()});
  const std::array<std::uint16_t, 2> ports{server_->port(), second->port()};
  auto c = client();
  upload_content(c, reader_.token, docs_[0], "预算草案正文 TITLE-free body");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < ports.size(); ++t) {
    threads.emplace_back([&, t] {
      HttpsClient node(ports[t]);
      // Process t reads documents t, t+2 (2 each, 4 together: kDocuments + 1) and asks for
      // copies t, t+2 of 3 (kRequests + 1 together).
      for (std::size_t i = t; i <= static_cast<std::size_t>(kDocuments); i += 2) {
        if (node.get("/api/v1/documents/" + docs_[i], reader_.token).status != 200) ++failures;
      }
      for (std::size_t i = t; i <= static_cast<std::size_t>(kRequests); i += 2) {
        auto r = node.post_json("/api/v1/requests",
                                {{"type", "copy"}, {"document_id", docs_[0]}, {"reason", "核对"}},
                                reader_.token);
        if (r.status != 201) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);
  const auto bulk = alerts("bulk_read_documents");
  ASSERT_EQ(bulk.size(), 1u) << "one crossing over both processes, one alert";
  EXPECT_NE(std::string(bulk[0].at("detail").as_string())
                .find(std::to_string(kDocuments + 1) + " distinct documents read within 1h"),
            std::string::npos);
  EXPECT_EQ(bulk[0].at("audit_seqs").as_array().size(), static_cast<std::size_t>(kDocuments + 1));
  const auto volume = alerts("request_volume");
  ASSERT_EQ(volume.size(), 1u);
  EXPECT_NE(std::string(volume[0].at("detail").as_string())
                .find(std::to_string(kRequests + 1) + " copy, print and excerpt requests"),
            std::string::npos);
  // The episode goes on through the other process: the same alert is updated.
  HttpsClient other(ports[1]);
  ASSERT_EQ(other.get("/api/v1/documents/" + docs_[kDocuments + 1], reader_.token).status, 200);
  const auto after = alerts("bulk_read_documents");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].at("id"), bulk[0].at("id"));
  EXPECT_NE(std::string(after[0].at("detail").as_string()).find(docs_[kDocuments + 1]),
            std::string::npos);
  const auto raise = audit_entries(c, *instance_, "action=alert.raise");
  EXPECT_EQ(raise.size(), 2u) << "one alert.raise per alert, whichever process raised it";
}

}  // namespace
}  // namespace baomi::testing
