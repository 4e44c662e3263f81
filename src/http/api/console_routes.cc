// The web console: every embedded asset at its own path, "/" answering with index.html. The
// console routes by the URL fragment (#/documents), so the server needs no catch-all: any
// other path outside /api/ is 404 like any unknown route.
#include "http/api/console_assets.h"
#include "http/api/routes.h"

namespace baomi::http::api {
namespace {

// The console's own code and styles only: no inline script or style, no eval, nothing from
// another origin, never framed, forms post only to the server itself.
constexpr std::string_view kConsoleCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

// True when an If-None-Match header lists `etag` (or is "*").
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag || item == "*") return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

Response serve_asset(const ConsoleAsset& asset, const Request& req) {
  Response res;
  res.headers.emplace_back("Content-Security-Policy", kConsoleCsp);
  res.headers.emplace_back("ETag", asset.etag);
  // The assets hold no data (the data comes from the API, always no-store); the browser may
  // keep them but must revalidate, so an upgraded server is picked up at once.
  res.headers.emplace_back("Cache-Control", "no-cache");
  res.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  res.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
  res.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  const auto inm = req.header("If-None-Match");
  if (inm && etag_matches(*inm, asset.etag)) {
    res.status = 304;
    res.content_type.clear();
    return res;
  }
  res.content_type = std::string(asset.content_type);
  res.body = std::string(asset.body);
  return res;
}

}  // namespace

void register_console_routes(Router& router) {
  for (const ConsoleAsset& asset : console_assets()) {
    router.add("GET", std::string(asset.path),
               [&asset](Request& req) { return serve_asset(asset, req); });
    if (asset.path == "/index.html") {
      router.add("GET", "/", [&asset](Request& req) { return serve_asset(asset, req); });
    }
  }
}

}  // namespace baomi::http::api
