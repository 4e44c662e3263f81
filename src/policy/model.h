// The vocabulary of every access decision: levels, categories, roles, actions, and the
// subject/resource/context triple the policy engine judges, plus the Decision it returns.
// Everything here is a small value type built from enums and bitsets so that a decision
// needs no allocation. Plain values: safe to copy and share between threads.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace baomi::policy {

// Classification levels, lowest to highest. The API names are fixed (API.md); the
// markings (公开, 内部, 秘密, 机密, 绝密) come from the policy file.
enum class Level : std::uint8_t { kPublic, kInternal, kSecret, kConfidential, kTopSecret };
inline constexpr int kLevelCount = 5;

// Categories (S4 compartments) are the policy's names; a set is a bitset over the indices
// the policy assigns (0..31), so at most 32 categories.
using CategorySet = std::uint32_t;
inline constexpr int kMaxCategories = 32;

enum class Role : std::uint8_t {
  kStaff,
  kGroupLeader,
  kSupervisor,
  kManager,
  kCustodian,
  kFrontDesk,
  kSysadmin,
  kSecadmin,
  kAuditor,
  // S11: a device account, not a person: a badge reader at the door of restricted areas. It
  // may only record entries and exits at the areas it serves, and it holds no other role.
  kDoorTerminal,
};
inline constexpr int kRoleCount = 10;
using RoleSet = std::uint32_t;

enum class Action : std::uint8_t {
  kCreateDocument,
  kReadDocumentMetadata,  // also decides which documents a listing may show
  kReadDocumentContent,
  kUploadDocumentContent,
  kReadOldVersion,
  kCreateUser,
  kSetClearance,  // clearance level and categories
  kReadUsers,
  kReadAudit,  // list entries, verify the chain, read checkpoints
  kReadAlerts,
  kReadMetrics,
  kAcceptPledge,
  // Requests, grants, copies and loss reports (S5, S6, S7, S8). `Resource::holder_id` names
  // the requester of a request, the holder of a grant or copy, or the reporter of an incident.
  kCreateRequest,     // ask for access, a copy, ... of a document one may know of
  kReadRequest,       // requester or auditor (approvers are decided by approvals.h)
  kCancelRequest,     // the requester withdraws it
  kReadAllRequests,   // list every request (auditor)
  kRevokeGrant,       // end a grant at once: custodian or secadmin
  kIssueCopy,         // take a copy of one's own approved request
  kReadArtifact,      // download a copy's marked artifact: its holder
  kReadCopy,          // a copy's record: holder, custodian, auditor
  kListCopies,        // a document's copies: custodian, auditor
  kRecordCopyReturn,  // record a copy returned or destroyed: custodian
  kRevokeCopy,        // revoke a copy: custodian or secadmin
  kReportLoss,        // report a copy or notes lost: holder or custodian
  kReadIncident,      // reporter, custodian, secadmin, auditor
  kUpdateIncident,    // add a remediation step: reporter, custodian, secadmin
  kCloseIncident,     // secadmin
  kReadAllIncidents,  // secadmin, auditor
  kReadOwnAlerts,     // alerts addressed to oneself as custodian: business accounts
  // Handover slips (H1, H2, H3, I1, I2). `Resource::author_id` is the slip's author,
  // `Resource::department` the department of the copy acted on. Slips are kept at the level
  // the policy's `handovers.level` names.
  kCreateHandover,       // write a slip at the end of a shift: the centre's staff
  kReadHandover,         // the author, the receiving departments, supervisors
  kAcknowledgeHandover,  // a member of the copy's department, never the author
  kConfirmHandover,      // H2: the receiving side or a supervisor, never the author (I2)
  kCorrectHandover,      // I1: a new version with a reason: the author or a supervisor
  kSuperviseHandovers,   // every slip of the centre, overdue lists: supervisor roles
  kDeleteHandover,       // H3: secadmin, after the retention period (the service checks it)
  kHoldRecord,           // H3: place or lift a legal hold: secadmin or auditor
  // Customer records (C1 to C5, H4). `Resource::level/categories` are the record's;
  // `Resource::fields` names the fields to unmask.
  kCreateCustomer,       // C1: the centre's staff, at or below their clearance
  kReadCustomer,         // C1, C3: masked view of one record (hidden: 404)
  kUpdateCustomer,       // I1: corrections are audited new versions of the fields
  kSearchCustomers,      // C1: exact search; results are filtered by kReadCustomer
  kUnmaskCustomer,       // C3: the named fields in clear, with a reason
  kAddContact,           // C5: append an entry to a customer's contact log
  kReadContacts,         // C5: a customer's contact log
  kExportCustomers,      // C2: ask for a bulk export (an approval workflow follows)
  kSubmitWeeklySummary,  // H4: one's own weekly summary
  kReadWeeklyReports,    // H4: everyone's raw logs, summaries and who is late: supervisors
  // S10: open, read, list, add evidence to and close leak investigations, read their
  // timelines: the audit administrator only; to anyone else a case does not exist (404).
  kInvestigate,
  // Restricted areas (S11): the information room, archive and computer room. The service
  // supplies the facts about the area (Resource::area) and the person entering (Subject).
  kManageAreas,    // create areas, change their authorised, keeper and terminal lists
  kReadArea,       // an area's record: secadmin, auditor, its keepers and terminals
  kRecordPassage,  // record an entry or exit at an area: its door terminals and keepers
  kEnterArea,      // Subject = the person entering: authorised staff only
  kAdmitVisitor,   // S11: a visitor with an approved visit and an authorised escort inside
  kReadAreaLog,    // who is inside, the entry log: auditor, secadmin, the area's keepers
  // Alerts (S8, S9, C4, H2, S11): acting on one. The security administrator acknowledges (the
  // episode is being handled); the security administrator or the auditor closes it with a
  // finding (kReadAlerts decides who sees them).
  kAcknowledgeAlert,
  kCloseAlert,
  // Seal a running server at once (keys leave memory; K key shares unseal it): the security
  // administrator (SoD).
  kSealInstance,
  // Departments (A2: the org chart is data). The system administrator adds departments under
  // existing ones, renames and retires them; the security administrator and the auditor read
  // the chart (三员分立: who sits where is account administration, the sysadmin's duty).
  kManageDepartments,
  kReadDepartments,
  // S11, C3: a visit request's visitor (name, id number) in clear, for a reason: the area's
  // keepers (they check who is at the door) and the security administrator.
  kUnmaskVisitor,
  // S5, H3: carry out an approved destruction (crypto-shredding) of a document or one of its
  // versions: the document's custodian (the service checks the approval, hold and retention).
  kDestroyDocument,
  // Key lifecycle (docs/operations.md, "Key rotation"): rotating the key-encryption key and
  // reading which KEK versions wrap how many keys: the security administrator (SoD).
  kRotateKeys,
  kReadKeyStatus,
};
inline constexpr int kActionCount = 65;

