#include "policy/model.h"

#include <array>

#include "core/enum_names.h"

namespace baomi::policy {
namespace {

constexpr std::array<std::string_view, kLevelCount> kLevelNames = {"public", "internal", "secret",
                                                                   "confidential", "top_secret"};

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "staff",      "group_leader", "supervisor", "manager", "custodian",
    "front_desk", "sysadmin",     "secadmin",   "auditor", "door_terminal"};

constexpr std::array<std::string_view, kActionCount> kActionNames = {"create_document",
                                                                     "read_document_metadata",
                                                                     "read_document_content",
                                                                     "upload_document_content",
                                                                     "read_old_version",
                                                                     "create_user",
                                                                     "set_clearance",
                                                                     "read_users",
                                                                     "read_audit",
                                                                     "read_alerts",
                                                                     "read_metrics",
                                                                     "accept_pledge",
                                                                     "create_request",
                                                                     "read_request",
                                                                     "cancel_request",
                                                                     "read_all_requests",
                                                                     "revoke_grant",
                                                                     "issue_copy",
                                                                     "read_artifact",
                                                                     "read_copy",
                                                                     "list_copies",
                                                                     "record_copy_return",
                                                                     "revoke_copy",
                                                                     "report_loss",
                                                                     "read_incident",
                                                                     "update_incident",
                                                                     "close_incident",
                                                                     "read_all_incidents",
                                                                     "read_own_alerts",
                                                                     "create_handover",
                                                                     "read_handover",
                                                                     "acknowledge_handover",
                                                                     "confirm_handover",
                                                                     "correct_handover",
                                                                     "supervise_handovers",
                                                                     "delete_handover",
                                                                     "hold_record",
                                                                     "create_customer",
                                                                     "read_customer",
                                                                     "update_customer",
                                                                     "search_customers",
                                                                     "unmask_customer",
                                                                     "add_contact",
                                                                     "read_contacts",
                                                                     "export_customers",
                                                                     "submit_weekly_summary",
                                                                     "read_weekly_reports",
                                                                     "investigate",
                                                                     "manage_areas",
                                                                     "read_area",
                                                                     "record_passage",
                                                                     "enter_area",
                                                                     "admit_visitor",
                                                                     "read_area_log",
                                                                     "acknowledge_alert",
                                                                     "close_alert",
                                                                     "seal_instance",
                                                                     "manage_departments",
                                                                     "read_departments",
                                                                     "unmask_visitor",
                                                                     "destroy_document",
                                                                     "rotate_keys",
                                                                     "read_key_status"};

constexpr std::array<std::string_view, kCustomerFieldCount> kFieldNames = {
    "name", "phone", "id_number", "qq", "email", "account", "address", "products", "notes"};

}  // namespace

std::string_view level_api_name(Level level) { return enum_name(kLevelNames, level); }
std::optional<Level> level_from_api_name(std::string_view name) {
  return enum_from_name<Level>(kLevelNames, name);
}
std::string_view role_api_name(Role role) { return enum_name(kRoleNames, role); }
std::optional<Role> role_from_api_name(std::string_view name) {
  return enum_from_name<Role>(kRoleNames, name);
}
std::string_view action_name(Action action) { return enum_name(kActionNames, action); }
std::string_view customer_field_api_name(CustomerField field) {
  return enum_name(kFieldNames, field);
}
std::optional<CustomerField> customer_field_from_api_name(std::string_view name) {
  return enum_from_name<CustomerField>(kFieldNames, name);
}

}  // namespace baomi::policy
