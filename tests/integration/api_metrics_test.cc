// /metrics is valid Prometheus text (format 0.0.4), parsed line by line: every line a comment
// or a sample of a declared metric, histograms with cumulative buckets ending in +Inf and
// _count equal to the +Inf bucket; latency per route class and refusals by reason are there.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

struct Sample {
  std::string name;
  std::string labels;  // without le, as written
  std::string le;      // histogram buckets only
  double value = 0;
};

// Parses the exposition; every line must be valid (ADD_FAILURE otherwise).
std::vector<Sample> parse(const std::string& text, std::map<std::string, std::string>& types) {
  static const std::regex help(R"re(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+)re");
  static const std::regex type(
      R"re(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))re");
  static const std::regex sample(
      R"re(([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*)\})? )re"
      R"re((-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|\+Inf))re");
  static const std::regex le_label(R"re((,?)le="([^"]*)")re");
  EXPECT_TRUE(!text.empty() && text.back() == '\n');
  std::vector<Sample> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_match(line, m, type)) {
      EXPECT_EQ(types.count(m[1]), 0u) << "declared twice: " << line;
      types[m[1]] = m[2];
      continue;
    }
    if (std::regex_match(line, help)) continue;
    if (!std::regex_match(line, m, sample)) {
      ADD_FAILURE() << "not a valid line: '" << line << "'";
      continue;
    }
    Sample s;
    s.name = m[1];
    std::string labels = m[2];
    std::smatch le;
    if (std::regex_search(labels, le, le_label)) {
      s.le = le[2];
      labels = le.prefix().str() + le.suffix().str();
    }
    s.labels = labels;
    s.value = m[3] == "+Inf" ? 1e300 : std::stod(m[3]);
    out.push_back(s);
  }
  return out;
}

std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    const std::string sfx(suffix);
    if (name.size() > sfx.size() && name.compare(name.size() - sfx.size(), sfx.size(), sfx) == 0) {
      const std::string base = name.substr(0, name.size() - sfx.size());
      auto it = types.find(base);
      if (it != types.end() && it->second == "histogram") return base;
    }
  }
  return name;
}

