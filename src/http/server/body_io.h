// BodyReader / BodyWriter: blocking, chunk-at-a-time access to a request or response body, so
// handlers stream content of any size in bounded memory. An instance belongs to one request and
// is used by one thread at a time (the thread running that request's handler).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace baomi::http {

using BytesView = std::span<const std::uint8_t>;

class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Blocks until some body bytes are copied into buf (returns how many), the body has ended
  // (returns 0), or reading failed (timeout, size limit -> kTooLarge, broken connection).
  virtual Result<std::size_t> read_some(std::uint8_t* buf, std::size_t n) = 0;
};

class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  // Takes a copy of `data` (the caller may reuse its buffer at once) and hands it to the
  // connection in order; it may block while an earlier write is still being sent. An error means
  // the response is broken (it may come from an earlier write); the stream callback should
  // return it so the connection is closed.
  virtual Result<void> write(BytesView data) = 0;
  // The same, taking `piece` itself instead of a copy: a download's decrypted chunks go to TLS
  // without one more pass over every byte (issue 14). Leaves in `piece` a buffer for the
  // caller's next piece: one the connection has finished sending (cleared, its capacity kept)
  // or an empty one. This default copies.
  virtual Result<void> write_owned(Bytes& piece) {
    auto r = write(BytesView(piece));
    piece.clear();
    return r;
  }
  Result<void> write(std::string_view s) {
    return write(BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
  }
};

}  // namespace baomi::http
