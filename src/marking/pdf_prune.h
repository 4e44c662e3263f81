// What a stamped artifact keeps of its PDF source (S5, S7): the pages it prints, and of those
// only what is needed to show them. Works on a source opened with qpdf, before the marks are
// placed. Internal to marking/. Thread-safe as long as each QPDF is used by one thread.
#pragma once

// qpdf 11 asks users to declare they no longer need its old PointerHolder type.
#define POINTERHOLDER_TRANSITION 4
#include <cstddef>
#include <qpdf/QPDF.hh>

namespace baomi::marking::pdf {

// Makes pages [first, end) of `source` its only pages (the caller checks the range against the
// page count). Inherited attributes must already be pushed to the pages.
void keep_pages(QPDF& source, std::size_t first, std::size_t end);

// Turns annotations into page content and drops everything but what the pages need to be
// shown: scripts, actions, forms, attachments, outline, structure tree, thumbnails...
void keep_only_printed_content(QPDF& source);

}  // namespace baomi::marking::pdf
