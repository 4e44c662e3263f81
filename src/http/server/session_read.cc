// Session, reading side: a balancer's PROXY header, TLS handshake, request header, routing,
// JSON body.
#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/server/ascii.h"
#include "http/server/framing.h"
#include "http/server/proxy_header.h"
#include "http/server/session.h"

namespace baomi::http::detail {

namespace net = boost::asio;

namespace {

constexpr std::size_t kReadChunk = 16 * 1024;
// Beast reads at most (capacity - size) bytes at a time (512 at least); without room for a
// whole TLS record (16 KiB) bodies would arrive in tiny reads.
constexpr std::size_t kReadBufferReserve = 32 * 1024;

bool is_http_parse_error(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

// Beast's own refusals of conflicting or malformed Content-Length / Transfer-Encoding fields.
bool is_framing_error(const beast::error_code& ec) {
  return ec == bhttp::error::bad_content_length || ec == bhttp::error::multiple_content_length ||
         ec == bhttp::error::bad_transfer_encoding;
}

// The framing checks Beast leaves to us (see framing.h).
std::optional<std::string> framing_problem_of(const bhttp::request_parser<bhttp::empty_body>& p) {
  const auto& msg = p.get();
  std::vector<std::string_view> codings;
  for (const auto& f : msg) {
    if (f.name() == bhttp::field::transfer_encoding) codings.push_back(f.value());
  }
  return framing_problem(msg.version(), codings, p.content_length().has_value());
}

}  // namespace

Session::Session(net::ip::tcp::socket&& socket, ServerShared& shared, ConnectionLimiter::Slot slot)
    : stream_(beast::tcp_stream(std::move(socket)), shared.tls),
      shared_(shared),
      slot_(std::move(slot)) {
  beast::error_code ec;
  auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  remote_ = ec ? "unknown" : ep.address().to_string();
  buffer_.reserve(kReadBufferReserve);
}

Session::~Session() {
  if (registered_) shared_.remove(this);
}

void Session::run() {
  registered_ = shared_.add(shared_from_this());
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->registered_) return self->close_socket();  // full or stopping
    if (self->from_balancer()) return self->read_proxy_header();
    self->start_handshake();
  });
}

bool Session::from_balancer() const {
  if (shared_.proxy_sources.empty()) return false;
  beast::error_code ec;
  const auto ep = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
  if (ec) return false;
  auto address = ep.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
  }
  return std::find(shared_.proxy_sources.begin(), shared_.proxy_sources.end(), address) !=
         shared_.proxy_sources.end();
}

// The balancer's PROXY v2 header (proxy_header.h), under the handshake's deadline: its fixed
// part, then the announced rest, read exactly (nothing of the TLS handshake after it).
void Session::read_proxy_header() {
  expire_after(limits().handshake_timeout);
  proxy_header_ = std::make_unique<std::uint8_t[]>(kProxyHeaderFixed + kProxyHeaderMaxRest);
  net::async_read(stream_.next_layer(), net::buffer(proxy_header_.get(), kProxyHeaderFixed),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->on_proxy_header(ec);
                  });
}

void Session::on_proxy_header(beast::error_code ec) {
  if (ec) return close_socket();
  const std::span<const std::uint8_t, kProxyHeaderFixed> fixed(proxy_header_.get(),
                                                               kProxyHeaderFixed);
  auto rest = proxy_header_rest_length(fixed);
  if (!rest.ok()) return close_socket();  // not a balancer's header: nothing is answered
  net::async_read(
      stream_.next_layer(), net::buffer(proxy_header_.get() + kProxyHeaderFixed, *rest),
      [self = shared_from_this(), fixed, n = *rest](beast::error_code ec2, std::size_t) {
        if (ec2) return self->close_socket();
        auto source = proxy_header_source(
            fixed, std::span<const std::uint8_t>(self->proxy_header_.get() + kProxyHeaderFixed, n));
        if (!source.ok()) return self->close_socket();
        if (*source) self->remote_ = std::move(**source);
        self->proxy_header_.reset();
        self->start_handshake();
      });
}

void Session::start_handshake() {
  expire_after(limits().handshake_timeout);
  stream_.async_handshake(
      net::ssl::stream_base::server,
      [self = shared_from_this()](beast::error_code ec) { self->on_handshake(ec); });
}

void Session::on_handshake(beast::error_code ec) {
  if (ec == beast::error::timeout) shared_.refuse(slot_.source(), Refusal::kHandshakeTimeout);
  // Plain HTTP, TLS < 1.2 and non-AEAD suites all end here: nothing is answered.
  if (ec) return close_socket();
  do_read_header();
}

void Session::do_read_header() {
  header_parser_.emplace();
  header_parser_->header_limit(static_cast<std::uint32_t>(limits().max_header_bytes));
  header_parser_->body_limit(boost::none);  // checked per route once the header is known
  json_parser_.reset();
  stream_parser_.reset();
  request_.reset();
  route_ = nullptr;
  route_owner_.reset();
  keep_alive_ = close_after_ = need_continue_ = in_request_ = body_clock_running_ = false;
  status_ = 0;
  bytes_in_ = bytes_out_ = 0;
  if (stopping_) return close_tls();
  if (served_ > 0 && buffer_.size() == 0) {
    // Keep-alive: wait for the next request's first bytes, then give the header its own clock.
    expire_after(limits().idle_keepalive_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->on_idle_data(ec, n);
                            });
    return;
  }
  read_header_now();
}

