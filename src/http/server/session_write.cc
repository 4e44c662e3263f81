// Session, writing side: a whole (non-streamed) response.
#include <boost/asio/write.hpp>

#include "http/server/session.h"
#include "http/server/wire.h"

namespace baomi::http::detail {

// The response is serialised into one buffer (wire.h) and leaves in one TLS write.
void Session::write_response(Response res) {
  status_ = res.status;
  auto wire = std::make_shared<std::string>(whole_response(res, version_, keep_connection()));
  pending_ = wire;
  expire_after(limits().write_timeout);
  boost::asio::async_write(
      stream_, boost::asio::buffer(*wire),
      [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->on_write(ec, n); });
}

void Session::on_write(beast::error_code ec, std::size_t n) {
  bytes_out_ += n;
  pending_.reset();
  finish_request(static_cast<bool>(ec));
}

}  // namespace baomi::http::detail
