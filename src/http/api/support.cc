#include "http/api/support.h"

#include <charconv>
#include <cstdio>

#include "audit/detail.h"
#include "crypto/random.h"
#include "marking/serial.h"

namespace baomi::http::api {
namespace {

std::optional<std::string_view> bearer_token(const Request& req) {
  auto h = req.header("Authorization");
  if (!h) return std::nullopt;
  constexpr std::string_view kPrefix = "Bearer ";
  if (h->size() <= kPrefix.size() || h->substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  return h->substr(kPrefix.size());
}

}  // namespace

Response finish(Request& req, Result<Response> r) {
  if (r.ok()) return std::move(r).value();
  return error_of(r.error(), req.id());
}

std::variant<auth::Authenticated, Response> authenticate(Api& api, Request& req,
                                                         const auth::Sessions::AlsoRead& also) {
  auto token = bearer_token(req);
  auto who = token ? api.sessions.authenticate(*token, also)
                   : Result<auth::Authenticated>(Error{ErrorKind::kUnauthenticated,
                                                       "unauthenticated",
                                                       "missing or malformed bearer token",
                                                       {}});
  if (!who.ok()) {
    if (who.error().kind != ErrorKind::kUnauthenticated) return error_of(who.error(), req.id());
    // S9: an attempt without a valid session is a refusal like any other. The token itself
    // never enters the trail, only its keyed hash, so a stolen-token probe can be traced.
    const std::string detail =
        audit::Detail{}
            .add("method", req.method())
            .add("path", req.path())
            .add("token_hash", token ? api.rt.barrier.token_hash(*token) : std::string());
    auto recorded = api.rt.audit.record(
        api.rt.store, {"-", "session.authenticate", "api", "deny", "S9", detail}, api.rt.now());
    if (!recorded.ok()) return error_of(recorded.error(), req.id());
    return error_of(who.error(), req.id());
  }
  req.attributes["actor"] = who->user.id;
  return std::move(*who);
}

Handler authed(Api& api, AuthedHandler fn) {
  return [&api, fn = std::move(fn)](Request& req) -> Response {
    auto who = authenticate(api, req, auth::Sessions::AlsoRead());
    if (auto* refused = std::get_if<Response>(&who)) return std::move(*refused);
    return finish(req, fn(req, std::get<auth::Authenticated>(who)));
  };
}

Handler open(std::function<Result<Response>(Request&)> fn) {
  return [fn = std::move(fn)](Request& req) -> Response { return finish(req, fn(req)); };
}

Result<std::optional<std::uint64_t>> since_tree_size_param(const Request& req) {
  auto text = req.query("since_tree_size");
  if (!text) return std::optional<std::uint64_t>();
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || end != text->data() + text->size() || n == 0) {
    return Error::invalid("invalid_field",
                          "query parameter 'since_tree_size' must be a positive integer");
  }
  return std::optional<std::uint64_t>(n);
}

Result<std::size_t> page_limit(const Request& req) {
  auto text = req.query("limit");
  if (!text) return std::size_t{100};
  std::size_t n = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
  if (ec != std::errc() || ptr != text->data() + text->size() || n < 1 || n > 500) {
    return Error::invalid("invalid_field", "query parameter 'limit' must be 1-500");
  }
  return n;
}

Result<std::string> page_cursor(const Request& req, CursorKind kind) {
  std::string cursor(req.query("cursor").value_or(""));
  if (cursor.empty()) return cursor;
  bool issued = false;
  switch (kind) {
    case CursorKind::kId:
      issued = crypto::is_random_id(cursor);
      break;
    case CursorKind::kSerial: {
      // Exactly the canonical form: parse_serial also tolerates spaces and a lower-case prefix.
      const auto number = marking::parse_serial(cursor);
      issued = number && marking::format_serial(*number) == cursor;
      break;
    }
    case CursorKind::kSequence: {
      std::uint64_t seq = 0;
      auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), seq);
      issued = ec == std::errc() && end == cursor.data() + cursor.size() &&
               std::to_string(seq) == cursor;  // no sign, no leading zeros
      break;
    }
  }
  if (!issued) return Error::invalid("invalid_field", "query parameter 'cursor' is not a cursor");
  return cursor;
}

}  // namespace baomi::http::api
