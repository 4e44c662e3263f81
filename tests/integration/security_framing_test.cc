// Request smuggling over the real port (issue 16, attack 3): a request whose framing a proxy in
// front could read differently (Transfer-Encoding other than exactly `chunked`, both
// Transfer-Encoding and Content-Length, disagreeing or malformed Content-Length) is answered 400
// and the connection closed, so the bytes after it never run as a second request (RFC 9112 §6.3).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/harness.h"
#include "integration/raw_tls.h"

namespace baomi::testing {
namespace {

class SmugglingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete instance_;
    server_ = nullptr;
    instance_ = nullptr;
  }
  static inline TestInstance* instance_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
};

// The smuggled request: answered 200 by anyone, so any answer to it shows it ran.
const std::string kSmuggled = "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n";
const std::string kLogin = R"({"username":"nobody","password":"wrong"})";

std::string head(std::string_view version, std::string_view framing) {
  return "POST /api/v1/session " + std::string(version) +
         "\r\nHost: localhost\r\nContent-Type: application/json\r\n" + std::string(framing) +
         "\r\n";
}
std::string length_of(const std::string& s) { return std::to_string(s.size()); }
std::string chunked(const std::string& body) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx", body.size());
  return std::string(size) + "\r\n" + body + "\r\n0\r\n\r\n";
}

struct Payload {
  const char* name;
  std::string bytes;
};

std::vector<Payload> payloads() {
  const std::string cl = "Content-Length: " + length_of(kLogin) + "\r\n";
  return {
      {"te_chunked_identity_with_cl",
       head("HTTP/1.1", "Transfer-Encoding: chunked, identity\r\n" + cl) + kLogin + kSmuggled},
      {"te_identity_with_cl",
       head("HTTP/1.1", "Transfer-Encoding: identity\r\n" + cl) + kLogin + kSmuggled},
      {"te_xchunked_with_cl",
       head("HTTP/1.1", "Transfer-Encoding: xchunked\r\n" + cl) + kLogin + kSmuggled},
      {"cl_then_te_identity",
       head("HTTP/1.1", cl + "Transfer-Encoding: identity\r\n") + kLogin + kSmuggled},
      {"te_chunked_identity_alone",
       head("HTTP/1.1", "Transfer-Encoding: chunked, identity\r\n") + kSmuggled},
      {"te_identity_alone", head("HTTP/1.1", "Transfer-Encoding: identity\r\n") + kSmuggled},
      {"te_chunked_with_cl",
       head("HTTP/1.1", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n" +
           kSmuggled},
      {"cl_then_te_chunked",
       head("HTTP/1.1", "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n" +
           kSmuggled},
      {"te_gzip_then_te_chunked",
       head("HTTP/1.1", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n") +
           chunked(kLogin) + kSmuggled},
      {"te_chunked_twice",
       head("HTTP/1.1", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") +
           chunked(kLogin) + kSmuggled},
      {"te_with_space_before_colon",
       head("HTTP/1.1", "Transfer-Encoding : chunked\r\n" + cl) + kLogin + kSmuggled},
      {"te_chunked_in_http10",
       head("HTTP/1.0", "Transfer-Encoding: chunked\r\n") + chunked(kLogin) + kSmuggled},
      {"cl_disagreeing",
       head("HTTP/1.1", cl + "Content-Length: " + std::to_string(kLogin.size() + 10) + "\r\n") +
           kLogin + kSmuggled},
      {"cl_list_disagreeing",
       head("HTTP/1.1", "Content-Length: " + length_of(kLogin) + ", 1\r\n") + kLogin + kSmuggled},
      {"cl_malformed", head("HTTP/1.1", "Content-Length: 4x\r\n") + kLogin + kSmuggled},
      {"cl_negative", head("HTTP/1.1", "Content-Length: -1\r\n") + kLogin + kSmuggled},
      {"cl_plus_sign",
       head("HTTP/1.1", "Content-Length: +" + length_of(kLogin) + "\r\n") + kLogin + kSmuggled},
  };
}

// Responses in `text`: status lines, at its start or after a line break.
std::size_t responses_in(const std::string& text) {
  std::size_t n = text.rfind("HTTP/1.", 0) == 0 ? 1 : 0;
  for (auto at = text.find("\nHTTP/1."); at != std::string::npos;
       at = text.find("\nHTTP/1.", at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(SmugglingTest, AmbiguousFramingIs400AndClosesAndTheSmuggledRequestNeverRuns) {
  for (const auto& p : payloads()) {
    SCOPED_TRACE(p.name);
    RawTls conn(server_->port());
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.send(p.bytes));
    const auto got = conn.read_until_closed();
    EXPECT_TRUE(got.closed) << "the server kept the connection open";
    ASSERT_GT(got.bytes.size(), 13u) << "no answer";
    EXPECT_EQ(got.bytes.substr(0, 5), "HTTP/");
    EXPECT_EQ(got.bytes.substr(8, 5), " 400 ") << got.bytes;
    EXPECT_NE(got.bytes.find("\"bad_request\""), std::string::npos) << got.bytes;
    if (got.bytes.rfind("HTTP/1.1", 0) == 0) {
      EXPECT_NE(got.bytes.find("Connection: close"), std::string::npos) << got.bytes;
    }
    // Exactly one answer: the smuggled request was never read as a request.
    EXPECT_EQ(responses_in(got.bytes), 1u) << got.bytes;
    EXPECT_EQ(got.bytes.find("\"ok\""), std::string::npos) << got.bytes;
  }
}

TEST_F(SmugglingTest, SoundFramingStillWorksAndKeepsTheConnection) {
  // The controls: plain Content-Length and exactly `chunked` are answered (401: wrong password)
  // and the pipelined second request is answered too.
  for (const std::string& framed :
       {head("HTTP/1.1", "Content-Length: " + length_of(kLogin) + "\r\n") + kLogin,
        head("HTTP/1.1", "Transfer-Encoding: Chunked\r\n") + chunked(kLogin)}) {
    RawTls conn(server_->port());
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(conn.send(framed + "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: "
                                   "close\r\n\r\n"));
    const auto got = conn.read_until_closed();
    EXPECT_TRUE(got.closed);
    EXPECT_EQ(got.bytes.rfind("HTTP/1.1 401 ", 0), 0u) << got.bytes;
    EXPECT_NE(got.bytes.find("HTTP/1.1 200 "), std::string::npos) << got.bytes;
  }
  HttpsClient c(server_->port());
  EXPECT_EQ(c.get("/healthz").status, 200);
}

}  // namespace
}  // namespace baomi::testing
