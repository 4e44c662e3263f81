// The client subcommands of `baomi`: each command group registers its leaves here, and main
// asks which one the command line chose. Single-threaded; lives as long as the CLI::App.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cmd/client/context.h"

namespace baomi::cmd::client {

class Registry {
 public:
  // A leaf command with the connection flags (ConnectionOptions) whose `run` gives its outcome.
  CLI::App* add(CLI::App* parent, const std::string& name, const std::string& description,
                std::function<Result<Ok>()> run);
  // An existing command (with its own flags) whose `run` gives the exit code itself.
  void add_existing(CLI::App* cmd, std::function<int()> run);
  // The exit code of the client command that was parsed, or nullopt when none was.
  std::optional<int> run_parsed() const;
  ConnectionOptions& connection() { return connection_; }

 private:
  ConnectionOptions connection_;  // shared: only one leaf is parsed per run
  std::vector<std::pair<CLI::App*, std::function<int()>>> commands_;
};

// Each group adds its commands (definitions in the matching *_commands.cc).
void add_session_commands(Registry& registry, CLI::App& app);   // login, logout, whoami, pledge
void add_document_commands(Registry& registry, CLI::App& app);  // docs ls|get|put
void add_request_commands(Registry& registry, CLI::App& app);   // request ..., requests ...
void add_copy_commands(Registry& registry, CLI::App& app);      // copies issue|get|ls|show
void add_audit_commands(Registry& registry, CLI::App& audit_group);  // audit query|checkpoint
void add_investigation_commands(Registry& registry, CLI::App& app);  // investigate ...
void add_operator_commands(Registry& registry, CLI::App& operator_group);  // unseal|seal|seal-status
// keys rotate|status
void add_key_commands(Registry& registry, CLI::App& keys_group);

// `baomi audit verify`: offline on --data DIR (the existing command, unchanged), or remote
// (GET /api/v1/audit/verify) with --remote or an address from --addr/BAOMI_ADDR and no --data.
// `offline` runs the offline check; `data` and `database` are the --data and --database
// values it binds (either one makes the check offline).
void add_remote_audit_verify(Registry& registry, CLI::App* verify_cmd, const std::string& data,
                             const std::string& database, std::function<int()> offline);

}  // namespace baomi::cmd::client
