// Human-facing text (S9 hardening, issue 16): a table of strings that must pass (Chinese text,
// full-width punctuation, emoji and their sequences) and strings that must be refused because
// they hide or reorder what a person reads (bidi overrides, zero-width characters, controls).
#include "core/visible_text.h"

#include <gtest/gtest.h>

namespace baomi {
namespace {

struct Row {
  const char* what;
  const char* text;
  TextShape shape;
  std::optional<char32_t> refused;  // nullopt: accepted
};

constexpr auto kLine = TextShape::kLine;
constexpr auto kPara = TextShape::kParagraphs;

const Row kRows[] = {
    // accepted
    {"plain ASCII", "Q3 invoice.pdf", kLine, std::nullopt},
    {"Chinese title", "年度采购合同（第二版）", kLine, std::nullopt},
    {"full-width punctuation and ideographic space", "客户：张伟，电话？　！【紧急】", kLine,
     std::nullopt},
    {"half-width katakana and symbols", "ｶﾀｶﾅ ¥€£ — “quotes” …", kLine, std::nullopt},
    {"emoji", "进展顺利 👍😀", kLine, std::nullopt},
    {"emoji with presentation selector", "\u2764\uFE0F 谢谢", kLine, std::nullopt},
    {"keycap sequence", "1\uFE0F\u20E3", kLine, std::nullopt},
    {"skin tone", "\U0001F44D\U0001F3FD", kLine, std::nullopt},
    {"ZWJ family", "\U0001F468\u200D\U0001F469\u200D\U0001F467", kLine, std::nullopt},
    {"ZWJ after presentation selector", "\u2764\uFE0F\u200D\U0001F525", kLine, std::nullopt},
    {"subdivision flag", "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
     kLine, std::nullopt},
    {"ideographic variation sequence", "\u845B\U000E0100", kLine, std::nullopt},
    {"Arabic and Hebrew letters", "مرحبا שלום", kLine, std::nullopt},
    {"newlines and tabs in a reason", "第一行\n第二行\r\n\t缩进", kPara, std::nullopt},
    {"narrow no-break space", "10\u202F000", kLine, std::nullopt},
    // refused
    {"right-to-left override", "invoice\u202Egnp.exe", kLine, 0x202E},
    {"left-to-right override", "a\u202Db", kLine, 0x202D},
    {"embeddings", "a\u202Ab", kLine, 0x202A},
    {"pop directional formatting", "a\u202Cb", kLine, 0x202C},
    {"isolates", "a\u2066b\u2069", kLine, 0x2066},
    {"first strong isolate", "\u2068x", kLine, 0x2068},
    {"left-to-right mark", "x\u200E", kLine, 0x200E},
    {"right-to-left mark", "x\u200F", kLine, 0x200F},
    {"Arabic letter mark", "x\u061C", kLine, 0x061C},
    {"bidi override in a reason", "理由\n\u202E反转", kPara, 0x202E},
    {"zero-width space", "admin\u200B", kLine, 0x200B},
    {"zero-width non-joiner", "ad\u200Cmin", kLine, 0x200C},
    {"zero-width joiner between letters", "ad\u200Dmin", kLine, 0x200D},
    {"word joiner", "a\u2060b", kLine, 0x2060},
    {"invisible plus", "a\u2064b", kLine, 0x2064},
    {"byte order mark", "\uFEFFtitle", kLine, 0xFEFF},
    {"soft hyphen", "pass\u00ADword", kLine, 0x00AD},
    {"Hangul filler", "\u3164", kLine, 0x3164},
    {"line separator", "a\u2028b", kLine, 0x2028},
    {"fingerprint-range variation selector", "a\uFE04b", kLine, 0xFE04},
    {"lone presentation selector", "\uFE0F", kLine, 0xFE0F},
    {"doubled presentation selector", "\u2764\uFE0F\uFE0F", kLine, 0xFE0F},
    {"ideographic variation selector after a letter", "a\U000E0100", kLine, 0xE0100},
    {"lone tag character", "a\U000E0041", kLine, 0xE0041},
    {"newline in a title", "title\nsecond", kLine, '\n'},
    {"tab in a title", "a\tb", kLine, '\t'},
    {"escape", "a\x1b[31mred", kPara, 0x1B},
    {"DEL", "a\x7f", kPara, 0x7F},
    {"C1 control", "a\u0085b", kPara, 0x85},
    {"invalid UTF-8", "a\xff", kLine, 0xFFFD},
};

TEST(VisibleText, TableOfAcceptedAndRefusedStrings) {
  for (const auto& row : kRows) {
    EXPECT_EQ(first_hidden_char(row.text, row.shape), row.refused) << row.what;
  }
}

TEST(VisibleText, LabelsNameTheCodePointWithoutPrintingIt) {
  EXPECT_EQ(code_point_label(0x202E), "U+202E");
  EXPECT_EQ(code_point_label(0x85), "U+0085");
  EXPECT_EQ(code_point_label(0xE0100), "U+E0100");
}

}  // namespace
}  // namespace baomi
