// `baomi demo load`: fills an instance with the demo organisation (departments general_cs,
// after_sales, presale, front_desk; staff at every clearance; documents at every level).
// Everything goes through the same services as the API, so the audit trail records it all.
#include <cstring>
#include <fstream>
#include <iostream>

#include "auth/accounts.h"
#include "cmd/commands.h"
#include "cmd/demo_customers.h"
#include "cmd/instance.h"
#include "cmd/master_rotation.h"
#include "marking/fingerprint.h"
#include "services/areas/areas.h"
#include "services/copies/copies.h"
#include "services/documents/documents.h"
#include "services/handovers/handovers.h"
#include "services/incidents/incidents.h"
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

// The quarterly complaints analysis: long enough prose that 200 characters of any excerpt carry
// several fingerprint frames.
constexpr const char* kLeakedDocumentTitle = "2026 年第三季度客户投诉分析";
constexpr const char* kLeakedDocumentText =
    "2026 年第三季度客户投诉分析（秘密）\n\n"
    "一、总体情况。本季度客服中心共受理投诉一千二百四十六件，较上季度上升百分之八。其中售后维修"
    "类投诉占四成，配送延误类投诉占两成五，其余为账单争议、会员积分和服务态度问题。重点客户投诉"
    "十七件，均已在四十八小时内回访，客户满意度回升至百分之九十一。\n\n"
    "二、主要问题。一是售后派单环节存在积压，部分工单超过七十二小时未派出；二是交接班时未完成"
    "事项记录不完整，导致次日重复询问客户；三是个别员工在电话中透露了维修网点的内部结算价格，"
    "已按保密制度予以批评教育。\n\n"
    "三、改进措施。售后部门每日早会通报积压工单，班组长负责跟进；工作交接单必须写明未完成事项和"
    "处理要求，由接班人员次日确认；对涉及合同价格、结算账户等商业秘密的内容，一律不得在电话或"
    "即时通讯工具中向客户透露。下季度将对重点客户名单进行复核，并对全体员工开展一次保密培训。\n\n"
    "四、下季度目标。投诉量下降百分之十，重点客户满意度保持在百分之九十以上，所有投诉在二十四"
    "小时内首次回复，交接单次日确认率达到百分之百。\n";

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
      {kLeakedDocumentTitle, "secret", {"business_decisions"}, "2030-12-31", kLeakedDocumentText},
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

