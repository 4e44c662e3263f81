// PreloadForChildren: sets LD_PRELOAD (and the library's own variables) for the child processes
// a test starts while it lives, e.g. the servers, then restores the environment as it was. The
// preloaded library is not the sanitizer runtime, so under ASan the child must not insist on
// being loaded first (verify_asan_link_order=0). Not thread-safe (setenv): the test's thread only.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "support/scoped_env.h"

namespace baomi::testing {

class PreloadForChildren {
 public:
  PreloadForChildren(const std::string& library,
                     const std::vector<std::pair<std::string, std::string>>& variables) {
    const std::string asan = ScopedEnvironment::get("ASAN_OPTIONS").value_or("");
    env_.set("LD_PRELOAD", library);
    env_.set("ASAN_OPTIONS", asan + (asan.empty() ? "" : ":") + "verify_asan_link_order=0");
    for (const auto& [name, value] : variables) env_.set(name, value);
  }

 private:
  ScopedEnvironment env_;
};

}  // namespace baomi::testing
