// Deterministic mixed Chinese/ASCII text for the marking benchmarks (micro_print.cc,
// micro_fingerprint.cc): paragraphs of regulation-style Chinese sentences and English phrases
// with serials and dates, roughly half the characters each, as in the centre's documents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <random>
#include <string>
#include <string_view>

namespace baomi_bench {

// Code points in UTF-8 text (bytes that do not continue a sequence).
inline std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// At least `min_chars` characters (code points, white space and line breaks included), ending at
// a paragraph break; the same seed gives the same text.
inline std::string mixed_text(std::size_t min_chars, std::uint64_t seed = 1) {
  static const char* kChinese[] = {
      "根据保密法第五条的规定，秘密文件必须标明密级。",
      "本文件由专人负责印发、传递和保管，不得擅自复制或摘抄。",
      "各单位应当于二〇三〇年十二月三十一日前完成自查工作。",
      "涉密人员离岗离职时，应当清退所持有的全部涉密载体。",
      "会议纪要仅限参会人员阅知，阅后及时收回登记。",
      "对违反规定造成泄密的，依法追究有关人员的责任。",
      "传阅时须填写《文件传阅单》，注明阅件人、时间和份号。",
      "（一）严格控制知悉范围；（二）落实审批手续；（三）做好销毁记录。",
      "客服中心交接班时，值班组长应当逐项核对交接单并签字确认。",
      "“密级标志”是指在文件首页标注的秘密★二〇三〇年字样。",
  };
  static const char* kAscii[] = {
      "approval", "custodian", "serial",   "copy",   "print",       "excerpt",    "holder",
      "version",  "audit",     "trail",    "BM-000123-7", "2030-12-31", "need-to-know",
      "clearance", "Section",  "4.2(b)",   "e.g.",   "RFC3339",     "v1.0",       "HTTP/1.1",
      "document", "issued",    "returned", "the",    "of",          "and",        "to"};
  std::mt19937_64 rng(seed);
  std::string out;
  std::size_t chars = 0;
  while (chars < min_chars) {
    std::string para;
    const int sentences = 3 + static_cast<int>(rng() % 6);
    for (int s = 0; s < sentences; ++s) {
      if (rng() % 3 == 0) {
        const int words = 4 + static_cast<int>(rng() % 10);
        for (int w = 0; w < words; ++w) {
          if (w) para += ' ';
          para += kAscii[rng() % std::size(kAscii)];
        }
        para += ". ";
      } else {
        para += kChinese[rng() % std::size(kChinese)];
      }
    }
    para += '\n';
    chars += code_points(para);
    out += para;
  }
  return out;
}

}  // namespace baomi_bench
