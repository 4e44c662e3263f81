// Helpers shared by the policy tests: locating policies/default.yaml and loading it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>

#include "policy/loader.h"

namespace baomi::policy::testing {

// BAOMI_SOURCE_DIR (set by ctest), else the first ancestor of the working directory or of
// the test binary that holds policies/default.yaml.
inline std::filesystem::path default_policy_path() {
  namespace fs = std::filesystem;
  if (const char* dir = std::getenv("BAOMI_SOURCE_DIR")) {
    return fs::path(dir) / "policies" / "default.yaml";
  }
  std::error_code ec;
  for (fs::path start : {fs::current_path(ec), fs::read_symlink("/proc/self/exe", ec)}) {
    for (fs::path p = start; !p.empty() && p != p.root_path(); p = p.parent_path()) {
      if (fs::exists(p / "policies" / "default.yaml")) return p / "policies" / "default.yaml";
    }
  }
  return "policies/default.yaml";
}

inline std::string read_default_policy_text() {
  std::ifstream in(default_policy_path(), std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline Policy load_default_policy() {
  auto loaded = load_policy(default_policy_path());
  if (!loaded.ok()) {
    ADD_FAILURE() << loaded.error().message;
    return Policy(PolicyData{}, "");
  }
  return std::move(loaded).value();
}

// Replaces the first line that equals `line` (without its newline) by `replacement` (which may
// span several lines or be empty to delete it) and returns the edited text and the 1-based
// number of that line.
inline std::pair<std::string, int> edit_line(const std::string& text, std::string_view line,
                                             std::string_view replacement) {
  std::size_t start = 0;
  int number = 1;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::size_t stop = end == std::string::npos ? text.size() : end;
    if (std::string_view(text).substr(start, stop - start) == line) {
      std::string out = text.substr(0, start);
      out += replacement;
      if (!replacement.empty()) out += '\n';
      if (end != std::string::npos) out += text.substr(end + 1);
      return {out, number};
    }
    start = stop + 1;
    ++number;
  }
  ADD_FAILURE() << "line not in default.yaml: " << line;
  return {text, 0};
}

inline int line_of(const std::string& text, std::string_view line) {
  return edit_line(text, line, line).second;
}

}  // namespace baomi::policy::testing
