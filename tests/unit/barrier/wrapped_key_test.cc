#include "barrier/wrapped_key.h"

#include <gtest/gtest.h>

#include "crypto/aead.h"
#include "crypto/random.h"

namespace baomi::barrier {
namespace {

WrappedKey sample() { return {0x01020304, crypto::random_bytes(crypto::kAeadOverhead + 32)}; }

TEST(WrappedKeyEncoding, RoundTripsThroughOneBlob) {
  const WrappedKey key = sample();
  const Bytes blob = encode(key);
  EXPECT_EQ(blob.size(), 5 + key.sealed.size());
  auto back = decode_wrapped_key(blob);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->kek_version, 0x01020304u);
  EXPECT_EQ(back->sealed, key.sealed);
}

TEST(WrappedKeyEncoding, MalformedBlobsAreIntegrityErrors) {
  Bytes blob = encode(sample());
  std::vector<Bytes> bad = {
      {},
      Bytes(blob.begin(), blob.end() - 1),  // truncated
      [&] {
        Bytes b = blob;
        b.push_back(0);
        return b;
      }(),  // extended
      [&] {
        Bytes b = blob;
        b[0] = 2;
        return b;
      }(),  // unknown format
      [&] {
        Bytes b = blob;
        b[1] = b[2] = b[3] = b[4] = 0;
        return b;
      }(),  // version 0
  };
  for (const Bytes& b : bad) {
    auto r = decode_wrapped_key(b);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  }
}

}  // namespace
}  // namespace baomi::barrier
