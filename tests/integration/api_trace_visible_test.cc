// The visible channel of text copies over HTTPS (S10): a text copy whose invisible fingerprint
// was stripped (every default-ignorable code point removed, as many chat apps do) is still traced
// to its serial and holder from the forms of its punctuation and digits; the same text with the
// forms normalised again names nobody; a stripped paste from two holders' copies names both.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

// Ordinary, non-repeating Chinese prose of about `chars` characters (clauses drawn at random).
std::string long_prose(std::size_t sentences) {
  const char* who[] = {"客服专员", "保密专人", "部门负责人", "前台人员", "值班主管", "涉密人员",
                       "借阅人",   "组长",     "经理",       "持有人",   "承办人",   "审计员"};
  const char* does[] = {"应当及时登记",   "不得擅自复制",   "须经批准后查阅", "负责妥善保管",
                        "应当当面交接",   "可以申请延期",   "必须立即报告",   "应当核实身份",
                        "不得带出办公区", "须在台账上签字", "应当逐页清点",   "负责按期归还"};
  const char* what[] = {"涉密文件",   "客户资料", "会议纪要", "交接记录", "复印件",   "打印件",
                        "借阅登记表", "合同文本", "服务记录", "快递文件", "招标材料", "财务报表"};
  const char* join[] = {"，", "，", "；", "："};
  std::mt19937_64 rng(2026);
  auto pick = [&rng](const auto& list) { return std::string(list[rng() % std::size(list)]); };
  std::string out;
  for (std::size_t i = 0; i < sentences; ++i) {
    for (int c = 0, n = 1 + static_cast<int>(rng() % 3); c < n; ++c) {
      if (c > 0) out += pick(join);
      out += pick(who) + pick(does) + pick(what);
      if (rng() % 4 == 0) out += "（第" + std::to_string(1 + rng() % 40) + "条）";
    }
    out += rng() % 5 == 0 ? "！" : "。";
    if (rng() % 4 == 0) out += "\n";
  }
  return out;
}

// Removes every Default_Ignorable_Code_Point (Unicode DerivedCoreProperties): what a chat app
// that strips invisible characters leaves.
std::string strip_default_ignorables(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? b : b & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k)
      cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    const bool ignorable = cp == 0xAD || cp == 0x34F || cp == 0x61C ||
                           (cp >= 0x115F && cp <= 0x1160) || (cp >= 0x17B4 && cp <= 0x17B5) ||
                           (cp >= 0x180B && cp <= 0x180F) || (cp >= 0x200B && cp <= 0x200F) ||
                           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) ||
                           cp == 0x3164 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
                           cp == 0xFFA0 || (cp >= 0xFFF0 && cp <= 0xFFF8) ||
                           (cp >= 0x1BCA0 && cp <= 0x1BCA3) || (cp >= 0x1D173 && cp <= 0x1D17A) ||
                           (cp >= 0xE0000 && cp <= 0xE0FFF);
    if (!ignorable) out.append(s, i, len);
    i += len;
  }
  return out;
}

// Code points [from, to) of UTF-8 text.
std::string slice(const std::string& s, std::size_t from, std::size_t to) {
  std::size_t cp = 0, begin = s.size(), end = s.size();
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (cp == from) begin = i;
    if (cp == to || i == s.size()) {
      end = i;
      break;
    }
    ++cp;
  }
  return begin >= end ? std::string() : s.substr(begin, end - begin);
}

