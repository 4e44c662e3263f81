// FingerprintStream: embed_fingerprint for text that flows through in pieces (S7: a text view
// streamed chunk by chunk carries the view id; DESIGN "streams, not buffers"). Whatever the
// split, the concatenated output is byte for byte embed_fingerprint(whole input), while the
// stream holds back at most 3 input bytes (an incomplete UTF-8 sequence) and the symbol owed to
// the last character, whose place the next piece decides.
//
// Malformed UTF-8 is refused as embed_fingerprint refuses it, Error::invalid("text"), but at the
// point it is detected: by feed() for the piece holding the first byte that cannot belong to a
// well-formed sequence, by finish() for a sequence cut off by the end of the text. By then the
// output for the text before it has been appended (and may already have been sent), so a caller
// streaming a response must abort it, not end it cleanly. A failed stream stays failed.
//
// Not thread-safe: one stream per output; distinct streams share nothing. It keeps no key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/mac_key.h"
#include "marking/fingerprint_frame.h"
#include "marking/fingerprint_text.h"

namespace baomi::marking {

class FingerprintStream {
 public:
  FingerprintStream(std::uint64_t payload, const crypto::MacKey& key);

  // Appends to `out` the marked form of `piece`, which may end anywhere, even inside a UTF-8
  // sequence or a grapheme cluster. Output grows at most 4 bytes per input byte, plus 6.
  Status feed(std::string_view piece, std::string& out);

  // Appends what is held back. Call once, after the last piece; the stream is spent afterwards.
  Status finish(std::string& out);

 private:
  Status consume(const unsigned char* p, std::size_t n, std::string& out);
  Status fail();

  detail::Frame frame_;
  std::size_t next_ = 0;  // the frame symbol to write next
  detail::Placement placement_;
  unsigned char held_[4] = {};  // an incomplete UTF-8 sequence from the end of the last piece
  std::size_t held_len_ = 0;
  bool failed_ = false;
  bool finished_ = false;
};

}  // namespace baomi::marking
