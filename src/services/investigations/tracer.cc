#include "services/investigations/tracer.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "barrier/counters.h"
#include "marking/fingerprint.h"
#include "marking/pdf_hidden_mark.h"
#include "marking/pdf_text.h"
#include "marking/serial.h"
#include "marking/text_variants.h"
#include "services/copies/copy.h"
#include "services/documents/view_record.h"

namespace baomi::services {
namespace {

std::string lower_media_type(std::string_view content_type) {
  std::string out;
  for (char c : content_type) {
    if (c == ';' || c == ' ' || c == '\t') break;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::string_view evidence_text(crypto::BytesView bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::string frames_sentence(std::size_t frames, std::string_view what) {
  return "invisible fingerprint of " + std::string(what) + ": " + std::to_string(frames) +
         " authenticated frame" + (frames == 1 ? "" : "s") + " (48-bit keyed tag each)";
}

// One match per (method, kind, copy or view): the first place it was seen.
void dedupe(std::vector<LeakMatch>& matches) {
  std::set<std::tuple<TraceMethod, TraceKind, std::string>> seen;
  std::vector<LeakMatch> out;
  for (auto& m : matches) {
    if (seen.insert({m.method, m.kind, m.serial + "/" + m.view_id}).second) {
      out.push_back(std::move(m));
    }
  }
  matches = std::move(out);
}

constexpr std::size_t kVisibleChannelBytes = std::size_t{8} << 20;

// The highest serial issued so far: the visible channel solves for that many bits.
Result<std::uint64_t> highest_serial(const barrier::Barrier& barrier, barrier::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto next, barrier::Counters(barrier).get(tx, kCopySerialCounter));
  return next == 0 ? 0 : next - 1;
}

// The visible-channel class sets copies were issued with (0: none carries the channel).
Result<std::uint32_t> issued_variant_sets(const barrier::Barrier& barrier, barrier::ReadTx& tx) {
  BAOMI_ASSIGN_OR_RETURN(auto sets, barrier::Counters(barrier).get(tx, kCopyTextVariantSets));
  if (sets > 0xffffffffu) return Error::integrity("the text variant sets are damaged");
  return static_cast<std::uint32_t>(sets);
}

bool covers(const marking::TextVariantClasses& copy, const marking::TextVariantClasses& used) {
  return (used.bits() & ~copy.bits()) == 0;
}

std::string variants_sentence(const marking::TextVariantMatch& v) {
  return std::to_string(v.units) + " equivalent visible forms (full-/half-width punctuation, " +
         "digits…) chosen by its keyed code, " + std::to_string(v.checks) +
         " more than needed to determine it (a false match is below 2^-19 per text)";
}

}  // namespace

std::optional<ArtifactFormat> artifact_format(std::string_view content_type) {
  const auto type = lower_media_type(content_type);
  if (type == "text/plain") return ArtifactFormat::kText;
  if (type == "text/csv") return ArtifactFormat::kCsv;
  if (type == "application/pdf") return ArtifactFormat::kPdf;
  return std::nullopt;
}

Result<std::optional<LeakMatch>> LeakTracer::copy_match(barrier::ReadTx& tx,
                                                        std::uint64_t number) const {
  BAOMI_ASSIGN_OR_RETURN(auto object,
                         objects_.get(tx, std::string(kCopyKind), marking::format_serial(number)));
  if (!object) return std::optional<LeakMatch>();
  BAOMI_ASSIGN_OR_RETURN(auto copy, copy_from_object(*object));
  LeakMatch m;
  m.kind = copy.customer_export ? TraceKind::kExport : TraceKind::kCopy;
  m.serial = copy.serial;
  m.document_id = copy.document_id;
  m.version = copy.version;
  m.holder_id = copy.holder_id;
  m.at = copy.issued_at;
  return std::optional<LeakMatch>(std::move(m));
}

Result<void> LeakTracer::trace_text(std::string_view text, std::vector<LeakMatch>& out) const {
  const auto copies = marking::locate_fingerprints(text, rt_.barrier.copy_fingerprint_key());
  const auto views = marking::locate_fingerprints(text, rt_.barrier.view_fingerprint_key());
  const auto serials = marking::find_serials(text);
  return rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (const auto& f : copies) {
      BAOMI_ASSIGN_OR_RETURN(auto m, copy_match(tx, f.payload));
      if (!m) continue;  // authenticated, so issued by this server: a copy since removed
      m->method = TraceMethod::kFingerprint;
      m->evidence = frames_sentence(f.frames, "copy " + m->serial);
      m->from = f.from;
      m->to = f.to;
      out.push_back(std::move(*m));
    }
    BAOMI_TRY(trace_visible_forms(tx, text, out));
    for (const auto& f : views) {
      LeakMatch m;
      m.method = TraceMethod::kFingerprint;
      m.kind = TraceKind::kView;
      m.view_id = view_id_of(f.payload);
      m.from = f.from;
      m.to = f.to;
      BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kViewKind), m.view_id));
      if (object) {
        BAOMI_ASSIGN_OR_RETURN(auto view, view_record_from_object(*object));
        m.document_id = view.document_id;
        m.version = view.version;
        m.holder_id = view.reader_id;
        m.at = view.viewed_at;
        m.audit_seq = view.audit_seq;
        m.evidence = frames_sentence(f.frames, "view " + m.view_id);
      } else {
        m.evidence = frames_sentence(f.frames, "view " + m.view_id) +
                     "; the view predates view records: find its reader with "
                     "GET /api/v1/audit?action=document.read_content";
      }
      out.push_back(std::move(m));
    }
    for (const auto& s : serials) {
      BAOMI_ASSIGN_OR_RETURN(auto m, copy_match(tx, s.number));
      // Export serials are the export trace's (serial#row tags); a serial of no copy is noise.
      if (!m || m->kind == TraceKind::kExport) continue;
      m->method = TraceMethod::kVisibleSerial;
      m->evidence = "serial " + m->serial + " written in the text (Damm check digit verified)";
      m->from = s.offset;
      m->to = s.offset + s.length;
      out.push_back(std::move(*m));
    }
    return {};
  });
}

