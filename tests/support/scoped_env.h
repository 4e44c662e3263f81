// ScopedEnvironment: sets or unsets environment variables for as long as it lives, then puts
// back what each was before (a variable set twice gets its first value back). For tests that
// change what a function or a child process reads from the environment. Not thread-safe
// (setenv): the test's own thread only.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace baomi::testing {

class ScopedEnvironment {
 public:
  ScopedEnvironment() = default;
  ~ScopedEnvironment() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) put(it->first, it->second);
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

  // std::nullopt unsets the variable.
  void set(const std::string& name, const std::optional<std::string>& value) {
    saved_.emplace_back(name, get(name));
    put(name, value);
  }

  static std::optional<std::string> get(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  }

 private:
  static void put(const std::string& name, const std::optional<std::string>& value) {
    if (value) {
      ::setenv(name.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name.c_str());
    }
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace baomi::testing
