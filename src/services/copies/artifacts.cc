#include "services/copies/artifacts.h"

#include "marking/fingerprint.h"
#include "marking/pdf_hidden_mark.h"
#include "marking/pdf_stamp.h"
#include "marking/pdf_typeset.h"
#include "marking/text_variants.h"

namespace baomi::services {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string_view artifact_text(crypto::BytesView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// A text copy: the marks above and below the fingerprinted body (S5 on the artifact itself).
Result<std::string> marked_text(std::string_view body, const Copy& copy,
                                const marking::ArtifactMarks& marks, const crypto::MacKey& key) {
  BAOMI_TRY(marking::validate_marks(marks));
  // S10: the visible forms first, so that the invisible symbols follow the chosen forms.
  BAOMI_ASSIGN_OR_RETURN(auto varied,
                         marking::embed_text_variants(body, copy.number, key, copy.text_variants));
  BAOMI_ASSIGN_OR_RETURN(auto fingerprinted, marking::embed_fingerprint(varied, copy.number, key));
  const std::string banner = "【" + marks.marking + "】 " + marking::detail_line(marks, 1, 1);
  std::string out;
  out.reserve(fingerprinted.size() + 4 * banner.size());
  out += banner + "\n";
  if (!marks.document_title.empty()) out += marks.document_title + "\n";
  out += "----------------------------------------\n";
  out += fingerprinted;
  if (!fingerprinted.empty() && fingerprinted.back() != '\n') out += '\n';
  out += "----------------------------------------\n";
  out += banner + "\n";
  return out;
}

std::string base_name(const Copy& copy) { return copy.serial; }

}  // namespace

SourceFormat source_format(std::string_view content_type) {
  if (starts_with_ci(content_type, "text/")) return SourceFormat::kText;
  if (starts_with_ci(content_type, "application/pdf")) return SourceFormat::kPdf;
  return SourceFormat::kOther;
}

bool can_mark(SourceFormat format) {
  if (format == SourceFormat::kText) return true;
  return format == SourceFormat::kPdf;
}

Result<std::string> excerpt_of(std::string_view text, const ExcerptRange& range) {
  std::size_t index = 0;  // code points seen
  std::size_t begin = std::string_view::npos;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    const bool boundary = i == text.size() || !is_continuation(static_cast<unsigned char>(text[i]));
    if (!boundary) continue;
    if (index == range.from) begin = i;
    if (index == range.to) return std::string(text.substr(begin, i - begin));
    ++index;
  }
  return Error::invalid("excerpt_out_of_range",
                        "the excerpt reaches beyond the end of the document (" +
                            std::to_string(index - 1) + " characters)");
}

Result<Artifact> render_artifact(const Copy& copy, crypto::BytesView source,
                                 const marking::ArtifactMarks& marks, const crypto::MacKey& key) {
  const auto format = source_format(copy.content_type);
  Artifact out;
  if (!copy.marked) {
    // S5 exception the policy allows for low levels only: the source as it is.
    out.content_type = copy.content_type;
    out.filename = base_name(copy) + ".bin";
    out.bytes.assign(source.begin(), source.end());
    return out;
  }
  if (format == SourceFormat::kPdf) {
    // A PDF excerpt is a range of pages [from, to), 0-based.
    if (copy.excerpt) {
      BAOMI_ASSIGN_OR_RETURN(
          out.bytes, marking::stamp_pdf_pages(source, copy.excerpt->from, copy.excerpt->to, marks));
    } else {
      BAOMI_ASSIGN_OR_RETURN(out.bytes, marking::stamp_pdf(source, marks));
    }
    // S10: the invisible serial token survives the visible marks being cut off.
    BAOMI_ASSIGN_OR_RETURN(out.bytes, marking::add_hidden_mark(out.bytes, copy.number, key));
    out.content_type = "application/pdf";
    out.filename = base_name(copy) + ".pdf";
    return out;
  }
  if (format != SourceFormat::kText) {
    return Error{ErrorKind::kUnsupportedMedia, "unmarkable_format",
                 "the server cannot mark content of this type", "S5"};
  }
  std::string text(artifact_text(source));
  if (copy.excerpt) {
    BAOMI_ASSIGN_OR_RETURN(text, excerpt_of(text, *copy.excerpt));
  }
  if (copy.kind == policy::RequestType::kPrint) {
    BAOMI_ASSIGN_OR_RETURN(out.bytes, marking::typeset_text_pdf(text, marks));
    BAOMI_ASSIGN_OR_RETURN(out.bytes, marking::add_hidden_mark(out.bytes, copy.number, key));
    out.content_type = "application/pdf";
    out.filename = base_name(copy) + ".pdf";
    return out;
  }
  BAOMI_ASSIGN_OR_RETURN(auto marked, marked_text(text, copy, marks, key));
  out.bytes.assign(marked.begin(), marked.end());
  out.content_type = "text/plain; charset=utf-8";
  out.filename = base_name(copy) + ".txt";
  return out;
}

}  // namespace baomi::services
