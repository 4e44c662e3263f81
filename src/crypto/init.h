// Library start-up for libsodium. Call crypto::init() once at start-up; every wrapper also
// initialises lazily, so forgetting it cannot produce weak keys. Thread-safe.
#pragma once

namespace baomi::crypto {

// Initialises libsodium; throws std::runtime_error if it cannot (start-up failure).
void init();

namespace detail {
// Cheap after the first call: what every wrapper calls before touching libsodium.
void ensure_init();
}  // namespace detail

}  // namespace baomi::crypto
