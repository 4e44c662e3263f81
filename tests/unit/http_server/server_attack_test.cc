// Connection exhaustion from one client (issue 16, attack 1), run against a real Server: one
// source cannot take more than its share of connections, a trickled body is cut by the minimum
// rate rule (not only by silence), a body read whole has a deadline, and every refusal is counted
// and logged, while other clients keep being served. Scaled down: caps of a few connections,
// deadlines of a second or two. No test asserts how fast anything happened.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "unit/http_server/test_client.h"
#include "unit/http_server/test_server.h"

namespace baomi::http::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The count of refusals for `why`, once it has reached `at_least` (or after a bounded wait):
// the server counts a cut connection in the handler that runs after the socket has closed, so
// the client may see the close a moment before the count moves.
std::uint64_t refused(TestServer& s, Refusal why, std::uint64_t at_least = 0) {
  auto count = [&] {
    return s.server().stats().connections_refused[static_cast<std::size_t>(why)];
  };
  for (int i = 0; i < 200 && count() < at_least; ++i) std::this_thread::sleep_for(milliseconds(50));
  return count();
}

std::unique_ptr<TlsClient> client_from(const std::string& source, std::uint16_t port) {
  TlsOptions opts;
  opts.source_address = source;
  return std::make_unique<TlsClient>(port, opts, seconds(20));
}

// Sends `piece` every `pause` until a write fails (the server cut the connection) or `give_up`
// passes (a safety stop for a broken server, not a timing assertion). True when cut.
bool trickle_until_cut(TlsClient& c, std::string_view piece, milliseconds pause, seconds give_up) {
  const auto stop = Clock::now() + give_up;
  while (Clock::now() < stop) {
    if (c.write(piece)) return true;
    std::this_thread::sleep_for(pause);
  }
  auto [ec, got] = c.read_until_closed();
  return ec && ec != beast::error::timeout;
}

Limits attack_limits() {
  Limits l;
  l.max_connections = 12;
  l.max_connections_per_address = 4;
  l.body_min_rate = 1024;
  l.body_rate_grace = seconds(1);
  l.json_body_timeout = seconds(2);
  return l;
}

TEST(ServerAttackTest, OneSourceCannotTakeMoreThanItsCapOthersAreServed) {
  Limits l = attack_limits();
  l.body_rate_grace = seconds(60);  // held connections stay for the whole test
  l.header_timeout = seconds(60);
  TestServer server(l);
  std::vector<std::unique_ptr<TlsClient>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(client_from("127.0.0.2", server.port()));
    ASSERT_FALSE(held.back()->connect()) << "connection " << i << " within the cap";
  }
  for (int i = 0; i < 6; ++i) {
    auto extra = client_from("127.0.0.2", server.port());
    EXPECT_TRUE(extra->connect()) << "connection " << i << " over the cap was accepted";
  }
  EXPECT_EQ(refused(server, Refusal::kPerAddressCap), 6u);
  // Other sources are served as usual, and keep their own allowance.
  for (int i = 0; i < 3; ++i) {
    TlsClient other(server.port());
    ASSERT_FALSE(other.connect());
    EXPECT_EQ(other.request("GET", "/healthz").result_int(), 200);
  }
  auto third = client_from("127.0.0.3", server.port());
  ASSERT_FALSE(third->connect());
  EXPECT_EQ(third->request("GET", "/healthz").result_int(), 200);
  // The refusals were logged: at once, once, with the source (rate-limited thereafter).
  const auto lines = server.refusals().lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("\"remote\":\"127.0.0.2\""), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("per_address_cap"), std::string::npos) << lines[0];
  EXPECT_LT(lines.size(), 6u);
}

