// Request framing (RFC 9112 §6.1, §6.3): only one Content-Length or exactly `chunked`.
#include "http/server/framing.h"

#include <gtest/gtest.h>

namespace baomi::http {
namespace {

TEST(FramingTest, ContentLengthAloneOrNothingIsSound) {
  EXPECT_FALSE(framing_problem(11, {}, true));
  EXPECT_FALSE(framing_problem(11, {}, false));
  EXPECT_FALSE(framing_problem(10, {}, true));
}

TEST(FramingTest, ExactlyChunkedIsSoundInAnyCase) {
  for (std::string_view v : {"chunked", "Chunked", "CHUNKED", " chunked\t"}) {
    EXPECT_FALSE(framing_problem(11, {v}, false)) << v;
  }
}

TEST(FramingTest, AnyOtherTransferEncodingIsRefused) {
  for (std::string_view v : {"chunked, identity", "identity", "xchunked", "chunked;x=1",
                             "gzip, chunked", "chunked,", ",chunked", "", "chunked chunked"}) {
    EXPECT_TRUE(framing_problem(11, {v}, false)) << "'" << v << "'";
  }
}

TEST(FramingTest, TwoTransferEncodingFieldsAreRefused) {
  EXPECT_TRUE(framing_problem(11, {"gzip", "chunked"}, false));
  EXPECT_TRUE(framing_problem(11, {"chunked", "chunked"}, false));
}

TEST(FramingTest, TransferEncodingWithContentLengthIsRefused) {
  auto problem = framing_problem(11, {"chunked"}, true);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("Content-Length"), std::string::npos) << *problem;
}

TEST(FramingTest, TransferEncodingInHttp10IsRefused) {
  EXPECT_TRUE(framing_problem(10, {"chunked"}, false));
}

}  // namespace
}  // namespace baomi::http
