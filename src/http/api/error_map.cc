#include "http/api/error_map.h"

#include <iostream>

namespace baomi::http::api {

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kGone:
      return 410;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kUnsupportedMedia:
      return 415;
    case ErrorKind::kLocked:
      return 423;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kIntegrity:
      return 500;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

Response error_of(const Error& e, std::string_view request_id) {
  const int status = status_of(e.kind);
  switch (e.kind) {
    case ErrorKind::kInternal:
      std::cerr << R"({"event":"internal_error","request_id":")" << request_id << "\"}\n";
      return error_response(status, "internal", "internal error");
    case ErrorKind::kUnavailable:
      // Fail closed (DESIGN.md): the detail (which store, which SQLite code) is for operators.
      std::cerr << R"({"event":"unavailable","request_id":")" << request_id << "\"}\n";
      return error_response(status, "unavailable",
                            "service unavailable: the action could not be recorded, so it was "
                            "not carried out");
    case ErrorKind::kIntegrity:
      return error_response(status, "integrity_error",
                            "stored data failed its integrity check; the failure was recorded");
    default:
      return error_response(status, e.code.empty() ? "error" : e.code, e.message, e.rule);
  }
}

}  // namespace baomi::http::api
