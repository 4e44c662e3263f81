#include "http/server/request.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "core/bytes.h"
#include "http/server/ascii.h"

namespace baomi::http {
Result<Request> Request::from_target(std::string method, std::string_view target) {
  Request req;
  req.method_ = std::move(method);
  std::size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  BAOMI_ASSIGN_OR_RETURN(req.segments_, split_path(raw_path));
  auto path = percent_decode(raw_path);
  if (!path) return Error::invalid("invalid_request", "request path is not validly encoded");
  req.path_ = std::move(*path);
  if (q != std::string_view::npos) {
    BAOMI_ASSIGN_OR_RETURN(req.query_, parse_query(target.substr(q + 1)));
  }
  return req;
}

std::optional<std::string> Request::query(std::string_view name) const {
  auto it = query_.find(name);
  if (it == query_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [k, v] : headers_) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void Request::add_header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
}

const std::string& Request::param(std::string_view name) const {
  static const std::string kEmpty;
  for (const auto& [k, v] : params_) {
    if (k == name) return v;
  }
  return kEmpty;
}

void Request::set_params(std::vector<std::pair<std::string, std::string>> params) {
  params_ = std::move(params);
}

BodyReader& Request::body_reader() {
  if (stream_reader_ != nullptr) return *stream_reader_;
  string_reader_.source = &body_;  // re-pointed on each call: the Request may have moved
  return string_reader_;
}

Result<std::size_t> Request::StringReader::read_some(std::uint8_t* buf, std::size_t n) {
  std::size_t left = source->size() - std::min(offset, source->size());
  std::size_t take = std::min(left, n);
  if (take > 0) std::memcpy(buf, source->data() + offset, take);
  offset += take;
  return take;
}

// Drawn 64 ids at a time: every RAND_bytes call costs a getpid system call (OpenSSL's fork
// check), one per request before (issue 14). Ids are for correlating logs, never secrets; a
// forked child would repeat its parent's unused ones, and nothing here forks.
std::string new_request_id() {
  constexpr std::size_t kIdBytes = 16;
  constexpr std::size_t kBatch = 64;
  thread_local std::uint8_t pool[kIdBytes * kBatch];
  thread_local std::size_t used = kBatch;
  if (used == kBatch) {
    if (RAND_bytes(pool, sizeof pool) != 1) throw std::runtime_error("RAND_bytes failed");
    used = 0;
  }
  return to_hex(pool + kIdBytes * used++, kIdBytes);
}

}  // namespace baomi::http
