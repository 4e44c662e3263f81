// Slow and oversized clients cannot pin connections or memory.
#include <gtest/gtest.h>

#include <chrono>

#include "unit/http_server/test_client.h"
#include "unit/http_server/test_server.h"

namespace baomi::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Limits limits;
    limits.header_timeout = std::chrono::seconds(1);
    limits.idle_keepalive_timeout = std::chrono::seconds(1);
    limits.body_rate_grace = std::chrono::seconds(1);
    limits.handshake_timeout = std::chrono::seconds(1);
    limits.max_header_bytes = 4096;
    limits.max_connections = 8;
    server = new TestServer(limits);
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  static double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  }
  static TestServer* server;
};
TestServer* LimitsTest::server = nullptr;

TEST_F(LimitsTest, HalfHeaderThenStallIsDisconnectedAfterHeaderTimeout) {
  TlsClient c(server->port(), {}, std::chrono::seconds(10));
  ASSERT_FALSE(c.connect());
  auto start = Clock::now();
  ASSERT_FALSE(c.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n"));
  auto [ec, got] = c.read_until_closed();
  double waited = seconds_since(start);
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, beast::error::timeout) << "client deadline hit: server never closed";
  EXPECT_TRUE(got.empty());
  EXPECT_GE(waited, 0.8);
  EXPECT_LT(waited, 4.0);
}

TEST_F(LimitsTest, TricklingHeaderDoesNotResetTheClock) {
  TlsClient c(server->port(), {}, std::chrono::seconds(10));
  ASSERT_FALSE(c.connect());
  auto start = Clock::now();
  beast::error_code ec;
  // One header byte every 200 ms never completes within the 1 s header budget.
  std::string header = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaa\r\n";
  for (char ch : header) {
    ec = c.write(&ch, 1);
    if (ec) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (seconds_since(start) > 4) break;
  }
  if (!ec) ec = c.read_until_closed().first;
  EXPECT_TRUE(ec);
  EXPECT_LT(seconds_since(start), 4.0);
}

TEST_F(LimitsTest, IdleKeepAliveConnectionIsClosed) {
  TlsClient c(server->port(), {}, std::chrono::seconds(10));
  ASSERT_FALSE(c.connect());
  EXPECT_EQ(c.request("GET", "/healthz").result_int(), 200);
  auto start = Clock::now();
  auto [ec, got] = c.read_until_closed();
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, beast::error::timeout);
  EXPECT_LT(seconds_since(start), 4.0);
}

TEST_F(LimitsTest, StalledStreamBodyFailsAfterBodyIdleTimeout) {
  TlsClient c(server->port(), {}, std::chrono::seconds(10));
  ASSERT_FALSE(c.connect());
  auto start = Clock::now();
  ASSERT_FALSE(
      c.write("PUT /api/v1/documents/d/content HTTP/1.1\r\nHost: x\r\n"
              "Content-Length: 1000\r\n\r\nonly-a-little"));
  auto [ec, got] = c.read_until_closed();
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, beast::error::timeout);
  EXPECT_LT(seconds_since(start), 4.0);
}

TEST_F(LimitsTest, OversizedHeaderIs431) {
  TlsClient c(server->port());
  ASSERT_FALSE(c.connect());
  std::string big =
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n";
  ASSERT_FALSE(c.write(big));
  StringResponse r;
  ASSERT_FALSE(c.read(r));
  EXPECT_EQ(r.result_int(), 431);
  EXPECT_FALSE(r.keep_alive());
}

TEST_F(LimitsTest, HandshakeNeverStartedIsDropped) {
  auto start = Clock::now();
  // Connect and say nothing: the handshake timeout closes the socket.
  std::string got = plain_exchange(server->port(), "");
  EXPECT_TRUE(got.empty());
  EXPECT_LT(seconds_since(start), 4.0);
}

TEST_F(LimitsTest, ConnectionsBeyondMaxAreRefused) {
  std::vector<std::unique_ptr<TlsClient>> held;
  for (int i = 0; i < 8; ++i) {
    held.push_back(std::make_unique<TlsClient>(server->port()));
    ASSERT_FALSE(held.back()->connect());
  }
  TlsClient extra(server->port(), {}, std::chrono::seconds(5));
  EXPECT_TRUE(extra.connect());  // accepted then closed at once: the handshake fails
  held.clear();
}

}  // namespace
}  // namespace baomi::http::testing
