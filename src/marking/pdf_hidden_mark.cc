#include "marking/pdf_hidden_mark.h"

// qpdf 11 asks users to declare they no longer need its old PointerHolder type.
#define POINTERHOLDER_TRANSITION 4
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <optional>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include "crypto/compare.h"
#include "crypto/hash.h"

namespace baomi::marking {
namespace {

constexpr std::string_view kPrefix = "bmk:";
constexpr std::size_t kPayloadHex = 16;
constexpr std::size_t kTagHex = 12;
constexpr std::string_view kFontName = "/BaomiMark";

std::string hex_of(std::uint64_t value, std::size_t digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(digits, '0');
  for (std::size_t i = digits; i-- > 0; value >>= 4) out[i] = kHex[value & 0xf];
  return out;
}

std::optional<std::uint64_t> parse_hex(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) {
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<std::uint64_t>(d);
  }
  return v;
}

std::uint64_t tag_of(std::uint64_t payload, const crypto::MacKey& key) {
  std::string message = "baomi.pdfmark.v1";
  for (int i = 7; i >= 0; --i) message += static_cast<char>((payload >> (8 * i)) & 0xff);
  const Bytes mac = key.keyed_hash32(message);
  std::uint64_t tag = 0;
  for (std::size_t i = 0; i < kTagHex / 2; ++i) tag = tag << 8 | mac[i];
  return tag;
}

Error unsupported() { return Error::invalid("unsupported_pdf", "the PDF cannot be marked"); }

// Three invisible runs across the page's media box, in the page's own coordinates.
std::string content_for(QPDFPageObjectHelper& page, const std::string& token) {
  const auto box = page.getMediaBox().getArrayAsRectangle();
  const double llx = std::min(box.llx, box.urx), w = std::abs(box.urx - box.llx);
  const double lly = std::min(box.lly, box.ury), h = std::abs(box.ury - box.lly);
  std::string out = "q BT 3 Tr " + std::string(kFontName) + " 4 Tf\n";
  for (double f : {0.75, 0.5, 0.25}) {
    char line[96];
    std::snprintf(line, sizeof line, "1 0 0 1 %.2f %.2f Tm (", llx + 0.08 * w, lly + f * h);
    out += line;
    out += token;  // hex digits, a colon and letters only: nothing to escape
    out += ") Tj\n";
  }
  return out + "ET Q\n";
}

Result<Bytes> mark(crypto::BytesView pdf_bytes, const std::string& token) {
  QPDF pdf;
  pdf.setSuppressWarnings(true);
  pdf.processMemoryFile("artifact", reinterpret_cast<const char*>(pdf_bytes.data()),
                        pdf_bytes.size());
  QPDFObjectHandle font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
  QPDFPageDocumentHelper doc(pdf);
  doc.pushInheritedAttributesToPage();
  for (QPDFPageObjectHelper& page : doc.getAllPages()) {
    QPDFObjectHandle dict = page.getObjectHandle();
    QPDFObjectHandle resources = dict.getKey("/Resources");
    if (!resources.isDictionary()) {
      resources = QPDFObjectHandle::newDictionary();
      dict.replaceKey("/Resources", resources);
    }
    QPDFObjectHandle fonts = resources.getKey("/Font");
    if (!fonts.isDictionary()) {
      fonts = QPDFObjectHandle::newDictionary();
      resources.replaceKey("/Font", fonts);
    }
    fonts.replaceKey(std::string(kFontName), font);
    page.addPageContents(QPDFObjectHandle::newStream(&pdf, content_for(page, token)), false);
  }
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setDeterministicID(true);
  writer.write();
  std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
  return Bytes(buffer->getBuffer(), buffer->getBuffer() + buffer->getSize());
}

}  // namespace

std::string pdf_mark_token(std::uint64_t payload, const crypto::MacKey& key) {
  return std::string(kPrefix) + hex_of(payload, kPayloadHex) +
         hex_of(tag_of(payload, key), kTagHex);
}

Result<Bytes> add_hidden_mark(crypto::BytesView pdf, std::uint64_t payload,
                              const crypto::MacKey& key) {
  try {
    return mark(pdf, pdf_mark_token(payload, key));
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception&) {
    return unsupported();
  }
}

std::vector<std::uint64_t> find_pdf_marks(std::string_view text, const crypto::MacKey& key) {
  std::vector<std::uint64_t> out;
  const std::size_t len = kPrefix.size() + kPayloadHex + kTagHex;
  for (std::size_t at = text.find(kPrefix); at != std::string_view::npos && at + len <= text.size();
       at = text.find(kPrefix, at + 1)) {
    const auto payload = parse_hex(text.substr(at + kPrefix.size(), kPayloadHex));
    const auto tag = parse_hex(text.substr(at + kPrefix.size() + kPayloadHex, kTagHex));
    if (!payload || !tag) continue;
    const auto expected = hex_of(tag_of(*payload, key), kTagHex);
    if (!crypto::constant_time_equal(std::string_view(expected),
                                     text.substr(at + kPrefix.size() + kPayloadHex, kTagHex))) {
      continue;
    }
    if (std::find(out.begin(), out.end(), *payload) == out.end()) out.push_back(*payload);
  }
  return out;
}

}  // namespace baomi::marking
