// Shared plumbing for handlers: authentication from the bearer token, error mapping, paging.
#pragma once

#include <functional>

#include "http/api/api.h"
#include "http/api/error_map.h"
#include "http/server/json_input.h"

namespace baomi::http::api {

using AuthedHandler = std::function<Result<Response>(Request&, const auth::Authenticated&)>;

// Wraps a handler: 401 without a valid bearer token; errors become API.md error bodies.
Handler authed(Api& api, AuthedHandler fn);
// Wraps an unauthenticated handler the same way.
Handler open(std::function<Result<Response>(Request&)> fn);

// ?limit=N (1..500, default 100) and ?cursor=C.
Result<std::size_t> page_limit(const Request& req);
std::string page_cursor(const Request& req);

}  // namespace baomi::http::api
