// Session, streaming side: request bodies read and response bodies written chunk by chunk by
// the worker thread running the handler. Each socket operation is posted to the strand (where
// its timeout applies) and the worker waits on the session's Rendezvous for it, so memory stays
// bounded by the handler's buffer and the parser's read buffer, whatever the body size.
#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <exception>
#include <vector>

#include "http/server/session.h"
#include "http/server/wire.h"

namespace baomi::http::detail {

namespace net = boost::asio;

Rendezvous::Outcome Session::call_on_strand(std::function<void()> op) {
  post_on_strand(std::move(op));
  return sync_.wait();
}

void Session::post_on_strand(std::function<void()> op) {
  sync_.arm();
  net::post(stream_.get_executor(), std::move(op));
}

// ---- request body ----

Result<std::size_t> Session::StreamReader::read_some(std::uint8_t* buf, std::size_t n) {
  if (n == 0) return std::size_t{0};
  auto out = s_.call_on_strand(
      [self = s_.shared_from_this(), buf, n] { self->start_body_read(buf, n, 0); });
  if (out.aborted) return Error::unavailable("server is shutting down");
  if (out.ec == bhttp::error::body_limit) {
    return Error{ErrorKind::kTooLarge, "body_too_large", "request body is too large", {}};
  }
  if (out.ec) return Error::invalid("body_incomplete", "request body could not be read");
  return out.n;
}

// Fills buf[filled..n) from the body. Returns to the worker once some data arrived and no more
// is immediately available, so a fast upload crosses threads once per buffer, not per record.
void Session::start_body_read(std::uint8_t* buf, std::size_t n, std::size_t filled) {
  if (!stream_parser_ || stream_parser_->is_done()) return sync_.complete({}, filled);
  if (need_continue_) {
    need_continue_ = false;  // the handler wants the body: now ask the client to send it
    return write_continue([self = shared_from_this(), buf, n](beast::error_code ec) {
      if (ec) return self->sync_.complete(ec, 0);
      self->start_body_read(buf, n, 0);
    });
  }
  auto& body = stream_parser_->get().body();
  body.data = buf + filled;
  body.size = n - filled;
  body.more = true;
  arm_body_read();
  bhttp::async_read_some(
      stream_, buffer_, *stream_parser_,
      [self = shared_from_this(), buf, n](beast::error_code ec, std::size_t bytes) {
        self->on_body_read(ec, bytes, buf, n);
      });
}

void Session::on_body_read(beast::error_code ec, std::size_t bytes, std::uint8_t* buf,
                           std::size_t n) {
  bytes_in_ += bytes;
  credit_body(bytes);
  shared_.note_read_buffer(buffer_.capacity());
  if (ec == bhttp::error::need_buffer) ec = {};
  // An upload that fell behind the minimum rate (issue 16, attack 1).
  if (ec == beast::error::timeout) shared_.refuse(slot_.source(), Refusal::kSlowBody);
  auto& body = stream_parser_->get().body();
  std::size_t got = n - body.size;  // body.data started at buf + filled
  body.data = nullptr;              // never keep a pointer into the handler's buffer
  body.size = 0;
  if (ec) return sync_.complete(ec, got);
  // Keep going while nothing arrived yet (only framing, e.g. a chunk header) or more input is
  // already waiting; otherwise hand what we have to the worker.
  bool room = got < n && !stream_parser_->is_done();
  if (room && (got == 0 || more_input_ready())) {
    return start_body_read(buf, n, got);
  }
  sync_.complete(ec, got);
}

bool Session::more_input_ready() {
  if (SSL_pending(stream_.native_handle()) > 0) return true;
  beast::error_code ec;
  return beast::get_lowest_layer(stream_).socket().available(ec) > 0 && !ec;
}

// ---- response body ----

// Pipelined and coalesced: write() appends the bytes to the piece being filled (write_owned()
// appends the caller's buffer itself, so a download's chunks are never copied); once it holds
// kPiece bytes it waits for the previous piece to reach the connection and sends this one, so
// the handler prepares the next chunks (reads and decrypts them) while one piece is sent, and
// threads hand over once per piece, not once per 256 KiB chunk. finish() sends what is left. At
// most one write is in flight; a failure shows at the next send or at finish(). Buffers of a
// piece sent go back to the handler for its next chunks. Memory: two pieces of about kPiece
// each, and at most kSpares buffers waiting to be reused.
class Session::StreamWriter : public BodyWriter {
 public:
  static constexpr std::size_t kPiece = std::size_t{1} << 20;
  static constexpr std::size_t kSpares = 8;
  static constexpr std::size_t kCoalesce = std::size_t{256} << 10;  // a content chunk
  static constexpr std::size_t kAdoptFrom = std::size_t{16} << 10;  // a TLS record

  StreamWriter(Session& s, std::optional<std::uint64_t> length, bool chunked)
      : s_(s), length_(length), chunked_(chunked) {}
  // The strand may still be sending from pieces_: wait for it (an aborted wait returns at once).
  ~StreamWriter() override { (void)settle(); }
  StreamWriter(const StreamWriter&) = delete;
  StreamWriter& operator=(const StreamWriter&) = delete;
  using BodyWriter::write;

  Result<void> write(BytesView data) override {
    if (failed_) return lost();
    if (data.empty()) return {};
    if (!fits(data.size())) return too_long();
    // Small writes share a buffer: each buffer of a piece leaves in TLS records of its own.
    auto& buffers = pieces_[next_].buffers;
    if (buffers.empty() || buffers.back().size() + data.size() > kCoalesce) {
      buffers.push_back(take_spare());
    }
    buffers.back().insert(buffers.back().end(), data.begin(), data.end());
    return added(data.size());
  }

