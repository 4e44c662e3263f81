// fuzz_replay: runs the fuzz targets without libFuzzer, in the ordinary (GCC, and ASan+UBSan)
// test builds: every input of a target's corpus (seeds and every crash ever found, kept there as
// regressions), then N deterministic mutants of each (bit flips, cuts, insertions, repeats,
// splices). For fuzz_pdf_stamp, which clang cannot build (fuzz/README.md), this is its fuzzing.
//   fuzz_replay TARGET CORPUS_DIR [MUTANTS_PER_INPUT] [SEED]
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define BAOMI_FUZZ_TARGET(name) \
  extern "C" int name##_entry(const std::uint8_t* data, std::size_t size);
#include "targets.inc"
#undef BAOMI_FUZZ_TARGET

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

struct Target {
  const char* name;
  Entry entry;
};

const Target kTargets[] = {
#define BAOMI_FUZZ_TARGET(name) {#name, name##_entry},
#include "targets.inc"
#undef BAOMI_FUZZ_TARGET
};

// xorshift64*: deterministic, so a failing mutant reproduces from its seed and index.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 0x2545F4914F6CDD1DULL;
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : next() % n; }
};

std::string mutate(std::string in, const std::string& other, Rng& rng) {
  const int steps = 1 + static_cast<int>(rng.below(4));
  for (int i = 0; i < steps; ++i) {
    const std::size_t at = rng.below(in.size() + 1);
    switch (rng.below(6)) {
      case 0:  // flip a bit
        if (!in.empty()) in[rng.below(in.size())] ^= static_cast<char>(1u << rng.below(8));
        break;
      case 1:  // cut a range
        in.erase(at, rng.below(64));
        break;
      case 2:  // insert random bytes
        for (std::size_t k = rng.below(16); k > 0; --k) {
          in.insert(in.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(rng.next()));
        }
        break;
      case 3:  // repeat a chunk
        in.insert(at, in.substr(rng.below(in.size() + 1), rng.below(128)));
        break;
      case 4:  // splice with another input
        in = in.substr(0, at) + other.substr(std::min(other.size(), rng.below(other.size() + 1)));
        break;
      default:  // truncate
        in.resize(at);
        break;
    }
  }
  return in;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TARGET CORPUS_DIR [MUTANTS_PER_INPUT] [SEED]\n", argv[0]);
    return 2;
  }
  const auto* target = std::find_if(std::begin(kTargets), std::end(kTargets), [&](const Target& t) {
    return std::strcmp(t.name, argv[1]) == 0;
  });
  if (target == std::end(kTargets)) {
    std::fprintf(stderr, "unknown target %s\n", argv[1]);
    return 2;
  }
  const long mutants = argc > 3 ? std::strtol(argv[3], nullptr, 10) : 100;
  Rng rng{argc > 4 ? std::strtoull(argv[4], nullptr, 10) | 1 : 0x9E3779B97F4A7C15ULL};

  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(argv[2])) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "no inputs in %s\n", argv[2]);
    return 2;
  }
  std::vector<std::string> inputs;
  for (const auto& f : files) inputs.push_back(read_file(f));

  std::uint64_t runs = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    target->entry(reinterpret_cast<const std::uint8_t*>(in.data()), in.size());
    ++runs;
    for (long m = 0; m < mutants; ++m) {
      const std::string mutant = mutate(in, inputs[rng.below(inputs.size())], rng);
      target->entry(reinterpret_cast<const std::uint8_t*>(mutant.data()), mutant.size());
      ++runs;
    }
  }
  std::printf("%s: %zu inputs, %llu runs, no failure\n", target->name, inputs.size(),
              static_cast<unsigned long long>(runs));
  return 0;
}
