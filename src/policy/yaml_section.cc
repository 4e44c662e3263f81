#include "policy/yaml_section.h"

#include <algorithm>
#include <charconv>

#include "policy/values.h"

namespace baomi::policy {
namespace {

bool listed(Keys keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string joined(Keys keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

}  // namespace

Error SourceFile::error(int line, std::string_view what) const {
  return Error::invalid("invalid_policy",
                        label_ + ":" + std::to_string(line) + ": " + std::string(what));
}

int SourceFile::line_of(const YAML::Node& node, int fallback) {
  const YAML::Mark mark = node.Mark();
  return mark.is_null() || mark.line < 0 ? fallback : mark.line + 1;
}

std::string_view SourceFile::kind_of(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Sequence:
      return "a sequence";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

Result<Section> Section::open(const SourceFile& src, const YAML::Node& node, std::string path,
                              int line, Keys allowed, Keys required) {
  Section section(src, std::move(path), line);
  const std::string p = section.path_.empty() ? std::string("top level") : section.path_;
  if (!node.IsMap()) {
    return src.error(node.IsNull() ? line : SourceFile::line_of(node, line),
                     p + ": expected a mapping, found " + std::string(SourceFile::kind_of(node)));
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const int key_line = SourceFile::line_of(it->first, line);
    if (!it->first.IsScalar()) return src.error(key_line, p + ": keys must be plain names");
    const std::string& key = it->first.Scalar();
    if (!listed(allowed, key)) {
      return src.error(key_line,
                       p + ": unknown key " + quoted(key) + " (known: " + joined(allowed) + ")");
    }
    if (section.find(key) != nullptr) {
      return src.error(key_line, p + ": duplicate key " + quoted(key));
    }
    section.entries_.push_back({key, it->second, key_line});
  }
  for (std::string_view key : required) {
    if (section.has(key)) continue;
    const std::string what =
        section.path_.empty() ? "missing required section " : p + ": missing required key ";
    return src.error(line, what + quoted(key));
  }
  return section;
}

const Section::Entry* Section::find(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

int Section::line_of(std::string_view key) const {
  const Entry* e = find(key);
  if (e == nullptr) return line_;
  // yaml-cpp marks an empty value at the next token, often on a later line.
  if (e->value.IsNull()) return e->key_line;
  return SourceFile::line_of(e->value, e->key_line);
}

int Section::key_line(std::string_view key) const {
  const Entry* e = find(key);
  return e == nullptr ? line_ : e->key_line;
}

Result<Section> Section::child(std::string_view key, Keys allowed, Keys required) const {
  return open(*src_, node(key), qualified(key), key_line(key), allowed, required);
}

const YAML::Node& Section::node(std::string_view key) const { return find(key)->value; }

Error Section::error(std::string_view key, std::string_view what) const {
  return src_->error(line_of(key), qualified(key) + ": " + std::string(what));
}

std::string Section::qualified(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

Result<std::string> Section::scalar(std::string_view key, std::string_view expected) const {
  const YAML::Node& value = node(key);
  if (!value.IsScalar()) {
    return error(key, "expected " + std::string(expected) + ", found " +
                          std::string(SourceFile::kind_of(value)));
  }
  return value.Scalar();
}

Result<std::string> Section::string(std::string_view key) const { return scalar(key, "a string"); }

Result<std::int64_t> Section::integer(std::string_view key) const {
  BAOMI_ASSIGN_OR_RETURN(const std::string text, scalar(key, "an integer"));
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return error(key, "expected an integer, found " + quoted(text));
  }
  return value;
}

Result<bool> Section::boolean(std::string_view key) const {
  BAOMI_ASSIGN_OR_RETURN(const std::string text, scalar(key, "true or false"));
  if (text == "true") return true;
  if (text == "false") return false;
  return error(key, "expected true or false, found " + quoted(text));
}

Result<std::chrono::seconds> Section::duration(std::string_view key) const {
  BAOMI_ASSIGN_OR_RETURN(const std::string text, scalar(key, "a duration"));
  const auto value = parse_duration(text);
  if (!value) {
    return error(
        key, "expected a positive duration like 90s, 15m, 8h, 1d or 1h30m, found " + quoted(text));
  }
  return *value;
}

Result<std::uint64_t> Section::size(std::string_view key) const {
  BAOMI_ASSIGN_OR_RETURN(const std::string text, scalar(key, "a size"));
  const auto value = parse_size(text);
  if (!value) {
    return error(key, "expected a size like 1048576, 512KiB, 1MiB or 2GiB, found " + quoted(text));
  }
  return *value;
}

Result<YAML::Node> Section::sequence(std::string_view key) const {
  const YAML::Node& value = node(key);
  if (!value.IsSequence()) {
    return error(key, "expected a sequence, found " + std::string(SourceFile::kind_of(value)));
  }
  return value;
}

Result<std::vector<std::pair<std::string, int>>> Section::strings(std::string_view key) const {
  BAOMI_ASSIGN_OR_RETURN(const YAML::Node seq, sequence(key));
  std::vector<std::pair<std::string, int>> out;
  for (const auto& item : seq) {
    const int line = SourceFile::line_of(item, line_of(key));
    if (!item.IsScalar()) {
      return src_->error(line, qualified(key) + ": expected a string, found " +
                                   std::string(SourceFile::kind_of(item)));
    }
    out.emplace_back(item.Scalar(), line);
  }
  return out;
}

}  // namespace baomi::policy
