// HTTP hardening over the real port: strict JSON input, size limits, authentication, TLS versions,
// plain HTTP, and the security headers every response carries.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

class HttpHardeningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    HttpsClient c(server_->port());
    user_ = new TestUser(make_user(c, *instance_, "hardy", "staff", "secret", {"finance"}));
    ready_ = true;
  }
  static void TearDownTestSuite() {
    delete user_;
    delete server_;
    delete instance_;
    server_ = nullptr;
    instance_ = nullptr;
    ready_ = false;
  }
  HttpsClient client() { return HttpsClient(server_->port()); }
  // Tests stop at once, instead of crashing, when the suite's set-up threw.
  void SetUp() override { ASSERT_TRUE(ready_) << "the suite's instance could not be set up"; }
  static inline bool ready_ = false;
  static TestInstance* instance_;
  static ServerProcess* server_;
  static TestUser* user_;
};
TestInstance* HttpHardeningTest::instance_ = nullptr;
ServerProcess* HttpHardeningTest::server_ = nullptr;
TestUser* HttpHardeningTest::user_ = nullptr;

// A TCP socket to the server on loopback, with a receive timeout so a silent server fails fast.
int connect_tcp(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

struct Handshake {
  bool ok = false;
  std::string version;  // negotiated protocol when ok
  std::string cipher;
  unsigned long error = 0;  // first OpenSSL error when not ok
};

// A raw OpenSSL handshake limited to exactly one protocol version.
Handshake handshake(std::uint16_t port, int version) {
  Handshake out;
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(ctx, version);
  SSL_CTX_set_max_proto_version(ctx, version);
  if (version < TLS1_2_VERSION) {
    // Let this client offer the old protocol at all (OpenSSL 3 refuses it at the default level),
    // so that it is the server that refuses.
    SSL_CTX_set_security_level(ctx, 0);
    SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
  }
  const int fd = connect_tcp(port);
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "localhost");
  ERR_clear_error();
  out.ok = SSL_connect(ssl) == 1;
  if (out.ok) {
    out.version = SSL_get_version(ssl);
    out.cipher = SSL_get_cipher_name(ssl);
  } else {
    out.error = ERR_peek_error();
  }
  SSL_free(ssl);
  close(fd);
  SSL_CTX_free(ctx);
  return out;
}

