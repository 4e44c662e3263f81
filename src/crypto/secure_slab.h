// SecureSlab: the memory behind SecureBuffer. Each secret used to get its own sodium_malloc
// region (guard pages, mlock, canary): four system calls that take the process's memory map
// lock and flush TLBs on every core, several times per request — over a third of the server's
// CPU on small reads (docs/benchmarks.md). Instead, secrets of up to kMaxSlot bytes live in
// fixed-size slots carved from large sodium_malloc regions, which keep the guard pages, the
// mlock and the exclusion from core dumps; a freed slot is wiped (sodium_memzero) before it is
// reused. Larger secrets still get a region of their own.
// Thread-safe: one mutex guards the free lists (held for a few instructions).
#pragma once

#include <cstddef>
#include <cstdint>

namespace baomi::crypto::detail {

inline constexpr std::size_t kMaxSlot = 128;

// Memory for a secret of `size` bytes, zero-filled; throws std::bad_alloc when exhausted.
std::uint8_t* secure_alloc(std::size_t size);
// Wipes and releases memory from secure_alloc of the same size.
void secure_free(std::uint8_t* p, std::size_t size) noexcept;

}  // namespace baomi::crypto::detail
