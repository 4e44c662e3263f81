#include "cmd/demo_customers.h"

#include "services/customers/customers.h"

namespace baomi::cmd {
namespace {

using policy::CustomerField;

struct DemoCustomer {
  const char* recorder;  // username of who records it
  std::vector<std::pair<CustomerField, const char*>> fields;
  const char* level;  // nullptr: the policy's default
  std::vector<std::string> categories;
  services::ContactInput contact;
};

// Fake people: the numbers are in ranges no real subscriber or citizen holds (the ID numbers
// only pass the check digit).
const std::vector<DemoCustomer>& demo_customers() {
  static const std::vector<DemoCustomer> list = {
      {"wang.fang",
       {{CustomerField::kName, "张伟"},
        {CustomerField::kPhone, "13800000001"},
        {CustomerField::kQq, "10000001"},
        {CustomerField::kAddress, "广东省深圳市南山区演示路1号"},
        {CustomerField::kProducts, "家庭宽带 300M"}},
       nullptr,
       {},
       {"phone", "fault", "宽带每晚断线，已远程重启光猫，约定明日回访。", std::nullopt}},
      {"wang.fang",
       {{CustomerField::kName, "李秀英"},
        {CustomerField::kPhone, "13800000002"},
        {CustomerField::kEmail, "demo.li@example.com"},
        {CustomerField::kProducts, "手机套餐 A"}},
       nullptr,
       {},
       {"email", "consultation", "咨询套餐变更流程，已邮件发送说明。", std::nullopt}},
      {"wang.fang",
       {{CustomerField::kName, "欧阳明"},
        {CustomerField::kPhone, "13800000003"},
        {CustomerField::kAccount, "demo-oym"}},
       nullptr,
       {},
       {"qq", "suggestion", "建议增加夜间人工客服时段。", std::nullopt}},
      {"li.na",
       {{CustomerField::kName, "演示重点客户有限公司"},
        {CustomerField::kPhone, "01000000004"},
        {CustomerField::kIdNumber, "11010519491231002X"},
        {CustomerField::kNotes, "重点客户：合同续签由主管跟进。"}},
       "secret",
       {"contracts_customers"},
       {"phone", "complaint", "投诉上月账单重复扣费，已升级至主管。", std::nullopt}},
  };
  return list;
}

}  // namespace

Result<void> load_demo_customers(const auth::Runtime& rt,
                                 const std::map<std::string, auth::User>& users) {
  services::Customers customers(rt);
  for (const auto& d : demo_customers()) {
    services::CustomerInput in;
    for (const auto& [f, v] : d.fields) in.fields[static_cast<std::size_t>(f)] = v;
    if (d.level) in.level = d.level;
    if (!d.categories.empty()) in.categories = d.categories;
    const auto& who = users.at(d.recorder);
    BAOMI_ASSIGN_OR_RETURN(auto view, customers.create(who, in));
    BAOMI_TRY(customers.add_contact(who, view.customer.id, d.contact));
  }
  return {};
}

}  // namespace baomi::cmd
