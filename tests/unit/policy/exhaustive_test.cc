// Exhaustive check of the decision engine: every subject role set × action × document level ×
// clearance × category relation × pledge × grant × ownership × holder × self-target × target
// roles is decided by the policy and compared with expected_outcome(), an independent
// restatement of RULES.md (S2, S4, S5, S6, S7, S8, separation of duties) written without any
// engine code.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "policy/policy.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

using R = Role;

enum class CatRel { kNone, kSubset, kExact, kSuperset, kDisjoint, kUncategorisedDoc };
enum class Owner { kOther, kCustodian, kAuthor, kBoth, kAnonymous };
enum class Target { kBusiness, kBusinessMulti, kAdmin, kMixed, kEmpty };

constexpr CatRel kRelations[] = {CatRel::kNone,     CatRel::kSubset,   CatRel::kExact,
                                 CatRel::kSuperset, CatRel::kDisjoint, CatRel::kUncategorisedDoc};
constexpr Owner kOwners[] = {Owner::kOther, Owner::kCustodian, Owner::kAuthor, Owner::kBoth,
                             Owner::kAnonymous};
constexpr Target kTargets[] = {Target::kBusiness, Target::kBusinessMulti, Target::kAdmin,
                               Target::kMixed, Target::kEmpty};
constexpr Level kLevels[] = {Level::kPublic, Level::kInternal, Level::kSecret, Level::kConfidential,
                             Level::kTopSecret};

// Single roles, business combinations, and combinations that break 三员分立.
const std::vector<std::vector<Role>> kSubjects = {
    {R::kStaff},
    {R::kGroupLeader},
    {R::kSupervisor},
    {R::kManager},
    {R::kCustodian},
    {R::kFrontDesk},
    {R::kSysadmin},
    {R::kSecadmin},
    {R::kAuditor},
    {R::kStaff, R::kCustodian},
    {R::kGroupLeader, R::kSupervisor, R::kManager},
    {R::kFrontDesk, R::kStaff},
    {R::kSysadmin, R::kSecadmin},
    {R::kAuditor, R::kStaff},
    {},
};

// The test's own statement of the settings the engine reads from the policy file.
struct Settings {
  std::vector<Role> creators;
  Level pledge_above;
};

struct Case {
  const std::vector<Role>* roles;
  Action action;
  Level doc_level;
  Level clearance;
  CatRel rel;
  bool pledge;
  bool grant;
  Owner owner;
  bool self_target;
  Target target;
  bool holder;  // the subject is the requester / holder / reporter of the resource
};

struct Expected {
  bool allowed;
  DenyAs as;
  std::string_view rule;
  std::string_view code;
};

bool holds(const std::vector<Role>& roles, Role r) {
  return std::find(roles.begin(), roles.end(), r) != roles.end();
}
bool is_admin_t(Role r) { return r == R::kSysadmin || r == R::kSecadmin || r == R::kAuditor; }

Expected ok(std::string_view rule) { return {true, DenyAs::kNone, rule, "ok"}; }
Expected no(DenyAs as, std::string_view rule, std::string_view code) {
  return {false, as, rule, code};
}

// Reads of an existing document: a subject who may not know it exists gets a 404 (S6; admins
// never see anything above public, SoD), then S2 pledge.
std::optional<Expected> document_gate(const Case& c, bool admin) {
  if (admin && c.doc_level != Level::kPublic) {
    return no(DenyAs::kNotFound, "SoD", "separation_of_duties");
  }
  if (c.doc_level > c.clearance) return no(DenyAs::kNotFound, "S6", "clearance");
  return std::nullopt;
}

bool pledge_missing(const Settings& cfg, const Case& c) {
  return c.doc_level > cfg.pledge_above && !c.pledge;
}

Expected admin_duty(const std::vector<Role>& roles, bool admin, std::initializer_list<Role> who) {
  for (Role r : who) {
    if (holds(roles, r)) return ok("SoD");
  }
  return no(DenyAs::kForbidden, "SoD", admin ? "separation_of_duties" : "role_not_allowed");
}

