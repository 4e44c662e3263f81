// Micro-benchmarks of the invisible text fingerprint (S7, docs/fingerprint.md): embedding it in
// a ~100 KB text copy, and decoding it from 200-character excerpts (the promised minimum) and
// from a whole marked text. DESIGN.md sets no target for these.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "crypto/init.h"
#include "crypto/secret_key.h"
#include "marking/fingerprint.h"
#include "sample_text.h"

namespace {

namespace marking = baomi::marking;

constexpr std::uint64_t kPayload = 123'456'789;  // a copy's serial number
constexpr std::size_t kExcerptChars = 200;

// ~100 KB of UTF-8 (about 40,000 mixed characters), the size of a long text document.
std::string copy_text() {
  std::string text = baomi_bench::mixed_text(1000);
  while (text.size() < 100 * 1024) text += baomi_bench::mixed_text(1000, text.size());
  return text;
}

bool is_symbol_at(const std::string& s, std::size_t at) {  // U+FE04..U+FE07
  return s.size() >= at + 3 && s.compare(at, 2, "\xEF\xB8") == 0 &&
         (static_cast<unsigned char>(s[at + 2]) & 0xFC) == 0x84;
}

// `count` excerpts of kExcerptChars characters (white space counted, fingerprint symbols not),
// cut at random characters of the marked text, each with the symbols that follow its characters.
std::vector<std::string> excerpts(const std::string& marked, std::size_t count) {
  std::vector<std::size_t> starts;  // byte offset of every character that is not a symbol
  for (std::size_t i = 0; i < marked.size(); ++i) {
    if ((static_cast<unsigned char>(marked[i]) & 0xC0) != 0x80 && !is_symbol_at(marked, i)) {
      starts.push_back(i);
    }
  }
  starts.push_back(marked.size());
  std::mt19937_64 rng(7);
  std::vector<std::string> out;
  for (std::size_t n = 0; n < count; ++n) {
    const std::size_t k = rng() % (starts.size() - kExcerptChars);
    out.push_back(marked.substr(starts[k], starts[k + kExcerptChars] - starts[k]));
  }
  return out;
}

void BM_FingerprintEmbed100K(benchmark::State& state) {
  baomi::crypto::init();
  const baomi::crypto::MacKey key(baomi::crypto::SecretKey::generate());
  const std::string text = copy_text();
  for (auto _ : state) {
    auto marked = marking::embed_fingerprint(text, kPayload, key);
    if (!marked.ok()) {
      state.SkipWithError("embed failed");
      return;
    }
    benchmark::DoNotOptimize(marked->data());
  }
  state.counters["text_bytes"] = static_cast<double>(text.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_FingerprintEmbed100K)->Unit(benchmark::kMicrosecond);

void BM_FingerprintDecodeExcerpt200(benchmark::State& state) {
  baomi::crypto::init();
  const baomi::crypto::MacKey key(baomi::crypto::SecretKey::generate());
  const auto cuts = excerpts(*marking::embed_fingerprint(copy_text(), kPayload, key), 256);
  for (const auto& cut : cuts) {
    if (marking::decode_fingerprint(cut, key) != kPayload) {
      state.SkipWithError("an excerpt did not decode to its payload");
      return;
    }
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto payload = marking::decode_fingerprint(cuts[i++ % cuts.size()], key);
    benchmark::DoNotOptimize(payload);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FingerprintDecodeExcerpt200);

void BM_FingerprintDecodeWhole100K(benchmark::State& state) {
  baomi::crypto::init();
  const baomi::crypto::MacKey key(baomi::crypto::SecretKey::generate());
  const std::string marked = *marking::embed_fingerprint(copy_text(), kPayload, key);
  for (auto _ : state) {
    auto payload = marking::decode_fingerprint(marked, key);
    if (payload != kPayload) {
      state.SkipWithError("the marked text did not decode to its payload");
      return;
    }
    benchmark::DoNotOptimize(payload);
  }
  state.counters["marked_bytes"] = static_cast<double>(marked.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * marked.size()));
}
BENCHMARK(BM_FingerprintDecodeWhole100K)->Unit(benchmark::kMicrosecond);

}  // namespace
