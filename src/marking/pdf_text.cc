#include "marking/pdf_text.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <limits>
#include <memory>
#include <mutex>

namespace baomi::marking {
namespace {

// Poppler reports parse problems of hostile or damaged files on stderr by default; they are
// expected input here, answered by an error value, not log noise.
void quiet_poppler() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

Error invalid_pdf() {
  return Error::invalid("invalid_pdf", "the PDF cannot be read (damaged or password-protected)");
}

}  // namespace

Result<std::vector<std::string>> pdf_page_texts(crypto::BytesView pdf) {
  quiet_poppler();
  if (pdf.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) return invalid_pdf();
  std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(
      reinterpret_cast<const char*>(pdf.data()), static_cast<int>(pdf.size())));
  if (!doc || doc->is_locked()) return invalid_pdf();
  std::vector<std::string> pages;
  const int count = doc->pages();
  for (int i = 0; i < count; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    std::string text;
    if (page) {
      const auto utf8 = page->text().to_utf8();
      text.assign(utf8.begin(), utf8.end());
    }
    pages.push_back(std::move(text));
  }
  return pages;
}

}  // namespace baomi::marking