// Requests, grants, copies and incidents (S5, S6, S7, S8). A business gate first: what one may
// not know of is hidden (404), administrators do no business (SoD), the pledge comes first (S2).
std::optional<Expected> business_gate(const Settings& cfg, const Case& c, bool admin) {
  if (auto g = document_gate(c, admin)) return g;
  if (admin) return no(DenyAs::kForbidden, "SoD", "separation_of_duties");
  if (pledge_missing(cfg, c)) return no(DenyAs::kForbidden, "S2", "pledge_required");
  return std::nullopt;
}

Expected expected_before_hiding(const Settings& cfg, const Case& c, bool admin, bool custodian) {
  const auto& roles = *c.roles;
  const bool holder = c.holder && c.owner != Owner::kAnonymous;
  const bool auditor = holds(roles, R::kAuditor);
  const bool secadmin = holds(roles, R::kSecadmin);
  const Expected sep = no(DenyAs::kForbidden, "SoD", "separation_of_duties");
  switch (c.action) {
    case Action::kCreateRequest:
      if (auto g = business_gate(cfg, c, admin)) return *g;
      return ok("S7");
    case Action::kReadRequest:
      if (auditor) return ok("SoD");
      return holder ? ok("S7") : no(DenyAs::kForbidden, "S7", "not_requester");
    case Action::kCancelRequest:
      return holder ? ok("S7") : no(DenyAs::kForbidden, "S7", "not_requester");
    case Action::kReadAllRequests:
      return admin_duty(roles, admin, {R::kAuditor});
    case Action::kRevokeGrant:
      if (secadmin) return ok("SoD");
      if (auto g = business_gate(cfg, c, admin)) return *g;
      return custodian ? ok("S6") : no(DenyAs::kForbidden, "S6", "not_custodian");
    case Action::kIssueCopy:
      if (auto g = business_gate(cfg, c, admin)) return *g;
      return holder ? ok("S7") : no(DenyAs::kForbidden, "S7", "not_requester");
    case Action::kReadArtifact:
      if (auto g = business_gate(cfg, c, admin)) return *g;
      return holder ? ok("S5") : no(DenyAs::kForbidden, "S5", "not_holder");
    case Action::kReadCopy:
      if (auditor) return ok("SoD");
      if (auto g = business_gate(cfg, c, admin)) return *g;
      return custodian || holder ? ok("S5") : no(DenyAs::kForbidden, "S5", "not_holder");
    case Action::kListCopies:
      if (auditor) return ok("SoD");
      [[fallthrough]];
    case Action::kRecordCopyReturn:
      if (auto g = business_gate(cfg, c, admin)) return *g;
      return custodian ? ok("S5") : no(DenyAs::kForbidden, "S5", "not_custodian");
    case Action::kRevokeCopy:
      if (secadmin) return ok("SoD");
      if (auto g = business_gate(cfg, c, admin)) return *g;
      return custodian ? ok("S5") : no(DenyAs::kForbidden, "S5", "not_custodian");
    case Action::kReportLoss:
      // S8: the holder reports at once, whatever their clearance has become.
      if (admin) return sep;
      if (holder || custodian) return ok("S8");
      if (c.doc_level > c.clearance) return no(DenyAs::kNotFound, "S6", "clearance");
      return no(DenyAs::kForbidden, "S8", "not_holder");
    case Action::kReadIncident:
    case Action::kUpdateIncident:
      if (secadmin) return ok("SoD");
      if (auditor && c.action == Action::kReadIncident) return ok("SoD");
      if (admin) return sep;
      return holder || custodian ? ok("S8") : no(DenyAs::kForbidden, "S8", "not_involved");
    case Action::kCloseIncident:
      return admin_duty(roles, admin, {R::kSecadmin});
    case Action::kReadAllIncidents:
      return admin_duty(roles, admin, {R::kSecadmin, R::kAuditor});
    case Action::kReadOwnAlerts:
      return admin ? sep : ok("S8");
    default:
      break;
  }
  return no(DenyAs::kForbidden, "", "unknown_action");
}

