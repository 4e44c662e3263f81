// Strict reading of YAML mappings for the policy loader: every key must be known and appear
// once, required keys must be present, values must have the right type, and every error
// reads "<file>:<line>: <what is wrong>" with the 1-based line of the offending node (or
// of the section, for a missing key). Used only while loading; not shared between threads.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace baomi::policy {

// Where errors point: the file label and helpers to turn yaml-cpp marks into lines.
class SourceFile {
 public:
  explicit SourceFile(std::string_view label) : label_(label) {}
  // `line` is 1-based.
  Error error(int line, std::string_view what) const;
  // 1-based line of `node`, or `fallback` when yaml-cpp has no mark for it.
  static int line_of(const YAML::Node& node, int fallback);
  static std::string_view kind_of(const YAML::Node& node);

 private:
  std::string label_;
};

using Keys = std::initializer_list<std::string_view>;

// One YAML mapping that has passed the key checks.
class Section {
 public:
  // `path` names the section in messages ("lockout", "levels[2]"); `line` is where it starts.
  static Result<Section> open(const SourceFile& src, const YAML::Node& node, std::string path,
                              int line, Keys allowed, Keys required);

  const std::string& path() const { return path_; }
  int line() const { return line_; }
  bool has(std::string_view key) const { return find(key) != nullptr; }
  // 1-based line of the key itself (the header line of a nested section).
  int key_line(std::string_view key) const;
  // 1-based line of the key's value (the key's own line when the value has no mark).
  int line_of(std::string_view key) const;
  const YAML::Node& node(std::string_view key) const;  // precondition: has(key)
  // The nested mapping under `key`, checked like open(); its path is "<path>.<key>".
  Result<Section> child(std::string_view key, Keys allowed, Keys required) const;

  // "<file>:<line of key>: <path>.<key>: <what>"
  Error error(std::string_view key, std::string_view what) const;

  Result<std::string> string(std::string_view key) const;
  Result<std::int64_t> integer(std::string_view key) const;
  // Exactly `true` or `false`: YAML 1.1's yes/no/on/off read too easily as something else.
  Result<bool> boolean(std::string_view key) const;
  Result<std::chrono::seconds> duration(std::string_view key) const;
  Result<std::uint64_t> size(std::string_view key) const;
  // The value checked to be a sequence (possibly empty).
  Result<YAML::Node> sequence(std::string_view key) const;
  // A sequence of strings, each with its 1-based line.
  Result<std::vector<std::pair<std::string, int>>> strings(std::string_view key) const;

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    int key_line;
  };
  Section(const SourceFile& src, std::string path, int line)
      : src_(&src), path_(std::move(path)), line_(line) {}
  const Entry* find(std::string_view key) const;
  std::string qualified(std::string_view key) const;  // "<path>.<key>", or "<key>" at the root
  Result<std::string> scalar(std::string_view key, std::string_view expected) const;

  const SourceFile* src_;
  std::string path_;
  int line_;
  std::vector<Entry> entries_;
};

}  // namespace baomi::policy
