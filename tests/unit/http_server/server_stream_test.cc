// Streaming request and response bodies in bounded memory.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "unit/http_server/test_client.h"
#include "unit/http_server/test_server.h"

namespace baomi::http::testing {
namespace {

constexpr std::uint64_t kFiftyMb = 50ull << 20;

class StreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Limits limits;
    limits.max_content_body = 64ull << 20;
    server = new TestServer(limits);
  }
  static void TearDownTestSuite() {
    delete server;
    server = nullptr;
  }
  void SetUp() override { ASSERT_FALSE(client.connect()); }

  // Sends `size` pattern bytes to the hashing route, sized or chunked; returns the reply.
  StringResponse upload(std::uint64_t size, bool chunked, std::string* client_hash) {
    bhttp::request<bhttp::empty_body> req(bhttp::verb::put, "/api/v1/documents/d1/content", 11);
    req.set(bhttp::field::host, "localhost");
    if (chunked) {
      req.chunked(true);
    } else {
      req.content_length(size);
    }
    bhttp::request_serializer<bhttp::empty_body> sr(req);
    if (client.run([&](auto h) { bhttp::async_write_header(client.stream(), sr, h); })) {
      throw std::runtime_error("header write failed");
    }
    std::vector<std::uint8_t> buf(256 * 1024);
    Sha256 sha;
    for (std::uint64_t off = 0; off < size;) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size - off));
      fill_pattern(buf.data(), n, off);
      sha.update(buf.data(), n);
      net::const_buffer piece(buf.data(), n);
      auto ec = chunked ? client.run([&](auto h) {
        net::async_write(client.stream(), bhttp::make_chunk(piece), h);
      })
                        : client.write(buf.data(), n);
      if (ec) throw std::runtime_error("body write failed: " + ec.message());
      off += n;
    }
    if (chunked) {
      client.run([&](auto h) { net::async_write(client.stream(), bhttp::make_chunk_last(), h); });
    }
    *client_hash = sha.hex();
    StringResponse res;
    if (auto ec = client.read(res)) throw std::runtime_error("read failed: " + ec.message());
    return res;
  }

  static TestServer* server;
  TlsClient client{server->port()};
};
TestServer* StreamTest::server = nullptr;

TEST_F(StreamTest, FiftyMegabyteUploadArrivesIntactWithBoundedBuffers) {
  std::string sent_hash;
  auto res = upload(kFiftyMb, false, &sent_hash);
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto v = boost::json::parse(res.body());
  EXPECT_EQ(v.at("size").to_number<std::uint64_t>(), kFiftyMb);
  EXPECT_EQ(v.at("sha256"), sent_hash.c_str());
  EXPECT_EQ(v.at("id"), "d1");
  // Streams, not buffers: the server never held more than a small read buffer.
  EXPECT_LT(server->server().stats().peak_read_buffer_bytes, 256u * 1024);
  // And the connection stays usable.
  EXPECT_EQ(client.request("GET", "/healthz").result_int(), 200);
}

TEST_F(StreamTest, ChunkedUploadArrivesIntact) {
  std::string sent_hash;
  auto res = upload(5ull << 20, true, &sent_hash);
  ASSERT_EQ(res.result_int(), 200) << res.body();
  auto v = boost::json::parse(res.body());
  EXPECT_EQ(v.at("size").to_number<std::uint64_t>(), 5ull << 20);
  EXPECT_EQ(v.at("sha256"), sent_hash.c_str());
}

TEST_F(StreamTest, DeclaredBodyOverContentLimitIs413BeforeReading) {
  ASSERT_FALSE(
      client.write("PUT /api/v1/documents/d1/content HTTP/1.1\r\nHost: x\r\n"
                   "Content-Length: 104857600\r\n\r\n"));
  StringResponse res;
  ASSERT_FALSE(client.read(res));
  EXPECT_EQ(res.result_int(), 413);
  EXPECT_NE(res.body().find("body_too_large"), std::string::npos);
}

TEST_F(StreamTest, ChunkedUploadOverContentLimitFails) {
  std::string ignored;
  try {
    auto res = upload(65ull << 20, true, &ignored);
    EXPECT_EQ(res.result_int(), 413);  // the handler saw kTooLarge
  } catch (const std::runtime_error&) {
    SUCCEED();  // or the server stopped reading and closed first
  }
}

