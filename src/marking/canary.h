// Canary customers (C2): plausible, unique, fake customer records planted in each approved
// export, so that a leaked file — or a leaked row of one — names the export it came from.
// Every canary is derived from a 32-byte secret seed (the caller derives it with a keyed hash
// from the export's serial), so the same export always holds the same canaries and nobody
// without the key can tell a canary from a real customer or forge one for another export.
// Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/types.h"

namespace baomi::marking {

struct CanaryCustomer {
  std::string name;       // e.g. "林思远"
  std::string phone;      // 11 digits on a real mobile prefix
  std::string id_number;  // 18 characters, valid region, birth date and check character
  std::string qq;
  std::string email;
  std::string account;
  std::string address;
  std::string products;
};

// `count` canaries, all different, from `seed` (32 bytes).
std::vector<CanaryCustomer> make_canaries(crypto::BytesView seed, int count);

// Where the canaries go among `rows` real rows: `count` distinct positions in
// [0, rows + count), ascending, also derived from the seed.
std::vector<std::uint64_t> canary_positions(crypto::BytesView seed, std::uint64_t rows, int count);

// The check character of a mainland resident ID number (GB 11643, ISO 7064 MOD 11-2) over its
// first 17 digits; '\0' when `first17` is not 17 digits.
char id_number_check_char(std::string_view first17);

}  // namespace baomi::marking
