// `baomi demo load`: fills an instance with the demo organisation (departments general_cs,
// after_sales, presale, front_desk; staff at every clearance; documents at every level).
// Everything goes through the same services as the API, so the audit trail records it all.
#include <cstring>
#include <iostream>

#include "auth/accounts.h"
#include "cmd/commands.h"
#include "cmd/demo_customers.h"
#include "cmd/instance.h"
#include "services/documents/documents.h"
#include "services/handovers/handovers.h"
#include "services/requests/requests.h"

namespace baomi::cmd {
namespace {

struct DemoUser {
  const char* username;
  const char* display_name;
  const char* department;
  const char* role;
  policy::Level clearance;
  std::vector<std::string> categories;
  bool pledge;
};

struct DemoDocument {
  const char* title;
  const char* level;
  std::vector<std::string> categories;
  const char* secret_until;
  const char* content;
};

const std::vector<DemoUser>& demo_users() {
  using L = policy::Level;
  static const std::vector<DemoUser> users = {
      {"liu.yang",
       "刘洋",
       "general_cs",
       "custodian",
       L::kTopSecret,
       {"business_decisions", "personnel", "technology", "bidding", "contracts_customers",
        "finance", "other"},
       true},
      {"chen.jing",
       "陈静",
       "centre",
       "manager",
       L::kConfidential,
       {"business_decisions", "personnel", "contracts_customers", "finance"},
       true},
      {"zhao.lei",
       "赵磊",
       "after_sales",
       "supervisor",
       L::kConfidential,
       {"contracts_customers", "technology"},
       true},
      {"li.na", "李娜", "after_sales", "group_leader", L::kSecret, {"contracts_customers"}, true},
      {"wang.fang", "王芳", "general_cs", "staff", L::kInternal, {}, true},
      {"zhou.qiang", "周强", "presale", "staff", L::kSecret, {"bidding"}, true},
      {"sun.mei", "孙梅", "front_desk", "front_desk", L::kInternal, {}, false},
  };
  return users;
}

const std::vector<DemoDocument>& demo_documents() {
  static const std::vector<DemoDocument> docs = {
      {"客服中心服务规范（公开版）",
       "public",
       {},
       nullptr,
       "客服中心服务规范：接听电话不超过三声，使用文明用语，首问负责。\n"},
      {"售后服务工作流程",
       "internal",
       {},
       nullptr,
       "售后服务工作流程：受理、派单、回访、归档。未完成事项填写工作交接单。\n"},
      {"部门值班安排", "internal", {"other"}, nullptr, "本周值班：综合客服两班，售后一班。\n"},
      {"重点客户名单 2026",
       "secret",
       {"contracts_customers"},
       "2030-12-31",
       "重点客户名单（秘密）：客户甲、客户乙、客户丙。联系人信息另行保管。\n"},
      {"新产品技术支持手册",
       "secret",
       {"technology"},
       "2028-06-30",
       "新产品技术支持手册（秘密）：故障代码表与处理步骤。\n"},
      {"2027 年度招标底价",
       "confidential",
       {"bidding"},
       "2027-12-31",
       "2027 年度招标底价（机密）：标段一 120 万元，标段二 85 万元。\n"},
      {"渠道合作合同要点",
       "confidential",
       {"contracts_customers", "finance"},
       "2029-12-31",
       "渠道合作合同要点（机密）：返点比例与结算账户。\n"},
      {"中心人事调整方案",
       "top_secret",
       {"personnel", "business_decisions"},
       "2027-06-30",
       "中心人事调整方案（绝密）：组织架构调整与岗位变动。\n"},
  };
  return docs;
}

// Pending requests, so that approvers have something to decide in the demo (S7, A2): a group
// leader asks to print a secret list she may read (her supervisor or the custodian approves),
// and a presale colleague without the category asks for access to a manual (the custodian).
Result<void> load_requests(const auth::Runtime& rt, const services::Documents& documents,
                           const std::map<std::string, auth::User>& users,
                           const std::map<std::string, std::string>& ids) {
  services::Grants grants(rt);
  services::Requests requests(rt, documents, grants);
  services::RequestSpec print;
  print.type = "print";
  print.document_id = ids.at("重点客户名单 2026");
  print.reason = "回访重点客户前打印名单核对联系人";
  print.copies = 1;
  print.days = 3;
  BAOMI_TRY(requests.create(users.at("li.na"), print));
  services::RequestSpec access;
  access.type = "access";
  access.document_id = ids.at("新产品技术支持手册");
  access.reason = "售前演示需要了解故障代码";
  access.days = 7;
  BAOMI_TRY(requests.create(users.at("zhou.qiang"), access));
  return {};
}

// Handover slips (H1, H2): one that after-sales acknowledged and still has to confirm, and one
// already confirmed item by item, so that lists, copies and confirmations show something.
Result<void> load_handovers(const auth::Runtime& rt,
                            const std::map<std::string, auth::User>& users) {
  services::Handovers handovers(rt);
  const auto& author = users.at("wang.fang");
  const auto& receiver = users.at("li.na");
  services::NewSlip open;
  open.shift = "day";
  open.items = {
      {"回访客户张先生，确认退款是否到账", std::nullopt, services::Priority::kHigh, std::nullopt},
      {"QQ咨询：会员积分兑换规则，待售后答复", std::nullopt, services::Priority::kNormal,
       std::nullopt}};
  open.notes = "退款单号已记录在工单系统";
  BAOMI_ASSIGN_OR_RETURN(auto awaiting, handovers.create(author, open));
  BAOMI_TRY(handovers.acknowledge(receiver, awaiting.slip.id));
  services::NewSlip done;
  done.shift = "day";
  done.items = {{"核对昨日投诉登记表", std::nullopt, services::Priority::kLow, std::nullopt}};
  BAOMI_ASSIGN_OR_RETURN(auto confirmed, handovers.create(author, done));
  BAOMI_TRY(handovers.acknowledge(receiver, confirmed.slip.id));
  BAOMI_TRY(handovers.confirm(receiver, confirmed.slip.id, {{0, true, "已核对"}}));
  return {};
}

Result<void> load(Instance& inst, const std::string& password) {
  auto& rt = *inst.runtime;
  auth::Accounts accounts(rt);
  std::map<std::string, auth::User> users;
  for (const auto& u : demo_users()) {
    BAOMI_ASSIGN_OR_RETURN(auto cats, rt.policy.category_set(u.categories));
    BAOMI_ASSIGN_OR_RETURN(
        auto user,
        accounts.bootstrap_user({u.username, u.display_name, u.department, password, {u.role}},
                                u.clearance, cats));
    if (u.pledge) {
      BAOMI_ASSIGN_OR_RETURN(user, accounts.accept_pledge(user));
    }
    users[u.username] = user;
  }
  services::Documents documents(rt);
  const auto& author = users.at("liu.yang");
  std::map<std::string, std::string> ids;  // title -> document id
  for (const auto& d : demo_documents()) {
    services::DocumentSpec spec{
        d.title,
        d.level,
        d.categories,
        author.id,
        d.secret_until ? std::optional<std::string>(d.secret_until) : std::nullopt,
        "演示文档"};
    BAOMI_ASSIGN_OR_RETURN(auto view, documents.create(author, spec));
    std::string_view content = d.content;
    std::size_t offset = 0;
    auto source = [&](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
      const std::size_t k = std::min(n, content.size() - offset);
      std::memcpy(buf, content.data() + offset, k);
      offset += k;
      return k;
    };
    BAOMI_TRY(documents.upload(author, view.doc.id, "text/plain; charset=utf-8", source));
    ids[d.title] = view.doc.id;
  }
  BAOMI_TRY(load_requests(rt, documents, users, ids));
  BAOMI_TRY(load_handovers(rt, users));
  return load_demo_customers(rt, users);
}

}  // namespace

int run_demo_load(const DemoOptions& o) {
  auto opened = open_instance(paths_of(o.data, o.keys), std::nullopt);
  if (!opened.ok()) {
    std::cerr << "baomi demo load: " << opened.error().message << "\n";
    return 1;
  }
  auto& inst = *opened.value();
  std::optional<storage::UserRow> existing;
  (void)inst.store->read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(
        existing, tx.find_user_by_username(auth::username_index(*inst.barrier, "liu.yang")));
    return {};
  });
  if (existing) {
    std::cout << "demo organisation already loaded\n";
    return 0;
  }
  auto r = load(inst, o.password);
  if (!r.ok()) {
    std::cerr << "baomi demo load: " << r.error().message << "\n";
    return 1;
  }
  std::cout << "demo organisation loaded: " << demo_users().size() << " staff, "
            << demo_documents().size() << " documents, 2 pending requests, " << kDemoCustomers
            << " customers, 2 handover slips (one awaiting confirmation)\n";
  return 0;
}

}  // namespace baomi::cmd
