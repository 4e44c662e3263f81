// At rest nothing classified is in the clear (DESIGN.md "Storage never sees plaintext"): unique
// markers put into a title, a description, the content and an account's name are then looked for
// in every byte of every file under the instance's data and key directories.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

struct FileScan {
  int files = 0;
  std::uintmax_t bytes = 0;
  std::vector<std::string> hits;  // "file: marker"
};

// Reads every regular file below `dirs` as bytes and records where any marker occurs.
FileScan scan(const std::vector<std::filesystem::path>& dirs,
              const std::vector<std::string>& markers) {
  FileScan out;
  for (const auto& dir : dirs) {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      std::ifstream in(it->path(), std::ios::binary);
      if (!in) continue;  // a -wal/-shm file may vanish while the server runs
      std::stringstream ss;
      ss << in.rdbuf();
      const std::string bytes = ss.str();
      ++out.files;
      out.bytes += bytes.size();
      for (const auto& m : markers) {
        if (bytes.find(m) != std::string::npos) out.hits.push_back(it->path().string() + ": " + m);
      }
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += s + "\n";
  return out;
}

TEST(AtRestTest, MarkersNeverAppearInAnyFileOnDisk) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  const std::string ascii = "BAOMIMARKER" + random_suffix();
  const std::string chinese = "\xE7\xBB\x9D\xE5\xAF\x86\xE6\xA0\x87\xE8\xAE\xB0" + random_suffix() +
                              "\xE6\x9C\xBA\xE5\xAF\x86";  // 绝密标记…机密
  const std::string user_marker = "usermarker" + random_suffix();

  auto u = make_user(c, *inst, user_marker, "staff", "secret", {"finance"});
  auto doc = create_document(c, u.token, "Title " + ascii + " " + chinese, "secret", {"finance"},
                             {{"description", "Description " + chinese + " " + ascii}});
  const std::string id(doc.at("id").as_string());
  // Several chunks, the markers in each, and a repetitive filler that compresses well if anything
  // were stored compressed rather than encrypted.
  std::string content;
  while (content.size() < 700 * 1024)
    content += "line " + ascii + " " + chinese + " filler filler\n";
  upload_content(c, u.token, id, content);

  // They round-trip through the API (so the test looks for something that really is stored).
  auto meta = c.get("/api/v1/documents/" + id, u.token);
  ASSERT_EQ(meta.status, 200);
  EXPECT_NE(meta.body.find(ascii), std::string::npos);
  EXPECT_NE(meta.body.find(chinese), std::string::npos);
  EXPECT_EQ(c.get("/api/v1/documents/" + id + "/content", u.token).text(), content);
  EXPECT_EQ(c.get("/api/v1/me", u.token).json().at("username").as_string(), user_marker);

  const std::vector<std::string> doc_markers{ascii, chinese};
  // While the server runs (recent pages live in the WAL) ...
  auto running = scan({inst->data(), inst->keys()}, doc_markers);
  EXPECT_TRUE(running.hits.empty()) << join(running.hits);
  server->stop();
  // ... and after a clean stop.
  auto stopped = scan({inst->data(), inst->keys()}, doc_markers);
  EXPECT_GE(stopped.files, 6) << "database, policy and five key files expected";
  EXPECT_GT(stopped.bytes, content.size()) << "the content must be somewhere on disk";
  EXPECT_TRUE(stopped.hits.empty()) << join(stopped.hits);
  EXPECT_TRUE(std::filesystem::exists(inst->data() / "baomi.db"));

  // Account names are sealed too (users.sealed_username).
  auto names = scan({inst->data(), inst->keys()}, {user_marker});
  EXPECT_TRUE(names.hits.empty()) << join(names.hits);
  // Nor does the server log any of it.
  auto logs = scan({inst->root()}, doc_markers);
  for (const auto& hit : logs.hits) {
    EXPECT_EQ(hit.find("serve-"), std::string::npos) << "the server logged a secret: " << hit;
  }
}

}  // namespace
}  // namespace baomi::testing