// S9: refusals about a copy answer like a missing serial to whoever may not know of the copy.
Expected expected_workflow(const Settings& cfg, const Case& c, bool admin, bool custodian) {
  Expected e = expected_before_hiding(cfg, c, admin, custodian);
  const auto& roles = *c.roles;
  const bool about_a_copy = c.action == Action::kReadArtifact || c.action == Action::kReadCopy ||
                            c.action == Action::kRecordCopyReturn ||
                            c.action == Action::kRevokeCopy || c.action == Action::kReportLoss;
  const bool knows = (c.holder && c.owner != Owner::kAnonymous) || custodian ||
                     holds(roles, R::kSecadmin) || holds(roles, R::kAuditor);
  if (about_a_copy && !e.allowed && e.as == DenyAs::kForbidden && !knows) e.as = DenyAs::kNotFound;
  return e;
}

Expected expected_outcome(const Settings& cfg, const Case& c) {
  const auto& roles = *c.roles;
  const bool on_existing_doc =
      c.action == Action::kReadDocumentMetadata || c.action == Action::kReadDocumentContent ||
      c.action == Action::kUploadDocumentContent || c.action == Action::kReadOldVersion;
  // S10: investigations do not exist for anyone but the auditor, whatever else is wrong.
  const bool hidden_case = c.action == Action::kInvestigate;
  const DenyAs early = on_existing_doc || hidden_case ? DenyAs::kNotFound : DenyAs::kForbidden;
  int admins = 0;
  for (Role r : roles) admins += is_admin_t(r) ? 1 : 0;
  const int business = static_cast<int>(roles.size()) - admins;
  if (roles.empty()) return no(early, "SoD", "role_not_allowed");
  if (admins > 1 || (admins == 1 && business > 0)) {
    return no(early, "SoD", "separation_of_duties");
  }
  const bool admin = admins == 1;
  const bool has_categories =
      c.rel == CatRel::kExact || c.rel == CatRel::kSuperset || c.rel == CatRel::kUncategorisedDoc;
  const bool custodian = c.owner == Owner::kCustodian || c.owner == Owner::kBoth;
  const bool author = c.owner == Owner::kAuthor || c.owner == Owner::kBoth;
  const bool target_has_admin = c.target == Target::kAdmin || c.target == Target::kMixed;

  switch (c.action) {
    case Action::kReadDocumentMetadata:
      if (auto g = document_gate(c, admin)) return *g;
      if (pledge_missing(cfg, c)) return no(DenyAs::kForbidden, "S2", "pledge_required");
      return ok("S6");
    case Action::kReadDocumentContent:
      if (auto g = document_gate(c, admin)) return *g;
      if (pledge_missing(cfg, c)) return no(DenyAs::kForbidden, "S2", "pledge_required");
      if (has_categories) return ok("S6");
      if (c.grant) return {true, DenyAs::kNone, "S6", "grant"};
      return no(DenyAs::kForbidden, "S6", "need_to_know");
    case Action::kUploadDocumentContent:
      if (auto g = document_gate(c, admin)) return *g;
      if (admin) return no(DenyAs::kForbidden, "SoD", "separation_of_duties");
      if (pledge_missing(cfg, c)) return no(DenyAs::kForbidden, "S2", "pledge_required");
      if (custodian || author) return ok("S5");
      return no(DenyAs::kForbidden, "S5", "not_custodian");
    case Action::kReadOldVersion:
      if (auto g = document_gate(c, admin)) return *g;
      if (admin) return no(DenyAs::kForbidden, "SoD", "separation_of_duties");
      if (pledge_missing(cfg, c)) return no(DenyAs::kForbidden, "S2", "pledge_required");
      if (custodian) return ok("S5");
      return no(DenyAs::kForbidden, "S5", "not_custodian");
    case Action::kCreateDocument: {
      if (admin) return no(DenyAs::kForbidden, "SoD", "separation_of_duties");
      bool creator = false;
      for (Role r : cfg.creators) creator = creator || holds(roles, r);
      if (!creator) return no(DenyAs::kForbidden, "S4", "role_not_allowed");
      if (c.doc_level > c.clearance) return no(DenyAs::kForbidden, "S6", "clearance");
      if (pledge_missing(cfg, c)) return no(DenyAs::kForbidden, "S2", "pledge_required");
      if (!has_categories) return no(DenyAs::kForbidden, "S6", "need_to_know");
      return ok("S4");
    }
    case Action::kCreateUser:
      if (!holds(roles, R::kSysadmin)) return admin_duty(roles, admin, {R::kSysadmin});
      if (target_has_admin) return no(DenyAs::kForbidden, "SoD", "admin_role_not_allowed");
      return ok("SoD");
    case Action::kSetClearance:
      if (!holds(roles, R::kSecadmin)) return admin_duty(roles, admin, {R::kSecadmin});
      if (c.self_target) return no(DenyAs::kForbidden, "SoD", "separation_of_duties");
      if (target_has_admin) return no(DenyAs::kForbidden, "SoD", "admin_role_not_allowed");
      return ok("SoD");
    case Action::kReadUsers:
      return admin_duty(roles, admin, {R::kSysadmin, R::kSecadmin});
    case Action::kReadAudit:
      return admin_duty(roles, admin, {R::kAuditor});
    case Action::kReadAlerts:
      return admin_duty(roles, admin, {R::kAuditor, R::kSecadmin});
    case Action::kReadMetrics:
      return admin_duty(roles, admin, {R::kSysadmin});
    case Action::kSealInstance:
    case Action::kRotateKeys:
    case Action::kReadKeyStatus:
      return admin_duty(roles, admin, {R::kSecadmin});
    case Action::kAcceptPledge:
      return ok("S2");
    case Action::kInvestigate:
      // S10: the audit administrator's duty, and a 404 to everyone else (never a 403).
      return holds(roles, R::kAuditor) ? ok("S10")
                                       : no(DenyAs::kNotFound, "S10", "role_not_allowed");
    default:
      return expected_workflow(cfg, c, admin, custodian);
  }
  return no(DenyAs::kForbidden, "", "unknown_action");
}