void Session::on_idle_data(beast::error_code ec, std::size_t n) {
  if (ec) return close_socket();
  buffer_.commit(n);
  read_header_now();
}

void Session::read_header_now() {
  expire_after(limits().header_timeout);
  bhttp::async_read_header(stream_, buffer_, *header_parser_,
                           [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                             self->on_read_header(ec, n);
                           });
}

void Session::on_read_header(beast::error_code ec, std::size_t n) {
  shared_.note_read_buffer(buffer_.capacity());
  bytes_in_ += n;
  started_ = std::chrono::steady_clock::now();
  started_wall_ = now_utc();
  request_id_ = new_request_id();
  in_request_ = true;
  if (ec == bhttp::error::header_limit) {
    return reply(error_response(431, "header_too_large", "request header is too large"), true);
  }
  if (ec && is_framing_error(ec)) {
    return reply(error_response(400, "bad_request", "conflicting or malformed message framing"),
                 true);
  }
  if (ec && is_http_parse_error(ec) && ec != bhttp::error::end_of_stream) {
    return reply(error_response(400, "bad_request", "malformed HTTP request"), true);
  }
  // Slowloris: a header trickled in too slowly is cut at its deadline (issue 16, attack 1).
  if (ec == beast::error::timeout) shared_.refuse(slot_.source(), Refusal::kHeaderTimeout);
  if (ec) return close_socket();  // timeout, reset, or the client went away
  begin_request();
}

void Session::begin_request() {
  auto& msg = header_parser_->get();
  version_ = msg.version();
  keep_alive_ = msg.keep_alive();
  // Ambiguous framing is how requests are smuggled past a proxy: refuse it and close, so the
  // bytes after this header are never read as another request (RFC 9112 §6.3).
  if (auto problem = framing_problem_of(*header_parser_)) {
    return reply(error_response(400, "bad_request", *problem), true);
  }
  auto req = Request::from_target(std::string(msg.method_string()), msg.target());
  if (!req) {
    const Error& e = req.error();
    return reply(error_response(400, e.code, e.message), has_body());
  }
  request_.emplace(std::move(req).value());
  for (const auto& field : msg) {
    request_->add_header(std::string(field.name_string()), std::string(field.value()));
  }
  request_->set_remote_address(remote_);
  request_->set_id(request_id_);
  auto length = header_parser_->content_length();
  request_->set_content_length(length ? std::optional<std::uint64_t>(*length) : std::nullopt);
  auto expect = request_->header("Expect");
  need_continue_ = expect && iequals(*expect, "100-continue");
  dispatch_route();
}

void Session::dispatch_route() {
  RouteMatch m = shared_.router.match(request_->method(), request_->path_segments());
  if (m.kind == RouteMatch::Kind::kNotFound) {
    return reply(error_response(404, "not_found", "no such resource"), has_body());
  }
  if (m.kind == RouteMatch::Kind::kMethodNotAllowed) {
    Response res = error_response(405, "method_not_allowed", "method not allowed here");
    res.headers.emplace_back("Allow", m.allow);
    return reply(std::move(res), has_body());
  }
  route_ = m.route;
  route_owner_ = std::move(m.keep_alive);
  request_->set_params(std::move(m.params));
  std::uint64_t declared = request_->content_length().value_or(0);
  if (route_->options.stream_body) {
    if (declared > limits().max_content_body) {
      return reply(error_response(413, "body_too_large", "request body is too large"), true);
    }
    stream_parser_.emplace(std::move(*header_parser_));
    stream_parser_->body_limit(limits().max_content_body);  // also bounds chunked bodies
    request_->set_body_reader(&reader_);
    return run_handler();
  }
  if (declared > limits().max_json_body) {
    return reply(error_response(413, "body_too_large", "request body is too large"), true);
  }
  if (!has_body()) return run_handler();
  json_parser_.emplace(std::move(*header_parser_));
  json_parser_->body_limit(limits().max_json_body);
  if (!need_continue_) return read_json_body();
  need_continue_ = false;
  write_continue([self = shared_from_this()](beast::error_code ec) {
    if (ec) return self->close_socket();
    self->read_json_body();
  });
}

void Session::read_json_body() {
  if (!body_clock_running_) start_body_clock(true);
  arm_body_read();
  bhttp::async_read_some(stream_, buffer_, *json_parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                           self->on_json_body(ec, n);
                         });
}

void Session::on_json_body(beast::error_code ec, std::size_t n) {
  bytes_in_ += n;
  credit_body(n);
  shared_.note_read_buffer(buffer_.capacity());
  if (ec == bhttp::error::body_limit) {
    return reply(error_response(413, "body_too_large", "request body is too large"), true);
  }
  if (ec && is_http_parse_error(ec) && ec != bhttp::error::end_of_stream) {
    return reply(error_response(400, "bad_request", "malformed request body"), true);
  }
  if (ec == beast::error::timeout) shared_.refuse(slot_.source(), Refusal::kSlowBody);
  if (ec) return close_socket();
  if (!json_parser_->is_done()) return read_json_body();
  request_->set_body(std::move(json_parser_->release().body()));
  run_handler();
}

void Session::write_continue(std::function<void(beast::error_code)> then) {
  auto msg = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
  pending_ = msg;
  expire_after(limits().write_timeout);
  bhttp::async_write(
      stream_, *msg,
      [self = shared_from_this(), then = std::move(then)](beast::error_code ec, std::size_t n) {
        self->bytes_out_ += n;
        self->pending_.reset();
        then(ec);
      });
}

}  // namespace baomi::http::detail
