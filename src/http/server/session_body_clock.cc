// Session, body clock: the minimum-rate rule and the JSON body deadline (see limits.h), so that a
// client trickling a body cannot hold a connection (issue 16, attack 1). Runs on the strand.
#include <algorithm>

#include "http/server/session.h"

namespace baomi::http::detail {

void Session::start_body_clock(bool whole_body) {
  const auto now = std::chrono::steady_clock::now();
  body_clock_running_ = true;
  body_due_ = now + limits().body_rate_grace;
  body_final_due_ =
      whole_body ? now + limits().json_body_timeout : std::chrono::steady_clock::time_point::max();
  body_paused_at_ = now;
}

void Session::arm_body_read() {
  if (!body_clock_running_) start_body_clock(false);
  const auto now = std::chrono::steady_clock::now();
  body_due_ += now - body_paused_at_;  // the handler's time between reads is not the client's
  beast::get_lowest_layer(stream_).expires_at(std::min(body_due_, body_final_due_));
}

void Session::credit_body(std::size_t bytes) {
  using namespace std::chrono;
  const auto now = steady_clock::now();
  body_paused_at_ = now;
  const auto earned = duration_cast<steady_clock::duration>(
      duration<double>(static_cast<double>(bytes) / static_cast<double>(limits().body_min_rate)));
  body_due_ = std::min(now + limits().body_rate_grace, body_due_ + earned);
}

}  // namespace baomi::http::detail
