#include "policy/approval_matching.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace baomi::policy::matching {
namespace {

constexpr int kMaxStepsInMask = 32;

constexpr std::uint32_t bit(int s) { return std::uint32_t{1} << static_cast<unsigned>(s); }

// Augmenting-path matching of approvers (one slot each) to steps (counts[s] slots each):
// Kuhn's algorithm with capacities on the step side. Slots of one step have the same
// neighbours, so marking a step visited stands for all of its slots.
class Matcher {
 public:
  Matcher(std::span<const std::uint32_t> eligible, std::vector<int> counts)
      : eligible_(eligible),
        counts_(std::move(counts)),
        step_of_(eligible.size(), -1),
        used_(counts_.size(), 0) {}

  // Forgets the assignment, then matches as many approvers as possible into `allowed` steps.
  int run(std::uint32_t allowed) {
    std::fill(step_of_.begin(), step_of_.end(), -1);
    std::fill(used_.begin(), used_.end(), 0);
    return extend(allowed);
  }

  // Tries every unassigned approver once more, now with `allowed` steps. Augmenting paths end
  // at a free slot, so a slot once filled stays filled: full steps stay full. Processing each
  // free approver once yields a maximum matching (no augmenting path is left).
  int extend(std::uint32_t allowed) {
    for (std::size_t a = 0; a < step_of_.size(); ++a) {
      if (step_of_[a] >= 0) continue;
      std::uint32_t visited = 0;
      augment(a, allowed, visited);
    }
    int filled = 0;
    for (int u : used_) filled += u;
    return filled;
  }

  const std::vector<int>& assignment() const { return step_of_; }

 private:
  bool augment(std::size_t a, std::uint32_t allowed, std::uint32_t& visited) {
    for (std::uint32_t m = eligible_[a] & allowed & ~visited; m != 0; m &= m - 1) {
      const int s = std::countr_zero(m);
      visited |= bit(s);
      if (used_[static_cast<std::size_t>(s)] < counts_[static_cast<std::size_t>(s)]) {
        place(a, s);
        return true;
      }
      for (std::size_t b = 0; b < step_of_.size(); ++b) {
        if (step_of_[b] == s && augment(b, allowed, visited)) {
          place(a, s);
          return true;
        }
      }
    }
    return false;
  }

  void place(std::size_t a, int s) {
    if (step_of_[a] >= 0) --used_[static_cast<std::size_t>(step_of_[a])];
    step_of_[a] = s;
    ++used_[static_cast<std::size_t>(s)];
  }

  std::span<const std::uint32_t> eligible_;
  std::vector<int> counts_;
  std::vector<int> step_of_;  // per approver: its step or -1
  std::vector<int> used_;     // per step: slots filled
};

// Finds a largest set of steps that can all be filled at once. Feasibility is monotone (a
// subset of a feasible set is feasible), so a branch is cut when it becomes infeasible or can
// no longer beat the best set found. Exponential in the number of steps only, which the policy
// bounds (kMaxSteps = 8: at most 256 small matchings), polynomial in the approvers.
class FullSteps {
 public:
  FullSteps(Matcher& matcher, const std::vector<int>& counts) : m_(matcher), counts_(counts) {}

  std::uint32_t best() {
    search(0, 0, 0);
    return best_;
  }

 private:
  bool feasible(std::uint32_t set) {
    int demand = 0;
    for (std::uint32_t b = set; b != 0; b &= b - 1) {
      demand += counts_[static_cast<std::size_t>(std::countr_zero(b))];
    }
    return m_.run(set) == demand;
  }

  void search(int s, std::uint32_t chosen, int chosen_n) {
    const int n = static_cast<int>(counts_.size());
    if (chosen_n + (n - s) <= best_n_) return;
    if (s == n) {
      best_ = chosen;
      best_n_ = chosen_n;
      return;
    }
    if (feasible(chosen | bit(s))) search(s + 1, chosen | bit(s), chosen_n + 1);
    search(s + 1, chosen, chosen_n);
  }

  Matcher& m_;
  const std::vector<int>& counts_;
  std::uint32_t best_ = 0;
  int best_n_ = -1;
};

}  // namespace

std::vector<int> assign(std::span<const std::uint32_t> eligible, std::span<const int> counts) {
  if (counts.size() > static_cast<std::size_t>(kMaxStepsInMask)) {
    // The policy allows kMaxSteps (8); more is a caller bug, not an input error.
    throw std::invalid_argument("matching::assign: at most 32 steps");
  }
  std::vector<int> slots(counts.begin(), counts.end());
  for (int& c : slots) c = c < 0 ? 0 : c;  // a step without slots is trivially full
  const std::uint32_t all = counts.size() == kMaxStepsInMask
                                ? ~std::uint32_t{0}
                                : bit(static_cast<int>(counts.size())) - 1;
  Matcher matcher(eligible, slots);
  // Most complete steps first (a complete step is what the rule asks for) ...
  const std::uint32_t full = FullSteps(matcher, slots).best();
  matcher.run(full);
  // ... then every further slot that fits. Any maximum matching extended from a saturated
  // `full` is maximum overall, so both goals hold at once.
  matcher.extend(all);
  return matcher.assignment();
}

}  // namespace baomi::policy::matching
