// Text marking of uploaded text (marking/fingerprint, fingerprint_stream, utf8_check): what a
// text copy, excerpt or view does to a document's bytes. Properties: embedding refuses exactly
// the malformed texts the UTF-8 check refuses; stripping a marked text gives the source back
// without its symbols; the stream, split anywhere, writes byte for byte what embed_fingerprint
// writes; a marked text holding two frames' symbols decodes to its payload.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "fuzz_input.h"
#include "marking/fingerprint.h"
#include "marking/fingerprint_stream.h"
#include "marking/utf8_check.h"

namespace {

const baomi::crypto::MacKey& key() {
  static const baomi::crypto::MacKey k(baomi::fuzz::fixed_key(3, 11));
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baomi;
  fuzz::FuzzInput in(data, size);
  const std::uint64_t payload = in.u64() & 0xFFFFFFFFFFull;
  const std::size_t cut = in.byte();
  const std::string_view text = in.rest();

  marking::Utf8Check utf8;
  const bool well_formed = utf8.feed(text) && utf8.finish();
  auto marked = marking::embed_fingerprint(text, payload, key());
  fuzz::check(marked.ok() == well_formed, "embed and the UTF-8 check disagree");

  std::string streamed;
  marking::FingerprintStream stream(payload, key());
  const std::size_t at = std::min(cut, text.size());
  const bool stream_ok = stream.feed(text.substr(0, at), streamed).ok() &&
                         stream.feed(text.substr(at), streamed).ok() &&
                         stream.finish(streamed).ok();
  fuzz::check(stream_ok == well_formed, "stream and the UTF-8 check disagree");
  if (!marked) return 0;

  fuzz::check(streamed == *marked, "stream output differs from embed_fingerprint");
  fuzz::check(marking::strip_fingerprint(*marked) == marking::strip_fingerprint(text),
              "stripping the marked text does not give the source back");
  if (marking::fingerprint_symbol_count(*marked) >= 2 * marking::kFingerprintFrameSymbols) {
    fuzz::check(marking::decode_fingerprint(*marked, key()) == payload,
                "a long marked text does not decode to its payload");
  }
  return 0;
}
