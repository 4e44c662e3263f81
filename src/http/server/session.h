// Session: one TLS connection, one object (after Beast's advanced server examples). Steps run in
// order on the connection's strand: handshake -> read header -> route -> (read JSON body) ->
// handler on the worker pool -> write response -> next request or close. Handlers may block;
// they reach the socket only through StreamReader/StreamWriter, which post each operation to
// the strand and wait for it, so every timeout and limit still applies. Internal to
// http/server. Public methods are thread-safe; everything else runs on the strand or on the one
// worker thread handling the current request.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "http/server/rendezvous.h"
#include "http/server/request.h"
#include "http/server/response.h"
#include "http/server/server_shared.h"

namespace baomi::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `slot` is the connection's place in the limiter, held for the session's life.
  Session(boost::asio::ip::tcp::socket&& socket, ServerShared& shared,
          ConnectionLimiter::Slot slot);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void run();
  // Finish the request in progress (if any), then close.
  void request_stop();
  // Close the socket now; pending operations fail.
  void force_close();
  // Wake a worker blocked on this session; only once the io_context has stopped.
  void abort_waits() { sync_.abort(); }

 private:
  class StreamReader : public BodyReader {
   public:
    explicit StreamReader(Session& s) : s_(s) {}
    Result<std::size_t> read_some(std::uint8_t* buf, std::size_t n) override;

   private:
    Session& s_;
  };
  class StreamWriter;

  // session_read.cc: connection set-up, header and JSON body.
  bool from_balancer() const;
  void read_proxy_header();
  void on_proxy_header(beast::error_code ec);
  void start_handshake();
  void on_handshake(beast::error_code ec);
  void do_read_header();
  void on_idle_data(beast::error_code ec, std::size_t n);
  void read_header_now();
  void on_read_header(beast::error_code ec, std::size_t n);
  void begin_request();
  void dispatch_route();
  void read_json_body();
  void on_json_body(beast::error_code ec, std::size_t n);
  void write_continue(std::function<void(beast::error_code)> then);
  // The body clock (see limits.h): started once per request body, armed before each body read,
  // credited after each.
  void start_body_clock(bool whole_body);
  void arm_body_read();
  void credit_body(std::size_t bytes);

  // session_handle.cc: handler on the worker pool, request completion, closing.
  void run_handler();
  void handle_on_worker();
  Response invoke_handler();
  void reply(Response res, bool close_after);
  void finish_request(bool broken);
  void close_tls();
  void close_socket();
  void linger_then_close();
  void do_linger();
  bool has_body() const;
  bool body_left() const;
  bool keep_connection() const {
    return keep_alive_ && !close_after_ && !stopping_ && !body_left();
  }

  // session_write.cc: whole responses.
  void write_response(Response res);
  void on_write(beast::error_code ec, std::size_t n);

  // session_stream.cc: streamed bodies, bridged to the worker thread.
  Rendezvous::Outcome call_on_strand(std::function<void()> op);
  // The first half of call_on_strand: the op runs on the strand; sync_.wait() collects it.
  void post_on_strand(std::function<void()> op);
  void start_body_read(std::uint8_t* buf, std::size_t n, std::size_t filled);
  void on_body_read(beast::error_code ec, std::size_t bytes, std::uint8_t* buf, std::size_t n);
  bool more_input_ready();
  void stream_response_on_worker(Response& res);
  void write_stream_header(const Response& res);

  void expire_after(std::chrono::seconds s) { beast::get_lowest_layer(stream_).expires_after(s); }
  const Limits& limits() const { return shared_.limits; }

  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  ServerShared& shared_;
  ConnectionLimiter::Slot slot_;
  std::string remote_;
  std::unique_ptr<std::uint8_t[]> proxy_header_;  // while a balancer's header is read
  bool registered_ = false;
  Rendezvous sync_;
  StreamReader reader_{*this};

  // Per-request state, reset by do_read_header().
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> json_parser_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> stream_parser_;
  std::optional<Request> request_;
  const Route* route_ = nullptr;
  std::shared_ptr<const void> route_owner_;  // RouteMatch::keep_alive, until the next request
  std::shared_ptr<void> pending_;            // message or serializer being written
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool close_after_ = false;  // the request body was not (fully) read: cannot reuse
  bool need_continue_ = false;
  bool in_request_ = false;
  bool stopping_ = false;
  std::uint64_t served_ = 0;
  int status_ = 0;
  std::uint64_t bytes_in_ = 0;
  std::uint64_t bytes_out_ = 0;
  std::string request_id_;
  std::chrono::steady_clock::time_point started_;
  TimePoint started_wall_;
  // Body clock: progress deadline, overall deadline (JSON bodies only) and when the last body
  // read finished (time after it, until the next read, is the handler's, not the client's).
  bool body_clock_running_ = false;
  std::chrono::steady_clock::time_point body_due_;
  std::chrono::steady_clock::time_point body_final_due_;
  std::chrono::steady_clock::time_point body_paused_at_;
  // Lingering close: unread request bytes drained after an early response.
  std::unique_ptr<char[]> linger_buf_;
  std::uint64_t linger_left_ = 0;
  std::chrono::steady_clock::time_point linger_until_;
};

}  // namespace baomi::http::detail
