#include "services/customers/watch.h"

#include <algorithm>

namespace baomi::services::customers {
namespace {

// Keeps the `keep` most recent customers: whether more than the threshold were read within the
// window depends on those alone.
void keep_most_recent(std::map<std::string, Seen>& seen, std::size_t keep) {
  if (seen.size() <= keep) return;
  std::vector<TimePoint> times;
  times.reserve(seen.size());
  for (const auto& kv : seen) times.push_back(kv.second.at);
  std::nth_element(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(keep - 1),
                   times.end(), std::greater<>());
  const TimePoint cutoff = times[keep - 1];
  std::erase_if(seen, [&](const auto& kv) { return kv.second.at < cutoff; });
  // Ties at the cutoff: drop arbitrary ones until the bound holds.
  for (auto it = seen.begin(); seen.size() > keep && it != seen.end();) {
    it = it->second.at == cutoff ? seen.erase(it) : std::next(it);
  }
}

}  // namespace

std::string window_text(std::chrono::seconds window) {
  const auto s = window.count();
  if (s > 0 && s % 3600 == 0) return std::to_string(s / 3600) + "h";
  if (s > 0 && s % 60 == 0) return std::to_string(s / 60) + "min";
  return std::to_string(s) + "s";
}

std::optional<WatchCrossing> CustomerWatch::viewed(WatchCounts& c,
                                                   const std::vector<std::string>& customer_ids,
                                                   TimePoint now, std::uint64_t seq) const {
  if (customer_ids.empty()) return std::nullopt;
  const auto window = settings_.watch_window;
  std::erase_if(c.seen, [&](const auto& kv) { return now - kv.second.at >= window; });
  bool added = false;
  for (const auto& id : customer_ids) {
    added |= !c.seen.contains(id);
    c.seen[id] = {now, seq};
  }
  const auto count = static_cast<long long>(c.seen.size());
  keep_most_recent(c.seen, static_cast<std::size_t>(settings_.watch_distinct_customers) + 1);
  if (!added || count <= settings_.watch_distinct_customers) return std::nullopt;
  WatchCrossing out{
      std::to_string(count) + " distinct customers viewed within " + window_text(window),
      static_cast<std::uint64_t>(count),
      window,
      {}};
  for (const auto& [id, s] : c.seen) {
    if (std::find(out.seqs.begin(), out.seqs.end(), s.seq) == out.seqs.end()) {
      out.seqs.push_back(s.seq);
    }
  }
  std::sort(out.seqs.begin(), out.seqs.end());
  return out;
}

std::optional<WatchCrossing> CustomerWatch::searched(WatchCounts& c, TimePoint now,
                                                     std::uint64_t seq) const {
  const auto window = settings_.watch_search_window;
  std::erase_if(c.searches, [&](const Seen& s) { return now - s.at >= window; });
  c.searches.push_back({now, seq});
  const auto count = static_cast<long long>(c.searches.size());
  const auto keep = static_cast<std::size_t>(settings_.watch_searches) + 1;
  if (c.searches.size() > keep) {
    c.searches.erase(c.searches.begin(), c.searches.end() - static_cast<std::ptrdiff_t>(keep));
  }
  if (count <= settings_.watch_searches) return std::nullopt;
  WatchCrossing out{std::to_string(count) + " customer searches within " + window_text(window),
                    static_cast<std::uint64_t>(count),
                    window,
                    {}};
  for (const auto& s : c.searches) out.seqs.push_back(s.seq);
  return out;
}

}  // namespace baomi::services::customers
