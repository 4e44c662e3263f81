#include "marking/fingerprint.h"

#include "marking/fingerprint_frame.h"
#include "marking/fingerprint_text.h"

namespace baomi::marking {
namespace {

using detail::CharClass;

bool is_carrier(CharClass c) {
  return c == CharClass::kBase || c == CharClass::kHangulL || c == CharClass::kRegional;
}

// Decides where the symbol owed by a visible character goes: at the first grapheme cluster
// boundary after it, never inside a cluster (before a combining mark, between CR and LF, inside
// an emoji ZWJ sequence, flag or conjunct) and so never after white space.
class Placement {
 public:
  bool owes() const { return owe_; }
  void paid() { owe_ = false; }

  // Whether a symbol may go between the previous code point and one of class `next`.
  bool allows(CharClass next) const {
    if (next == CharClass::kAttach || next == CharClass::kGlue) return false;
    if (!is_carrier(next) && next != CharClass::kPrepend) return true;  // space, control
    if (prev_ == CharClass::kGlue || prev_ == CharClass::kPrepend || prev_ == CharClass::kHangulL) {
      return false;
    }
    return !(next == CharClass::kRegional && prev_ == CharClass::kRegional && ri_open_);
  }

  void after(CharClass c) {
    ri_open_ = c == CharClass::kRegional && !(prev_ == CharClass::kRegional && ri_open_);
    owe_ = owe_ || is_carrier(c);
    prev_ = c;
  }

 private:
  CharClass prev_ = CharClass::kSpace;
  bool ri_open_ = false;  // a regional indicator waits for the second half of its flag
  bool owe_ = false;
};

class Embedder {
 public:
  Embedder(std::uint64_t payload, const crypto::SecretKey& key, std::size_t input_size)
      : frame_(detail::make_frame(payload, key)) {
    out_.reserve(input_size * 2);
  }

  void add(std::string_view bytes, CharClass c) {
    if (placement_.owes() && placement_.allows(c)) put_symbol();
    out_.append(bytes);
    placement_.after(c);
  }

  std::string finish() && {
    if (placement_.owes()) put_symbol();
    return std::move(out_);
  }

 private:
  void put_symbol() {
    const char sym[3] = {static_cast<char>(detail::kSymbolByte0),
                         static_cast<char>(detail::kSymbolByte1),
                         static_cast<char>(detail::kSymbolByte2 + frame_[next_])};
    out_.append(sym, 3);
    next_ = (next_ + 1) % detail::kFrameLen;
    placement_.paid();
  }

  detail::Frame frame_;
  std::size_t next_ = 0;
  Placement placement_;
  std::string out_;
};

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<std::string> embed_fingerprint(std::string_view utf8_text, std::uint64_t payload,
                                      const crypto::SecretKey& key) {
  Embedder embedder(payload, key, utf8_text.size());
  const unsigned char* p = bytes_of(utf8_text);
  const std::size_t n = utf8_text.size();
  for (std::size_t i = 0; i < n;) {
    char32_t cp = 0;
    const std::size_t len = detail::decode_utf8(p + i, n - i, cp);
    if (len == 0) return Error::invalid("text", "text is not valid UTF-8");
    // An old fingerprint (say, a marked excerpt pasted into a new document) would garble ours.
    if (!detail::is_symbol(cp)) embedder.add(utf8_text.substr(i, len), detail::classify(cp));
    i += len;
  }
  return std::move(embedder).finish();
}

std::string strip_fingerprint(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const unsigned char* p = bytes_of(text);
  std::size_t kept = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (p[i] != detail::kSymbolByte0 || !detail::is_symbol_at(p + i, text.size() - i)) continue;
    out.append(text.substr(kept, i - kept));
    i += 2;
    kept = i + 1;
  }
  out.append(text.substr(kept));
  return out;
}

std::size_t fingerprint_symbol_count(std::string_view text) {
  const unsigned char* p = bytes_of(text);
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (p[i] == detail::kSymbolByte0 && detail::is_symbol_at(p + i, text.size() - i)) {
      ++count;
      i += 2;
    }
  }
  return count;
}

std::size_t visible_length(std::string_view text) {
  const unsigned char* p = bytes_of(text);
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t len = detail::decode_utf8(p + i, text.size() - i, cp);
    if (len == 0) {  // lenient: a malformed byte shows up as one replacement character
      ++count;
      ++i;
      continue;
    }
    if (!detail::is_symbol(cp) && is_carrier(detail::classify(cp))) ++count;
    i += len;
  }
  return count;
}

}  // namespace baomi::marking
