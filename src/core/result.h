// Result<T>: the value-or-error type every layer returns for expected failures.
// Errors carry a kind (mapped once to an HTTP status in http/error_map), a stable
// snake_case code for clients, a human message that reveals nothing secret, and the
// RULES.md id behind a refusal when there is one. Thread-safe as a value type.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace baomi {

enum class ErrorKind {
  kInvalidArgument,    // 400
  kUnauthenticated,    // 401
  kForbidden,          // 403
  kNotFound,           // 404
  kConflict,           // 409
  kGone,               // 410: existed, and was destroyed on purpose (crypto-shredding)
  kTooLarge,           // 413
  kUnsupportedMedia,   // 415
  kLocked,             // 423
  kRateLimited,        // 429
  kUnavailable,        // 503: sealed, or the audit trail cannot record (fail closed)
  kIntegrity,          // stored data failed authentication; never served as content
  kInternal,           // a bug or environment failure; message never reaches clients
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string code;     // e.g. "need_to_know", "invalid_credentials"
  std::string message;  // safe to show to the caller
  std::string rule;     // RULES.md id, e.g. "S6"; empty when none

  static Error invalid(std::string field_or_code, std::string message) {
    return {ErrorKind::kInvalidArgument, std::move(field_or_code), std::move(message), {}};
  }
  static Error not_found(std::string message = "not found") {
    return {ErrorKind::kNotFound, "not_found", std::move(message), {}};
  }
  static Error forbidden(std::string code, std::string message, std::string rule = {}) {
    return {ErrorKind::kForbidden, std::move(code), std::move(message), std::move(rule)};
  }
  static Error conflict(std::string code, std::string message, std::string rule = {}) {
    return {ErrorKind::kConflict, std::move(code), std::move(message), std::move(rule)};
  }
  static Error gone(std::string code, std::string message, std::string rule = {}) {
    return {ErrorKind::kGone, std::move(code), std::move(message), std::move(rule)};
  }
  static Error unavailable(std::string message) {
    return {ErrorKind::kUnavailable, "unavailable", std::move(message), {}};
  }
  static Error integrity(std::string message) {
    return {ErrorKind::kIntegrity, "integrity_error", std::move(message), {}};
  }
  static Error internal(std::string message) {
    return {ErrorKind::kInternal, "internal", std::move(message), {}};
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}        // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}                                        // NOLINT
  Result(Error error) : err_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return err_; }
  Error&& take_error() { return std::move(err_); }

 private:
  Error err_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace baomi

// Propagates an error from an expression returning Result<...>.
#define BAOMI_TRY(expr)                                   \
  do {                                                    \
    auto&& baomi_try_r_ = (expr);                         \
    if (!baomi_try_r_.ok()) return baomi_try_r_.take_error(); \
  } while (0)

#define BAOMI_CONCAT_INNER(a, b) a##b
#define BAOMI_CONCAT(a, b) BAOMI_CONCAT_INNER(a, b)
// Assigns the value of a Result expression to `lhs` or returns its error.
#define BAOMI_ASSIGN_OR_RETURN(lhs, expr) \
  BAOMI_ASSIGN_OR_RETURN_IMPL(BAOMI_CONCAT(baomi_r_, __LINE__), lhs, expr)
#define BAOMI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.take_error();           \
  lhs = std::move(tmp).value()