// S10: the visible channel, for text whose invisible symbols were stripped. Decoded jointly with
// the invisible one: a copy both name is one match whose evidence names both channels.
Result<void> LeakTracer::trace_visible_forms(barrier::ReadTx& tx, std::string_view text,
                                             std::vector<LeakMatch>& out) const {
  BAOMI_ASSIGN_OR_RETURN(const auto sets, issued_variant_sets(rt_.barrier, tx));
  if (sets == 0) return {};  // no copy carries the channel
  BAOMI_ASSIGN_OR_RETURN(const auto max_serial, highest_serial(rt_.barrier, tx));
  // About 50 ms per MiB: like the export trace, the channel reads the first 8 MiB of a leak.
  text = text.substr(0, std::min<std::size_t>(text.size(), kVisibleChannelBytes));
  const auto found =
      marking::find_text_variants(text, rt_.barrier.copy_fingerprint_key(), max_serial, sets);
  for (const auto& v : found) {
    const std::string serial = marking::format_serial(v.serial);
    BAOMI_ASSIGN_OR_RETURN(auto object, objects_.get(tx, std::string(kCopyKind), serial));
    if (!object) continue;
    BAOMI_ASSIGN_OR_RETURN(auto copy, copy_from_object(*object));
    // A copy that never varied these forms cannot have produced them: not a match.
    if (!covers(copy.text_variants, v.classes)) continue;
    auto joint = std::find_if(out.begin(), out.end(), [&](const LeakMatch& m) {
      return m.method == TraceMethod::kFingerprint && m.kind == TraceKind::kCopy &&
             m.serial == serial && !m.page;
    });
    if (joint != out.end()) {
      joint->evidence += "; the visible channel agrees: " + variants_sentence(v);
      continue;
    }
    LeakMatch m;
    m.method = TraceMethod::kFingerprint;
    m.kind = TraceKind::kCopy;
    m.serial = serial;
    m.document_id = copy.document_id;
    m.version = copy.version;
    m.holder_id = copy.holder_id;
    m.at = copy.issued_at;
    m.evidence = "visible-form fingerprint of copy " + serial +
                 " (no invisible fingerprint of it remains): " + variants_sentence(v);
    m.from = v.from;
    m.to = v.to;
    out.push_back(std::move(m));
  }
  return {};
}

