// The two text channels of a copy (S10, docs/fingerprint.md, docs/benchmarks.md): how long a
// trace of 200 leaked characters takes against 1k, 10k and 100k issued copies (invisible
// channel, visible channel, both as the tracer runs them, and both plus the tracer's lookup of
// each decoded serial among N copy rows of a real SQLite store), and how many characters of
// prose the visible channel needs once the invisible symbols are stripped. Plain main(), no
// Google Benchmark: it prints three tables.
// Run: BUILD/bench/baomi_trace_channel_bench [corpus.txt ...]   (default: bench/sample_text.h)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "../sample_text.h"
#include "crypto/init.h"
#include "crypto/random.h"
#include "crypto/secret_key.h"
#include "marking/fingerprint.h"
#include "marking/serial.h"
#include "marking/text_variants.h"
#include "services/record_tables.h"
#include "services/workflow/sealed_objects.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

namespace marking = baomi::marking;
using Clock = std::chrono::steady_clock;

const marking::TextVariantClasses kDefault{true, true, false, false, false};

// Byte offset after `n` visible characters from `from` (or the end).
std::size_t after_visible(const std::string& s, std::size_t from, std::size_t n) {
  std::size_t i = from;
  while (i < s.size() && n > 0) {
    std::size_t len = 1;
    while (i + len < s.size() && (static_cast<unsigned char>(s[i + len]) & 0xC0) == 0x80) ++len;
    if (marking::visible_length(std::string_view(s).substr(i, len)) > 0) --n;
    i += len;
  }
  return i;
}