  Result<void> write_owned(Bytes& piece) override {
    if (piece.size() < kAdoptFrom) {  // cheaper to copy than to send on its own
      auto r = write(BytesView(piece));
      piece.clear();
      return r;
    }
    if (failed_) return lost();
    if (!fits(piece.size())) return too_long();
    const std::size_t n = piece.size();
    pieces_[next_].buffers.push_back(std::move(piece));
    piece = take_spare();
    return added(n);
  }

  // Ends a chunked body; checks a sized body is complete.
  bool finish() {
    if (pieces_[next_].bytes > 0 && !send_piece()) return false;
    if (!settle()) return false;
    if (length_) return written_ == *length_;
    if (!chunked_) return true;  // HTTP/1.0: the body ends when the connection closes
    auto out = s_.call_on_strand([self = s_.shared_from_this()] {
      self->expire_after(self->limits().write_timeout);
      net::async_write(self->stream_, bhttp::make_chunk_last(),
                       [self](beast::error_code ec, std::size_t n) {
                         self->bytes_out_ += n;
                         self->sync_.complete(ec, n);
                       });
    });
    return !out.aborted && !out.ec;
  }

 private:
  struct Piece {
    std::vector<Bytes> buffers;
    std::vector<net::const_buffer> wire;  // views of `buffers`, for the write in flight
    std::size_t bytes = 0;
  };

  static Error lost() { return Error::unavailable("connection lost while sending the response"); }

  bool fits(std::size_t n) const { return !length_ || written_ + n <= *length_; }
  Error too_long() {
    failed_ = true;  // more than announced: the framing would be a lie
    return Error::internal("streamed body is longer than its content length");
  }

  Result<void> added(std::size_t n) {
    written_ += n;
    auto& filling = pieces_[next_];
    filling.bytes += n;
    if (filling.bytes >= kPiece && !send_piece()) return lost();
    return {};
  }

  Bytes take_spare() {
    if (spares_.empty()) return {};
    Bytes b = std::move(spares_.back());
    spares_.pop_back();
    return b;
  }

  // The piece the connection has finished sending: its buffers become spares.
  void recycle(Piece& sent) {
    for (auto& b : sent.buffers) {
      if (spares_.size() == kSpares) break;
      b.clear();
      spares_.push_back(std::move(b));
    }
    sent.buffers.clear();
    sent.wire.clear();
    sent.bytes = 0;
  }

  // Sends the piece being filled once the previous one has gone; false once a write failed.
  bool send_piece() {
    if (!settle()) return false;
    Piece& piece = pieces_[next_];
    next_ ^= 1;
    recycle(pieces_[next_]);  // the piece just settled: its buffers are free, its slot fills next
    piece.wire.clear();
    for (const auto& b : piece.buffers) piece.wire.emplace_back(b.data(), b.size());
    s_.post_on_strand([self = s_.shared_from_this(), &piece, chunked = chunked_] {
      self->expire_after(self->limits().write_timeout);
      auto done = [self](beast::error_code ec, std::size_t n) {
        self->bytes_out_ += n;
        self->sync_.complete(ec, n);
      };
      if (chunked) {
        net::async_write(self->stream_, bhttp::make_chunk(piece.wire), done);
      } else {
        net::async_write(self->stream_, piece.wire, done);
      }
    });
    in_flight_ = true;
    return true;
  }

  // Waits for the write in flight, if any; false once any write has failed.
  bool settle() {
    if (in_flight_) {
      in_flight_ = false;
      auto out = s_.sync_.wait();
      if (out.aborted || out.ec) failed_ = true;
    }
    return !failed_;
  }

  Session& s_;
  std::optional<std::uint64_t> length_;
  bool chunked_;
  std::uint64_t written_ = 0;
  bool failed_ = false;
  bool in_flight_ = false;
  std::array<Piece, 2> pieces_;
  std::size_t next_ = 0;
  std::vector<Bytes> spares_;
};

void Session::write_stream_header(const Response& res) {
  status_ = res.status;
  using Msg = bhttp::response<bhttp::empty_body>;
  using Serializer = bhttp::response_serializer<bhttp::empty_body>;
  struct Pending {
    Msg msg;
    std::optional<Serializer> sr;
  };
  // HTTP/1.0 has no chunked encoding: an unsized body there is delimited by closing.
  if (!res.content_length && version_ < 11) keep_alive_ = false;
  auto p = std::make_shared<Pending>();
  p->msg = to_beast_header<bhttp::empty_body>(res, version_, keep_connection());
  if (res.content_length) {
    p->msg.content_length(*res.content_length);
  } else if (version_ >= 11) {
    p->msg.chunked(true);
  }
  p->sr.emplace(p->msg);
  pending_ = p;
  expire_after(limits().write_timeout);
  bhttp::async_write_header(stream_, *p->sr,
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->bytes_out_ += n;
                              self->pending_.reset();
                              self->sync_.complete(ec, n);
                            });
}

// Runs on the worker thread that ran the handler.
void Session::stream_response_on_worker(Response& res) {
  auto out = call_on_strand([self = shared_from_this(), &res] { self->write_stream_header(res); });
  bool ok = !out.aborted && !out.ec;
  if (ok) {
    StreamWriter writer(*this, res.content_length, !res.content_length && version_ >= 11);
    Result<void> r;
    try {
      r = res.stream(writer);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "request %s: stream threw: %s\n", request_id_.c_str(), e.what());
      r = Error::internal("stream threw");
    }
    // An error midway, or fewer bytes than announced: close, never pretend success.
    ok = r.ok() && writer.finish();
  }
  net::post(stream_.get_executor(), [self = shared_from_this(), ok] { self->finish_request(!ok); });
}

}  // namespace baomi::http::detail
