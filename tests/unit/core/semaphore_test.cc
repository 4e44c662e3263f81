#include "core/semaphore.h"

#include <gtest/gtest.h>

#include <thread>

namespace baomi {
namespace {

TEST(Semaphore, APostMadeBeforeTheWaitIsKept) {
  Semaphore s;
  s.post();
  s.wait();  // returns at once: the post was counted
  SUCCEED();
}

TEST(Semaphore, TheWaiterSeesWhatThePosterWroteBeforePosting) {
  for (int round = 0; round < 200; ++round) {
    int value = 0;
    Semaphore s;
    std::thread poster([&] {
      value = round + 1;
      s.post();
    });
    s.wait();
    EXPECT_EQ(value, round + 1);
    poster.join();
  }
}

}  // namespace
}  // namespace baomi
