// UnsealProgress: the shares a sealed server has been given so far (K-of-N unseal). Accepts
// each valid share once, refuses wrong, repeated and malformed ones naming the problem, limits
// refusals per source address (kRefusalsPerWindow per kRefusalWindow, then 429), and keeps every
// refusal so that it can be audited once the server is unsealed (the trail needs the keys).
// Shares held here are in secure memory and wiped by reset() or destruction.
// Not thread-safe: the owner serialises calls.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "barrier/key_share.h"
#include "core/time.h"

namespace baomi::barrier {

struct UnsealRefusal {
  TimePoint time;
  std::string source;   // the caller's address
  std::string code;     // the error code given to the caller, e.g. "wrong_share"
  int share_index = 0;  // 0 when the share could not be read
};

class UnsealProgress {
 public:
  static constexpr int kRefusalsPerWindow = 5;
  static constexpr std::chrono::seconds kRefusalWindow{60};
  static constexpr std::size_t kMaxSources = 4096;       // bounds memory under a flood
  static constexpr std::size_t kMaxKeptRefusals = 1000;  // beyond: counted, not kept

  explicit UnsealProgress(SealConfig config);

  // Takes one share's text from `source`. Ok with the master key once the threshold is reached
  // (the progress is then reset); ok with nullopt while more are needed; an error naming the
  // problem otherwise ("duplicate_share" is a kConflict, "too_many_attempts" kRateLimited, the
  // others of key_share.h kInvalidArgument).
  Result<std::optional<crypto::SecretKey>> give(std::string_view text, const std::string& source,
                                                TimePoint now);

  // A refusal found after the threshold was reached (the shares rebuilt a key that does not
  // open the key ring): recorded like the others.
  void refuse(const std::string& source, const std::string& code, TimePoint now);

  int progress() const { return static_cast<int>(shares_.size()); }
  const SealConfig& config() const { return config_; }
  // Forgets the shares given so far (they are wiped).
  void reset() { shares_.clear(); }
  // A new split (after a rekey) applies from the next share on; the shares given so far and
  // the refusals kept for the trail stay; only when no share is held (else false).
  bool replace_config(SealConfig config);
  // The refusals kept so far, and how many more were only counted.
  const std::vector<UnsealRefusal>& refusals() const { return refusals_; }
  std::size_t refusals_not_kept() const { return dropped_; }
  // Once they are in the trail.
  void clear_refusals() {
    refusals_.clear();
    dropped_ = 0;
  }

 private:
  bool rate_limited(const std::string& source, TimePoint now);
  Error record(Error error, const std::string& source, int index, TimePoint now);

  struct Window {
    TimePoint start;
    int refusals = 0;
  };
  SealConfig config_;
  std::map<int, crypto::KeyShare> shares_;  // by index
  std::map<std::string, Window> windows_;   // by source
  std::vector<UnsealRefusal> refusals_;
  std::size_t dropped_ = 0;
};

}  // namespace baomi::barrier
