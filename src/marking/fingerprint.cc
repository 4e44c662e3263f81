#include "marking/fingerprint.h"

#include "marking/fingerprint_frame.h"
#include "marking/fingerprint_stream.h"
#include "marking/fingerprint_text.h"

namespace baomi::marking {
namespace {

using detail::is_carrier;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

Result<std::string> embed_fingerprint(std::string_view utf8_text, std::uint64_t payload,
                                      const crypto::MacKey& key) {
  // One implementation for whole texts and streams, so that both mark text identically.
  FingerprintStream stream(payload, key);
  std::string out;
  out.reserve(utf8_text.size() * 2);  // Chinese text doubles; ASCII grows up to 4 times
  BAOMI_TRY(stream.feed(utf8_text, out));
  BAOMI_TRY(stream.finish(out));
  return out;
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
