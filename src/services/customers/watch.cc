#include "services/customers/watch.h"

#include <algorithm>

namespace baomi::services::customers {
namespace {

bool quiet(const std::optional<TimePoint>& alerted_at, std::chrono::seconds window, TimePoint now) {
  return alerted_at && now - *alerted_at < window;
}

// Keeps the `keep` most recent customers: whether more than the threshold were read within the
// window depends on those alone.
void keep_most_recent(std::map<std::string, TimePoint>& seen, std::size_t keep) {
  if (seen.size() <= keep) return;
  std::vector<TimePoint> times;
  times.reserve(seen.size());
  for (const auto& kv : seen) times.push_back(kv.second);
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(keep - 1),
                   times.end(), std::greater<>());
  const TimePoint cutoff = times[keep - 1];
  std::erase_if(seen, [&](const auto& kv) { return kv.second < cutoff; });
  // Ties at the cutoff: drop arbitrary ones until the bound holds.
  for (auto it = seen.begin(); seen.size() > keep && it != seen.end();) {
    it = it->second == cutoff ? seen.erase(it) : std::next(it);
  }
}

}  // namespace

std::string window_text(std::chrono::seconds window) {
  const auto s = window.count();
  if (s > 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s > 0 && s % 60 == 0) return std::to_string(s / 60) + "min";
  return std::to_string(s) + "s";
}

std::optional<std::string> CustomerWatch::viewed(WatchCounts& c,
                                                 const std::vector<std::string>& customer_ids,
                                                 TimePoint now) const {
  if (customer_ids.empty()) return std::nullopt;
  const auto window = settings_.watch_window;
  std::erase_if(c.seen, [&](const auto& kv) { return now - kv.second >= window; });
  for (const auto& id : customer_ids) c.seen[id] = now;
  const auto count = static_cast<long long>(c.seen.size());
  keep_most_recent(c.seen, static_cast<std::size_t>(settings_.watch_distinct_customers) + 1);
  if (count <= settings_.watch_distinct_customers || quiet(c.view_alert_at, window, now)) {
    return std::nullopt;
  }
  c.view_alert_at = now;
  return std::to_string(count) + " distinct customers viewed within " + window_text(window);
}

std::optional<std::string> CustomerWatch::searched(WatchCounts& c, TimePoint now) const {
  const auto window = settings_.watch_search_window;
  std::erase_if(c.searches, [&](TimePoint t) { return now - t >= window; });
  c.searches.push_back(now);
  const auto count = static_cast<long long>(c.searches.size());
  const auto keep = static_cast<std::size_t>(settings_.watch_searches) + 1;
  if (c.searches.size() > keep) {
    c.searches.erase(c.searches.begin(), c.searches.end() - static_cast<std::ptrdiff_t>(keep));
  }
  if (count <= settings_.watch_searches || quiet(c.search_alert_at, window, now)) {
    return std::nullopt;
  }
  c.search_alert_at = now;
  return std::to_string(count) + " customer searches within " + window_text(window);
}

}  // namespace baomi::services::customers
