#include "marking/canary.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <string_view>

#include "crypto/hash.h"

namespace baomi::marking {
namespace {

using crypto::BytesView;

// A deterministic stream of uniform choices: BLAKE2b(seed ‖ label ‖ counter) blocks. The seed
// is secret, so the stream is unpredictable to anyone without it.
class Chooser {
 public:
  Chooser(BytesView seed, std::string_view label) : seed_(seed.begin(), seed.end()) {
    seed_.insert(seed_.end(), label.begin(), label.end());
  }

  // Uniform in [0, bound), bound > 0 (rejection sampling: no modulo bias).
  std::uint32_t below(std::uint32_t bound) {
    const std::uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
    for (;;) {
      const std::uint32_t v = next32();
      if (v < limit) return v % bound;
    }
  }

  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(static_cast<std::uint32_t>(N))];
  }

  std::string digits(int n, bool nonzero_first) {
    std::string out;
    for (int i = 0; i < n; ++i) {
      const bool first = i == 0 && nonzero_first;
      out += static_cast<char>('0' + (first ? 1 + below(9) : below(10)));
    }
    return out;
  }

 private:
  std::uint32_t next32() {
    if (pos_ + 4 > block_.size()) refill();
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v << 8 | block_[pos_++];
    return v;
  }

  void refill() {
    Bytes input = seed_;
    for (int i = 0; i < 8; ++i) input.push_back(static_cast<std::uint8_t>(counter_ >> (8 * i)));
    ++counter_;
    block_ = crypto::hash32(BytesView(input));
    pos_ = 0;
  }

  Bytes seed_;
  Bytes block_;
  std::size_t pos_ = 0;
  std::uint64_t counter_ = 0;
};

// Common surnames and given-name characters: canaries must look like the centre's customers.
constexpr std::array<std::string_view, 24> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
    "马", "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋"};
constexpr std::array<std::string_view, 40> kGiven = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛",
    "明", "超", "秀", "霞", "平", "刚", "英", "华", "玉", "兰", "红", "建", "文", "辉",
    "鹏", "宇", "浩", "婷", "雪", "琳", "晨", "欣", "博", "思", "佳", "远"};
constexpr std::array<std::string_view, 24> kMobilePrefixes = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "157", "158", "159", "166", "177", "180", "183", "186", "188", "199"};

struct Region {
  std::string_view code;
  std::string_view place;
};
constexpr std::array<Region, 10> kRegions = {{
    {"110105", "北京市朝阳区"},
    {"310104", "上海市徐汇区"},
    {"440106", "广东省广州市天河区"},
    {"410105", "河南省郑州市金水区"},
    {"330106", "浙江省杭州市西湖区"},
    {"510107", "四川省成都市武侯区"},
    {"420106", "湖北省武汉市武昌区"},
    {"320102", "江苏省南京市玄武区"},
    {"370102", "山东省济南市历下区"},
    {"610113", "陕西省西安市雁塔区"},
}};
constexpr std::array<std::string_view, 12> kStreets = {"建设路", "人民路", "解放路", "中山路",
                                                       "文化路", "和平路", "长江路", "黄河路",
                                                       "光明街", "新华街", "学院路", "花园路"};
constexpr std::array<std::string_view, 10> kProducts = {
    "宽带 200M", "宽带 500M", "企业邮箱", "云服务器", "会员年卡",
    "智能门锁",  "路由器",    "家庭套餐", "售后延保", "网络电视"};
constexpr std::array<std::string_view, 6> kMailDomains = {"qq.com",   "163.com", "126.com",
                                                          "sina.com", "139.com", "foxmail.com"};
constexpr std::array<std::string_view, 20> kSyllables = {
    "wang", "li",  "zhang", "liu", "chen", "yang", "huang", "zhao", "wu",   "zhou",
    "xu",   "sun", "ma",    "zhu", "hu",   "lin",  "luo",   "gao",  "ming", "hua"};

std::string make_name(Chooser& c) {
  std::string name(c.pick(kSurnames));
  const int given = 1 + static_cast<int>(c.below(2));
  for (int i = 0; i < given; ++i) name += c.pick(kGiven);
  return name;
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::string make_id_number(Chooser& c, const Region& region) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int year = 1960 + static_cast<int>(c.below(45));
  const int month = 1 + static_cast<int>(c.below(12));
  const int days = kDays[static_cast<std::size_t>(month - 1)] + (month == 2 && leap(year) ? 1 : 0);
  const int day = 1 + static_cast<int>(c.below(static_cast<std::uint32_t>(days)));
  const auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  std::string first17 =
      std::string(region.code) + std::to_string(year) + two(month) + two(day) + c.digits(3, false);
  return first17 + id_number_check_char(first17);
}

std::string make_account(Chooser& c) {
  return std::string(c.pick(kSyllables)) + std::string(c.pick(kSyllables)) + c.digits(3, true);
}

CanaryCustomer make_one(Chooser& c) {
  CanaryCustomer k;
  k.name = make_name(c);
  k.phone = std::string(c.pick(kMobilePrefixes)) + c.digits(8, false);
  const Region& region = c.pick(kRegions);
  k.id_number = make_id_number(c, region);
  k.qq = c.digits(5 + static_cast<int>(c.below(6)), true);
  k.email = c.below(2) == 0 ? k.qq + "@qq.com"
                            : make_account(c) + "@" + std::string(c.pick(kMailDomains));
  k.account = make_account(c);
  k.address = std::string(region.place) + std::string(c.pick(kStreets)) +
              std::to_string(1 + c.below(300)) + "号";
  k.products = std::string(c.pick(kProducts));
  return k;
}

}  // namespace

char id_number_check_char(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kChecks = "10X98765432";
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    if (first17[i] < '0' || first17[i] > '9') return '\0';
    sum += (first17[i] - '0') * kWeights[i];
  }
  return kChecks[static_cast<std::size_t>(sum % 11)];
}

std::vector<CanaryCustomer> make_canaries(crypto::BytesView seed, int count) {
  if (seed.size() != crypto::kHashSize) throw std::invalid_argument("canary seed is 32 bytes");
  Chooser chooser(seed, "canary");
  std::vector<CanaryCustomer> out;
  std::set<std::string> phones, ids;
  while (static_cast<int>(out.size()) < count) {
    CanaryCustomer k = make_one(chooser);
    // Unique within the export, so each one alone identifies it.
    if (!phones.insert(k.phone).second || !ids.insert(k.id_number).second) continue;
    out.push_back(std::move(k));
  }
  return out;
}

std::vector<std::uint64_t> canary_positions(crypto::BytesView seed, std::uint64_t rows, int count) {
  Chooser chooser(seed, "positions");
  const std::uint64_t total = rows + static_cast<std::uint64_t>(count);
  std::set<std::uint64_t> chosen;
  while (static_cast<int>(chosen.size()) < count) {
    // Positions above 2^32 rows are not a concern: exports are bounded far below that.
    chosen.insert(
        chooser.below(static_cast<std::uint32_t>(std::min<std::uint64_t>(total, UINT32_MAX))));
  }
  return {chosen.begin(), chosen.end()};
}

}  // namespace baomi::marking
