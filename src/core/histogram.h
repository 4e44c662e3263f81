// Histogram: a fixed-bucket counter of observations for /metrics (Prometheus histograms), for
// figures measured below the HTTP layer (audit append latency, group-commit batch sizes). The
// bounds are fixed at construction, so the series stay few whatever is observed.
// Thread-safe: observe() is lock-free (relaxed atomics); write_prometheus() reads a
// near-consistent snapshot (the +Inf bucket is always the count it writes).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace baomi {

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, increasing (the +Inf bucket is implied).
  explicit Histogram(std::vector<double> bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (= count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;

  // Appends HELP, TYPE, the cumulative buckets ending in +Inf, _sum and _count of `name`.
  void write_prometheus(std::string& out, std::string_view name, std::string_view help) const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // not cumulative; last is +Inf
  std::atomic<std::uint64_t> sum_micro_{0};                // sum × 1e6, so integers add exactly
};

}  // namespace baomi
