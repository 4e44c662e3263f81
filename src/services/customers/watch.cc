#include "services/customers/watch.h"

namespace baomi::services::customers {
namespace {

constexpr std::size_t kSweepAbove = 4096;  // accounts kept before idle ones are dropped

bool quiet(const std::optional<TimePoint>& alerted_at, std::chrono::seconds window, TimePoint now) {
  return alerted_at && now - *alerted_at < window;
}

}  // namespace

std::string window_text(std::chrono::seconds window) {
  const auto s = window.count();
  if (s > 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s > 0 && s % 60 == 0) return std::to_string(s / 60) + "min";
  return std::to_string(s) + "s";
}

std::optional<std::string> CustomerWatch::viewed(const std::string& account,
                                                 const std::vector<std::string>& customer_ids,
                                                 TimePoint now) {
  if (customer_ids.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  forget_idle(now);
  auto& c = accounts_[account];
  const auto window = settings_.watch_window;
  std::erase_if(c.seen, [&](const auto& kv) { return now - kv.second >= window; });
  for (const auto& id : customer_ids) c.seen[id] = now;
  const auto count = static_cast<long long>(c.seen.size());
  if (count <= settings_.watch_distinct_customers || quiet(c.view_alert_at, window, now)) {
    return std::nullopt;
  }
  c.view_alert_at = now;
  return std::to_string(count) + " distinct customers viewed within " + window_text(window);
}

std::optional<std::string> CustomerWatch::searched(const std::string& account, TimePoint now) {
  std::lock_guard lock(mu_);
  forget_idle(now);
  auto& c = accounts_[account];
  const auto window = settings_.watch_search_window;
  while (!c.searches.empty() && now - c.searches.front() >= window) c.searches.pop_front();
  c.searches.push_back(now);
  const auto count = static_cast<long long>(c.searches.size());
  if (count <= settings_.watch_searches || quiet(c.search_alert_at, window, now)) {
    return std::nullopt;
  }
  c.search_alert_at = now;
  return std::to_string(count) + " customer searches within " + window_text(window);
}

void CustomerWatch::forget_idle(TimePoint now) {
  if (accounts_.size() <= kSweepAbove) return;
  const auto longest = std::max(settings_.watch_window, settings_.watch_search_window);
  std::erase_if(accounts_, [&](const auto& kv) {
    const auto& c = kv.second;
    const auto recent = [&](TimePoint t) { return now - t < longest; };
    for (const auto& s : c.seen) {
      if (recent(s.second)) return false;
    }
    if (!c.searches.empty() && recent(c.searches.back())) return false;
    if (c.view_alert_at && recent(*c.view_alert_at)) return false;
    if (c.search_alert_at && recent(*c.search_alert_at)) return false;
    return true;
  });
}

}  // namespace baomi::services::customers
