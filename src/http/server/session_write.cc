// Session, writing side: a whole (non-streamed) response.
#include "http/server/session.h"
#include "http/server/wire.h"

namespace baomi::http::detail {

void Session::write_response(Response res) {
  status_ = res.status;
  auto msg = std::make_shared<bhttp::response<bhttp::string_body>>(
      to_beast_header<bhttp::string_body>(res, version_, keep_connection()));
  msg->body() = std::move(res.body);
  msg->prepare_payload();
  pending_ = msg;
  expire_after(limits().write_timeout);
  bhttp::async_write(
      stream_, *msg,
      [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_write(ec, n); });
}

void Session::on_write(beast::error_code ec, std::size_t n) {
  bytes_out_ += n;
  pending_.reset();
  finish_request(static_cast<bool>(ec));
}

}  // namespace baomi::http::detail
