// The barrier is the one way to storage (DESIGN.md, issue 13): services, auth and http work in
// barrier transactions (barrier/transaction.h) and never name the storage engine. The compiler
// keeps them from calling the engine through a barrier transaction; this test keeps them from
// reaching around it: no storage header, no `storage::` name, no barrier/engine_access.h.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

fs::path source_dir() {
  if (const char* dir = std::getenv("BAOMI_SOURCE_DIR")) return dir;
  for (auto p = fs::current_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (fs::exists(p / "src" / "barrier" / "transaction.h")) return p;
  }
  return {};
}

// Code without its // comments (a comment may name the engine to explain why).
std::string code_of(const std::string& line) {
  const auto comment = line.find("//");
  return comment == std::string::npos ? line : line.substr(0, comment);
}

std::vector<std::string> engine_mentions(const fs::path& layer) {
  static const std::regex engine_name(R"(\bstorage::|#include\s+"storage/|engine_access\.h)");
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(layer)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".h" && ext != ".cc")) continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (std::regex_search(code_of(line), engine_name)) {
        found.push_back(entry.path().string() + ":" + std::to_string(n) + ": " + line);
      }
    }
  }
  return found;
}

TEST(LayeringTest, ServicesAuthAndHttpNeverNameTheStorageEngine) {
  const auto root = source_dir();
  ASSERT_FALSE(root.empty()) << "set BAOMI_SOURCE_DIR";
  for (const char* layer : {"services", "auth", "http"}) {
    const auto dir = root / "src" / layer;
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    const auto found = engine_mentions(dir);
    std::string listing;
    for (const auto& f : found) listing += f + "\n";
    EXPECT_TRUE(found.empty()) << layer << " reaches the storage engine:\n" << listing;
  }
}

TEST(LayeringTest, TheCheckFindsAnEngineNameWhereThereIsOne) {
  // The check itself must be able to fail: the barrier layer names the engine by design.
  const auto root = source_dir();
  ASSERT_FALSE(root.empty());
  EXPECT_FALSE(engine_mentions(root / "src" / "barrier").empty());
}

}  // namespace
