// Streamed fingerprints (S7: every text view carries its view id). A view streams out in
// chunks, so the stream must mark text exactly as embed_fingerprint marks the whole of it,
// whatever the split, while holding back no more than an incomplete UTF-8 sequence.
#include "marking/fingerprint_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "crypto/secret_key.h"
#include "marking/fingerprint.h"

namespace baomi::marking {
namespace {

using Rng = std::mt19937_64;

crypto::MacKey stream_fixed_key(std::uint8_t fill) {
  return crypto::MacKey(std::move(crypto::SecretKey::from_bytes(Bytes(32, fill))).value());
}

std::string embed_stream(std::string_view text, std::uint64_t payload, const crypto::MacKey& key) {
  auto r = embed_fingerprint(text, payload, key);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : std::string();
}

// Chinese and ASCII prose with every case the placement rule cares about in between: combining
// marks, emoji ZWJ sequences, skin tones, keycaps, flags, conjuncts, Hangul jamo, CR LF, 4-byte
// ideographs, zero-width and format characters, and symbols of an old fingerprint to drop.
const char* const kParts[] = {
    "根据保密法第五条的规定，秘密文件必须标明密级。",
    "本文件由专人负责印发、传递和保管，不得擅自复制或摘抄。",
    "approval of the custodian, serial BM-000123-7, issued 2030-12-31. ",
    "HTTP/1.1 e.g. v1.0 ",
    "e\u0301",
    "caf\u00e9 ",
    "\U0001F468\u200D\U0001F469\u200D\U0001F467",
    "\U0001F44D\U0001F3FD",
    "1\uFE0F\u20E3",
    "\U0001F1E8\U0001F1F3\U0001F1EB\U0001F1F7",
    "\U0001F1E8",
    "\u0915\u094D\u0937",
    "\u1112\u1161\u11AB",
    "\u0628\u0650 ",
    "a\r\nb",
    "\t  \n",
    "\u3000",
    "\U00020000\U00020001",
    "\u200B\u00AD\u0600",
    "x\uFE04\uFE07y",
    "\uFE05",
    "\U0010FFFF\uFFFD\u00A0",
};

std::string mixed_text(std::size_t min_bytes, std::uint64_t seed) {
  Rng rng(seed);
  std::string out;
  while (out.size() < min_bytes) out += kParts[rng() % std::size(kParts)];
  return out;
}

// Input bytes at the end of well-formed `s` that start a sequence without completing it.
std::size_t incomplete_tail(std::string_view s) {
  for (std::size_t back = 1; back <= std::min<std::size_t>(3, s.size()); ++back) {
    const auto b = static_cast<unsigned char>(s[s.size() - back]);
    if ((b & 0xC0) == 0x80) continue;
    const std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    return len > back ? back : 0;
  }
  return 0;
}

// For each byte offset k of well-formed `text`: the bytes of text[0..k) that are not fingerprint
// symbols, counting only complete code points (what a stream fed k bytes must have put out).
std::vector<std::size_t> content_before(const std::string& text) {
  std::vector<std::size_t> out(text.size() + 1, 0);
  std::size_t start = 0, content = 0;  // the code point being read, content before it
  for (std::size_t k = 1; k <= text.size(); ++k) {
    const bool ends_cp = k == text.size() || (static_cast<unsigned char>(text[k]) & 0xC0) != 0x80;
    if (ends_cp) {
      const bool symbol = k - start == 3 && text.compare(start, 2, "\xEF\xB8") == 0 &&
                          (static_cast<unsigned char>(text[start + 2]) & 0xFC) == 0x84;
      if (!symbol) content += k - start;
      start = k;
    }
    out[k] = content;
  }
  return out;
}

// Feeds `text` cut at `cuts` (ascending), checking after every piece that the output so far is
// a prefix of `whole` holding all content fed but an incomplete UTF-8 sequence (so nothing else
// is held back); returns the output. Checks are incremental, for 1-byte pieces.
std::string stream_with_cuts(const std::string& text, const std::vector<std::size_t>& cuts,
                             const std::string& whole, const crypto::MacKey& key) {
  const std::vector<std::size_t> content = content_before(text);
  FingerprintStream stream(7, key);
  std::string out;
  std::size_t from = 0, out_content = 0;
  std::vector<std::size_t> ends = cuts;
  ends.push_back(text.size());
  for (std::size_t to : ends) {
    const std::size_t before = out.size();
    EXPECT_TRUE(stream.feed(std::string_view(text).substr(from, to - from), out).ok());
    EXPECT_LE(out.size() - before, 4 * (to - from) + 6);
    from = to;
    const std::string_view added = std::string_view(out).substr(before);
    EXPECT_EQ(std::string_view(whole).substr(before, added.size()), added) << "at " << to;
    out_content += strip_fingerprint(added).size();  // whole symbols only: strips piecewise
    EXPECT_EQ(out_content, content[to - incomplete_tail(std::string_view(text).substr(0, to))])
        << "at " << to;
  }
  EXPECT_TRUE(stream.finish(out).ok());
  return out;
}

TEST(FingerprintStream, AnySplitGivesTheWholeTextOutput_S7) {
  const auto key = stream_fixed_key(21);
  const std::string text = mixed_text(20000, 1);
  const std::string whole = embed_stream(text, 7, key);
  ASSERT_GT(fingerprint_symbol_count(whole), 1000u);
  // One byte at a time: every UTF-8 sequence and every cluster is split.
  std::vector<std::size_t> every_byte;
  for (std::size_t i = 1; i < text.size(); ++i) every_byte.push_back(i);
  EXPECT_EQ(stream_with_cuts(text, every_byte, whole, key), whole);
  // Random splits: pieces of 1-4 bytes (mostly inside sequences), up to 40, up to 700, mixed.
  Rng rng(2);
  for (int round = 0; round < 150; ++round) {
    const std::size_t max_piece = std::vector<std::size_t>{4, 40, 700}[round % 3];
    std::vector<std::size_t> cuts;
    for (std::size_t at = 1 + rng() % max_piece; at < text.size(); at += 1 + rng() % max_piece) {
      cuts.push_back(at);
      if (round % 4 == 3 && rng() % 5 == 0) cuts.push_back(at);  // an empty piece now and then
    }
    ASSERT_EQ(stream_with_cuts(text, cuts, whole, key), whole) << "round " << round;
  }
}

// Every split of a short text into two and three pieces: each tricky boundary, at each offset.
TEST(FingerprintStream, EveryTwoAndThreePieceSplitOfClustersMatches) {
  const auto key = stream_fixed_key(22);
  const std::string text =
      "中e\u0301\U0001F468\u200D\U0001F469 \U0001F1E8\U0001F1F3\U0001F1EB\u0915\u094D\u0937"
      "\u1112\u1161\r\n\U00020000\uFE06z";
  const std::string whole = embed_stream(text, 7, key);
  for (std::size_t a = 0; a <= text.size(); ++a) {
    for (std::size_t b = a; b <= text.size(); ++b) {
      ASSERT_EQ(stream_with_cuts(text, {a, b}, whole, key), whole) << a << " " << b;
    }
  }
}

TEST(FingerprintStream, StreamedViewDecodesToItsViewId_S7) {
  const auto key = stream_fixed_key(23);
  const std::uint64_t view_id = 0x0123456789ABCDEFull;
  const std::string text = mixed_text(3000, 3);
  FingerprintStream stream(view_id, key);
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 100) {
    ASSERT_TRUE(stream.feed(std::string_view(text).substr(i, 100), out).ok());
  }
  ASSERT_TRUE(stream.finish(out).ok());
  EXPECT_EQ(strip_fingerprint(out), strip_fingerprint(text));
  EXPECT_EQ(decode_fingerprint(out.substr(out.size() / 3, 2000), key), view_id);
}

// Malformed UTF-8 fails the stream exactly when it fails the whole text: at the feed holding
// the first byte no well-formed sequence can have, or at finish for a sequence the end cuts off.
TEST(FingerprintStream, MalformedUtf8FailsWhereDetected) {
  const auto key = stream_fixed_key(24);
  struct Case {
    std::string text;
    bool fails_at_finish;  // only the end of the text shows the fault
  };
  const Case cases[] = {
      {"中文\x80ok", false},
      {"abc\xC3", true},
      {"ab\xC0\xAF", false},
      {"\xE0\x80\xAF", false},
      {"x\xED\xA0\x80", false},
      {"\xF4\x90\x80\x80", false},
      {"\xF8\x88\x80\x80\x80", false},
      {"甲\xE4\xB8", true},
      {"ok\xFF", false},
      {"\xC3(", false},
      {"\xF0\x9F\x98", true},
      {"a\xE4\xB8 b", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(to_hex(to_bytes(c.text)));
    ASSERT_FALSE(embed_fingerprint(c.text, 1, key).ok());
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{64}}) {
      FingerprintStream stream(1, key);
      std::string out;
      bool feed_failed = false;
      for (std::size_t i = 0; i < c.text.size() && !feed_failed; i += piece) {
        const Status s = stream.feed(std::string_view(c.text).substr(i, piece), out);
        if (!s.ok()) {
          EXPECT_EQ(s.error().kind, ErrorKind::kInvalidArgument);
          EXPECT_EQ(s.error().code, "text");
          feed_failed = true;
        }
      }
      EXPECT_EQ(feed_failed, !c.fails_at_finish) << "piece " << piece;
      const Status end = stream.finish(out);
      ASSERT_FALSE(end.ok());
      EXPECT_EQ(end.error().code, "text");
      // What went out is the marked text before the fault, nothing of it or after it.
      EXPECT_EQ(c.text.compare(0, strip_fingerprint(out).size(), strip_fingerprint(out)), 0);
      EXPECT_EQ(embed_stream(strip_fingerprint(out), 1, key).compare(0, out.size(), out), 0);
    }
  }
  // A failed stream stays failed.
  FingerprintStream stream(1, key);
  std::string out;
  EXPECT_FALSE(stream.feed("ok\xFF", out).ok());
  EXPECT_FALSE(stream.feed("fine", out).ok());
  EXPECT_EQ(strip_fingerprint(out), "ok");
}

