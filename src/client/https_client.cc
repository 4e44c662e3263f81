// The one translation unit that instantiates Beast and Asio for the client: every request,
// buffered or streamed, goes through the same few template instantiations.
#include "client/https_client.h"

#include <fcntl.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "client/errors.h"

namespace baomi::client {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using Stream = beast::ssl_stream<beast::tcp_stream>;
using Parser = http::response_parser<http::buffer_body>;

constexpr std::size_t kPiece = 64 * 1024;
constexpr std::string_view kUserAgent = "baomi-cli/0.1.0";

Error transport(std::string code, std::string message) {
  return client_error(std::move(code), std::move(message));
}

Error local_file(std::string message) { return client_error("local_file", std::move(message)); }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A body ended by the peer closing without close_notify is fine once the message is complete.
bool benign_end(const beast::error_code& ec) {
  return ec == ssl::error::stream_truncated || ec == http::error::end_of_stream ||
         ec == net::error::eof;
}

// A file opened for streaming; closed on destruction.
class InputFile {
 public:
  static Result<InputFile> open(const std::filesystem::path& path) {
    InputFile f;
    f.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (f.fd_ < 0 || ::fstat(f.fd_, &st) != 0) {
      return local_file("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) return local_file(path.string() + " is not a regular file");
    f.size_ = static_cast<std::uint64_t>(st.st_size);
    f.path_ = path;
    return f;
  }
  InputFile(InputFile&& o) noexcept
      : fd_(std::exchange(o.fd_, -1)), size_(o.size_), path_(o.path_) {}
  InputFile& operator=(InputFile&&) = delete;
  ~InputFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  std::uint64_t size() const { return size_; }
  Result<std::size_t> read(char* buf, std::size_t n) {
    for (;;) {
      const ssize_t got = ::read(fd_, buf, n);
      if (got >= 0) return static_cast<std::size_t>(got);
      if (errno != EINTR)
        return local_file("cannot read " + path_.string() + ": " + std::strerror(errno));
    }
  }

 private:
  InputFile() = default;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::filesystem::path path_;
};

// One TLS connection. Every step is asynchronous under the tcp_stream's deadline and run to
// completion on a private io_context, so a silent server fails the command instead of hanging it.
class Connection {
 public:
  Connection(const Endpoint& ep, const TransportOptions& options)
      : ep_(ep), options_(options), ctx_(ssl::context::tls_client), stream_(ioc_, ctx_) {}

  Result<Ok> open() {
    BAOMI_TRY(configure_tls());
    net::ip::tcp::resolver resolver(ioc_);
    beast::error_code ec;
    const auto endpoints = resolver.resolve(ep_.host, std::to_string(ep_.port), ec);
    if (ec) return transport("unreachable", "cannot resolve " + ep_.text() + ": " + ec.message());
    ec = run([&](auto h) { beast::get_lowest_layer(stream_).async_connect(endpoints, h); });
    if (ec) {
      return transport("unreachable", "cannot connect to " + ep_.text() + ": " + ec.message() +
                                          " (is `baomi serve` listening there? check --addr or "
                                          "BAOMI_ADDR)");
    }
    ec = run([&](auto h) { stream_.async_handshake(ssl::stream_base::client, h); });
    if (ec) return handshake_error(ec);
    return Ok{};
  }

  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result;
    beast::get_lowest_layer(stream_).expires_after(options_.io_timeout);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  Error broken(const std::string& what, const beast::error_code& ec) const {
    return transport("connection", "the connection to " + ep_.text() + " failed while " + what +
                                       ": " + ec.message());
  }

  Stream& stream() { return stream_; }
  beast::flat_buffer& buffer() { return buffer_; }

 private:
  Result<Ok> configure_tls() {
    SSL_CTX* native = ctx_.native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    beast::error_code ec;
    if (!options_.ca_file.empty()) {
      ctx_.load_verify_file(options_.ca_file, ec);
      if (ec) {
        return client_error("ca_file",
                            "cannot use --ca " + options_.ca_file +
                                " (a PEM certificate file is expected): " + ec.message());
      }
    } else {
      ctx_.set_default_verify_paths(ec);
      if (ec) return transport("tls", "cannot load the system's trusted certificates");
    }
    // The stream's SSL object already exists and copied the context's verify mode when it was
    // made, so the mode is set on the stream itself (and on the context for good measure).
    ctx_.set_verify_mode(ssl::verify_peer);
    stream_.set_verify_mode(ssl::verify_peer, ec);
    if (ec) return transport("tls", "cannot turn on certificate verification");
    SSL* s = stream_.native_handle();
    // SSL_set1_host checks an IP literal against the certificate's IP addresses, a name
    // against its DNS names (RFC 6125).
    if (SSL_set1_host(s, ep_.host.c_str()) != 1 ||
        (!ep_.host_is_ip && SSL_set_tlsext_host_name(s, ep_.host.c_str()) != 1)) {
      return transport("tls", "cannot set the server name " + ep_.host);
    }
    return Ok{};
  }

  Error handshake_error(const beast::error_code& ec) {
    const long verify = SSL_get_verify_result(stream_.native_handle());
    if (verify != X509_V_OK) {
      const std::string why = X509_verify_cert_error_string(verify);
      const std::string hint =
          options_.ca_file.empty()
              ? "pass --ca FILE (or set BAOMI_CACERT) with the certificate that signed it, e.g. "
                "the instance's KEYDIR/tls.crt"
              : "it is not signed by a certificate in " + options_.ca_file +
                    "; pass the right --ca FILE";
      return transport("certificate", "the server certificate of " + ep_.text() +
                                          " is not trusted (" + why + "): " + hint);
    }
    return transport("tls", "TLS handshake with " + ep_.text() + " failed: " + ec.message() +
                                " (is it a Baomi server speaking HTTPS?)");
  }

  const Endpoint& ep_;
  const TransportOptions& options_;
  net::io_context ioc_;
  ssl::context ctx_;
  Stream stream_;
  beast::flat_buffer buffer_;
};

template <class Message>
void set_common(Message& msg, const Endpoint& ep, const HttpRequest& req) {
  msg.method_string(req.method);
  msg.target(req.target);
  msg.version(11);
  msg.set(http::field::host, ep.text());
  msg.set(http::field::user_agent, kUserAgent);
  for (const auto& h : req.headers) msg.set(h.name, h.value);
}

Result<Ok> read_header(Connection& c, Parser& p) {
  auto ec = c.run([&](auto h) { http::async_read_header(c.stream(), c.buffer(), p, h); });
  if (ec) return c.broken("reading the answer", ec);
  return Ok{};
}

// Reads the rest of a response whose header `p` holds: a 2xx body to the sink when there is
// one, anything else into memory (bounded).
Result<HttpResponse> read_body(Connection& c, Parser& p, const BodySink& sink,
                               std::size_t max_memory) {
  HttpResponse out;
  out.status = p.get().result_int();
  for (const auto& f : p.get()) {
    out.headers.push_back({lower(f.name_string()), std::string(f.value())});
  }
  const bool to_sink = sink && out.status >= 200 && out.status < 300;
  std::vector<char> buf(kPiece);
  while (!p.is_done()) {
    p.get().body().data = buf.data();
    p.get().body().size = buf.size();
    auto ec = c.run([&](auto h) { http::async_read(c.stream(), c.buffer(), p, h); });
    if (ec == http::error::need_buffer) ec = {};
    const std::size_t n = buf.size() - p.get().body().size;
    if (ec && !(benign_end(ec) && p.is_done())) {
      return c.broken("reading the answer (" + std::to_string(out.sunk + out.body.size()) +
                          " bytes arrived; treat what arrived as incomplete)",
                      ec);
    }
    if (n == 0) continue;
    if (to_sink) {
      BAOMI_TRY(sink(buf.data(), n));
      out.sunk += n;
    } else {
      if (out.body.size() + n > max_memory) {
        return transport("connection",
                         "the answer is larger than " + std::to_string(max_memory >> 20) + " MiB");
      }
      out.body.append(buf.data(), n);
    }
  }
  return out;
}

Result<HttpResponse> read_response(Connection& c, const BodySink& sink, std::size_t max_memory) {
  for (;;) {
    Parser p;
    p.body_limit(boost::none);
    p.header_limit(64 * 1024);
    BAOMI_TRY(read_header(c, p));
    if (p.get().result_int() / 100 == 1) continue;  // an interim answer (100 Continue)
    return read_body(c, p, sink, max_memory);
  }
}

Result<HttpResponse> send_buffered(Connection& c, const Endpoint& ep, const HttpRequest& req,
                                   const BodySink& sink, std::size_t max_memory) {
  http::request<http::string_body> msg;
  set_common(msg, ep, req);
  msg.body() = req.body;
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT") msg.prepare_payload();
  auto ec = c.run([&](auto h) { http::async_write(c.stream(), msg, h); });
  if (ec) {
    // The server may have answered and closed before reading the whole body.
    auto answer = read_response(c, sink, max_memory);
    if (answer.ok()) return answer;
    return c.broken("sending the request", ec);
  }
  return read_response(c, sink, max_memory);
}

// Streams the file's bytes as the body. `Expect: 100-continue` lets the server refuse (403,
// 404, 413...) before a single byte of a large file is sent; its answer is returned as is.
Result<HttpResponse> send_streamed(Connection& c, const Endpoint& ep, const HttpRequest& req,
                                   const BodySink& sink, std::size_t max_memory) {
  BAOMI_ASSIGN_OR_RETURN(auto file, InputFile::open(req.body_file));
  http::request<http::buffer_body> msg;
  set_common(msg, ep, req);
  msg.content_length(file.size());
  msg.set(http::field::expect, "100-continue");
  msg.body().data = nullptr;
  msg.body().more = true;
  http::request_serializer<http::buffer_body> sr{msg};
  auto ec = c.run([&](auto h) { http::async_write_header(c.stream(), sr, h); });
  if (ec) return c.broken("sending the request", ec);
  {
    Parser interim;
    interim.body_limit(boost::none);
    BAOMI_TRY(read_header(c, interim));
    if (interim.get().result_int() != 100) return read_body(c, interim, sink, max_memory);
  }
  std::vector<char> buf(kPiece);
  std::uint64_t left = file.size();
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(auto n, file.read(buf.data(), buf.size()));
    if (n > left) n = static_cast<std::size_t>(left);
    if (n == 0 && left > 0) return local_file(req.body_file.string() + " shrank while sending");
    left -= n;
    if (n > 0 && req.on_body_piece) req.on_body_piece(buf.data(), n);
    msg.body().data = n ? buf.data() : nullptr;
    msg.body().size = n;
    msg.body().more = left > 0;
    ec = c.run([&](auto h) { http::async_write(c.stream(), sr, h); });
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      auto answer = read_response(c, sink, max_memory);
      if (answer.ok()) return answer;
      return c.broken("sending " + req.body_file.string(), ec);
    }
    if (left == 0 && sr.is_done()) break;
  }
  return read_response(c, sink, max_memory);
}

}  // namespace

std::string HttpResponse::header(std::string_view lower_name) const {
  for (const auto& h : headers) {
    if (h.name == lower_name) return h.value;
  }
  return {};
}

HttpsClient::HttpsClient(Endpoint endpoint, TransportOptions options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

Result<HttpResponse> HttpsClient::send(const HttpRequest& request, const BodySink& sink) const {
  Connection c(endpoint_, options_);
  BAOMI_TRY(c.open());
  if (request.body_file.empty()) {
    return send_buffered(c, endpoint_, request, sink, options_.max_memory_body);
  }
  return send_streamed(c, endpoint_, request, sink, options_.max_memory_body);
}

}  // namespace baomi::client
