// Helpers shared by the barrier tests: a fresh instance (master key + first KEK) and byte flips.
#pragma once

#include <memory>
#include <vector>

#include "barrier/barrier.h"
#include "barrier/keyring.h"

namespace baomi::barrier::testing {

struct Instance {
  crypto::SecretKey master = crypto::SecretKey::generate();
  std::vector<KekRecord> keks;

  Instance() { keks.push_back(Keyring::new_kek(master, 1)); }
  Keyring keyring() const { return Keyring::open(master.clone(), keks).value(); }
  std::unique_ptr<Barrier> barrier() const { return std::make_unique<Barrier>(keyring()); }
};

inline Bytes flipped(Bytes bytes, std::size_t i, std::uint8_t mask = 0x01) {
  bytes[i] ^= mask;
  return bytes;
}

}  // namespace baomi::barrier::testing
