// The one table from error kinds to HTTP statuses, and the error body of API.md.
#pragma once

#include "core/result.h"
#include "http/server/response.h"

namespace baomi::http::api {

int status_of(ErrorKind kind);
// Builds {"error":{"code","message","rule"}}. Internal failures never show their message:
// it is logged with the request id instead.
Response error_of(const Error& error, std::string_view request_id);

}  // namespace baomi::http::api
