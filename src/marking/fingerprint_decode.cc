// Decoding: pull out the symbol stream, find every position where the sync pattern starts, read
// one frame from there and keep it if its tag authenticates the payload. Frames repeat with period
// kFrameLen, so a frame cut off by the end of the excerpt is completed from the previous period:
// any kFrameLen consecutive symbols decode, wherever the excerpt starts.
#include <algorithm>
#include <map>
#include <utility>

#include "marking/fingerprint.h"
#include "marking/fingerprint_frame.h"

namespace baomi::marking {
namespace {

using detail::kFrameLen;

// The symbols in order; `offsets`, when given, receives the byte offset of each.
std::vector<std::uint8_t> extract_symbols(std::string_view text,
                                          std::vector<std::size_t>* offsets = nullptr) {
  std::vector<std::uint8_t> symbols;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    if (p[i] == detail::kSymbolByte0 && detail::is_symbol_at(p + i, text.size() - i)) {
      symbols.push_back(static_cast<std::uint8_t>(p[i + 2] - detail::kSymbolByte2));
      if (offsets) offsets->push_back(i);
      i += 2;
    }
  }
  return symbols;
}

// The symbol stream, extended past its end by repeating its last period. Needs size >= kFrameLen.
class Stream {
 public:
  explicit Stream(std::vector<std::uint8_t> s) : s_(std::move(s)) {}
  std::size_t size() const { return s_.size(); }
  std::uint8_t at(std::size_t j) const { return j < s_.size() ? s_[j] : s_[j - kFrameLen]; }

  bool sync_at(std::size_t i) const {
    for (std::size_t k = 0; k < detail::kSyncLen; ++k) {
      if (at(i + k) != detail::kSync[k]) return false;
    }
    return true;
  }

  std::uint64_t value_at(std::size_t i, std::size_t count) const {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < count; ++k) v = v << 2 | at(i + k);
    return v;
  }

 private:
  std::vector<std::uint8_t> s_;
};

// Counts authenticated frames per payload; each distinct (payload, tag) is checked only once,
// since a real fingerprint repeats the same frame over and over.
class Tally {
 public:
  explicit Tally(const crypto::MacKey& key) : key_(key) {}

  // A frame starting at symbol `first` (its last symbol is first + kFrameLen - 1).
  void add(std::uint64_t payload, std::uint64_t tag, std::size_t first) {
    const auto key = std::make_pair(payload, tag);
    auto it = seen_.find(key);
    if (it == seen_.end()) {
      const bool valid = detail::tag_matches(key_, payload, tag);
      it = seen_.emplace(key, valid ? static_cast<int>(spans_.size()) : -1).first;
      if (valid) spans_.push_back({payload, 0, first, first});
    }
    if (it->second < 0) return;
    auto& span = spans_[static_cast<std::size_t>(it->second)];
    ++span.frames;
    span.last_frame = first;
  }

  struct Span {
    std::uint64_t payload;
    std::size_t frames;
    std::size_t first_frame;  // symbol index where its first verified frame starts
    std::size_t last_frame;   // ... and its last
  };

  // Most frames first; ties keep the order of first appearance.
  std::vector<Span> result() && {
    std::stable_sort(spans_.begin(), spans_.end(),
                     [](const auto& a, const auto& b) { return a.frames > b.frames; });
    return std::move(spans_);
  }

 private:
  const crypto::MacKey& key_;
  std::map<std::pair<std::uint64_t, std::uint64_t>, int> seen_;  // -> index in spans_ or -1
  std::vector<Span> spans_;                                      // in order of first appearance
};

std::vector<Tally::Span> scan(const Stream& stream, const crypto::MacKey& key) {
  if (stream.size() < kFrameLen) return {};
  Tally tally(key);
  for (std::size_t i = 0; i < stream.size(); ++i) {
    if (!stream.sync_at(i)) continue;
    const std::size_t body = i + detail::kSyncLen;
    tally.add(stream.value_at(body, detail::kPayloadLen),
              stream.value_at(body + detail::kPayloadLen, detail::kTagLen), i);
  }
  return std::move(tally).result();
}

}  // namespace

std::vector<FingerprintMatch> find_fingerprints(std::string_view utf8_text,
                                                const crypto::MacKey& key) {
  std::vector<FingerprintMatch> out;
  for (const auto& s : scan(Stream(extract_symbols(utf8_text)), key)) {
    out.push_back({s.payload, s.frames});
  }
  return out;
}

std::vector<FingerprintLocation> locate_fingerprints(std::string_view utf8_text,
                                                     const crypto::MacKey& key) {
  std::vector<std::size_t> offsets;
  const Stream stream(extract_symbols(utf8_text, &offsets));
  std::vector<FingerprintLocation> out;
  for (const auto& s : scan(stream, key)) {
    // A frame's symbols follow the visible characters they mark: the span opens just after the
    // symbol before its first frame and closes after the last symbol of its last frame (a
    // frame completed from the previous period ends with the text).
    const std::size_t from = s.first_frame == 0 ? 0 : offsets[s.first_frame - 1] + 3;
    const std::size_t last = std::min(s.last_frame + kFrameLen, offsets.size()) - 1;
    out.push_back({s.payload, s.frames, from, offsets[last] + 3});
  }
  return out;
}

std::optional<std::uint64_t> decode_fingerprint(std::string_view utf8_excerpt,
                                                const crypto::MacKey& key) {
  const auto matches = find_fingerprints(utf8_excerpt, key);
  if (matches.empty()) return std::nullopt;
  return matches.front().payload;
}

}  // namespace baomi::marking
