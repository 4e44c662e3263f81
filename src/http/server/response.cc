#include "http/server/response.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "http/server/ascii.h"

namespace baomi::http {
namespace {

void add_if_missing(Response& res, std::string_view name, std::string_view value) {
  if (!res.header(name)) res.headers.emplace_back(name, value);
}

}  // namespace

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

Response json_response(int status, const boost::json::value& body) {
  Response res;
  res.status = status;
  res.body = boost::json::serialize(body);
  return res;
}

Response error_response(int status, std::string_view code, std::string_view message,
                        std::string_view rule) {
  boost::json::object err;
  err["code"] = code;
  err["message"] = message;
  if (!rule.empty()) err["rule"] = rule;
  boost::json::object outer;
  outer["error"] = std::move(err);
  return json_response(status, outer);
}

Response no_content() {
  Response res;
  res.status = 204;
  res.content_type.clear();
  return res;
}

void add_standard_headers(Response& res, std::string_view path, std::string_view request_id) {
  add_if_missing(res, "Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  add_if_missing(res, "X-Content-Type-Options", "nosniff");
  add_if_missing(res, "X-Frame-Options", "DENY");
  add_if_missing(res, "Referrer-Policy", "no-referrer");
  // Nothing this server sends is meant to run or be framed in a browser.
  add_if_missing(res, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  // Classified content and anything from the API must never sit in a shared or disk cache.
  if (res.classified || path.starts_with("/api/")) {
    std::erase_if(res.headers, [](const auto& h) { return iequals(h.first, "Cache-Control"); });
    res.headers.emplace_back("Cache-Control", "no-store");
  }
  std::erase_if(res.headers, [](const auto& h) { return iequals(h.first, "X-Request-Id"); });
  res.headers.emplace_back("X-Request-Id", request_id);
}

}  // namespace baomi::http
