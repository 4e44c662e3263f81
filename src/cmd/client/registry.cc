#include "cmd/client/registry.h"

namespace baomi::cmd::client {

CLI::App* Registry::add(CLI::App* parent, const std::string& name, const std::string& description,
                        std::function<Result<Ok>()> run) {
  CLI::App* cmd = parent->add_subcommand(name, description);
  add_connection_flags(cmd, connection_);
  commands_.emplace_back(cmd, [run = std::move(run)] { return finish(run()); });
  return cmd;
}

void Registry::add_existing(CLI::App* cmd, std::function<int()> run) {
  commands_.emplace_back(cmd, std::move(run));
}

std::optional<int> Registry::run_parsed() const {
  for (const auto& [cmd, run] : commands_) {
    if (cmd->parsed()) return run();
  }
  return std::nullopt;
}

}  // namespace baomi::cmd::client
