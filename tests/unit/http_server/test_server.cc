#include "unit/http_server/test_server.h"

#include <unistd.h>

#include <boost/json.hpp>
#include <stdexcept>
#include <thread>

#include "http/server/json_input.h"
#include "http/server/tls.h"
#include "unit/http_server/test_client.h"

namespace baomi::http::testing {

namespace {

struct CertDir {
  CertDir() {
    path =
        std::filesystem::temp_directory_path() / ("baomi-http-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    auto r = write_self_signed_cert(path / "cert.pem", path / "key.pem");
    if (!r.ok()) throw std::runtime_error("cert: " + r.error().message);
  }
  ~CertDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::filesystem::path path;
};

}  // namespace

const std::filesystem::path& test_cert_dir() {
  static const CertDir dir;
  return dir.path;
}

namespace {

// PUT, stream_body: hashes the upload in 64 KiB pieces.
Response hash_upload(Request& req) {
  std::vector<std::uint8_t> buf(64 * 1024);
  Sha256 sha;
  std::uint64_t total = 0;
  while (true) {
    auto n = req.body_reader().read_some(buf.data(), buf.size());
    if (!n.ok())
      return error_response(n.error().kind == ErrorKind::kTooLarge ? 413 : 400, n.error().code,
                            n.error().message);
    if (*n == 0) break;
    sha.update(buf.data(), *n);
    total += *n;
  }
  return json_response(200, {{"size", total}, {"sha256", sha.hex()}, {"id", req.param("id")}});
}

// Streams `size` pattern bytes; with `sized`, announces Content-Length.
Response pattern_download(Request& req, bool sized) {
  std::uint64_t size = std::stoull(req.query("size").value_or("0"));
  Response res;
  res.content_type = "application/octet-stream";
  res.classified = true;
  if (sized) res.content_length = size;
  // ?owned=1: hands over its buffers (write_owned), as content downloads do, in pieces of
  // varying size, some under the size the writer adopts rather than copies.
  const bool owned = req.query("owned").value_or("") == "1";
  res.stream = [size, owned](BodyWriter& w) -> Result<void> {
    std::vector<std::uint8_t> buf(256 * 1024);
    std::size_t round = 0;
    for (std::uint64_t off = 0; off < size; ++round) {
      std::size_t want = owned ? (round % 3 == 2 ? 1000 : 256 * 1024 - round % 7) : 256 * 1024;
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(want, size - off));
      buf.resize(n);
      fill_pattern(buf.data(), n, off);
      if (owned) {
        BAOMI_TRY(w.write_owned(buf));
      } else {
        BAOMI_TRY(w.write(BytesView(buf.data(), n)));
      }
      off += n;
    }
    return {};
  };
  return res;
}

void add_body_routes(Router& r) {
  r.add("PUT", "/api/v1/documents/{id}/content", hash_upload, {.stream_body = true});
  r.add("POST", "/api/v1/ignore-body", [](Request&) { return error_response(403, "denied", "no"); },
        {.stream_body = true});
  r.add("POST", "/api/v1/echo", [](Request& req) {
    auto obj = parse_json_object(req.body());
    if (!obj.ok()) return error_response(400, obj.error().code, obj.error().message);
    return json_response(200, {{"len", req.body().size()}, {"keys", obj->size()}});
  });
  r.add("GET", "/download", [](Request& req) { return pattern_download(req, true); });
  r.add("GET", "/download-chunked", [](Request& req) { return pattern_download(req, false); });
  r.add("GET", "/download-broken", [](Request&) {
    Response res;
    res.content_length = 1 << 20;
    res.stream = [](BodyWriter& w) -> Result<void> {
      std::string part(100 * 1024, 'x');
      BAOMI_TRY(w.write(part));
      return Error::integrity("chunk failed authentication");
    };
    return res;
  });
}

void add_misc_routes(Router& r) {
  r.add("GET", "/api/v1/documents/{id}/content", [](Request& req) {
    return json_response(200, {{"id", req.param("id")}, {"route", "content"}});
  });
  r.add("GET", "/api/v1/documents/{id}", [](Request& req) {
    return json_response(200, {{"id", req.param("id")}, {"route", "document"}});
  });
  r.add("GET", "/api/v1/documents/mine", [](Request&) {
    return json_response(200, {{"route", "mine"}});
  });
  r.add("GET", "/api/v1/search", [](Request& req) {
    req.attributes["actor"] = "user-7";
    boost::json::array all;
    for (const auto& [k, v] : req.query_params()) all.push_back({k, v});
    return json_response(200, {{"q", req.query("q").value_or("")}, {"all", all}});
  });
  r.add("GET", "/healthz", [](Request&) { return json_response(200, {{"status", "ok"}}); });
  r.add("GET", "/classified", [](Request&) {
    Response res = json_response(200, {{"secret", true}});
    res.classified = true;
    return res;
  });
  r.add("GET", "/throw",
        [](Request&) -> Response { throw std::runtime_error("database password is hunter2"); });
  r.add("GET", "/bad-header", [](Request&) {
    Response res = json_response(200, {{"ok", true}});
    res.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: injected=1");
    return res;
  });
  r.add("GET", "/slow", [](Request&) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return json_response(200, {{"ok", true}});
  });
}

}  // namespace

std::shared_ptr<const Router> make_test_router() {
  auto r = std::make_shared<Router>();
  add_body_routes(*r);
  add_misc_routes(*r);
  return r;
}

TestServer::TestServer(Limits limits, int worker_threads, std::chrono::seconds shutdown_grace) {
  ServerConfig cfg;
  cfg.cert_file = test_cert_dir() / "cert.pem";
  cfg.key_file = test_cert_dir() / "key.pem";
  cfg.limits = limits;
  cfg.worker_threads = worker_threads;
  cfg.io_threads = 2;
  cfg.access_log = log_.sink();
  cfg.refusal_log = refusals_.sink();
  cfg.shutdown_grace = shutdown_grace;
  server_ = std::make_unique<Server>(cfg, make_test_router());
  auto r = server_->start();
  if (!r.ok()) throw std::runtime_error("start: " + r.error().message);
}

TestServer::~TestServer() { server_->stop(); }

}  // namespace baomi::http::testing
