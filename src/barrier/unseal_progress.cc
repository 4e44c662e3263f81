#include "barrier/unseal_progress.h"

#include <iterator>
#include <utility>

namespace baomi::barrier {

UnsealProgress::UnsealProgress(SealConfig config) : config_(std::move(config)) {}

bool UnsealProgress::rate_limited(const std::string& source, TimePoint now) {
  auto it = windows_.find(source);
  if (it == windows_.end()) return false;
  if (now - it->second.start >= kRefusalWindow) {
    windows_.erase(it);
    return false;
  }
  return it->second.refusals >= kRefusalsPerWindow;
}

Error UnsealProgress::record(Error error, const std::string& source, int index, TimePoint now) {
  if (refusals_.size() < kMaxKeptRefusals) {
    refusals_.push_back({now, source, error.code, index});
  } else {
    ++dropped_;
  }
  if (error.kind == ErrorKind::kRateLimited) return error;
  auto it = windows_.find(source);
  if (it == windows_.end()) {
    // A flood from many addresses: drop the oldest windows rather than grow without bound.
    if (windows_.size() >= kMaxSources) {
      for (auto w = windows_.begin(); w != windows_.end();) {
        w = now - w->second.start >= kRefusalWindow ? windows_.erase(w) : std::next(w);
      }
      if (windows_.size() >= kMaxSources) windows_.erase(windows_.begin());
    }
    it = windows_.emplace(source, Window{now, 0}).first;
  }
  ++it->second.refusals;
  return error;
}

void UnsealProgress::refuse(const std::string& source, const std::string& code, TimePoint now) {
  (void)record(Error::conflict(code, code), source, 0, now);
}

Result<std::optional<crypto::SecretKey>> UnsealProgress::give(std::string_view text,
                                                              const std::string& source,
                                                              TimePoint now) {
  if (rate_limited(source, now)) {
    return record({ErrorKind::kRateLimited,
                   "too_many_attempts",
                   "too many refused shares from this address; wait a minute and try again",
                   {}},
                  source, 0, now);
  }
  auto parsed = parse_share(text);
  if (!parsed.ok()) return record(parsed.take_error(), source, 0, now);
  const int index = parsed->share.index;
  if (auto checked = check_share(config_, *parsed); !checked.ok()) {
    return record(checked.take_error(), source, index, now);
  }
  if (shares_.count(index) != 0) {
    return record(Error::conflict("duplicate_share",
                                  "share " + std::to_string(index) +
                                      " was already given; another holder's share is needed"),
                  source, index, now);
  }
  shares_.emplace(index, std::move(parsed->share));
  if (progress() < config_.threshold) return std::optional<crypto::SecretKey>();
  std::vector<const crypto::KeyShare*> given;
  for (const auto& [i, share] : shares_) given.push_back(&share);
  auto master = crypto::combine_key(given);
  reset();
  if (!master.ok()) return master.take_error();
  return std::optional<crypto::SecretKey>(std::move(master).value());
}

bool UnsealProgress::replace_config(SealConfig config) {
  if (!shares_.empty()) return false;
  config_ = std::move(config);
  return true;
}

}  // namespace baomi::barrier