TEST_F(HttpHardeningTest, UnknownJsonFieldIs400NamingIt) {
  auto c = client();
  auto r =
      c.post_json("/api/v1/session",
                  boost::json::object{{"username", "x"}, {"password", "y"}, {"colour", "red"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.error_code(), "unknown_field");
  EXPECT_NE(r.json().at("error").at("message").as_string().find("colour"), std::string_view::npos)
      << r.body;
  auto doc = c.post_json("/api/v1/documents",
                         boost::json::object{{"title", "t"},
                                             {"level", "internal"},
                                             {"categories", boost::json::array{}},
                                             {"owner", "me"}},
                         user_->token);
  EXPECT_EQ(doc.status, 400) << doc.body;
  EXPECT_NE(doc.body.find("owner"), std::string::npos) << doc.body;
}

TEST_F(HttpHardeningTest, WrongTypeIs400NamingTheField) {
  auto c = client();
  auto r = c.post_json("/api/v1/session", boost::json::object{{"username", 42}, {"password", "y"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("username"), std::string::npos) << r.body;
  auto doc = c.post_json(
      "/api/v1/documents",
      boost::json::object{{"title", "t"}, {"level", "internal"}, {"categories", "finance"}},
      user_->token);
  EXPECT_EQ(doc.status, 400) << doc.body;
  EXPECT_NE(doc.body.find("categories"), std::string::npos) << doc.body;
  auto missing = c.post_json("/api/v1/session", boost::json::object{{"username", "x"}});
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_NE(missing.body.find("password"), std::string::npos) << missing.body;
}

TEST_F(HttpHardeningTest, MalformedJsonIs400) {
  auto c = client();
  const std::vector<std::string> bodies{"{\"username\": ",
                                        "{\"username\":\"a\",}",
                                        "[1,2]",
                                        "not json",
                                        "{\"username\":\"a\" \"password\":\"b\"}",
                                        "{\"a\":1}{\"b\":2}",
                                        "{\"username\":\"\xff\xfe\",\"password\":\"b\"}"};
  for (const auto& body : bodies) {
    auto r = c.request("POST", "/api/v1/session", body, {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_FALSE(r.error_code().empty()) << r.body;
  }
}

TEST_F(HttpHardeningTest, JsonBodyOverOneMebibyteIs413) {
  auto c = client();
  boost::json::object body{{"title", "big"},
                           {"level", "internal"},
                           {"categories", boost::json::array{}},
                           {"description", std::string(1024 * 1024 + 16, 'a')}};
  auto r = c.post_json("/api/v1/documents", body, user_->token);
  EXPECT_EQ(r.status, 413) << r.body.substr(0, 200);
  EXPECT_EQ(r.error_code(), "body_too_large");
  // The server is still fine afterwards.
  EXPECT_EQ(c.get("/healthz").status, 200);
}

TEST_F(HttpHardeningTest, NoOrBadTokenIs401) {
  auto c = client();
  for (const char* path : {"/api/v1/me", "/api/v1/documents", "/api/v1/users", "/api/v1/audit"}) {
    auto r = c.get(path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.error_code(), "unauthenticated") << path;
  }
  auto basic = c.request("GET", "/api/v1/me", {}, {{"Authorization", "Basic dXNlcjpwYXNz"}});
  EXPECT_EQ(basic.status, 401);
  auto created =
      c.post_json("/api/v1/documents",
                  boost::json::object{
                      {"title", "t"}, {"level", "public"}, {"categories", boost::json::array{}}});
  EXPECT_EQ(created.status, 401);
  auto upload = c.request("PUT", "/api/v1/documents/x/content", "data");
  EXPECT_EQ(upload.status, 401);
}

TEST_F(HttpHardeningTest, UnknownPathAndMethodAreJsonErrors) {
  auto c = client();
  auto r = c.get("/api/v1/nothing-here", user_->token);
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(r.error_code().empty()) << r.body;
  auto m = c.request("PATCH", "/api/v1/me", "{}", {{"Authorization", "Bearer " + user_->token}});
  EXPECT_EQ(m.status, 405) << m.body;
}

TEST_F(HttpHardeningTest, PlainHttpToTheTlsPortFails) {
  const int fd = connect_tcp(server_->port());
  ASSERT_GE(fd, 0);
  const std::string req = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(send(fd, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
  std::string got;
  char buf[4096];
  for (;;) {
    const auto n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  close(fd);
  EXPECT_EQ(got.find("HTTP/1.1 2"), std::string::npos) << got;
  EXPECT_EQ(got.find("\"ok\""), std::string::npos) << got;
  // The server shrugs it off.
  auto c = client();
  EXPECT_EQ(c.get("/healthz").status, 200);
}

TEST_F(HttpHardeningTest, Tls11IsRefusedTls12And13AreAccepted) {
  auto old = handshake(server_->port(), TLS1_1_VERSION);
  EXPECT_FALSE(old.ok) << "TLS 1.1 was accepted (" << old.version << ")";
  // The refusal must come from the server, not from this client being unable to offer TLS 1.1.
  EXPECT_NE(ERR_GET_REASON(old.error), SSL_R_NO_PROTOCOLS_AVAILABLE)
      << "the test's OpenSSL cannot offer TLS 1.1, so this test proves nothing";
  char text[256];
  ERR_error_string_n(old.error, text, sizeof text);
  SCOPED_TRACE(text);

  auto tls12 = handshake(server_->port(), TLS1_2_VERSION);
  EXPECT_TRUE(tls12.ok);
  EXPECT_EQ(tls12.version, "TLSv1.2");
  // AEAD suites only (DESIGN.md).
  EXPECT_TRUE(tls12.cipher.find("GCM") != std::string::npos ||
              tls12.cipher.find("CHACHA20") != std::string::npos)
      << tls12.cipher;
  auto tls13 = handshake(server_->port(), TLS1_3_VERSION);
  EXPECT_TRUE(tls13.ok);
  EXPECT_EQ(tls13.version, "TLSv1.3");
}

TEST_F(HttpHardeningTest, SecurityHeadersOnEveryResponse) {
  auto c = client();
  for (const auto& r : {c.get("/healthz"), c.get("/api/v1/me"), c.get("/api/v1/me", user_->token),
                        c.get("/api/v1/nothing", user_->token)}) {
    EXPECT_NE(r.header("strict-transport-security").find("max-age="), std::string::npos)
        << "status " << r.status;
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff") << "status " << r.status;
  }
}

TEST_F(HttpHardeningTest, ClassifiedResponsesAreNotCached) {
  auto c = client();
  auto doc = create_document(c, user_->token, "Cached?", "secret", {"finance"});
  const std::string id(doc.at("id").as_string());
  upload_content(c, user_->token, id, "secret bytes");
  auto meta = c.get("/api/v1/documents/" + id, user_->token);
  auto content = c.get("/api/v1/documents/" + id + "/content", user_->token);
  auto list = c.get("/api/v1/documents", user_->token);
  ASSERT_EQ(content.status, 200);
  for (const auto* r : {&meta, &content, &list}) {
    EXPECT_NE(r->header("cache-control").find("no-store"), std::string::npos) << r->status;
  }
  // Content is served for viewing, never as a sniffed type.
  EXPECT_EQ(content.header("x-content-type-options"), "nosniff");
}

}  // namespace
}  // namespace baomi::testing
