// What every client subcommand of `baomi` shares: where the server is and how to trust it
// (--addr/BAOMI_ADDR, --ca/BAOMI_CACERT), who is calling (--token/BAOMI_TOKEN), how to print
// (a table, or the server's JSON with --json), and the exit codes (client/errors.h: 0 done,
// 1 refused or failed by the server, 2 usage, local file, connection or certificate problem).
#pragma once

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <functional>
#include <string>

#include "client/api.h"
#include "client/errors.h"
#include "client/table.h"
#include "core/result.h"

namespace baomi::cmd::client {

using baomi::client::ApiClient;
using baomi::client::client_error;
using baomi::client::Page;
using baomi::client::PageRequest;
using baomi::client::Table;

struct ConnectionOptions {
  std::string addr;   // empty: $BAOMI_ADDR, else https://127.0.0.1:8443
  std::string token;  // empty: $BAOMI_TOKEN
  std::string ca;     // empty: $BAOMI_CACERT, else the system trust store
  int timeout_seconds = 120;
  bool json = false;  // print the server's JSON instead of a table
};

// Adds --addr, --token, --ca, --timeout and --json to `cmd`, bound to `options`.
void add_connection_flags(CLI::App* cmd, ConnectionOptions& options);

// The address the options and environment name (for messages and `audit verify`'s choice).
std::string address_of(const ConnectionOptions& options);
bool address_given(const ConnectionOptions& options);  // --addr or BAOMI_ADDR set

// A client for the resolved address, CA and token; with need_token, a missing token is a usage
// error that says how to log in.
Result<ApiClient> connect(const ConnectionOptions& options, bool need_token = true);

// Prints "baomi: <message>" to stderr; returns the exit code for `error`.
int fail(const Error& error);
// Runs `body` and turns its Result into the exit code.
int finish(const Result<Ok>& outcome);

void print_json(const boost::json::value& value);  // one line on stdout

// --limit/--cursor/--all on a list command: at most 100 items unless told otherwise.
struct ListFlags {
  std::size_t limit = 100;
  std::string cursor;
  bool all = false;
  PageRequest request() const { return {all ? 0 : limit, cursor}; }
};
void add_list_flags(CLI::App* cmd, ListFlags& flags);
// After a table of a page: on stderr, how to get the rest when more remain.
void print_more_hint(const Page& page);

}  // namespace baomi::cmd::client
