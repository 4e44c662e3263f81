// ArtifactMarks: what S5 requires to be visible on every page of an artifact (a print, copy or
// excerpt): the level marking with its term, the holder, the serial and the issue time. This
// header also builds the exact strings drawn in the header, footer and watermark, so that the
// typesetter, the stamper and their tests agree on one wording. Value types and pure
// functions; safe from any thread.
#pragma once

#include <string>

#include "core/result.h"

namespace baomi::marking {

struct ArtifactMarks {
  std::string marking;         // level marking with its term, e.g. "秘密★2030-12-31"
  std::string holder_name;     // e.g. "张三"
  std::string holder_id;       // account id of the holder
  std::string serial;          // the artifact's serial number, with its check digit
  std::string issued_at;       // RFC 3339
  std::string document_title;  // may be empty
};

// Longest accepted field, in bytes: marks must fit on one header line (S5).
inline constexpr std::size_t kMaxMarkBytes = 200;

// Checks that every field is well-formed UTF-8 without control, format (bidi, zero-width) or
// line/paragraph separator characters, within kMaxMarkBytes, neither empty nor all white space
// (except document_title, which may be empty), and that issued_at is RFC 3339.
// Error code "artifact_marks"; the message names the field, never its value.
Status validate_marks(const ArtifactMarks& marks);

// "持有人 张三（u-42）  编号 S  签发 T  第 i/n 页": one line carrying every per-copy mark.
std::string detail_line(const ArtifactMarks& marks, int page, int pages);
// "秘密★2030-12-31  张三  S": the diagonal watermark text.
std::string watermark_line(const ArtifactMarks& marks);
// issued_at as "YYYY-MM-DDTHH:MM:SSZ" (what PDF metadata can hold); requires valid marks.
std::string issued_at_seconds(const ArtifactMarks& marks);

}  // namespace baomi::marking
