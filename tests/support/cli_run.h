// Running the `baomi` executable from a test: $BAOMI_BINARY, else the one beside tests/ in the
// build tree; a command's exit status and its standard output and error together.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace baomi::testing {

inline std::string baomi_binary() {
  if (const char* b = std::getenv("BAOMI_BINARY"); b && *b) return b;
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "baomi")
      .string();
}

struct CliRun {
  int code;
  std::string output;
};

// `command` runs in /bin/sh, its standard error joined to its output.
inline CliRun run_shell(const std::string& command) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WEXITSTATUS(status), out};
}

}  // namespace baomi::testing