TEST(FingerprintStream, IsSpentAfterFinish) {
  const auto key = stream_fixed_key(25);
  FingerprintStream stream(1, key);
  std::string out;
  ASSERT_TRUE(stream.feed("秘密", out).ok());
  ASSERT_TRUE(stream.finish(out).ok());
  EXPECT_EQ(out, embed_stream("秘密", 1, key));
  EXPECT_EQ(stream.feed("x", out).error().kind, ErrorKind::kInternal);
  EXPECT_EQ(stream.finish(out).error().kind, ErrorKind::kInternal);
  FingerprintStream empty(1, key);
  std::string none;
  ASSERT_TRUE(empty.feed("", none).ok());
  ASSERT_TRUE(empty.finish(none).ok());
  EXPECT_EQ(none, "");
}

// A view as the content endpoint streams it: 20 MB in 256 KiB chunks, each chunk's output sent
// (here: appended) before the next is read. Guards against accidental quadratic behaviour and
// prints the rate; Release rates are in docs/fingerprint.md.
TEST(FingerprintStream, TwentyMegabytesIn256KiBChunksMatchOneShot) {
  const auto key = stream_fixed_key(26);
  std::string big;
  const std::string chunk = mixed_text(1 << 20, 4);
  while (big.size() < 20'000'000) big += chunk;
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const std::string whole = embed_stream(big, 99, key);
  const auto t1 = Clock::now();
  FingerprintStream stream(99, key);
  std::string sent, out;
  sent.reserve(whole.size());
  constexpr std::size_t kChunk = 256 * 1024;
  for (std::size_t i = 0; i < big.size(); i += kChunk) {
    out.clear();  // one buffer per response, reused for every chunk
    ASSERT_TRUE(stream.feed(std::string_view(big).substr(i, kChunk), out).ok());
    ASSERT_LE(out.size(), 4 * kChunk + 6);
    sent += out;
  }
  out.clear();
  ASSERT_TRUE(stream.finish(out).ok());
  sent += out;
  const auto t2 = Clock::now();
  EXPECT_TRUE(sent == whole);  // not EXPECT_EQ: a failure would print 40 MB
  const double mb = static_cast<double>(big.size()) / 1e6;
  const double one_shot = mb / std::chrono::duration<double>(t1 - t0).count();
  const double streamed = mb / std::chrono::duration<double>(t2 - t1).count();
  std::printf("embed one-shot %.1f MB/s, streamed in 256 KiB chunks %.1f MB/s (input)\n", one_shot,
              streamed);
  // Printed for information only; bench/micro_fingerprint.cc measures (docs/benchmarks.md).
}

}  // namespace
}  // namespace baomi::marking
