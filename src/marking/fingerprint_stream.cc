#include "marking/fingerprint_stream.h"

#include <cstring>

namespace baomi::marking {
namespace {

// Output is gathered in a block on the stack and appended to the caller's string a block at a
// time; appending each code point on its own cost more than all the rest of the embedding.
constexpr std::size_t kBlock = 8192;
constexpr std::size_t kMaxStep = 7;  // one code point and the symbol before it

}  // namespace

FingerprintStream::FingerprintStream(std::uint64_t payload, const crypto::MacKey& key)
    : frame_(detail::make_frame(payload, key)) {}

Status FingerprintStream::fail() {
  failed_ = true;
  return Error::invalid("text", "text is not valid UTF-8");
}

// The state lives in locals while a piece is marked: the compiler must assume that bytes
// written to the block may alias members, and would reload them after every write. `add` runs
// once per code point, hence always inlined.
Status FingerprintStream::consume(const unsigned char* p, std::size_t n, std::string& out) {
  char block[kBlock];
  std::size_t used = 0;
  detail::Placement placement = placement_;
  std::size_t next = next_;
  const auto add = [&](const unsigned char* bytes, std::size_t len, char32_t cp)
      __attribute__((always_inline)) {
    // An old fingerprint (say, a marked excerpt pasted into a new document) would garble ours.
    if (detail::is_symbol(cp)) return;
    const detail::CharClass c = detail::classify(cp);
    if (used + kMaxStep > kBlock) {
      out.append(block, used);
      used = 0;
    }
    if (placement.owes() && placement.allows(c)) {
      block[used] = static_cast<char>(detail::kSymbolByte0);
      block[used + 1] = static_cast<char>(detail::kSymbolByte1);
      block[used + 2] = static_cast<char>(detail::kSymbolByte2 + frame_[next]);
      used += 3;
      next = next + 1 == detail::kFrameLen ? 0 : next + 1;
      placement.paid();
    }
    for (std::size_t k = 0; k < len; ++k) block[used + k] = static_cast<char>(bytes[k]);
    used += len;
    placement.after(c);
  };
  // Even on failure, what precedes the malformed bytes goes out: it is well-formed and marked.
  const auto done = [&](Status status) {
    out.append(block, used);
    placement_ = placement;
    next_ = next;
    return status;
  };

  std::size_t i = 0;
  // First complete the sequence the last piece ended in, a byte at a time (at most 3).
  while (held_len_ > 0 && i < n) {
    held_[held_len_++] = p[i++];
    char32_t cp = 0;
    if (detail::decode_utf8(held_, held_len_, cp) == held_len_) {
      add(held_, held_len_, cp);
      held_len_ = 0;
    } else if (detail::utf8_prefix_length(held_, held_len_) == 0) {
      return done(fail());
    }
  }
  while (i < n) {
    if (p[i] < 0x80) {  // ASCII, about half of a typical mixed text, needs no decoding
      add(p + i, 1, p[i]);
      ++i;
      continue;
    }
    char32_t cp = 0;
    const std::size_t len = detail::decode_utf8(p + i, n - i, cp);
    if (len == 0) {
      if (detail::utf8_prefix_length(p + i, n - i) == 0) return done(fail());
      std::memcpy(held_, p + i, n - i);  // a proper prefix: at most 3 bytes
      held_len_ = n - i;
      break;
    }
    add(p + i, len, cp);
    i += len;
  }
  return done(Ok{});
}

Status FingerprintStream::feed(std::string_view piece, std::string& out) {
  if (finished_) return Error::internal("fingerprint stream fed after finish");
  if (failed_) return fail();
  return consume(reinterpret_cast<const unsigned char*>(piece.data()), piece.size(), out);
}

Status FingerprintStream::finish(std::string& out) {
  if (finished_) return Error::internal("fingerprint stream finished twice");
  finished_ = true;
  if (failed_ || held_len_ > 0) return fail();  // the text ends inside a UTF-8 sequence
  if (placement_.owes()) {
    const char sym[3] = {static_cast<char>(detail::kSymbolByte0),
                         static_cast<char>(detail::kSymbolByte1),
                         static_cast<char>(detail::kSymbolByte2 + frame_[next_])};
    out.append(sym, 3);
  }
  return Ok{};
}

}  // namespace baomi::marking
