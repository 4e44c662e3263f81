#include "marking/pdf_prune.h"

#include <qpdf/QPDFAcroFormDocumentHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <set>
#include <string>
#include <vector>

namespace baomi::marking::pdf {
namespace {

// Lists of what stays rather than of what goes, so that an entry no list foresaw (a private
// key of some application, a newer PDF feature) is dropped too.
const std::set<std::string> kCatalogKeys = {
    "/Type",         "/Pages",         "/Version",           "/Extensions", "/Lang",
    "/OCProperties", "/OutputIntents", "/ViewerPreferences", "/PageLayout",
};
// /Resources, /Contents and /Group are what the stamper turns into the page's content form.
const std::set<std::string> kPageKeys = {
    "/Type",   "/Parent", "/MediaBox", "/CropBox",   "/BleedBox", "/TrimBox",
    "/ArtBox", "/Rotate", "/UserUnit", "/Resources", "/Contents", "/Group",
};

void keep_only_keys(QPDFObjectHandle dict, const std::set<std::string>& keep) {
  for (const std::string& key : dict.getKeys()) {
    if (keep.count(key) == 0) dict.removeKey(key);
  }
}

}  // namespace

// S7: an excerpt leaves with its own pages and nothing of the others. The writer copies only
// what is reachable, so the page tree is rebuilt from the kept pages alone and every other page
// object becomes null: whatever still points at one (a link, a named destination, an article
// thread, the structure tree, a crafted key of a kept page) no longer reaches its content.
void keep_pages(QPDF& source, std::size_t first, std::size_t end) {
  const std::vector<QPDFPageObjectHelper> all = QPDFPageDocumentHelper(source).getAllPages();
  QPDFObjectHandle tree = source.makeIndirectObject(QPDFObjectHandle::newDictionary());
  QPDFObjectHandle kids = QPDFObjectHandle::newArray();
  for (std::size_t i = 0; i < all.size(); ++i) {
    QPDFObjectHandle page = all[i].getObjectHandle();
    if (i >= first && i < end) {
      page.replaceKey("/Parent", tree);
      kids.appendItem(page);
    } else {
      source.replaceObject(page.getObjGen(), QPDFObjectHandle::newNull());
    }
  }
  tree.replaceKey("/Type", QPDFObjectHandle::newName("/Pages"));
  tree.replaceKey("/Kids", kids);
  tree.replaceKey("/Count", QPDFObjectHandle::newInteger(static_cast<long long>(end - first)));
  source.getRoot().replaceKey("/Pages", tree);
  source.updateAllPagesCache();
}

// S5: nothing may be drawn above the marks and nothing may hide them later, so annotations
// become page content (under the overlay), and scripts and actions go. So does whatever a print
// would carry besides its marked pages: attached files (an unmarked copy of anything), the
// outline (its entries may run actions), the structure tree (alternate and actual texts repeat
// the text of every page), thumbnails (unmarked pictures of the pages), application data (some
// applications keep their whole editable document there), XMP metadata, page labels.
void keep_only_printed_content(QPDF& source) {
  QPDFPageDocumentHelper pages(source);
  QPDFAcroFormDocumentHelper(source).generateAppearancesIfNeeded();
  pages.flattenAnnotations();
  keep_only_keys(source.getRoot(), kCatalogKeys);
  for (QPDFPageObjectHelper& page : pages.getAllPages()) {
    keep_only_keys(page.getObjectHandle(), kPageKeys);
  }
}

}  // namespace baomi::marking::pdf
