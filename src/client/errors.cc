#include "client/errors.h"

namespace baomi::client {
namespace {
constexpr std::string_view kClientPrefix = "client.";
}

Error client_error(std::string code, std::string message) {
  return {ErrorKind::kInvalidArgument, std::string(kClientPrefix) + code, std::move(message), {}};
}

bool is_client_error(const Error& e) { return e.code.starts_with(kClientPrefix); }

int exit_code_of(const Error& e) { return is_client_error(e) ? kExitUsage : kExitRefused; }

}  // namespace baomi::client
