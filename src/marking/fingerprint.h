// Invisible per-copy text fingerprint (S7: every copy is traceable). embed_fingerprint hides a
// 64-bit payload (a copy's serial number, or a view id) in UTF-8 text as zero-width variation
// selectors, one after each visible character, repeating a 64-symbol authenticated frame. Any
// excerpt of about 70 or more visible characters, however re-wrapped or re-spaced, yields the
// payload again; text without the frame, or with a damaged one, yields nothing (48-bit keyed
// BLAKE2b tag). Use distinct keys for copies and views so the key says which kind a payload is.
// Text that streams through in pieces: FingerprintStream (fingerprint_stream.h), same output.
// Design and limits: docs/fingerprint.md. Stateless; every function is safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/mac_key.h"

namespace baomi::marking {

// Symbols in one frame: the fewest consecutive symbols (= visible characters) that always decode.
inline constexpr std::size_t kFingerprintFrameSymbols = 64;

// Returns `utf8_text` with the fingerprint inserted; any fingerprint symbols already in the text
// are dropped first, so strip_fingerprint(result) == strip_fingerprint(utf8_text).
// Error::invalid("text") if `utf8_text` is not well-formed UTF-8.
Result<std::string> embed_fingerprint(std::string_view utf8_text, std::uint64_t payload,
                                      const crypto::MacKey& key);

// The payload carried by most authenticated frames in the text, or nullopt if there is none.
// Everything but the fingerprint symbols is ignored, so whitespace, line breaks, quoting marks
// and even malformed UTF-8 around them do not matter.
std::optional<std::uint64_t> decode_fingerprint(std::string_view utf8_excerpt,
                                                const crypto::MacKey& key);

struct FingerprintMatch {
  std::uint64_t payload = 0;
  std::size_t frames = 0;  // how many authenticated frames carried it
};

// Every distinct authenticated payload in the text, most frames first (ties: first seen first):
// for investigations, where a leak may be pasted together from several copies.
std::vector<FingerprintMatch> find_fingerprints(std::string_view utf8_text,
                                                const crypto::MacKey& key);

struct FingerprintLocation {
  std::uint64_t payload = 0;
  std::size_t frames = 0;
  // Byte range [from, to) of the text its verified frames cover: where a paste holding several
  // fingerprints took this part from. Exact to within a frame (64 marked characters) at each
  // end: a frame cut by a seam between two sources still verifies when only its last few
  // symbols come from the other source and happen to match (probability 4^-k for k symbols).
  std::size_t from = 0;
  std::size_t to = 0;
};

// find_fingerprints with where each payload was found, same order.
std::vector<FingerprintLocation> locate_fingerprints(std::string_view utf8_text,
                                                     const crypto::MacKey& key);

// `text` without any fingerprint symbols; byte-exact inverse of embed_fingerprint.
std::string strip_fingerprint(std::string_view text);

// How many fingerprint symbols the text holds, authenticated or not (evidence of tampering when a
// marked text decodes to nothing).
std::size_t fingerprint_symbol_count(std::string_view text);

// Visible characters: code points other than white space, controls, format characters, combining
// marks and fingerprint symbols. Malformed bytes count one each.
std::size_t visible_length(std::string_view text);

}  // namespace baomi::marking
