// At rest nothing classified is in the clear (DESIGN.md "Storage never sees plaintext"): unique
// markers put into a title, a description, the content and an account's name are then looked for
// in every byte of every file under the instance's data and key directories, and on PostgreSQL
// also in every file of the server's cluster (tables, WAL) and in a pg_dump of the database.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "integration/harness.h"
#include "support/postgres.h"

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

// `pg_dump --data-only` of the instance's database (the scratch server's own pg_dump).
std::string pg_dump_of(const TestInstance& inst) {
  const auto scratch = postgres_scratch_dir();
  if (!scratch)
    throw std::runtime_error("pg_dump needs the scratch server (BAOMI_TEST_POSTGRES_DIR)");
  std::ifstream bindir_file(*scratch / "bindir");
  std::string bindir;
  std::getline(bindir_file, bindir);
  FILE* p =
      popen((bindir + "/pg_dump --data-only '" + inst.database_url() + "' 2>&1").c_str(), "r");
  std::string out;
  char buf[65536];
  while (const std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  if (pclose(p) != 0) throw std::runtime_error("pg_dump failed: " + out.substr(0, 500));
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
  EXPECT_GE(stopped.files, 6) << "policy and five key files (and the SQLite database) expected";
  EXPECT_TRUE(stopped.hits.empty()) << join(stopped.hits);
  // Account names are sealed too (users.sealed_username).
  auto names = scan({inst->data(), inst->keys()}, {user_marker});
  EXPECT_TRUE(names.hits.empty()) << join(names.hits);
  if (!inst->on_postgres()) {
    EXPECT_GT(stopped.bytes, content.size()) << "the content must be somewhere on disk";
    EXPECT_TRUE(std::filesystem::exists(inst->data() / "baomi.db"));
  } else {
    EXPECT_FALSE(std::filesystem::exists(inst->data() / "baomi.db")) << "rows go to PostgreSQL";
    // The server's own files (tables, indexes, WAL) once dirty pages are flushed, and what a
    // backup of the database holds.
    ASSERT_EQ(postgres_admin_exec("CHECKPOINT"), "");
    std::vector<std::string> all_markers = doc_markers;
    all_markers.push_back(user_marker);
    auto cluster = scan({*postgres_scratch_dir() / "data"}, all_markers);
    EXPECT_GT(cluster.bytes, content.size()) << "the content must be somewhere in the cluster";
    EXPECT_TRUE(cluster.hits.empty()) << join(cluster.hits);
    const std::string dump = pg_dump_of(*inst);
    EXPECT_GT(dump.size(), content.size()) << "the dump must hold the content's ciphertext";
    EXPECT_NE(dump.find("document.create"), std::string::npos) << "the dump holds the trail";
    for (const auto& m : all_markers) {
      EXPECT_EQ(dump.find(m), std::string::npos) << "pg_dump shows " << m;
    }
  }
  // Nor does the server log any of it.
  auto logs = scan({inst->root()}, doc_markers);
  for (const auto& hit : logs.hits) {
    EXPECT_EQ(hit.find("serve-"), std::string::npos) << "the server logged a secret: " << hit;
  }
}

}  // namespace
}  // namespace baomi::testing
