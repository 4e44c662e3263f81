// The `baomi` client's pure parts: addresses, query strings, terminal-safe aligned tables,
// JSON cells, download files that appear only when complete, and content types.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "client/endpoint.h"
#include "client/errors.h"
#include "client/files.h"
#include "client/json_text.h"
#include "client/table.h"

namespace baomi::client {
namespace {

namespace fs = std::filesystem;

TEST(ClientAddress, ParsesHostsPortsAndIpLiterals) {
  auto a = parse_address("https://127.0.0.1:8443");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8443);
  EXPECT_TRUE(a->host_is_ip);
  EXPECT_EQ(a->text(), "127.0.0.1:8443");

  auto b = parse_address("https://baomi.example.com/");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 443);
  EXPECT_FALSE(b->host_is_ip);

  auto c = parse_address("https://[::1]:9000");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_TRUE(c->host_is_ip);
  EXPECT_EQ(c->text(), "[::1]:9000");
}

TEST(ClientAddress, RefusesWhatIsNotAnHttpsServerAddress) {
  for (const char* bad :
       {"http://127.0.0.1:8443", "127.0.0.1:8443", "https://", "https://h:0", "https://h:70000",
        "https://h:12x", "https://h/api/v1", "https://user@h", "https://[::1", "https://h:"}) {
    auto r = parse_address(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(is_client_error(r.error())) << bad;
    EXPECT_EQ(exit_code_of(r.error()), kExitUsage) << bad;
    EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
  }
  EXPECT_NE(parse_address("http://h").error().message.find("HTTPS only"), std::string::npos);
}

TEST(ClientQuery, EncodesValuesAndSkipsEmptyOnes) {
  EXPECT_EQ(percent_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(query_string({{"actor", "-"}, {"action", ""}, {"from", "2026-01-01T00:00:00+08:00"}}),
            "?actor=-&from=2026-01-01T00%3A00%3A00%2B08%3A00");
  EXPECT_EQ(query_string({{"x", ""}}), "");
}

TEST(ClientErrors, ServerRefusalsAreExitOneClientProblemsExitTwo) {
  EXPECT_EQ(exit_code_of(Error::forbidden("need_to_know", "no", "S6")), kExitRefused);
  EXPECT_EQ(exit_code_of(client_error("unreachable", "x")), kExitUsage);
}

TEST(ClientTable, CountsChineseAsTwoColumnsAndAligns) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("秘密"), 4u);
  EXPECT_EQ(display_width("，１"), 4u);  // full-width forms
  Table t({"ID", "TITLE", "LEVEL"});
  t.add({"1", "重点客户名单", "secret"});
  t.add({"22", "plan", "internal"});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str(),
            "ID  TITLE         LEVEL\n"
            "1   重点客户名单  secret\n"
            "22  plan          internal\n");
}

TEST(ClientTable, EmptyTableSaysNone) {
  Table t({"A"});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str(), "(none)\n");
}

TEST(ClientTable, HostileTextCannotDriveTheTerminal) {
  // An escape sequence (clear screen), a bidi override, fingerprint selectors and a bad byte.
  const std::string hostile = "a\x1b[2Jb\u202Ec\uFE04d\xff";
  EXPECT_EQ(terminal_safe(hostile), "a?[2Jb?cd\uFFFD");
  EXPECT_EQ(terminal_safe("line one\nline two"), "line one line two");
  Table t({"X"});
  t.add({hostile});
  std::ostringstream out;
  t.print(out);
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos);
}

TEST(ClientJsonText, FieldsReadAsText) {
  auto v = boost::json::parse(
      R"({"s":"x","n":3,"b":true,"z":null,"a":["p","q"],"t":"2026-12-06T11:47:15.123456Z",)"
      R"("size":1536,"o":{"k":1}})");
  const auto& o = v.as_object();
  EXPECT_EQ(text_of(o, "s"), "x");
  EXPECT_EQ(text_of(o, "n"), "3");
  EXPECT_EQ(text_of(o, "b"), "true");
  EXPECT_EQ(text_of(o, "z"), "-");
  EXPECT_EQ(text_of(o, "missing"), "-");
  EXPECT_EQ(text_of(o, "a"), "p,q");
  EXPECT_EQ(text_of(o, "o"), R"({"k":1})");
  EXPECT_EQ(time_of(o, "t"), "2026-12-06T11:47:15Z");
  EXPECT_EQ(size_of(o, "size"), "1.5 KiB");
  EXPECT_EQ(size_of(o, "z"), "-");
}

class ClientFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("baomi-client-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
};

TEST_F(ClientFiles, ADownloadAppearsOnlyWhenCommitted) {
  const fs::path target = dir_ / "out.bin";
  {
    auto f = DownloadFile::create(target);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE(f->write("half", 4).ok());
    EXPECT_FALSE(fs::exists(target));
  }  // abandoned: the partial file is removed
  EXPECT_EQ(entries(), 0u);
  {
    auto f = DownloadFile::create(target);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE(f->write("whole", 5).ok());
    ASSERT_TRUE(f->commit().ok());
  }
  std::ifstream in(target);
  std::string text;
  in >> text;
  EXPECT_EQ(text, "whole");
  EXPECT_EQ(fs::status(target).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);  // 0600: maybe classified
  EXPECT_EQ(entries(), 1u);
}

TEST_F(ClientFiles, ContentTypesAndAttachmentNames) {
  EXPECT_EQ(content_type_for("leak.TXT"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("rows.csv"), "text/csv; charset=utf-8");
  EXPECT_EQ(content_type_for("scan.pdf"), "application/pdf");
  EXPECT_EQ(content_type_for("blob"), "application/octet-stream");
  EXPECT_EQ(attachment_name(R"(attachment; filename="BM-000042-7.pdf")"), "BM-000042-7.pdf");
  EXPECT_EQ(attachment_name(R"(attachment; filename="../../etc/passwd")"), "");
  EXPECT_EQ(attachment_name(R"(attachment; filename="a/b.txt")"), "a_b.txt");
  EXPECT_EQ(attachment_name("inline"), "");
}

}  // namespace
}  // namespace baomi::client
