#include "http/server/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "http/server/server_shared.h"
#include "http/server/session.h"
#include "http/server/tls.h"

namespace baomi::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Server::Impl {
  Impl(ServerConfig c, std::shared_ptr<const Router> r)
      : config(std::move(c)), router(std::move(r)) {
    if (!config.access_log) config.access_log = log_to_stderr;
  }

  Result<void> bind();
  void do_accept();
  void on_accept(boost::system::error_code ec, tcp::socket socket);
  void admit(tcp::socket socket);
  void flush_refusals_later();
  void shut_down();

  ServerConfig config;
  std::shared_ptr<const Router> router;
  std::shared_ptr<net::ssl::context> tls;
  std::unique_ptr<detail::WorkerPool> workers;
  std::unique_ptr<detail::ServerShared> shared;  // outlives ioc: dying sessions deregister
  net::io_context ioc;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::optional<net::steady_timer> retry_timer;
  std::optional<net::steady_timer> refusal_flush_timer;
  std::vector<std::thread> io_threads;
  std::uint16_t port = 0;

  enum class State { kNew, kRunning, kStopping, kStopped };
  mutable std::mutex mu;
  std::condition_variable cv;
  State state = State::kNew;
};

Result<void> Server::Impl::bind() {
  boost::system::error_code ec;
  auto address = net::ip::make_address(config.listen_address, ec);
  if (ec)
    return Error::invalid("listen_address", "invalid listen address " + config.listen_address);
  tcp::endpoint endpoint(address, config.port);
  std::string where = config.listen_address + ":" + std::to_string(config.port);
  acceptor.emplace(net::make_strand(ioc));
  if (acceptor->open(endpoint.protocol(), ec) ||
      acceptor->set_option(net::socket_base::reuse_address(true), ec) ||
      acceptor->bind(endpoint, ec) ||
      acceptor->listen(net::socket_base::max_listen_connections, ec)) {
    return Error::unavailable("cannot listen on " + where + ": " + ec.message());
  }
  port = acceptor->local_endpoint().port();
  retry_timer.emplace(acceptor->get_executor());
  refusal_flush_timer.emplace(acceptor->get_executor());
  return {};
}

void Server::Impl::do_accept() {
  acceptor->async_accept(net::make_strand(ioc),
                         [this](boost::system::error_code ec, tcp::socket socket) {
                           on_accept(ec, std::move(socket));
                         });
}

void Server::Impl::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (!acceptor->is_open()) return;  // stopping
  if (ec) {
    // E.g. out of file descriptors: back off briefly instead of spinning.
    retry_timer->expires_after(std::chrono::milliseconds(50));
    retry_timer->async_wait([this](boost::system::error_code wait_ec) {
      if (!wait_ec && acceptor->is_open()) do_accept();
    });
    return;
  }
  admit(std::move(socket));
  do_accept();
}

// A source at its cap, or a full server, gets the connection closed at once: no TLS handshake,
// no memory, nothing the client could hold (issue 16, attack 1).
void Server::Impl::admit(tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  std::string source = source_key(remote.address());
  auto admission = shared->limiter.admit(source);
  if (admission.refused) {
    shared->refuse(source, *admission.refused);
    socket.close(ec);
    return;
  }
  std::make_shared<detail::Session>(std::move(socket), *shared, std::move(admission.slot))->run();
}

// Refusals the log held back are written once their interval has passed, even if the source
// then goes quiet.
void Server::Impl::flush_refusals_later() {
  refusal_flush_timer->expires_after(std::chrono::seconds(1));
  refusal_flush_timer->async_wait([this](boost::system::error_code ec) {
    if (ec || !acceptor->is_open()) return;
    shared->refusal_log.flush(std::chrono::steady_clock::now());
    flush_refusals_later();
  });
}

Server::Server(ServerConfig config, std::shared_ptr<const Router> router)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(router))) {}

Server::~Server() { stop(); }

