// The web console's files (console/ in the source tree), embedded into the binary at build
// time by cmake/embed_console.cmake, so `baomi serve` needs nothing beside itself. Immutable
// data with static storage; safe from any thread.
#pragma once

#include <span>
#include <string_view>

namespace baomi::http::api {

struct ConsoleAsset {
  std::string_view path;          // URL path, e.g. "/js/main.js"
  std::string_view content_type;  // from the file's extension
  std::string_view etag;          // strong ETag: quoted prefix of the SHA-256 of `body`
  std::string_view body;
};

std::span<const ConsoleAsset> console_assets();

}  // namespace baomi::http::api
