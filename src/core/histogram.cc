#include "core/histogram.h"

#include <cstdio>
#include <stdexcept>

namespace baomi {
namespace {

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 1; i < bounds_.size(); ++i) {
    if (!(bounds_[i - 1] < bounds_[i])) throw std::logic_error("histogram bounds must increase");
  }
}

void Histogram::observe(double value) {
  if (!(value >= 0)) value = 0;  // also NaN: nothing here measures negative quantities
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(static_cast<std::uint64_t>(value * 1e6 + 0.5), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6;
  return s;
}

void Histogram::write_prometheus(std::string& out, std::string_view name,
                                 std::string_view help) const {
  const auto s = snapshot();
  const std::string n(name);
  out += "# HELP " + n + " " + std::string(help) + "\n# TYPE " + n + " histogram\n";
  for (std::size_t i = 0; i < s.bounds.size(); ++i) {
    out +=
        n + "_bucket{le=\"" + number(s.bounds[i]) + "\"} " + std::to_string(s.cumulative[i]) + "\n";
  }
  out += n + "_bucket{le=\"+Inf\"} " + std::to_string(s.count) + "\n";
  out += n + "_sum " + number(s.sum) + "\n";
  out += n + "_count " + std::to_string(s.count) + "\n";
}

}  // namespace baomi
