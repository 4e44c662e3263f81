#include "crypto/secure_slab.h"

#include <sodium.h>

#include <array>
#include <mutex>
#include <new>
#include <vector>

#include "crypto/init.h"

namespace baomi::crypto::detail {
namespace {

constexpr std::size_t kRegionBytes = 64 * 1024;
constexpr std::array<std::size_t, 3> kSlotSizes = {32, 64, kMaxSlot};

std::size_t class_of(std::size_t size) {
  for (std::size_t i = 0; i < kSlotSizes.size(); ++i) {
    if (size <= kSlotSizes[i]) return i;
  }
  return kSlotSizes.size();
}

// Free slots per size class. Regions are never returned: the pool only grows to the peak
// number of live secrets, a few hundred kilobytes at most.
class Pool {
 public:
  std::uint8_t* take(std::size_t cls) {
    std::lock_guard lock(mu_);
    auto& free = free_[cls];
    if (free.empty()) grow(cls);
    auto* p = free.back();
    free.pop_back();
    return p;
  }

  void give(std::uint8_t* p, std::size_t cls) noexcept {
    sodium_memzero(p, kSlotSizes[cls]);
    std::lock_guard lock(mu_);
    free_[cls].push_back(p);  // capacity reserved in grow(): never allocates here
  }

 private:
  void grow(std::size_t cls) {
    ensure_init();  // sodium_malloc needs the page size sodium_init computes
    auto* region = static_cast<std::uint8_t*>(sodium_malloc(kRegionBytes));
    if (region == nullptr) throw std::bad_alloc();
    // sodium_malloc already tries to mlock: best effort, as a failure (RLIMIT_MEMLOCK) only
    // means the page could be swapped.
    (void)sodium_mlock(region, kRegionBytes);
    sodium_memzero(region, kRegionBytes);
    const std::size_t slot = kSlotSizes[cls];
    const std::size_t count = kRegionBytes / slot;
    slots_[cls] += count;
    auto& free = free_[cls];
    free.reserve(slots_[cls]);
    for (std::size_t i = count; i-- > 0;) free.push_back(region + i * slot);
  }

  std::mutex mu_;
  std::array<std::vector<std::uint8_t*>, kSlotSizes.size()> free_;
  std::array<std::size_t, kSlotSizes.size()> slots_{};
};

Pool& pool() {
  static Pool* p = new Pool();  // never destroyed: secrets may be freed during static teardown
  return *p;
}

}  // namespace

std::uint8_t* secure_alloc(std::size_t size) {
  const auto cls = class_of(size);
  if (cls < kSlotSizes.size()) return pool().take(cls);
  ensure_init();
  auto* p = static_cast<std::uint8_t*>(sodium_malloc(size));
  if (p == nullptr) throw std::bad_alloc();
  (void)sodium_mlock(p, size);
  sodium_memzero(p, size);
  return p;
}

void secure_free(std::uint8_t* p, std::size_t size) noexcept {
  if (p == nullptr) return;
  const auto cls = class_of(size);
  if (cls < kSlotSizes.size()) {
    pool().give(p, cls);
  } else {
    sodium_free(p);  // wipes, unlocks and unmaps
  }
}

}  // namespace baomi::crypto::detail