std::size_t random_start(const std::string& s, std::mt19937_64& rng) {
  std::size_t at = rng() % s.size();
  while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

// A store holding `issued` copy rows (sealed bodies of a copy's size), as the tracer reads them.
std::unique_ptr<baomi::storage::sqlite::SqliteStore> store_with(std::uint64_t issued,
                                                                const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto store = baomi::storage::sqlite::SqliteStore::open(dir / "baomi.db", true).value();
  if (!store->ensure_tables(baomi::services::record_tables()).ok()) {
    throw std::runtime_error("creating the tables failed");
  }
  const auto& table = baomi::services::object_record_type().table();
  const auto ok = store->write([&](baomi::storage::WriteTx& tx) -> baomi::Result<void> {
    for (std::uint64_t n = 1; n <= issued; ++n) {
      // The `objects` columns in declared order; sealed parts of a copy's size (never opened).
      baomi::storage::Row row{std::string("copy"),
                              marking::format_serial(n),
                              std::string("issued"),
                              "d-" + std::to_string(n % 500),
                              "u-" + std::to_string(n % 300),
                              std::int64_t{1},
                              std::int64_t{1},
                              std::monostate{},
                              std::int64_t{1},
                              baomi::Bytes(72, 1),
                              baomi::Bytes(640, 2),
                              std::string(64, 'a')};
      BAOMI_TRY(tx.insert_row(table, row));
    }
    return {};
  });
  if (!ok.ok()) throw std::runtime_error("building the copies failed");
  return store;
}

void trace_times(const std::vector<std::string>& docs) {
  std::printf("trace of 200 visible characters (µs per trace, mean of 2,000)\n");
  std::printf("%-10s %-12s %-12s %-12s %-12s\n", "copies", "invisible", "visible", "both",
              "both+lookup");
  const auto dir =
      std::filesystem::temp_directory_path() / ("baomi-bench-trace-" + baomi::crypto::random_id());
  std::mt19937_64 rng(1);
  const baomi::crypto::MacKey key(baomi::crypto::SecretKey::generate());
  for (std::uint64_t issued : {1'000ull, 10'000ull, 100'000ull}) {
    std::vector<std::string> leaks;
    for (int i = 0; i < 2000; ++i) {
      const auto& d = docs[rng() % docs.size()];
      const std::uint64_t serial = 1 + rng() % issued;
      auto marked = marking::embed_fingerprint(
          *marking::embed_text_variants(d, serial, key, kDefault), serial, key);
      const std::size_t from = random_start(*marked, rng);
      leaks.push_back(marked->substr(from, after_visible(*marked, from, 200) - from));
    }
    const auto store = store_with(issued, dir / std::to_string(issued));
    const auto& table = baomi::services::object_record_type().table();
    double t[4] = {0, 0, 0, 0};
    std::size_t found = 0;
    for (int mode = 0; mode < 4; ++mode) {
      const auto start = Clock::now();
      for (const auto& leak : leaks) {
        std::vector<std::uint64_t> serials;
        if (mode != 1) {
          for (const auto& f : marking::locate_fingerprints(leak, key))
            serials.push_back(f.payload);
        }
        if (mode != 0) {
          for (const auto& v : marking::find_text_variants(
                   leak, key, issued, marking::text_variant_set_bit(kDefault))) {
            serials.push_back(v.serial);
          }
        }
        found += serials.size();
        if (mode != 3) continue;
        (void)store->read([&](baomi::storage::ReadTx& tx) -> baomi::Result<void> {
          for (auto n : serials) {
            BAOMI_ASSIGN_OR_RETURN(
                auto row, tx.get_row(table, {std::string("copy"), marking::format_serial(n)}));
            if (!row) throw std::runtime_error("a decoded copy is missing");
          }
          return {};
        });
      }
      t[mode] = std::chrono::duration<double, std::micro>(Clock::now() - start).count() /
                static_cast<double>(leaks.size());
    }
    std::printf("%-10llu %-12.1f %-12.1f %-12.1f %-12.1f\n",
                static_cast<unsigned long long>(issued), t[0], t[1], t[2], t[3]);
    if (found == 0) std::printf("(nothing decoded)\n");
  }
  std::filesystem::remove_all(dir);
}

void reach(const std::vector<std::string>& docs, marking::TextVariantClasses classes,
           const char* name, bool any_set = false) {
  // As the tracer runs it: only the class set copies were issued with, or (`any_set`) every
  // subset, as when the issued sets are not known.
  const std::uint32_t sets =
      any_set ? marking::kAnyTextVariantSets : marking::text_variant_set_bit(classes);
  std::printf("\nvisible channel alone (invisible symbols stripped), classes %s, 10,000 issued\n",
              name);
  std::printf("%-8s %-10s %-8s\n", "chars", "decoded", "wrong");
  std::mt19937_64 rng(42);
  for (std::size_t n : {200, 300, 400, 500, 600, 700, 800, 1000, 1200, 1500}) {
    int ok = 0, wrong = 0;
    constexpr int kTrials = 400;
    for (int t = 0; t < kTrials; ++t) {
      const baomi::crypto::MacKey key(baomi::crypto::SecretKey::generate());
      const std::uint64_t serial = 1 + rng() % 10'000;
      const auto& d = docs[rng() % docs.size()];
      const auto marked = marking::strip_fingerprint(*marking::embed_fingerprint(
          *marking::embed_text_variants(d, serial, key, classes), serial, key));
      std::size_t from = random_start(marked, rng);
      std::size_t to = after_visible(marked, from, n);
      if (marking::visible_length(std::string_view(marked).substr(from, to - from)) < n) {
        from = 0;  // too near the end: take the document's first n characters
        to = after_visible(marked, 0, n);
      }
      bool got = false;
      for (const auto& m : marking::find_text_variants(
               std::string_view(marked).substr(from, to - from), key, 10'000, sets)) {
        if (m.serial == serial) {
          got = true;
        } else {
          ++wrong;
        }
      }
      ok += got ? 1 : 0;
    }
    std::printf("%-8zu %5.1f %%    %-8d\n", n, 100.0 * ok / kTrials, wrong);
  }
}

}  // namespace

int main(int argc, char** argv) {
  baomi::crypto::init();
  std::vector<std::string> docs;
  for (int i = 1; i < argc; ++i) {
    std::ifstream f(argv[i]);
    std::stringstream s;
    s << f.rdbuf();
    docs.push_back(s.str());
  }
  if (docs.empty()) {
    for (std::uint64_t seed = 1; seed <= 5; ++seed)
      docs.push_back(baomi_bench::mixed_text(3000, seed));
  }
  trace_times(docs);
  reach(docs, kDefault, "punctuation+digits (default)");
  reach(docs, kDefault, "punctuation+digits, issued sets unknown (every subset tried)", true);
  reach(docs, marking::TextVariantClasses{true, true, false, false, true},
        "punctuation+digits+ideographic");
  return 0;
}