TEST_F(StreamTest, FiftyMegabyteDownloadArrivesIntactWithContentLength) {
  StringResponse res;
  bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/download?size=52428800", 11);
  req.set(bhttp::field::host, "localhost");
  ASSERT_FALSE(client.send(req));
  ASSERT_FALSE(client.read(res, 60ull << 20));
  ASSERT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[bhttp::field::content_length], "52428800");
  EXPECT_FALSE(res.chunked());
  EXPECT_EQ(res["Cache-Control"], "no-store");  // classified stream
  ASSERT_EQ(res.body().size(), kFiftyMb);
  std::vector<std::uint8_t> expect(kFiftyMb);
  fill_pattern(expect.data(), expect.size(), 0);
  EXPECT_EQ(0, std::memcmp(expect.data(), res.body().data(), expect.size()));
  EXPECT_EQ(client.request("GET", "/healthz").result_int(), 200);  // still keep-alive
}

// Buffers handed over (write_owned), mixed with small ones the writer copies, in both framings.
TEST_F(StreamTest, HandedOverBuffersArriveIntactAndInOrder) {
  for (const char* target :
       {"/download?owned=1&size=9000000", "/download-chunked?owned=1&size=3000000"}) {
    bhttp::request<bhttp::string_body> req(bhttp::verb::get, target, 11);
    req.set(bhttp::field::host, "localhost");
    ASSERT_FALSE(client.send(req));
    StringResponse res;
    ASSERT_FALSE(client.read(res, 16ull << 20)) << target;
    ASSERT_EQ(res.result_int(), 200) << target;
    const std::size_t size =
        std::string_view(target).find("9000000") != std::string_view::npos ? 9000000 : 3000000;
    ASSERT_EQ(res.body().size(), size) << target;
    std::vector<std::uint8_t> expect(size);
    fill_pattern(expect.data(), expect.size(), 0);
    EXPECT_EQ(0, std::memcmp(expect.data(), res.body().data(), expect.size())) << target;
  }
  EXPECT_EQ(client.request("GET", "/healthz").result_int(), 200);  // still keep-alive
}

TEST_F(StreamTest, DownloadWithoutLengthIsChunked) {
  bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/download-chunked?size=1000000", 11);
  req.set(bhttp::field::host, "localhost");
  ASSERT_FALSE(client.send(req));
  StringResponse res;
  ASSERT_FALSE(client.read(res));
  EXPECT_TRUE(res.chunked());
  ASSERT_EQ(res.body().size(), 1000000u);
  std::vector<std::uint8_t> expect(1000000);
  fill_pattern(expect.data(), expect.size(), 0);
  EXPECT_EQ(0, std::memcmp(expect.data(), res.body().data(), expect.size()));
}

TEST_F(StreamTest, Http10UnsizedDownloadIsDelimitedByClose) {
  ASSERT_FALSE(client.write("GET /download-chunked?size=3000 HTTP/1.0\r\nHost: x\r\n\r\n"));
  auto [ec, got] = client.read_until_closed();
  ASSERT_EQ(got.rfind("HTTP/1.0 200", 0), 0u) << got.substr(0, 100);
  EXPECT_EQ(got.find("chunked"), std::string::npos);
  auto body_start = got.find("\r\n\r\n");
  ASSERT_NE(body_start, std::string::npos);
  EXPECT_EQ(got.size() - body_start - 4, 3000u);
}

TEST_F(StreamTest, StreamErrorMidwayClosesInsteadOfPretending) {
  bhttp::request<bhttp::string_body> req(bhttp::verb::get, "/download-broken", 11);
  req.set(bhttp::field::host, "localhost");
  ASSERT_FALSE(client.send(req));
  StringResponse res;
  auto ec = client.read(res);
  // Content-Length said 1 MiB; only 100 KiB came, then the connection closed.
  EXPECT_TRUE(ec);
  EXPECT_NE(ec, beast::error::timeout);
}

}  // namespace
}  // namespace baomi::http::testing
