// Session, handling side: running the handler on the worker pool, finishing a request (access
// log, keep-alive or close) and closing the connection.
#include <boost/asio/post.hpp>
#include <cstdio>
#include <exception>

#include "http/server/session.h"
#include "http/server/wire.h"

namespace baomi::http::detail {

namespace net = boost::asio;

namespace {
constexpr std::size_t kLingerChunk = 16 * 1024;
}  // namespace

void Session::run_handler() {
  shared_.workers.post([self = shared_from_this()] { self->handle_on_worker(); });
}

// Runs on a worker thread; the strand does not touch request_ until this posts back.
void Session::handle_on_worker() {
  Response res = invoke_handler();
  if (!headers_are_safe(res)) {
    std::fprintf(stderr, "request %s: handler set an invalid header\n", request_id_.c_str());
    res = error_response(500, "internal", "internal error");
  }
  add_standard_headers(res, request_->path(), request_->id());
  if (res.stream) return stream_response_on_worker(res);
  net::post(stream_.get_executor(), [self = shared_from_this(), res = std::move(res)]() mutable {
    self->write_response(std::move(res));
  });
}

Response Session::invoke_handler() {
  try {
    return route_->handler(*request_);
  } catch (const std::exception& e) {
    // Details go to the operator's log only, keyed by request id; the client learns nothing.
    std::fprintf(stderr, "request %s: handler threw: %s\n", request_id_.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "request %s: handler threw a non-exception\n", request_id_.c_str());
  }
  return error_response(500, "internal", "internal error");
}

// For responses produced by the session itself (errors before or instead of a handler).
void Session::reply(Response res, bool close_after) {
  close_after_ = close_after_ || close_after;
  add_standard_headers(res, request_ ? request_->path() : "", request_id_);
  write_response(std::move(res));
}

bool Session::has_body() const {
  if (!header_parser_ || !header_parser_->is_header_done()) return false;
  return header_parser_->chunked() || header_parser_->content_length().value_or(0) > 0;
}

// A body the handler left unread would be parsed as the next request: never reuse then.
bool Session::body_left() const {
  return (stream_parser_ && !stream_parser_->is_done()) ||
         (json_parser_ && !json_parser_->is_done());
}

void Session::finish_request(bool broken) {
  shared_.requests.fetch_add(1, std::memory_order_relaxed);
  if (shared_.access_log) {
    AccessLogRecord rec;
    rec.time = started_wall_;
    rec.request_id = request_id_;
    rec.remote_address = remote_;
    if (request_) {
      rec.method = request_->method();
      rec.path = request_->path();  // never the query string: it may hold search terms
      auto actor = request_->attributes.find("actor");
      if (actor != request_->attributes.end()) rec.actor = actor->second;
    }
    rec.status = status_;
    rec.bytes_in = bytes_in_;
    rec.bytes_out = bytes_out_;
    rec.duration_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started_)
                          .count();
    shared_.access_log(rec);
  }
  in_request_ = false;
  if (broken) return close_socket();
  if ((close_after_ || body_left()) && !stopping_) return linger_then_close();
  if (!keep_connection()) return close_tls();
  ++served_;
  do_read_header();
}

void Session::request_stop() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->stopping_ = true;
    if (!self->in_request_) self->close_socket();  // idle: nothing to finish
  });
}

void Session::force_close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
}

void Session::close_tls() {
  expire_after(std::min(limits().write_timeout, std::chrono::seconds(5)));
  stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->close_socket(); });
}

// After answering early (413, 431, a handler that ignored the body) the client may still be
// sending. Closing at once would make the kernel reset the connection and the client could lose
// the answer, so read and discard for a bounded time and volume first (like nginx's
// lingering_close), then close.
void Session::linger_then_close() {
  constexpr std::uint64_t kMaxLingerBytes = 8u << 20;
  buffer_.consume(buffer_.size());
  linger_left_ = kMaxLingerBytes;
  linger_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  linger_buf_ = std::make_unique<char[]>(kLingerChunk);
  do_linger();
}

void Session::do_linger() {
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(1));
  stream_.async_read_some(net::buffer(linger_buf_.get(), kLingerChunk),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            bool over = n >= self->linger_left_ ||
                                        std::chrono::steady_clock::now() > self->linger_until_;
                            if (ec || over || self->stopping_) {
                              self->linger_buf_.reset();
                              return ec ? self->close_socket() : self->close_tls();
                            }
                            self->linger_left_ -= n;
                            self->do_linger();
                          });
}

void Session::close_socket() {
  beast::error_code ignored;
  beast::get_lowest_layer(stream_).socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(stream_).close();
}

}  // namespace baomi::http::detail
