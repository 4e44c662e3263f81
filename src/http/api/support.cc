#include "http/api/support.h"

#include <charconv>

namespace baomi::http::api {
namespace {

std::optional<std::string_view> bearer_token(const Request& req) {
  auto h = req.header("Authorization");
  if (!h) return std::nullopt;
  constexpr std::string_view kPrefix = "Bearer ";
  if (h->size() <= kPrefix.size() || h->substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  return h->substr(kPrefix.size());
}

Response finish(Request& req, Result<Response> r) {
  if (r.ok()) return std::move(r).value();
  return error_of(r.error(), req.id());
}

}  // namespace

Handler authed(Api& api, AuthedHandler fn) {
  return [&api, fn = std::move(fn)](Request& req) -> Response {
    auto token = bearer_token(req);
    if (!token) {
      return error_response(401, "unauthenticated", "missing or malformed bearer token");
    }
    auto who = api.sessions.authenticate(*token);
    if (!who.ok()) return error_of(who.error(), req.id());
    req.attributes["actor"] = who->user.id;
    return finish(req, fn(req, *who));
  };
}

Handler open(std::function<Result<Response>(Request&)> fn) {
  return [fn = std::move(fn)](Request& req) -> Response { return finish(req, fn(req)); };
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

std::string page_cursor(const Request& req) { return req.query("cursor").value_or(""); }

}  // namespace baomi::http::api