// A leak for the auditor to investigate (S10): chen.jing's approved excerpt of the complaints
// analysis is issued, and a stretch of its text, as someone pasted it into a chat, is written to
// `leak_file`. The auditor opens a case and adds that file as evidence; the fingerprint names
// the copy, chen.jing and the request the custodian approved.
Result<void> load_leak(const auth::Runtime& rt, const services::Documents& documents,
                       const std::map<std::string, auth::User>& users,
                       const std::string& document_id, const std::string& leak_file) {
  services::Grants grants(rt);
  services::Requests requests(rt, documents, grants);
  services::Incidents incidents(rt, grants);
  services::Copies copies(rt, documents, requests, incidents);
  const auto& leaker = users.at("chen.jing");
  services::RequestSpec excerpt;
  excerpt.type = "excerpt";
  excerpt.document_id = document_id;
  excerpt.reason = "季度例会材料：摘录投诉分析的主要问题和改进措施";
  excerpt.copies = 1;
  excerpt.days = 7;
  excerpt.excerpt = services::ExcerptRange{40, 440};
  BAOMI_ASSIGN_OR_RETURN(auto asked, requests.create(leaker, excerpt));
  BAOMI_TRY(requests.approve(users.at("liu.yang"), asked.request.id, "同意，仅限例会使用"));
  BAOMI_ASSIGN_OR_RETURN(auto copy, copies.issue(leaker, asked.request.id));
  BAOMI_ASSIGN_OR_RETURN(auto artifact, copies.artifact(leaker, copy.serial));
  if (leak_file.empty()) return {};
  // The middle of the excerpt, cut at line boundaries as a person copies a paragraph: no
  // header, no footer, no visible serial; only the invisible fingerprint can name the copy.
  const std::string text(artifact.bytes.begin(), artifact.bytes.end());
  std::string leaked;
  bool inside = false;
  for (std::size_t at = 0; at < text.size();) {
    const auto end = std::min(text.find('\n', at), text.size());
    const std::string line = text.substr(at, end - at);
    const std::string visible = marking::strip_fingerprint(line);  // symbols sit between chars
    if (visible.rfind("二、主要问题", 0) == 0) inside = true;
    if (inside) leaked += line + "\n";
    if (inside && visible.rfind("三、改进措施", 0) == 0) break;
    at = end + 1;
  }
  if (leaked.empty()) {
    return Error::internal("the demo excerpt does not hold the expected paragraphs");
  }
  std::ofstream out(leak_file, std::ios::binary | std::ios::trunc);
  out << leaked;
  if (!out) return Error::unavailable("cannot write " + leak_file);
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

// S11: the archive (档案室) with its keepers and authorised staff, created by the security
// administrator, and one pending visit request: an outside auditor escorted by a keeper.
Result<void> load_area(const auth::Runtime& rt, services::Documents& documents,
                       const std::map<std::string, auth::User>& users) {
  std::optional<auth::User> secadmin;
  BAOMI_TRY(rt.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(secadmin, auth::find_user_by_username(rt, tx, "secadmin"));
    return {};
  }));
  if (!secadmin) return Error::internal("the instance has no 'secadmin' account");
  const auto& keeper = users.at("liu.yang");
  const auto& escort = users.at("li.na");
  const auto& requester = users.at("zhou.qiang");
  services::Areas areas(rt);
  BAOMI_ASSIGN_OR_RETURN(auto archive,
                         areas.create(*secadmin, {"档案室",
                                                  "archive",
                                                  "secret",
                                                  {keeper.id, escort.id, requester.id},
                                                  {keeper.id, escort.id},
                                                  {}}));
  services::Grants grants(rt);
  services::Requests requests(rt, documents, grants);
  services::RequestSpec visit;
  visit.type = "visit";
  visit.reason = "年度档案审计：核对 2025 年合同归档";
  const auto start = rt.now() + std::chrono::hours{24};
  visit.visit = services::VisitSpec{archive.id,
                                    {"郑明", "华信会计师事务所", "110101198805061234"},
                                    escort.id,
                                    start,
                                    start + std::chrono::hours{2}};
  BAOMI_TRY(requests.create(requester, visit));
  return {};
}

Result<void> load(Instance& inst, const std::string& password, const std::string& leak_file) {
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
  BAOMI_TRY(load_leak(rt, documents, users, ids.at(kLeakedDocumentTitle), leak_file));
  BAOMI_TRY(load_handovers(rt, users));
  BAOMI_TRY(load_area(rt, documents, users));
  return load_demo_customers(rt, users);
}

}  // namespace

int run_demo_load(const DemoOptions& o) {
  const auto paths = paths_of(o.data, o.keys, o.database);
  if (!paths.ok()) {
    std::cerr << "baomi demo load: " << paths.error().message << "\n";
    return 1;
  }
  // I1: a rotation killed half-way is finished or rolled back first, as `serve` does.
  if (auto recovered = recover_interrupted_rotation(*paths); !recovered.ok()) {
    std::cerr << "baomi demo load: " << recovered.error().message << "\n";
    return 1;
  }
  auto opened = open_instance(*paths, std::nullopt);
  if (!opened.ok()) {
    std::cerr << "baomi demo load: " << opened.error().message << "\n";
    return 1;
  }
  auto& inst = *opened.value();
  std::optional<auth::User> existing;
  (void)inst.runtime->store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(existing, auth::find_user_by_username(*inst.runtime, tx, "liu.yang"));
    return {};
  });
  if (existing) {
    std::cout << "demo organisation already loaded\n";
    return 0;
  }
  auto r = load(inst, o.password, o.leak_file);
  if (!r.ok()) {
    std::cerr << "baomi demo load: " << r.error().message << "\n";
    return 1;
  }
  std::cout << "demo organisation loaded: " << demo_users().size() << " staff, "
            << demo_documents().size() << " documents, 2 pending requests, " << kDemoCustomers
            << " customers, 2 handover slips (one awaiting confirmation), 1 issued excerpt, "
            << "1 restricted area (档案室) with 1 pending visit request"
            << (o.leak_file.empty() ? "" : " (its leaked text: " + o.leak_file + ")") << "\n";
  return 0;
}

}  // namespace baomi::cmd