TEST(MetricsTest, ExpositionIsValidPrometheusTextWithHistogramsAndRefusals) {
  auto instance = TestInstance::create();
  auto server = instance->start();
  HttpsClient c(server->port());
  const auto token = instance->admin_token(c, "sysadmin");
  EXPECT_EQ(c.get("/api/v1/users", token).status, 200);
  EXPECT_EQ(c.get("/api/v1/documents", token).status, 200);
  EXPECT_EQ(c.get("/no-such-path").status, 404);
  auto r = c.get("/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.header("content-type").find("text/plain"), std::string::npos);

  std::map<std::string, std::string> types;
  const auto samples = parse(r.body, types);
  ASSERT_FALSE(samples.empty());
  // Every sample belongs to a declared family; histograms obey their invariants.
  std::map<std::string, std::vector<Sample>> buckets;  // family + labels -> buckets in order
  std::map<std::string, double> counts;
  for (const auto& s : samples) {
    const auto family = family_of(s.name, types);
    ASSERT_EQ(types.count(family), 1u) << "undeclared metric " << s.name;
    if (types[family] != "histogram") {
      EXPECT_TRUE(s.le.empty()) << s.name;
      continue;
    }
    const std::string key = family + "{" + s.labels + "}";
    if (s.name == family + "_bucket") buckets[key].push_back(s);
    if (s.name == family + "_count") counts[key] = s.value;
  }
  ASSERT_FALSE(buckets.empty()) << "no histogram";
  for (const auto& [key, series] : buckets) {
    ASSERT_FALSE(series.empty());
    EXPECT_EQ(series.back().le, "+Inf") << key;
    for (std::size_t i = 1; i < series.size(); ++i) {
      EXPECT_LE(series[i - 1].value, series[i].value) << key << " le=" << series[i].le;
      if (series[i].le != "+Inf") {
        EXPECT_LT(std::stod(series[i - 1].le), std::stod(series[i].le));
      }
    }
    ASSERT_EQ(counts.count(key), 1u) << key << " has no _count";
    EXPECT_EQ(counts[key], series.back().value) << key;
  }
  const std::string hist = "baomi_request_duration_seconds";
  EXPECT_GE(counts[hist + "{route=\"session\"}"], 2) << "the login and GET /users";
  EXPECT_GE(counts[hist + "{route=\"documents\"}"], 1);
  EXPECT_GE(counts[hist + "{route=\"other\"}"], 1) << "the 404";
  std::set<std::string> reasons;
  for (const auto& s : samples) {
    if (s.name == "baomi_connections_refused_total") reasons.insert(s.labels);
  }
  EXPECT_EQ(reasons.size(), 5u);
  EXPECT_EQ(types["baomi_connections_open"], "gauge");
  EXPECT_EQ(types["baomi_connections_refused_total"], "counter");
}

// Every sample by name and labels ("name{labels}"; le kept for buckets), from a valid exposition.
std::map<std::string, double> values_of(const std::string& text) {
  std::map<std::string, std::string> types;
  std::map<std::string, double> out;
  for (const auto& s : parse(text, types)) {
    const auto family = family_of(s.name, types);
    EXPECT_EQ(types.count(family), 1u) << "undeclared metric " << s.name;
    std::string labels = s.labels;
    if (!s.le.empty()) labels += (labels.empty() ? "" : ",") + std::string("le=") + s.le;
    out[s.name + "{" + labels + "}"] = s.value;
  }
  return out;
}

// Issues 14 and 16: how long audited requests wait for their entry to be durable and how many
// jobs share a commit (histograms), the record cache's hits and misses, and the login throttle,
// each consistent with what the test did.
TEST(MetricsTest, AuditAppendsGroupCommitsRecordCacheAndLoginThrottleAreCounted_S9) {
  auto instance = TestInstance::create();
  auto server = instance->start();
  HttpsClient c(server->port());
  auto keeper = make_user(c, *instance, "keeper." + random_suffix(), "custodian", "confidential",
                          {"finance"});
  const auto doc = create_document(c, keeper.token, "metrics", "confidential", {"finance"});
  const std::string path = "/api/v1/documents/" + std::string(doc.at("id").as_string());
  const auto before = values_of(c.get("/metrics").body);
  constexpr int kReads = 6;
  for (int i = 0; i < kReads; ++i) ASSERT_EQ(c.get(path, keeper.token).status, 200);
  // Wrong passwords for one name from one source: 5 failures, then refused (423).
  int locked = 0;
  for (int i = 0; i < 7; ++i) {
    const auto r = c.post_json(
        "/api/v1/session",
        boost::json::object{{"username", keeper.username}, {"password", "not-the-password"}});
    ASSERT_TRUE(r.status == 401 || r.status == 423) << r.status;
    locked += r.status == 423;
  }
  ASSERT_GE(locked, 1);
  const auto after = values_of(c.get("/metrics").body);
  auto grew = [&](const std::string& key) {
    EXPECT_EQ(after.count(key), 1u) << key << " is missing";
    const auto was = before.count(key) ? before.at(key) : 0.0;
    return after.count(key) ? after.at(key) - was : 0.0;
  };
  // Each audited read waited for its own entry to be durable.
  EXPECT_GE(grew("baomi_audit_append_seconds_count{}"), kReads);
  EXPECT_GT(grew("baomi_audit_append_seconds_sum{}"), 0);
  // Every commit holds at least one job: as many jobs as commits at the very least.
  EXPECT_GE(grew("baomi_group_commit_jobs_count{}"), 1);
  EXPECT_GE(after.at("baomi_group_commit_jobs_sum{}"), after.at("baomi_group_commit_jobs_count{}"));
  // A commit is timed once it ends: at most one (a background job's) may be under way.
  EXPECT_LE(after.at("baomi_group_commit_seconds_count{}"),
            after.at("baomi_group_commit_jobs_count{}"));
  EXPECT_GE(after.at("baomi_group_commit_seconds_count{}") + 1,
            after.at("baomi_group_commit_jobs_count{}"));
  // The same session, account and document read again and again: served from the cache.
  EXPECT_GE(grew("baomi_record_cache_hits_total{}"), 3 * (kReads - 1));
  EXPECT_GT(after.at("baomi_record_cache_entries{}"), 0);
  EXPECT_GT(after.at("baomi_record_cache_bytes{}"), 0);
  EXPECT_EQ(after.count("baomi_record_cache_misses_total{}"), 1u);
  // S9: the failures, the refusals they led to, and the refusal period they began.
  EXPECT_GE(grew("baomi_logins_failed_total{}"), 5);
  EXPECT_EQ(grew("baomi_logins_refused_total{reason=\"locked\"}"), locked);
  EXPECT_GE(grew("baomi_login_throttles_total{scope=\"pair\"}"), 1);
  EXPECT_EQ(grew("baomi_logins_refused_total{reason=\"rate_limited\"}"), 0);
}

}  // namespace
}  // namespace baomi::testing