Result<void> LeakTracer::trace_exports(const auth::User& actor, std::string_view text,
                                       std::vector<LeakMatch>& out) const {
  // The export trace reads at most 8 MiB; a leaked register is traced from its first rows.
  text = text.substr(0, std::min<std::size_t>(text.size(), std::size_t{8} << 20));
  BAOMI_ASSIGN_OR_RETURN(auto found, exports_.trace(actor, text));
  const auto serials = marking::find_serials(text);
  for (const auto& t : found) {
    LeakMatch m;
    m.method = t.evidence == "canary" ? TraceMethod::kCanary : TraceMethod::kExportRow;
    m.kind = TraceKind::kExport;
    m.serial = t.serial;
    m.holder_id = t.holder_id;
    m.at = t.issued_at;
    m.evidence = m.method == TraceMethod::kCanary
                     ? "a canary record planted only in export " + t.serial
                     : "rows tagged with export serial " + t.serial;
    for (const auto& s : serials) {
      if (m.method == TraceMethod::kExportRow && marking::format_serial(s.number) == t.serial) {
        m.from = s.offset;
        m.to = s.offset + s.length;
        break;
      }
    }
    out.push_back(std::move(m));
  }
  return {};
}

Result<void> LeakTracer::trace_pdf(crypto::BytesView pdf, std::vector<LeakMatch>& out) const {
  BAOMI_ASSIGN_OR_RETURN(auto pages, marking::pdf_page_texts(pdf));
  return rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (std::size_t p = 0; p < pages.size(); ++p) {
      // Text extraction may split a footer into words: look at the page without white space too.
      std::string joined;
      for (char c : pages[p]) {
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f') joined += c;
      }
      // The hidden mark: an invisible run of a keyed token on every page (fingerprint.md).
      for (const auto number :
           marking::find_pdf_marks(joined, rt_.barrier.copy_fingerprint_key())) {
        BAOMI_ASSIGN_OR_RETURN(auto m, copy_match(tx, number));
        if (!m) continue;
        m->method = TraceMethod::kFingerprint;
        m->evidence = "invisible PDF mark of copy " + m->serial + " on page " +
                      std::to_string(p + 1) + " (48-bit keyed tag)";
        m->page = p + 1;
        out.push_back(std::move(*m));
      }
      for (const auto* text : {&pages[p], &joined}) {
        for (const auto& s : marking::find_serials(*text)) {
          BAOMI_ASSIGN_OR_RETURN(auto m, copy_match(tx, s.number));
          if (!m) continue;
          m->method = TraceMethod::kVisibleSerial;
          m->evidence = "serial " + m->serial + " in the text layer of page " +
                        std::to_string(p + 1) + " (Damm check digit verified)";
          m->page = p + 1;
          out.push_back(std::move(*m));
        }
      }
    }
    return {};
  });
}

Result<std::vector<LeakMatch>> LeakTracer::trace(const auth::User& actor, ArtifactFormat format,
                                                 crypto::BytesView artifact) const {
  std::vector<LeakMatch> out;
  if (artifact.empty()) return out;
  if (format == ArtifactFormat::kPdf) {
    BAOMI_TRY(trace_pdf(artifact, out));
  } else {
    BAOMI_TRY(trace_text(evidence_text(artifact), out));
    BAOMI_TRY(trace_exports(actor, evidence_text(artifact), out));
  }
  dedupe(out);
  return out;
}

}  // namespace baomi::services
