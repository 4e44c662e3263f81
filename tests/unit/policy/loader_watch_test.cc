// The watch section's optional parts (issue 11: bulk_read, first_category, off_hours,
// request_volume) and the optional alerts section: the demo's values, and clear refusals.
#include <gtest/gtest.h>

#include "policy/loader.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

using testing::edit_line;

constexpr std::string_view kOffHoursLine =
    "    shifts: []               # e.g. [night] where the night shift reads no documents";

std::string error_of(const std::string& text) {
  const auto loaded = parse_policy(text, "test.yaml");
  return loaded.ok() ? "" : loaded.error().message;
}

TEST(PolicyLoaderWatch, TheDemoWatchesBulkReadingAndRequestVolumeOnly_C4) {
  const auto loaded = parse_policy(testing::read_default_policy_text(), "default.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const auto& w = loaded->watch();
  EXPECT_EQ(w.bulk_read_documents, 50);
  EXPECT_EQ(w.bulk_read_window, std::chrono::hours{1});
  EXPECT_FALSE(w.first_category);
  EXPECT_EQ(w.first_category_after_reads, 20);
  EXPECT_TRUE(w.off_hours_shifts.empty());
  EXPECT_EQ(w.requests_per_day, 20);
  EXPECT_EQ(loaded->alerts().sink, "") << "no alerts section: no sink";
}

TEST(PolicyLoaderWatch, OffHoursNamesShiftsOfTheHandoversAndLeavesOneWorking) {
  const auto text = testing::read_default_policy_text();
  const auto [night, n1] = edit_line(text, kOffHoursLine, "    shifts: [night]");
  const auto loaded = parse_policy(night, "test.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->watch().off_hours_shifts, std::vector<std::string>{"night"});
  const auto [unknown, n2] = edit_line(text, kOffHoursLine, "    shifts: [evening]");
  EXPECT_NE(error_of(unknown).find("'evening' is not a shift of handovers.shifts"),
            std::string::npos)
      << error_of(unknown);
  const auto [all, n3] = edit_line(text, kOffHoursLine, "    shifts: [day, night]");
  EXPECT_NE(error_of(all).find("at least one shift as working hours"), std::string::npos)
      << error_of(all);
}

TEST(PolicyLoaderWatch, AlertsSinkIsSyslogOrAnAbsolutePath) {
  const auto text = testing::read_default_policy_text();
  const auto with = [&](std::string_view sink) {
    return text + "alerts:\n  sink: " + std::string(sink) + "\n";
  };
  const auto syslog = parse_policy(with("syslog"), "test.yaml");
  ASSERT_TRUE(syslog.ok()) << syslog.error().message;
  EXPECT_EQ(syslog->alerts().sink, "syslog");
  const auto file = parse_policy(with("/var/log/baomi/alerts.jsonl"), "test.yaml");
  ASSERT_TRUE(file.ok()) << file.error().message;
  EXPECT_EQ(file->alerts().sink, "/var/log/baomi/alerts.jsonl");
  EXPECT_NE(error_of(with("alerts.jsonl")).find("alerts.sink"), std::string::npos)
      << error_of(with("alerts.jsonl"));
  EXPECT_NE(error_of(text + "alerts:\n  sinks: syslog\n").find("unknown key 'sinks'"),
            std::string::npos);
}

TEST(PolicyLoaderWatch, CountsAreBounded) {
  const auto text = testing::read_default_policy_text();
  const auto [big, n] = edit_line(text, "    documents: 50", "    documents: 100001");
  EXPECT_NE(error_of(big).find("watch.bulk_read.documents"), std::string::npos) << error_of(big);
}

}  // namespace
}  // namespace baomi::policy
