// Shared plumbing for handlers: authentication from the bearer token, error mapping, paging.
#pragma once

#include <functional>
#include <variant>

#include "http/api/api.h"
#include "http/api/error_map.h"
#include "http/server/json_input.h"

namespace baomi::http::api {

using AuthedHandler = std::function<Result<Response>(Request&, const auth::Authenticated&)>;

// Wraps a handler: 401 without a valid bearer token; errors become API.md error bodies.
Handler authed(Api& api, AuthedHandler fn);
// authed()'s token check on its own, with `also` run in its read transaction once the token is
// valid (auth::Sessions::AlsoRead: one transaction for the check and the request's reads). The
// caller, or the answer refusing the request (401, audited: S9).
std::variant<auth::Authenticated, Response> authenticate(Api& api, Request& req,
                                                         const auth::Sessions::AlsoRead& also);
// A handler's result as the answer (errors become API.md error bodies).
Response finish(Request& req, Result<Response> r);
// Wraps an unauthenticated handler the same way.
Handler open(std::function<Result<Response>(Request&)> fn);

// The answer marked as holding classified or personal data (Cache-Control: no-store).
inline Response classified(Response res) {
  res.classified = true;
  return res;
}

// ?limit=N (1..500, default 100).
Result<std::size_t> page_limit(const Request& req);

// ?since_tree_size=M of a bundle download (S10): the size of a signed tree head the auditor
// kept, so the bundle carries the consistency proof from it. nullopt when absent; 400
// invalid_field unless a positive integer.
Result<std::optional<std::uint64_t>> since_tree_size_param(const Request& req);

// What an endpoint's next_cursor holds: the last item's id, a copy serial, or an audit seq.
enum class CursorKind { kId, kSerial, kSequence };
// ?cursor=C, "" when absent or empty (the first page). A cursor the endpoint could not have
// issued is 400 invalid_field naming 'cursor': a forged or mangled cursor must not read as an
// empty last page.
Result<std::string> page_cursor(const Request& req, CursorKind kind = CursorKind::kId);

}  // namespace baomi::http::api