// ---- building engine inputs from a Case ----

CategorySet cats(const Policy& p, std::initializer_list<const char*> names) {
  CategorySet set = 0;
  for (const char* n : names) set |= category_bit(*p.category_index(n));
  return set;
}

std::pair<CategorySet, CategorySet> subject_and_doc_categories(const Policy& p, CatRel rel) {
  const CategorySet doc = cats(p, {"finance", "personnel"});
  switch (rel) {
    case CatRel::kNone:
      return {0, doc};
    case CatRel::kSubset:
      return {cats(p, {"finance"}), doc};
    case CatRel::kExact:
      return {doc, doc};
    case CatRel::kSuperset:
      return {cats(p, {"finance", "personnel", "technology"}), doc};
    case CatRel::kDisjoint:
      return {cats(p, {"technology"}), doc};
    case CatRel::kUncategorisedDoc:
      return {cats(p, {"technology"}), 0};
  }
  return {0, 0};
}

RoleSet role_set_of(const std::vector<Role>& roles) {
  RoleSet set = 0;
  for (Role r : roles) set |= role_bit(r);
  return set;
}

RoleSet target_roles(Target t) {
  switch (t) {
    case Target::kBusiness:
      return role_bit(R::kStaff);
    case Target::kBusinessMulti:
      return role_bit(R::kStaff) | role_bit(R::kCustodian);
    case Target::kAdmin:
      return role_bit(R::kSecadmin);
    case Target::kMixed:
      return role_bit(R::kAuditor) | role_bit(R::kStaff);
    case Target::kEmpty:
      return 0;
  }
  return 0;
}

// Category sets per relation, looked up once per grid rather than once per case.
using RelationTable = std::map<CatRel, std::pair<CategorySet, CategorySet>>;

