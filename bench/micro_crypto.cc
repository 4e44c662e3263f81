// Micro-benchmarks of the crypto wrappers on the hot paths: content chunks (AES-256-GCM via
// ChunkCipher), small fields (XChaCha20-Poly1305), BLAKE2b (audit chain, blind indexes) and
// Ed25519 (audit checkpoints). DESIGN.md "Performance targets" lists the limits they compare to.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>

#include <cstdint>

#include "crypto/aead.h"
#include "crypto/chunk_cipher.h"
#include "crypto/hash.h"
#include "crypto/init.h"
#include "crypto/random.h"
#include "crypto/secret_key.h"
#include "crypto/sha256.h"
#include "crypto/sign.h"

namespace {

using baomi::Bytes;
namespace crypto = baomi::crypto;

constexpr std::size_t kChunk = 256 * 1024;  // barrier::ContentSealer::kChunkSize

// The shape of a content chunk's associated data: document id, version, index, final flag.
Bytes chunk_ad() { return Bytes(26 + 8 + 8 + 1, 0x41); }

void BM_ChunkCipherSeal256K(benchmark::State& state) {
  crypto::init();
  crypto::ChunkCipher cipher(crypto::SecretKey::generate());
  const Bytes plain = crypto::random_bytes(kChunk);
  const Bytes ad = chunk_ad();
  Bytes out;
  std::uint64_t counter = 0;  // every counter sealed once, as ChunkCipher requires
  for (auto _ : state) {
    cipher.seal(counter++, plain, ad, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunk));
}
BENCHMARK(BM_ChunkCipherSeal256K);

void BM_ChunkCipherOpen256K(benchmark::State& state) {
  crypto::init();
  auto key = crypto::SecretKey::generate();
  crypto::ChunkCipher sealer(key);
  crypto::ChunkCipher opener(key);
  const Bytes plain = crypto::random_bytes(kChunk);
  const Bytes ad = chunk_ad();
  Bytes sealed, out;
  sealer.seal(0, plain, ad, sealed);
  for (auto _ : state) {
    auto r = opener.open(0, sealed, ad, out);
    if (!r.ok()) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunk));
}
BENCHMARK(BM_ChunkCipherOpen256K);

// One field box: random nonce, seal, allocation of the output (what the barrier does per field).
void BM_XChaChaSeal(benchmark::State& state) {
  crypto::init();
  auto key = crypto::SecretKey::generate();
  const Bytes plain = crypto::random_bytes(static_cast<std::size_t>(state.range(0)));
  const Bytes ad(40, 0x42);
  for (auto _ : state) {
    Bytes sealed = crypto::aead_seal(key, plain, ad);
    benchmark::DoNotOptimize(sealed.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * plain.size()));
}
BENCHMARK(BM_XChaChaSeal)->Arg(64)->Arg(1024)->Arg(kChunk);

void BM_Blake2b(benchmark::State& state) {
  crypto::init();
  const Bytes data = crypto::random_bytes(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    Bytes digest = crypto::hash32(data);
    benchmark::DoNotOptimize(digest.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Blake2b)->Arg(256)->Arg(kChunk);

// The upload digest reported to clients (crypto::Sha256, libsodium), over every uploaded byte.
void BM_Sha256(benchmark::State& state) {
  crypto::init();
  const Bytes data = crypto::random_bytes(kChunk);
  for (auto _ : state) {
    crypto::Sha256 sha;
    sha.update(data);
    auto hex = sha.hex_digest();
    benchmark::DoNotOptimize(hex.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunk));
}
BENCHMARK(BM_Sha256);

// For comparison only: the same digest from OpenSSL (SHA-NI/AVX2 where the CPU has them).
void BM_Sha256OpenSSL(benchmark::State& state) {
  const Bytes data = crypto::random_bytes(kChunk);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  for (auto _ : state) {
    if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1) {
      state.SkipWithError("EVP_Digest failed");
    }
    benchmark::DoNotOptimize(md);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kChunk));
}
BENCHMARK(BM_Sha256OpenSSL);

void BM_Ed25519Sign(benchmark::State& state) {
  crypto::init();
  auto key = crypto::SigningKey::generate();
  const Bytes msg = crypto::random_bytes(128);  // about a checkpoint message
  for (auto _ : state) {
    Bytes sig = key.sign(msg);
    benchmark::DoNotOptimize(sig.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& state) {
  crypto::init();
  auto key = crypto::SigningKey::generate();
  const Bytes msg = crypto::random_bytes(128);
  const Bytes sig = key.sign(msg);
  const Bytes pub = key.public_key();
  for (auto _ : state) {
    bool ok = crypto::verify_signature(pub, msg, sig);
    if (!ok) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(ok);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Verify);

}  // namespace