// Customer record fields (C3). Every one is sealed on its own; the policy says per role
// which ones may be shown unmasked.
enum class CustomerField : std::uint8_t {
  kName,
  kPhone,
  kIdNumber,
  kQq,
  kEmail,
  kAccount,
  kAddress,
  kProducts,
  kNotes,
};
inline constexpr int kCustomerFieldCount = 9;
using FieldSet = std::uint16_t;
inline constexpr FieldSet kAllCustomerFields = (FieldSet{1} << kCustomerFieldCount) - 1;
constexpr FieldSet field_bit(CustomerField f) {
  return static_cast<FieldSet>(FieldSet{1} << static_cast<unsigned>(f));
}

// Departments are indices into the policy's organisation chart (at most 256).
inline constexpr int kMaxDepartments = 256;
using DepartmentSet = std::bitset<kMaxDepartments>;

constexpr RoleSet role_bit(Role r) { return RoleSet{1} << static_cast<unsigned>(r); }
constexpr bool has_role(RoleSet set, Role r) { return (set & role_bit(r)) != 0; }
constexpr CategorySet category_bit(int index) {
  return CategorySet{1} << static_cast<unsigned>(index);
}
// True when every member of `sub` is in `super`.
constexpr bool contains_all(CategorySet super, CategorySet sub) { return (sub & ~super) == 0; }

// 三员分立: the three administrator roles; no account holds two, none holds a business role.
inline constexpr RoleSet kAdminRoles =
    role_bit(Role::kSysadmin) | role_bit(Role::kSecadmin) | role_bit(Role::kAuditor);
inline constexpr RoleSet kBusinessRoles = role_bit(Role::kStaff) | role_bit(Role::kGroupLeader) |
                                          role_bit(Role::kSupervisor) | role_bit(Role::kManager) |
                                          role_bit(Role::kCustodian) | role_bit(Role::kFrontDesk);
// Device accounts (S11 door terminals) hold exactly one device role and nothing else.
inline constexpr RoleSet kDeviceRoles = role_bit(Role::kDoorTerminal);
inline constexpr RoleSet kAllRoles = kAdminRoles | kBusinessRoles | kDeviceRoles;
constexpr bool is_admin_role(Role r) { return (kAdminRoles & role_bit(r)) != 0; }
constexpr bool is_device_role(Role r) { return (kDeviceRoles & role_bit(r)) != 0; }

// Fixed API names ("public", "top_secret", "group_leader", "read_document_content", ...).
std::string_view level_api_name(Level level);
std::optional<Level> level_from_api_name(std::string_view name);
std::string_view role_api_name(Role role);
std::optional<Role> role_from_api_name(std::string_view name);
std::string_view action_name(Action action);
std::string_view customer_field_api_name(CustomerField field);
std::optional<CustomerField> customer_field_from_api_name(std::string_view name);

// Who is asking. `id` is needed only to recognise the custodian or author of a document.
struct Subject {
  RoleSet roles = 0;
  Level clearance = Level::kPublic;
  CategorySet categories = 0;
  bool pledge_accepted = false;
  bool is_self_target = false;  // the action targets the subject's own account
  std::string_view id;
  int department = -1;  // index in the organisation chart; -1: none the chart knows
};