Decision decide_case(const Policy& p, const RelationTable& rels, const Case& c) {
  const auto [subject_cats, doc_cats] = rels.at(c.rel);
  Subject s{.roles = role_set_of(*c.roles),
            .clearance = c.clearance,
            .categories = subject_cats,
            .pledge_accepted = c.pledge,
            .is_self_target = c.self_target,
            .id = c.owner == Owner::kAnonymous ? "" : "u-subject"};
  Resource r{.level = c.doc_level,
             .categories = doc_cats,
             .custodian_id = "u-custodian",
             .author_id = "u-author",
             .target_roles = target_roles(c.target),
             .has_active_grant = c.grant};
  if (c.owner == Owner::kCustodian || c.owner == Owner::kBoth) r.custodian_id = "u-subject";
  if (c.owner == Owner::kAuthor || c.owner == Owner::kBoth) r.author_id = "u-subject";
  r.holder_id = c.holder ? "u-subject" : "u-holder";
  if (c.owner == Owner::kAnonymous) {
    r.custodian_id = r.author_id = r.holder_id = "";  // "" never matches ""
  }
  return p.decide(s, c.action, r, Context{from_micros(1'700'000'000'000'000)});
}

std::string describe(const Case& c, const Decision& got, const Expected& want) {
  std::ostringstream out;
  out << "roles=[";
  for (Role r : *c.roles) out << role_api_name(r) << ' ';
  out << "] action=" << action_name(c.action) << " doc=" << level_api_name(c.doc_level)
      << " clearance=" << level_api_name(c.clearance) << " rel=" << static_cast<int>(c.rel)
      << " pledge=" << c.pledge << " grant=" << c.grant << " owner=" << static_cast<int>(c.owner)
      << " self=" << c.self_target << " target=" << static_cast<int>(c.target)
      << " holder=" << c.holder << " | got " << got.allowed << '/' << static_cast<int>(got.deny_as)
      << '/' << got.rule << '/' << got.code << " want " << want.allowed << '/'
      << static_cast<int>(want.as) << '/' << want.rule << '/' << want.code;
  return out.str();
}

using Outcome = std::tuple<bool, DenyAs, std::string, std::string>;

struct GridReport {
  long cases = 0;
  long mismatches = 0;
  std::vector<std::string> samples;
  std::set<Outcome> outcomes;
};

bool matches(const Decision& got, const Expected& want) {
  return got.allowed == want.allowed && got.deny_as == want.as && got.rule == want.rule &&
         got.code == want.code && !got.reason.empty();
}

// Runs every combination for the given actions, comparing the policy with expected_outcome().
class Grid {
 public:
  Grid(const Policy& p, const Settings& cfg) : policy_(p), cfg_(cfg) {
    for (CatRel rel : kRelations) rels_[rel] = subject_and_doc_categories(p, rel);
  }

  GridReport run(std::initializer_list<Action> actions) {
    for (const auto& roles : kSubjects)
      for (Action a : actions)
        for (Level doc : kLevels)
          for (Level clearance : kLevels)
            for (CatRel rel : kRelations)
              for (bool pledge : {false, true})
                for (bool grant : {false, true})
                  for (Owner owner : kOwners)
                    for (bool self : {false, true})
                      for (Target t : kTargets)
                        for (bool holder : {false, true})
                          check({&roles, a, doc, clearance, rel, pledge, grant, owner, self, t,
                                 holder});
    for (const auto& [k, n] : seen_) {
      report_.outcomes.insert({std::get<0>(k), std::get<1>(k), std::string(std::get<2>(k)),
                               std::string(std::get<3>(k))});
    }
    return report_;
  }

 private:
  void check(const Case& c) {
    const Decision got = decide_case(policy_, rels_, c);
    const Expected want = expected_outcome(cfg_, c);
    ++report_.cases;
    ++seen_[{got.allowed, got.deny_as, got.rule, got.code}];
    if (!matches(got, want)) {
      if (report_.samples.size() < 20) report_.samples.push_back(describe(c, got, want));
      ++report_.mismatches;
    }
  }

  const Policy& policy_;
  const Settings& cfg_;
  RelationTable rels_;
  GridReport report_;
  std::map<std::tuple<bool, DenyAs, std::string_view, std::string_view>, long> seen_;
};

GridReport run_grid(const Policy& p, const Settings& cfg, std::initializer_list<Action> actions) {
  return Grid(p, cfg).run(actions);
}

long grid_size(std::size_t actions) {
  return static_cast<long>(kSubjects.size() * actions * 5 * 5 * std::size(kRelations) * 2 * 2 *
                           std::size(kOwners) * 2 * std::size(kTargets) * 2);
}

void expect_clean(const GridReport& report, std::size_t actions) {
  EXPECT_EQ(report.cases, grid_size(actions));
  EXPECT_EQ(report.mismatches, 0);
  for (const auto& s : report.samples) ADD_FAILURE() << s;
}

void expect_seen(const GridReport& report, std::initializer_list<Outcome> outcomes) {
  for (const auto& o : outcomes) {
    EXPECT_TRUE(report.outcomes.count(o))
        << "never produced: " << std::get<0>(o) << '/' << static_cast<int>(std::get<1>(o)) << '/'
        << std::get<2>(o) << '/' << std::get<3>(o);
  }
}

const Settings kDefaultSettings{
    {R::kStaff, R::kGroupLeader, R::kSupervisor, R::kManager, R::kCustodian, R::kFrontDesk},
    Level::kPublic};

const Outcome kAllowOk{true, DenyAs::kNone, "S6", "ok"};
const Outcome kHiddenByClearance{false, DenyAs::kNotFound, "S6", "clearance"};
const Outcome kHiddenFromAdmin{false, DenyAs::kNotFound, "SoD", "separation_of_duties"};
const Outcome kPledge{false, DenyAs::kForbidden, "S2", "pledge_required"};

class PolicyExhaustive : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { policy_ = new Policy(testing::load_default_policy()); }
  static void TearDownTestSuite() {
    delete policy_;
    policy_ = nullptr;
  }
  static Policy* policy_;
};
Policy* PolicyExhaustive::policy_ = nullptr;

TEST_F(PolicyExhaustive, S2_S4_S6_ReadMetadataAndContent_EveryCombination) {
  const auto report = run_grid(*policy_, kDefaultSettings,
                               {Action::kReadDocumentMetadata, Action::kReadDocumentContent});
  expect_clean(report, 2);
  expect_seen(report, {kAllowOk,
                       kHiddenByClearance,
                       kHiddenFromAdmin,
                       kPledge,
                       {true, DenyAs::kNone, "S6", "grant"},
                       {false, DenyAs::kForbidden, "S6", "need_to_know"},
                       {false, DenyAs::kNotFound, "SoD", "separation_of_duties"},
                       {false, DenyAs::kNotFound, "SoD", "role_not_allowed"}});
}

TEST_F(PolicyExhaustive, S2_S4_S6_CreateDocument_EveryCombination) {
  const auto report = run_grid(*policy_, kDefaultSettings, {Action::kCreateDocument});
  expect_clean(report, 1);
  expect_seen(report, {{true, DenyAs::kNone, "S4", "ok"},
                       {false, DenyAs::kForbidden, "S6", "clearance"},
                       {false, DenyAs::kForbidden, "S6", "need_to_know"},
                       {false, DenyAs::kForbidden, "SoD", "separation_of_duties"},
                       kPledge});
}

TEST_F(PolicyExhaustive, S2_S5_UploadContentAndOldVersions_EveryCombination) {
  const auto report = run_grid(*policy_, kDefaultSettings,
                               {Action::kUploadDocumentContent, Action::kReadOldVersion});
  expect_clean(report, 2);
  expect_seen(report, {{true, DenyAs::kNone, "S5", "ok"},
                       {false, DenyAs::kForbidden, "S5", "not_custodian"},
                       {false, DenyAs::kForbidden, "SoD", "separation_of_duties"},
                       kHiddenByClearance,
                       kHiddenFromAdmin,
                       kPledge});
}

TEST_F(PolicyExhaustive, SoD_AdminDutiesAndPledge_EveryCombination) {
  const auto report =
      run_grid(*policy_, kDefaultSettings,
               {Action::kCreateUser, Action::kSetClearance, Action::kReadUsers, Action::kReadAudit,
                Action::kReadAlerts, Action::kReadMetrics, Action::kSealInstance,
                Action::kRotateKeys, Action::kReadKeyStatus, Action::kAcceptPledge});
  expect_clean(report, 10);
  expect_seen(report, {{true, DenyAs::kNone, "SoD", "ok"},
                       {true, DenyAs::kNone, "S2", "ok"},
                       {false, DenyAs::kForbidden, "SoD", "admin_role_not_allowed"},
                       {false, DenyAs::kForbidden, "SoD", "separation_of_duties"},
                       {false, DenyAs::kForbidden, "SoD", "role_not_allowed"}});
}

// The same grid under other settings: creators restricted, pledge only above internal.
TEST_F(PolicyExhaustive, S2_S4_SettingsFromPolicyData_EveryCombination) {
  PolicyData data;
  data.documents.creator_roles = role_bit(R::kCustodian) | role_bit(R::kManager);
  data.documents.pledge_required_above = Level::kInternal;
  const Policy custom(data, "custom");
  const Settings cfg{{R::kCustodian, R::kManager}, Level::kInternal};
  const auto report = run_grid(
      custom, cfg,
      {Action::kCreateDocument, Action::kReadDocumentMetadata, Action::kReadDocumentContent,
       Action::kUploadDocumentContent, Action::kReadOldVersion});
  expect_clean(report, 5);
  expect_seen(report, {{false, DenyAs::kForbidden, "S4", "role_not_allowed"}, kPledge});
}

TEST_F(PolicyExhaustive, S5_S6_S7_RequestsGrantsAndCopies_EveryCombination) {
  const auto report = run_grid(
      *policy_, kDefaultSettings,
      {Action::kCreateRequest, Action::kReadRequest, Action::kCancelRequest,
       Action::kReadAllRequests, Action::kRevokeGrant, Action::kIssueCopy, Action::kReadArtifact,
       Action::kReadCopy, Action::kListCopies, Action::kRecordCopyReturn, Action::kRevokeCopy});
  expect_clean(report, 11);
  expect_seen(report, {{true, DenyAs::kNone, "S7", "ok"},
                       {true, DenyAs::kNone, "S6", "ok"},
                       {true, DenyAs::kNone, "S5", "ok"},
                       {true, DenyAs::kNone, "SoD", "ok"},
                       {false, DenyAs::kForbidden, "S7", "not_requester"},
                       {false, DenyAs::kForbidden, "S5", "not_holder"},
                       {false, DenyAs::kNotFound, "S5", "not_holder"},  // S9: serial oracle
                       {false, DenyAs::kForbidden, "S5", "not_custodian"},
                       {false, DenyAs::kNotFound, "S5", "not_custodian"},
                       {false, DenyAs::kForbidden, "S6", "not_custodian"},
                       {false, DenyAs::kForbidden, "SoD", "separation_of_duties"},
                       kHiddenByClearance,
                       kHiddenFromAdmin,
                       kPledge});
}

TEST_F(PolicyExhaustive, S8_LossReportsIncidentsAndAlerts_EveryCombination) {
  const auto report =
      run_grid(*policy_, kDefaultSettings,
               {Action::kReportLoss, Action::kReadIncident, Action::kUpdateIncident,
                Action::kCloseIncident, Action::kReadAllIncidents, Action::kReadOwnAlerts});
  expect_clean(report, 6);
  expect_seen(report, {{true, DenyAs::kNone, "S8", "ok"},
                       {true, DenyAs::kNone, "SoD", "ok"},
                       {false, DenyAs::kNotFound, "S8", "not_holder"},  // S9: serial oracle
                       {false, DenyAs::kForbidden, "S8", "not_involved"},
                       {false, DenyAs::kForbidden, "SoD", "separation_of_duties"},
                       {false, DenyAs::kForbidden, "SoD", "role_not_allowed"},
                       kHiddenByClearance});
}

TEST_F(PolicyExhaustive, S10_S9_InvestigationsAuditorOnlyElseNotFound_EveryCombination) {
  const auto report = run_grid(*policy_, kDefaultSettings, {Action::kInvestigate});
  expect_clean(report, 1);
  expect_seen(report, {{true, DenyAs::kNone, "S10", "ok"},
                       {false, DenyAs::kNotFound, "S10", "role_not_allowed"},
                       {false, DenyAs::kNotFound, "SoD", "separation_of_duties"},
                       {false, DenyAs::kNotFound, "SoD", "role_not_allowed"}});
}

}  // namespace
}  // namespace baomi::policy
