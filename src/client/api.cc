#include "client/api.h"

#include <algorithm>

#include "crypto/sha256.h"

namespace baomi::client {
namespace {

namespace json = boost::json;

constexpr std::string_view kBase = "/api/v1";
constexpr std::size_t kMaxPage = 500;  // the server's largest page

ErrorKind kind_of_status(int status) {
  switch (status) {
    case 400:
      return ErrorKind::kInvalidArgument;
    case 401:
      return ErrorKind::kUnauthenticated;
    case 403:
      return ErrorKind::kForbidden;
    case 404:
      return ErrorKind::kNotFound;
    case 409:
      return ErrorKind::kConflict;
    case 410:
      return ErrorKind::kGone;
    case 413:
      return ErrorKind::kTooLarge;
    case 415:
      return ErrorKind::kUnsupportedMedia;
    case 423:
      return ErrorKind::kLocked;
    case 429:
      return ErrorKind::kRateLimited;
    case 503:
      return ErrorKind::kUnavailable;
    default:
      return ErrorKind::kInternal;
  }
}

std::string string_at(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<json::value> parse_answer(const HttpResponse& r) {
  if (r.status < 200 || r.status >= 300) return server_error(r);
  if (r.body.empty()) return json::value(json::object());
  boost::system::error_code ec;
  auto v = json::parse(r.body, ec);
  if (ec) {
    return client_error("connection", "the server's answer (" + std::to_string(r.status) +
                                          ") is not JSON: " + ec.message());
  }
  return v;
}

std::string with_query(const std::string& path, std::string_view name, const std::string& value) {
  return path + (path.find('?') == std::string::npos ? '?' : '&') + std::string(name) + '=' +
         percent_encode(value);
}

}  // namespace

Error server_error(const HttpResponse& response) {
  std::string code = "http_" + std::to_string(response.status);
  std::string message, rule;
  boost::system::error_code ec;
  auto v = json::parse(response.body, ec);
  if (!ec && v.is_object()) {
    if (const auto* err = v.as_object().if_contains("error"); err && err->is_object()) {
      code = string_at(err->as_object(), "code");
      message = string_at(err->as_object(), "message");
      rule = string_at(err->as_object(), "rule");
    }
  }
  std::string line = std::to_string(response.status) + " " + code;
  if (!rule.empty()) line += " (rule " + rule + ")";
  if (!message.empty()) line += ": " + message;
  if (response.status == 401 && code == "unauthenticated") {
    line += "; log in again with `baomi login USERNAME` and export BAOMI_TOKEN";
  }
  if (const auto retry = response.header("retry-after"); !retry.empty()) {
    line += " (retry after " + retry + " s)";
  }
  return Error{kind_of_status(response.status), code, line, rule};
}

json::value Page::as_json() const {
  return json::object{{"items", items},
                      {"next_cursor", next_cursor ? json::value(*next_cursor) : nullptr}};
}

ApiClient::ApiClient(Endpoint endpoint, std::string token, TransportOptions options)
    : token_(std::move(token)), http_(std::move(endpoint), std::move(options)) {}

Result<HttpResponse> ApiClient::call(HttpRequest request, const BodySink& sink,
                                     bool with_token) const {
  request.target = std::string(kBase) + request.target;
  if (with_token) request.headers.push_back({"Authorization", "Bearer " + token_});
  request.headers.push_back({"Accept", "application/json"});
  return http_.send(request, sink);
}

Result<json::value> ApiClient::get_json(const std::string& path) const {
  BAOMI_ASSIGN_OR_RETURN(auto r, call(HttpRequest{.method = "GET", .target = path}));
  return parse_answer(r);
}

Result<json::value> ApiClient::send_json(std::string_view method, const std::string& path,
                                         const json::value& body) const {
  HttpRequest req{.method = std::string(method), .target = path};
  req.headers.push_back({"Content-Type", "application/json"});
  req.body = json::serialize(body);
  BAOMI_ASSIGN_OR_RETURN(auto r, call(std::move(req)));
  return parse_answer(r);
}

Result<json::value> ApiClient::send_empty(std::string_view method, const std::string& path) const {
  BAOMI_ASSIGN_OR_RETURN(auto r, call(HttpRequest{.method = std::string(method), .target = path}));
  return parse_answer(r);
}

Result<json::value> ApiClient::send_json_anonymous(std::string_view method, const std::string& path,
                                                   const json::value& body) const {
  HttpRequest req{.method = std::string(method), .target = path};
  req.headers.push_back({"Content-Type", "application/json"});
  req.body = json::serialize(body);
  BAOMI_ASSIGN_OR_RETURN(auto r, call(std::move(req), {}, false));
  return parse_answer(r);
}

Result<HttpResponse> ApiClient::get_bytes(const std::string& path) const {
  BAOMI_ASSIGN_OR_RETURN(auto r, call(HttpRequest{.method = "GET", .target = path}));
  if (r.status < 200 || r.status >= 300) return server_error(r);
  return r;
}

Result<Page> ApiClient::list(const std::string& path, const PageRequest& request) const {
  Page page;
  std::string cursor = request.cursor;
  for (;;) {
    std::size_t want = kMaxPage;
    if (request.limit > 0) want = std::min(kMaxPage, request.limit - page.items.size());
    std::string target = with_query(path, "limit", std::to_string(want));
    if (!cursor.empty()) target = with_query(target, "cursor", cursor);
    BAOMI_ASSIGN_OR_RETURN(auto v, get_json(target));
    if (!v.is_object() || !v.as_object().contains("items") ||
        !v.as_object().at("items").is_array()) {
      return client_error("connection", "the server's list answer has no items");
    }
    for (auto& item : v.as_object().at("items").as_array()) page.items.push_back(item);
    const auto* next = v.as_object().if_contains("next_cursor");
    const bool more = next && next->is_string() && !next->as_string().empty();
    page.next_cursor.reset();
    if (!more) return page;
    cursor = std::string(next->as_string());
    page.next_cursor = cursor;
    if (request.limit > 0 && page.items.size() >= request.limit) return page;
  }
}

Result<json::value> ApiClient::upload(std::string_view method, const std::string& path,
                                      const std::filesystem::path& file,
                                      const std::string& content_type,
                                      std::string* sha256_hex) const {
  HttpRequest req{.method = std::string(method), .target = path};
  req.headers.push_back({"Content-Type", content_type});
  req.body_file = file;
  crypto::Sha256 digest;
  req.on_body_piece = [&digest](const char* data, std::size_t n) {
    digest.update(std::string_view(data, n));
  };
  BAOMI_ASSIGN_OR_RETURN(auto r, call(std::move(req)));
  if (sha256_hex) *sha256_hex = digest.hex_digest();
  return parse_answer(r);
}

Result<HttpResponse> ApiClient::download(const std::string& path, DownloadFile& into) const {
  HttpRequest req{.method = "GET", .target = path};
  BAOMI_ASSIGN_OR_RETURN(auto r, call(std::move(req), [&into](const char* data, std::size_t n) {
                           return into.write(data, n);
                         }));
  if (r.status < 200 || r.status >= 300) return server_error(r);
  return r;
}

}  // namespace baomi::client
