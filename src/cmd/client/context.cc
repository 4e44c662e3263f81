#include "cmd/client/context.h"

#include <cstdlib>
#include <iostream>

namespace baomi::cmd::client {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

}  // namespace

void add_connection_flags(CLI::App* cmd, ConnectionOptions& options) {
  cmd->add_option("--addr", options.addr,
                  "Server address https://HOST:PORT (default $BAOMI_ADDR, else "
                  "https://127.0.0.1:8443)");
  cmd->add_option("--token", options.token,
                  "Session token (default $BAOMI_TOKEN; prefer the variable: flags show in ps)");
  cmd->add_option("--ca", options.ca,
                  "PEM file of the certificate(s) to trust for the server (default "
                  "$BAOMI_CACERT, else the system store)");
  cmd->add_option("--timeout", options.timeout_seconds, "Seconds each network step may take")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_flag("--json", options.json, "Print the server's JSON answer instead of a table");
}

std::string address_of(const ConnectionOptions& options) {
  if (!options.addr.empty()) return options.addr;
  if (auto from_env = env("BAOMI_ADDR"); !from_env.empty()) return from_env;
  return std::string(baomi::client::kDefaultAddress);
}

bool address_given(const ConnectionOptions& options) {
  return !options.addr.empty() || !env("BAOMI_ADDR").empty();
}

Result<ApiClient> connect(const ConnectionOptions& options, bool need_token) {
  BAOMI_ASSIGN_OR_RETURN(auto endpoint, baomi::client::parse_address(address_of(options)));
  std::string token = options.token.empty() ? env("BAOMI_TOKEN") : options.token;
  if (need_token && token.empty()) {
    return client_error("no_token",
                        "no token: log in with `baomi login USERNAME`, then export BAOMI_TOKEN "
                        "(or pass --token)");
  }
  baomi::client::TransportOptions transport;
  transport.ca_file = options.ca.empty() ? env("BAOMI_CACERT") : options.ca;
  transport.io_timeout = std::chrono::seconds(options.timeout_seconds);
  return ApiClient(std::move(endpoint), std::move(token), std::move(transport));
}

int fail(const Error& error) {
  std::cerr << "baomi: " << baomi::client::terminal_safe(error.message) << "\n";
  return baomi::client::exit_code_of(error);
}

int finish(const Result<Ok>& outcome) {
  if (!outcome.ok()) return fail(outcome.error());
  return baomi::client::kExitOk;
}

void print_json(const boost::json::value& value) {
  std::cout << boost::json::serialize(value) << "\n";
}

void add_list_flags(CLI::App* cmd, ListFlags& flags) {
  cmd->add_option("--limit", flags.limit, "Show at most N items")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--cursor", flags.cursor, "Start after this cursor (a next_cursor)");
  cmd->add_flag("--all", flags.all, "Follow every page");
}

void print_more_hint(const Page& page) {
  if (page.next_cursor) {
    std::cerr << "(more: rerun with --cursor " << *page.next_cursor << ", or --all)\n";
  }
}

}  // namespace baomi::cmd::client
