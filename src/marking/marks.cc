#include "marking/marks.h"

#include <glib.h>

#include <string_view>

#include "core/time.h"

namespace baomi::marking {
namespace {

// True when `s` is valid UTF-8 with no control, format (bidi, zero-width) or line/paragraph
// separator characters: a mark must not be able to inject a line break (U+2028 and U+2029
// break lines in Pango just like LF) or a bidi trick that hides part of itself.
bool printable_utf8(std::string_view s) {
  if (!g_utf8_validate_len(s.data(), s.size(), nullptr)) return false;
  for (const char* p = s.data(); p < s.data() + s.size(); p = g_utf8_next_char(p)) {
    const gunichar c = g_utf8_get_char(p);
    const GUnicodeType type = g_unichar_type(c);
    if (g_unichar_iscntrl(c) || type == G_UNICODE_FORMAT || type == G_UNICODE_LINE_SEPARATOR ||
        type == G_UNICODE_PARAGRAPH_SEPARATOR) {
      return false;
    }
  }
  return true;
}

// True when every character of valid UTF-8 `s` is white space (U+0020, U+3000, U+00A0, ...).
bool blank(std::string_view s) {
  for (const char* p = s.data(); p < s.data() + s.size(); p = g_utf8_next_char(p)) {
    if (!g_unichar_isspace(g_utf8_get_char(p))) return false;
  }
  return true;
}

Status check_field(std::string_view name, std::string_view value, bool required) {
  if (required && value.empty()) {
    return Error::invalid("artifact_marks", std::string(name) + " is required");
  }
  if (value.size() > kMaxMarkBytes) {
    return Error::invalid("artifact_marks", std::string(name) + " is too long");
  }
  if (!printable_utf8(value)) {
    return Error::invalid("artifact_marks", std::string(name) + " has invalid characters");
  }
  if (required && blank(value)) {  // a marking of spaces prints as no marking
    return Error::invalid("artifact_marks", std::string(name) + " is required");
  }
  return Ok{};
}

}  // namespace

Status validate_marks(const ArtifactMarks& m) {
  BAOMI_TRY(check_field("marking", m.marking, true));
  BAOMI_TRY(check_field("holder_name", m.holder_name, true));
  BAOMI_TRY(check_field("holder_id", m.holder_id, true));
  BAOMI_TRY(check_field("serial", m.serial, true));
  BAOMI_TRY(check_field("issued_at", m.issued_at, true));
  BAOMI_TRY(check_field("document_title", m.document_title, false));
  if (!parse_rfc3339(m.issued_at)) {
    return Error::invalid("artifact_marks", "issued_at is not an RFC 3339 time");
  }
  return Ok{};
}

std::string detail_line(const ArtifactMarks& m, int page, int pages) {
  return "持有人 " + m.holder_name + "（" + m.holder_id + "）  编号 " + m.serial + "  签发 " +
         m.issued_at + "  第 " + std::to_string(page) + "/" + std::to_string(pages) + " 页";
}

std::string watermark_line(const ArtifactMarks& m) {
  return m.marking + "  " + m.holder_name + "  " + m.serial;
}

std::string issued_at_seconds(const ArtifactMarks& m) {
  const auto t = parse_rfc3339(m.issued_at);
  return t ? format_rfc3339(std::chrono::floor<std::chrono::seconds>(*t)) : std::string();
}

}  // namespace baomi::marking