TEST(ServerAttackTest, APlaceFreedByTheSourceCanBeTakenAgain) {
  Limits l = attack_limits();
  l.max_connections_per_address = 1;
  TestServer server(l);
  auto first = client_from("127.0.0.2", server.port());
  ASSERT_FALSE(first->connect());
  EXPECT_TRUE(client_from("127.0.0.2", server.port())->connect());
  first.reset();  // the client closes: the server frees its place once it notices
  bool admitted = false;
  for (int attempt = 0; attempt < 100 && !admitted; ++attempt) {
    auto again = client_from("127.0.0.2", server.port());
    admitted = !again->connect();
    if (!admitted) std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_TRUE(admitted);
}

TEST(ServerAttackTest, AFullServerRefusesAndCountsIt) {
  Limits l = attack_limits();
  l.max_connections = 4;
  l.max_connections_per_address = 4;
  l.header_timeout = seconds(60);
  TestServer server(l);
  std::vector<std::unique_ptr<TlsClient>> held;
  for (const char* source : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
    held.push_back(client_from(source, server.port()));
    ASSERT_FALSE(held.back()->connect());
  }
  EXPECT_TRUE(client_from("127.0.0.6", server.port())->connect());
  EXPECT_EQ(refused(server, Refusal::kServerFull), 1u);
  EXPECT_EQ(server.server().stats().connections_active, 4u);
}

TEST(ServerAttackTest, TrickledUploadIsCutByTheMinimumRateNotJustBySilence) {
  TestServer server(attack_limits());
  TlsClient c(server.port(), {}, seconds(20));
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(
      c.write("PUT /api/v1/documents/d/content HTTP/1.1\r\nHost: x\r\n"
              "Content-Length: 100000\r\n\r\n"));
  // 16 bytes every 100 ms: never silent for the 1 s grace, but far below 1 KiB/s.
  EXPECT_TRUE(trickle_until_cut(c, "0123456789abcdef", milliseconds(100), seconds(30)));
  EXPECT_EQ(refused(server, Refusal::kSlowBody, 1), 1u);
  // Others are still served.
  TlsClient other(server.port());
  ASSERT_FALSE(other.connect());
  EXPECT_EQ(other.request("GET", "/healthz").result_int(), 200);
}

TEST(ServerAttackTest, TrickledJsonBodyIsCut) {
  TestServer server(attack_limits());
  TlsClient c(server.port(), {}, seconds(20));
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(
      c.write("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Content-Length: 8192\r\n\r\n{\"a\":\""));
  EXPECT_TRUE(trickle_until_cut(c, "aaaaaaaa", milliseconds(100), seconds(30)));
  EXPECT_EQ(refused(server, Refusal::kSlowBody, 1), 1u);
}

TEST(ServerAttackTest, JsonBodyAboveTheRateStillHasAnOverallDeadline) {
  Limits l = attack_limits();
  l.body_min_rate = 1;  // only the overall deadline can cut this one
  l.body_rate_grace = seconds(60);
  TestServer server(l);
  TlsClient c(server.port(), {}, seconds(20));
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(
      c.write("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              "Content-Length: 100000\r\n\r\n{\"a\":\""));
  EXPECT_TRUE(trickle_until_cut(c, std::string(64, 'a'), milliseconds(100), seconds(30)));
  EXPECT_EQ(refused(server, Refusal::kSlowBody, 1), 1u);
}

TEST(ServerAttackTest, UploadAboveTheMinimumRateIsNotCut) {
  Limits l = attack_limits();
  l.body_rate_grace = seconds(10);  // generous: a loaded machine may pause the client
  TestServer server(l);
  TlsClient c(server.port(), {}, seconds(60));
  ASSERT_FALSE(c.connect());
  constexpr std::size_t kPiece = 4096;
  constexpr int kPieces = 24;
  ASSERT_FALSE(c.write("PUT /api/v1/documents/d/content HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                       std::to_string(kPiece * kPieces) + "\r\n\r\n"));
  // 4 KiB every 100 ms: about 40 KiB/s, well above 1 KiB/s, for longer than json_body_timeout.
  const std::string piece(kPiece, 'u');
  for (int i = 0; i < kPieces; ++i) {
    ASSERT_FALSE(c.write(piece)) << "piece " << i;
    std::this_thread::sleep_for(milliseconds(100));
  }
  StringResponse res;
  ASSERT_FALSE(c.read(res));
  EXPECT_EQ(res.result_int(), 200) << res.body();
  EXPECT_EQ(refused(server, Refusal::kSlowBody), 0u);
}

TEST(ServerAttackTest, HeaderAndHandshakeTimeoutsAreCounted) {
  Limits l = attack_limits();
  l.header_timeout = seconds(1);
  l.handshake_timeout = seconds(1);
  TestServer server(l);
  TlsClient c(server.port(), {}, seconds(20));
  ASSERT_FALSE(c.connect());
  ASSERT_FALSE(c.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  auto [ec, got] = c.read_until_closed();
  EXPECT_NE(ec, beast::error::timeout) << "the server never closed";
  EXPECT_EQ(refused(server, Refusal::kHeaderTimeout, 1), 1u);
  EXPECT_TRUE(plain_exchange(server.port(), "").empty());  // connects, never says hello
  EXPECT_EQ(refused(server, Refusal::kHandshakeTimeout, 1), 1u);
}

}  // namespace
}  // namespace baomi::http::testing