TEST(TraceVisibleChannel, StrippedTextCopyStillNamesItsSerialAndHolder_S10) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  auto keeper =
      make_user(c, *inst, "tv.keeper", "custodian", "confidential", {"business_decisions"});
  auto holder = make_user(c, *inst, "tv.staff", "staff", "secret", {"business_decisions"});
  auto other = make_user(c, *inst, "tv.other", "staff", "secret", {"business_decisions"});
  const std::string auditor = inst->admin_token(c, "auditor");
  const std::string doc(
      create_document(c, keeper.token, "交接与借阅规范", "secret", {"business_decisions"}, {})
          .at("id")
          .as_string());
  upload_content(c, keeper.token, doc, long_prose(220));

  // An approved copy request of `who`, its copies issued: the artifacts, in serial order.
  auto issue = [&](const TestUser& who, int copies) {
    auto asked = c.post_json(
        "/api/v1/requests",
        json::object{
            {"type", "copy"}, {"document_id", doc}, {"reason", "整理部门制度"}, {"copies", copies}},
        who.token);
    EXPECT_EQ(asked.status, 201) << asked.body;
    const std::string request(asked.json().at("id").as_string());
    EXPECT_EQ(c.post_json("/api/v1/requests/" + request + "/approve",
                          json::object{{"comment", "同意"}}, keeper.token)
                  .status,
              200);
    std::vector<std::pair<std::string, std::string>> out;  // {serial, artifact}
    for (int i = 0; i < copies; ++i) {
      auto copy = c.post_json("/api/v1/copies", json::object{{"request_id", request}}, who.token);
      EXPECT_EQ(copy.status, 201) << copy.body;
      const std::string serial(copy.json().at("serial").as_string());
      auto artifact = c.get("/api/v1/copies/" + serial + "/artifact", who.token);
      EXPECT_EQ(artifact.status, 200);
      out.emplace_back(serial, artifact.body);
    }
    return out;
  };
  const auto mine = issue(holder, 2);
  const auto theirs = issue(other, 1);
  ASSERT_EQ(mine.size(), 2u);
  ASSERT_EQ(theirs.size(), 1u);
  const std::string serial = mine[1].first;
  const std::string& artifact_body = mine[1].second;

  // 1,500 characters from the body (no banner, so no visible serial), every invisible one gone.
  const std::string leaked = strip_default_ignorables(slice(artifact_body, 400, 1900));
  ASSERT_EQ(leaked.find("\xEF\xB8"), std::string::npos);  // no variation selector left
  ASSERT_EQ(leaked.find(serial), std::string::npos);

  auto opened =
      c.post_json("/api/v1/investigations",
                  json::object{{"title", "制度原文外泄"}, {"reason", "群聊截图"}}, auditor);
  ASSERT_EQ(opened.status, 201) << opened.body;
  const std::string id(opened.json().at("id").as_string());
  auto post = [&](const std::string& body) {
    return c.request(
        "POST", "/api/v1/investigations/" + id + "/evidence", body,
        {{"Authorization", "Bearer " + auditor}, {"Content-Type", "text/plain; charset=utf-8"}});
  };
  auto r = post(leaked);
  ASSERT_EQ(r.status, 201) << r.body;
  const json::array matches = r.json().at("matches").as_array();
  ASSERT_EQ(matches.size(), 1u) << r.body;
  EXPECT_EQ(matches[0].at("method").as_string(), "fingerprint");
  EXPECT_EQ(matches[0].at("kind").as_string(), "copy");
  EXPECT_EQ(matches[0].at("serial").as_string(), serial);
  EXPECT_EQ(matches[0].at("holder_id").as_string(), holder.id);
  EXPECT_EQ(matches[0].at("document_id").as_string(), doc);
  EXPECT_NE(std::string(matches[0].at("evidence").as_string()).find("visible-form"),
            std::string::npos);

  // The same words with every form normalised to full width carry no code: no match.
  std::string normalised = leaked;
  for (auto [narrow, wide] : {std::pair<std::string, std::string>{",", "，"},
                              {";", "；"},
                              {":", "："},
                              {"!", "！"},
                              {"(", "（"},
                              {")", "）"}}) {
    for (auto at = normalised.find(narrow); at != std::string::npos;
         at = normalised.find(narrow, at)) {
      normalised.replace(at, narrow.size(), wide);
    }
  }
  for (char d = '0'; d <= '9'; ++d) {
    const std::string wide = std::string("\xEF\xBC") + static_cast<char>(0x90 + (d - '0'));
    for (auto at = normalised.find(d); at != std::string::npos; at = normalised.find(d, at)) {
      normalised.replace(at, 1, wide);
    }
  }
  auto none = post(normalised);
  ASSERT_EQ(none.status, 201) << none.body;
  EXPECT_TRUE(none.json().at("matches").as_array().empty()) << none.body;

  // A paste from two holders' copies, both stripped: each named, with its holder and place.
  const std::string first = strip_default_ignorables(slice(mine[0].second, 300, 2000));
  const std::string second = strip_default_ignorables(slice(theirs[0].second, 2200, 3900));
  auto mixed = post(first + "\n" + second);
  ASSERT_EQ(mixed.status, 201) << mixed.body;
  const json::array found = mixed.json().at("matches").as_array();
  ASSERT_EQ(found.size(), 2u) << mixed.body;
  std::map<std::string, std::string> holder_of;
  for (const auto& m : found) {
    holder_of[std::string(m.at("serial").as_string())] = std::string(m.at("holder_id").as_string());
  }
  EXPECT_EQ(holder_of[mine[0].first], holder.id);
  EXPECT_EQ(holder_of[theirs[0].first], other.id);
  EXPECT_LT(found[0].at("position").at("from").to_number<std::size_t>(), first.size());
  EXPECT_GT(found[1].at("position").at("to").to_number<std::size_t>(), first.size());
}

}  // namespace
}  // namespace baomi::testing
