// PreloadForChildren: sets LD_PRELOAD (and the library's own variables) for the child processes
// a test starts while it lives, e.g. the servers, then restores the environment as it was. The
// preloaded library is not the sanitizer runtime, so under ASan the child must not insist on
// being loaded first (verify_asan_link_order=0). Not thread-safe (setenv): the test's thread only.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace baomi::testing {

class PreloadForChildren {
 public:
  PreloadForChildren(const std::string& library,
                     const std::vector<std::pair<std::string, std::string>>& variables) {
    save("LD_PRELOAD");
    save("ASAN_OPTIONS");
    setenv("LD_PRELOAD", library.c_str(), 1);
    const std::string asan = saved_.back().second.value_or("");
    setenv("ASAN_OPTIONS", (asan + (asan.empty() ? "" : ":") + "verify_asan_link_order=0").c_str(),
           1);
    for (const auto& [name, value] : variables) {
      save(name.c_str());
      setenv(name.c_str(), value.c_str(), 1);
    }
  }
  ~PreloadForChildren() {
    for (auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }
  PreloadForChildren(const PreloadForChildren&) = delete;
  PreloadForChildren& operator=(const PreloadForChildren&) = delete;

 private:
  void save(const char* name) {
    const char* v = std::getenv(name);
    saved_.emplace_back(name, v ? std::optional<std::string>(v) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

}  // namespace baomi::testing