Result<void> Server::start() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.mu);
    if (s.state != Impl::State::kNew) return Error::internal("server already started");
  }
  BAOMI_ASSIGN_OR_RETURN(s.tls, make_server_tls_context(s.config.cert_file, s.config.key_file));
  BAOMI_TRY(s.bind());
  s.workers = std::make_unique<detail::WorkerPool>(
      static_cast<std::size_t>(std::max(1, s.config.worker_threads)));
  RefusalLog::Sink refusal_sink = s.config.refusal_log;
  if (!refusal_sink) refusal_sink = log_line_to_stderr;
  s.shared = std::make_unique<detail::ServerShared>(*s.router, s.config.limits, *s.tls, *s.workers,
                                                    s.config.access_log, std::move(refusal_sink),
                                                    s.config.refusal_log_interval);
  for (const auto& text : s.config.proxy_protocol_from) {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(text, ec);
    if (ec) return Error::invalid("proxy_protocol_from", "not an IP address: " + text);
    s.shared->proxy_sources.push_back(address);
  }
  s.work.emplace(s.ioc.get_executor());
  int n = s.config.io_threads > 0
              ? s.config.io_threads
              : std::max(2, static_cast<int>(std::thread::hardware_concurrency()));
  net::post(s.acceptor->get_executor(), [&s] {
    s.do_accept();
    s.flush_refusals_later();
  });
  for (int i = 0; i < n; ++i) s.io_threads.emplace_back([&s] { s.ioc.run(); });
  std::lock_guard lock(s.mu);
  s.state = Impl::State::kRunning;
  return {};
}

std::uint16_t Server::port() const { return impl_->port; }

void Server::Impl::shut_down() {
  std::promise<void> closed;
  net::post(acceptor->get_executor(), [this, &closed] {
    boost::system::error_code ignored;
    acceptor->close(ignored);
    retry_timer->cancel();
    refusal_flush_timer->cancel();
    closed.set_value();
  });
  closed.get_future().wait();
  shared->begin_stop();
  for (auto& s : shared->snapshot()) s->request_stop();
  if (!shared->wait_empty(
          std::chrono::duration_cast<std::chrono::milliseconds>(config.shutdown_grace))) {
    for (auto& s : shared->snapshot()) s->force_close();
    shared->wait_empty(std::chrono::seconds(1));
  }
  work.reset();
  ioc.stop();
  for (auto& t : io_threads) t.join();
  io_threads.clear();
  // Workers still blocked on a socket operation that will now never run: wake them.
  for (auto& s : shared->snapshot()) s->abort_waits();
  workers->join();
  shared->refusal_log.flush(std::chrono::steady_clock::now(), true);
}

void Server::stop() {
  Impl& s = *impl_;
  {
    std::unique_lock lock(s.mu);
    if (s.state == Impl::State::kNew) {
      s.state = Impl::State::kStopped;
      s.cv.notify_all();
      return;
    }
    if (s.state != Impl::State::kRunning) {
      s.cv.wait(lock, [&s] { return s.state == Impl::State::kStopped; });
      return;
    }
    s.state = Impl::State::kStopping;
  }
  s.shut_down();
  std::lock_guard lock(s.mu);
  s.state = Impl::State::kStopped;
  s.cv.notify_all();
}

void Server::wait() {
  Impl& s = *impl_;
  std::unique_lock lock(s.mu);
  s.cv.wait(lock,
            [&s] { return s.state == Impl::State::kStopped || s.state == Impl::State::kNew; });
}

ServerStats Server::stats() const {
  ServerStats st;
  if (!impl_->shared) return st;
  auto& sh = *impl_->shared;
  st.connections_active = sh.limiter.open();
  st.connections_total = sh.connections_total.load();
  for (std::size_t i = 0; i < kRefusalKinds; ++i) st.connections_refused[i] = sh.refused[i].load();
  st.requests = sh.requests.load();
  st.peak_read_buffer_bytes = sh.peak_read_buffer.load();
  return st;
}

}  // namespace baomi::http