// What is asked about. Document fields matter for document actions; target_roles for
// account actions. Defaults fail closed (top secret, no grant).
struct Resource {
  Level level = Level::kTopSecret;
  CategorySet categories = 0;
  std::string_view custodian_id;
  std::string_view author_id;
  // kCreateUser: the roles requested for the new account; kSetClearance: the target's roles.
  RoleSet target_roles = 0;
  // S6: an approved, unexpired, time-limited grant supplies need-to-know (never clearance).
  bool has_active_grant = false;
  // Requests, grants, copies, incidents: whose they are (see Action).
  std::string_view holder_id;
  // Handover slips: the department of the copy acted on (-1: none).
  int department = -1;
  // kUnmaskCustomer: the fields asked for.
  FieldSet fields = 0;
  // Restricted areas (S11): what the service established about the area acted on.
  struct AreaFacts {
    bool subject_keeps = false;       // the subject is one of the area's keepers
    bool subject_serves = false;      // the subject is one of the area's door terminals
    bool subject_authorised = false;  // the subject is on the area's authorised list
    bool requestable = false;         // the area lets staff cleared for its level ask for visits
    bool person_authorised = false;   // kEnterArea: the person is on the authorised list
    bool visit_approved = false;      // kAdmitVisitor: an approved visit, within its window
    bool escort_authorised = false;   // kAdmitVisitor: the escort is on the authorised list
    bool escort_inside = false;       // kAdmitVisitor: the escort is inside the area now
  } area;
};

struct Context {
  TimePoint now;
};

// How a refusal must look to the client: kNotFound when even the document's existence must
// not leak (API.md 404), kForbidden otherwise (403).
enum class DenyAs : std::uint8_t { kNone, kNotFound, kForbidden };

// The views point at static strings: a Decision may be kept as long as you like.
struct Decision {
  bool allowed = false;
  DenyAs deny_as = DenyAs::kForbidden;
  std::string_view rule;    // RULES.md id that decided, e.g. "S6"; "SoD" = separation of duties
  std::string_view code;    // snake_case API code, e.g. "need_to_know"; "ok"/"grant" on allow
  std::string_view reason;  // a human sentence that reveals nothing secret
};

// RULES.md ids a Decision may carry.
namespace rule {
inline constexpr std::string_view kS2 = "S2";
inline constexpr std::string_view kS4 = "S4";
inline constexpr std::string_view kS5 = "S5";
inline constexpr std::string_view kS6 = "S6";
inline constexpr std::string_view kS7 = "S7";
inline constexpr std::string_view kS8 = "S8";
inline constexpr std::string_view kS10 = "S10";
inline constexpr std::string_view kS11 = "S11";
inline constexpr std::string_view kH1 = "H1";
inline constexpr std::string_view kH2 = "H2";
inline constexpr std::string_view kH3 = "H3";
inline constexpr std::string_view kH4 = "H4";
inline constexpr std::string_view kC1 = "C1";
inline constexpr std::string_view kC2 = "C2";
inline constexpr std::string_view kC3 = "C3";
inline constexpr std::string_view kC5 = "C5";
inline constexpr std::string_view kI1 = "I1";
inline constexpr std::string_view kI2 = "I2";
inline constexpr std::string_view kSoD = "SoD";  // RULES.md "Separation of duties" (三员分立)
}  // namespace rule

// Decision codes (docs/policy.md lists when each is given).
namespace code {
inline constexpr std::string_view kOk = "ok";
inline constexpr std::string_view kGrant = "grant";  // allowed through an active S6 grant
inline constexpr std::string_view kPledgeRequired = "pledge_required";
inline constexpr std::string_view kClearance = "clearance";
inline constexpr std::string_view kNeedToKnow = "need_to_know";
inline constexpr std::string_view kNotCustodian = "not_custodian";
inline constexpr std::string_view kRoleNotAllowed = "role_not_allowed";
inline constexpr std::string_view kSeparationOfDuties = "separation_of_duties";
inline constexpr std::string_view kAdminRoleNotAllowed = "admin_role_not_allowed";
inline constexpr std::string_view kUnknownAction = "unknown_action";
inline constexpr std::string_view kNotRequester = "not_requester";
inline constexpr std::string_view kNotHolder = "not_holder";
inline constexpr std::string_view kNotInvolved = "not_involved";
inline constexpr std::string_view kOutsideCentre = "outside_centre";                  // C1
inline constexpr std::string_view kOwnSlip = "own_slip";                              // I2
inline constexpr std::string_view kNotReceiver = "not_receiver";                      // H1, H2
inline constexpr std::string_view kNotAuthor = "not_author";                          // I1
inline constexpr std::string_view kUnmaskNotAllowed = "unmask_not_allowed";           // C3
inline constexpr std::string_view kDeviceAccount = "device_account";                  // S11
inline constexpr std::string_view kNotAuthorisedForArea = "not_authorised_for_area";  // S11
inline constexpr std::string_view kNotKeeper = "not_keeper";                          // S11
inline constexpr std::string_view kVisitNotApproved = "visit_not_approved";           // S11
inline constexpr std::string_view kEscortNotInside = "escort_not_inside";             // S11
}  // namespace code

}  // namespace baomi::policy
