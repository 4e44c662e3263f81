// Human-facing text that looks like what it is: titles, names and reasons are shown to people
// in lists, marks and audit reports, so characters that change how the rest of a string is
// drawn, or that draw nothing, let one string pass for another ("invoice\u202Egnp.exe" shows
// as "invoiceexe.png"). first_hidden_char() finds the first such character:
//  - C0 and C1 controls and DEL (tab, LF and CR are allowed in paragraphs);
//  - bidirectional controls: U+061C, U+200E, U+200F, U+202A-202E, U+2066-2069;
//  - zero-width and other invisible format characters: U+00AD, U+034F, U+115F, U+1160,
//    U+180E, U+200B, U+200C, U+2060-2064, U+206A-206F, U+2028, U+2029, U+3164, U+FEFF, U+FFA0,
//    U+FFF9-FFFB, noncharacters U+FFFE/U+FFFF;
//  - U+200D (zero-width joiner) except between two emoji (family and profession sequences);
//  - variation selectors where they make no sense: U+FE0E/U+FE0F only right after a visible
//    character, U+E0100-E01EF only after a CJK ideograph, U+FE00-FE0D never (they are also the
//    invisible alphabet of Baomi's text fingerprints);
//  - tag characters U+E0000-E007F except in an emoji tag sequence (subdivision flags).
// Everything else passes: Chinese text, full-width punctuation, ideographic space, emoji.
// Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace baomi {

enum class TextShape {
  kLine,        // one line: names, titles
  kParagraphs,  // may hold tabs and line breaks: reasons, descriptions, notes
};

// The first character that must not appear, or nullopt. Invalid UTF-8 is reported as U+FFFD.
std::optional<char32_t> first_hidden_char(std::string_view utf8, TextShape shape);

// "U+202E": how messages name a character without printing it.
std::string code_point_label(char32_t cp);

}  // namespace baomi
