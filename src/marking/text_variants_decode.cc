// The visible channel's decoder (text_variants.h): reads the units' equations from the leaked
// text and solves for the serial by Gaussian elimination over GF(2), restarting after a conflict
// (a seam between sources, or an edit), with a union-bound threshold. docs/fingerprint.md.
#include <algorithm>
#include <map>
#include <unordered_map>

#include "marking/text_variants.h"
#include "marking/text_variants_units.h"

namespace baomi::marking {
namespace {

using namespace detail;

struct Observation {
  std::uint64_t r;
  std::uint8_t rhs;  // observed bit XOR mask: parity(r & serial) must equal it
  UnitClass cls;
  std::size_t from, to;  // bytes
};

// Gaussian elimination over GF(2) on the low k bits, one equation at a time.
class Basis {
 public:
  explicit Basis(unsigned k) : mask_(k >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << k) - 1) {}
  enum class Outcome { kNew, kCheck, kConflict };
  Outcome add(std::uint64_t r, std::uint8_t rhs) {
    r &= mask_;
    while (r != 0) {
      const int h = 63 - std::countl_zero(r);
      if (!row_[h].used) {
        row_[h] = {r, rhs, true};
        ++rank_;
        return Outcome::kNew;
      }
      r ^= row_[h].r;
      rhs ^= row_[h].rhs;
    }
    return rhs == 0 ? Outcome::kCheck : Outcome::kConflict;
  }
  bool full() const { return rank_ == static_cast<unsigned>(std::popcount(mask_)); }
  std::uint64_t solve() const {  // when full: pivots from the lowest bit up
    std::uint64_t x = 0;
    for (int h = 0; h < 64; ++h) {
      if (!row_[h].used) continue;
      const std::uint64_t lower = row_[h].r & ~(std::uint64_t{1} << h);
      if ((row_[h].rhs ^ parity(lower & x)) != 0) x |= std::uint64_t{1} << h;
    }
    return x;
  }

 private:
  struct Row {
    std::uint64_t r = 0;
    std::uint8_t rhs = 0;
    bool used = false;
  };
  std::uint64_t mask_;
  Row row_[64];
  unsigned rank_ = 0;
};

struct Attempt {
  bool solved = false;
  std::uint64_t serial = 0;
  std::size_t units = 0, checks = 0;
  std::size_t next = 0;  // where the next attempt starts
};

// Reads observations from `start` until the serial is determined with `min_checks` independent
// agreeing units, then extends the segment while units agree. Fails at the first conflict.
Attempt attempt(const std::vector<Observation>& obs, std::size_t start, unsigned k,
                std::size_t min_checks, std::uint64_t max_serial) {
  Basis basis(k);
  std::unordered_map<std::uint64_t, std::uint8_t> seen;  // the same surroundings: no new check
  std::size_t checks = 0;
  for (std::size_t j = start; j < obs.size(); ++j) {
    const auto& o = obs[j];
    const auto [it, inserted] = seen.emplace(o.r, o.rhs);
    if (!inserted) {
      if (it->second != o.rhs) return {false, 0, 0, 0, std::max(j, start + 1)};
      continue;
    }
    const auto outcome = basis.add(o.r, o.rhs);
    if (outcome == Basis::Outcome::kConflict) return {false, 0, 0, 0, std::max(j, start + 1)};
    if (outcome == Basis::Outcome::kCheck) ++checks;
    if (!basis.full() || checks < min_checks) continue;
    const std::uint64_t x = basis.solve();
    if (x == 0 || x > max_serial) return {false, 0, 0, 0, j + 1};
    std::size_t end = j + 1;
    while (end < obs.size() && parity(obs[end].r & x) == obs[end].rhs) ++end;
    return {true, x, end - start, checks + (end - j - 1), end};
  }
  return {false, 0, 0, 0, obs.size()};
}

std::size_t ceil_log2(std::size_t n) {
  return n <= 1 ? 0 : static_cast<std::size_t>(std::bit_width(n - 1));
}

}  // namespace

std::vector<TextVariantMatch> find_text_variants(std::string_view text,
                                                 const crypto::MacKey& key,
                                                 std::uint64_t max_serial,
                                                 std::uint32_t issued_sets) {
  return detail::find_text_variants_checked(text, key, max_serial, issued_sets,
                                            kTextVariantCheckBits);
}

std::vector<TextVariantMatch> detail::find_text_variants_checked(std::string_view text,
                                                                 const crypto::MacKey& key,
                                                                 std::uint64_t max_serial,
                                                                 std::uint32_t issued_sets,
                                                                 std::size_t check_bits) {
  if (max_serial == 0) return {};
  const unsigned k = static_cast<unsigned>(std::bit_width(max_serial));
  const auto v = visible_characters(text);
  std::vector<Observation> all;
  std::uint32_t present = 0;
  for (const auto& u : find_units(v)) {
    if (u.observed < 0) continue;  // a run of mixed widths was edited: it carries nothing
    const auto e = equation_of(v, u, key);
    const std::size_t from = u.cls == UnitClass::kSpace ? v[u.first].gap_from : v[u.first].from;
    const std::size_t to = u.cls == UnitClass::kSpace ? v[u.first].gap_to : v[u.last - 1].to;
    all.push_back({e.r, static_cast<std::uint8_t>(u.observed ^ e.m), u.cls, from, to});
    present |= 1u << static_cast<unsigned>(u.cls);
  }
  // Each class set copies were issued with, restricted to the classes present: a copy varies
  // only its own classes, and units of other classes are noise to its code. Each set tried is one
  // more chance of a false match, and so is each restart after a conflict: both raise the checks
  // required (union bound).
  std::vector<std::uint32_t> subsets;
  for (std::uint32_t set = 1; set < 32; ++set) {
    const std::uint32_t subset = set & present;
    if ((issued_sets >> set & 1) == 0 || subset == 0) continue;
    if (std::find(subsets.begin(), subsets.end(), subset) == subsets.end()) {
      subsets.push_back(subset);
    }
  }
  std::sort(subsets.begin(), subsets.end(),
            [](auto a, auto b) { return std::popcount(a) > std::popcount(b); });
  const std::size_t first_checks = check_bits + ceil_log2(subsets.size());
  const std::size_t later_checks =
      check_bits + ceil_log2(subsets.size() * (1 + all.size() / (k + 2)));

  std::map<std::uint64_t, TextVariantMatch> best;  // per serial: the subset reading most units
  for (const auto subset : subsets) {
    std::vector<Observation> obs;
    for (const auto& o : all) {
      if (subset >> static_cast<unsigned>(o.cls) & 1) obs.push_back(o);
    }
    std::map<std::uint64_t, TextVariantMatch> found;
    for (std::size_t start = 0; start < obs.size();) {
      const auto a = attempt(obs, start, k, start == 0 ? first_checks : later_checks, max_serial);
      if (a.solved) {
        auto& m = found[a.serial];
        if (m.units == 0)
          m = {a.serial, TextVariantClasses::from_bits(subset), 0, 0, obs[start].from, 0};
        m.units += a.units;
        m.checks = std::max(m.checks, a.checks);
        m.to = obs[start + a.units - 1].to;
      }
      start = a.next;
    }
    for (auto& [serial, m] : found) {
      auto& b = best[serial];
      if (m.units > b.units) b = m;
    }
  }
  std::vector<TextVariantMatch> out;
  for (auto& [serial, m] : best) out.push_back(m);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
  return out;
}

}  // namespace baomi::marking
