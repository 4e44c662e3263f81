// TLS policy as seen by real clients: TLS 1.2+ with AEAD suites only; plaintext refused.
#include <gtest/gtest.h>

#include "unit/http_server/test_client.h"
#include "unit/http_server/test_server.h"

namespace baomi::http::testing {
namespace {

class TlsPolicyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server = new TestServer(); }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static TestServer* server;
};
TestServer* TlsPolicyTest::server = nullptr;

TEST_F(TlsPolicyTest, Tls13Accepted) {
  TlsClient c(server->port(), {.min_version = TLS1_3_VERSION});
  ASSERT_FALSE(c.connect());
  EXPECT_STREQ(SSL_get_version(c.stream().native_handle()), "TLSv1.3");
  EXPECT_EQ(c.request("GET", "/healthz").result_int(), 200);
}

TEST_F(TlsPolicyTest, Tls12AeadAccepted) {
  TlsClient c(server->port(),
              {.max_version = TLS1_2_VERSION, .ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384"});
  ASSERT_FALSE(c.connect());
  EXPECT_STREQ(SSL_get_version(c.stream().native_handle()), "TLSv1.2");
}

TEST_F(TlsPolicyTest, Tls11ClientRefused) {
  TlsClient c(server->port(), {.min_version = TLS1_1_VERSION,
                               .max_version = TLS1_1_VERSION,
                               .ciphers = "ALL:@SECLEVEL=0",
                               .lowest_security = true});
  EXPECT_TRUE(c.connect());
}

TEST_F(TlsPolicyTest, Tls12NonAeadSuiteRefused) {
  TlsClient c(server->port(), {.max_version = TLS1_2_VERSION,
                               .ciphers = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA",
                               .lowest_security = true});
  EXPECT_TRUE(c.connect());
}

TEST_F(TlsPolicyTest, PlainHttpRefused) {
  std::string got = plain_exchange(server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(got.rfind("HTTP/", 0), std::string::npos) << got;
  EXPECT_EQ(got.find("\"status\""), std::string::npos);
}

}  // namespace
}  // namespace baomi::http::testing
