// The fingerprint decoder (marking/fingerprint) on leaked text as found: any bytes, malformed
// UTF-8 included, or a marked text cut and spliced. Properties: no crash; on well-formed text
// stripping is idempotent and removes every symbol without changing the visible length; a payload
// found alone is also what decode_fingerprint reports. The visible channel (text_variants.h) on
// the same text: no crash, and every match names a serial in range and a byte range inside it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "fuzz_input.h"
#include "marking/fingerprint.h"
#include "marking/text_variants.h"
#include "marking/utf8_check.h"

namespace {

const baomi::crypto::MacKey& key() {
  static const baomi::crypto::MacKey k(baomi::fuzz::fixed_key(7, 1));
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace baomi;
  fuzz::FuzzInput in(data, size);
  const std::uint8_t mode = in.byte();
  const std::size_t cut_from = in.byte() * 4, cut_len = in.byte() * 2;
  std::string owned(in.rest());
  if (mode & 1) {
    // Real frames, then cut and spliced as a leaker's editor would, so the decoder's deep paths
    // are reached without the fuzzer having to guess a keyed tag.
    const marking::TextVariantClasses all{true, true, true, true, true};
    if (auto varied = marking::embed_text_variants(owned, 1 + mode, key(), all)) {
      owned = std::move(*varied);
    }
    if (auto marked = marking::embed_fingerprint(owned, 0x5eed00 + mode, key())) {
      owned = std::move(*marked);
      if (cut_from < owned.size()) owned.erase(cut_from, cut_len);
      if (mode & 2) owned += owned.substr(owned.size() / 3);
    }
  }
  const std::string_view text = owned;
  const auto matches = marking::find_fingerprints(text, key());
  const auto single = marking::decode_fingerprint(text, key());
  if (matches.size() == 1) fuzz::check(single == matches[0].payload, "decode disagrees with find");
  if (matches.empty()) fuzz::check(!single.has_value(), "decode found what find did not");

  for (const auto& m : marking::find_text_variants(text, key(), 1000)) {
    fuzz::check(m.serial >= 1 && m.serial <= 1000, "visible channel: serial out of range");
    fuzz::check(m.from < m.to && m.to <= text.size(), "visible channel: bad byte range");
    fuzz::check(m.classes.any() && m.units > m.checks, "visible channel: bad counts");
  }

  const std::string stripped = marking::strip_fingerprint(text);
  marking::Utf8Check utf8;
  if (!utf8.feed(text) || !utf8.finish()) return 0;  // stripping may join malformed bytes
  fuzz::check(marking::fingerprint_symbol_count(stripped) == 0, "strip left a symbol");
  fuzz::check(marking::strip_fingerprint(stripped) == stripped, "strip is not idempotent");
  fuzz::check(marking::visible_length(stripped) == marking::visible_length(text),
              "symbols counted as visible");
  return 0;
}
