// How the `baomi` client tells its own problems from the server's refusals: an Error whose
// code starts with "client." happened on this side (usage, address, certificate, connection,
// local file: exit status 2); any other Error is the server's answer (exit status 1).
#pragma once

#include <string>

#include "core/result.h"

namespace baomi::client {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // the server refused or failed
inline constexpr int kExitUsage = 2;    // usage, local file, connection or certificate problem

// Codes used: usage, no_token, address, unreachable, certificate, tls, connection, ca_file,
// local_file.
Error client_error(std::string code, std::string message);
bool is_client_error(const Error& e);
int exit_code_of(const Error& e);

}  // namespace baomi::client
