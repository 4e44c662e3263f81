// The seal endpoints (K-of-N unseal, docs/api.md "Seal"): GET /healthz, GET
// /api/v1/sys/seal-status, POST /api/v1/sys/unseal and POST /api/v1/sys/seal answer whether the
// server is sealed or not; every other path of a sealed server answers 503 `sealed`.
// SealControl is what they ask of the server's seal (cmd/unsealer.h implements it).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "http/api/api.h"

namespace baomi::http::api {

struct SealStatus {
  bool sealed = false;
  bool by_shares = false;  // false: the master key is a file (the demo set-up); never sealed
  int progress = 0;        // shares given so far while sealed
  int threshold = 0;
  int shares = 0;
};

// Implementations are thread-safe: every method may be called from any request thread.
class SealControl {
 public:
  virtual ~SealControl() = default;
  virtual SealStatus status() const = 0;
  // Sealed: takes one share's text from `source` (the caller's address); unsealed: nothing to
  // do. Errors name the problem (barrier/unseal_progress.h).
  virtual Result<SealStatus> unseal(std::string_view share, const std::string& source) = 0;
  // The unsealed server's Api, kept alive while the caller holds it; null while sealed.
  virtual std::shared_ptr<Api> api() const = 0;
  // Seals at once: keys leave memory when the requests in flight are done, new ones get 503.
  // kConflict "not_sealable" when the master key is a file (it would be read again at start).
  virtual Result<void> seal() = 0;
};

// The 503 answer of everything but the seal endpoints while sealed.
Response sealed_response();

// The seal endpoints on `router`, the router the server starts with. Its fallback (set by the
// caller) serves the rest.
void register_seal_routes(Router& router, SealControl& control);

}  // namespace baomi::http::api
