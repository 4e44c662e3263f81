// Settings of the centre's own records: who the centre's staff are (C1), handover slips
// (H1, H2, H3), customer records (C2, C3, C4) and weekly reporting (H4). Plain values, part of
// PolicyData; the member defaults are those of policies/default.yaml.
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <vector>

#include "policy/model.h"

namespace baomi::policy {

struct CentreSettings {
  // C1: the departments whose people are the centre's own staff.
  std::vector<std::string> departments = {"centre", "general_cs", "after_sales", "presale",
                                          "front_desk"};
  RoleSet roles = role_bit(Role::kStaff) | role_bit(Role::kGroupLeader) |
                  role_bit(Role::kSupervisor) | role_bit(Role::kManager) |
                  role_bit(Role::kFrontDesk);
  // H2, H4: who oversees every slip and reads everyone's weekly reports.
  RoleSet supervisor_roles =
      role_bit(Role::kGroupLeader) | role_bit(Role::kSupervisor) | role_bit(Role::kManager);
  // The centre's local time (shift dates, next-day deadlines, Monday 10:00).
  std::chrono::minutes utc_offset{8 * 60};
  bool operator==(const CentreSettings&) const = default;
};

struct ShiftSpec {
  std::string name;               // what clients send, e.g. "day"
  std::string display;            // e.g. "白班"
  std::chrono::minutes start{0};  // local time of day the shift starts
  bool operator==(const ShiftSpec&) const = default;
};

// H3: the floor no policy may go below.
inline constexpr int kMinRetentionMonths = 3;

struct HandoverSettings {
  // H1: each of these departments keeps one copy (exactly two).
  std::vector<std::string> receiving_departments = {"general_cs", "after_sales"};
  std::vector<ShiftSpec> shifts = {{"day", "白班", std::chrono::hours{8}},
                                   {"night", "夜班", std::chrono::hours{20}}};
  Level level = Level::kInternal;  // slips name customers and work in hand
  // H2: confirmed by the end of the day this many days after the shift's date (local time).
  int confirm_within_days = 1;
  // H3: kept at least this many calendar months after confirmation.
  int retention_months = kMinRetentionMonths;
  bool operator==(const HandoverSettings&) const = default;
};

struct CustomerSettings {
  Level default_level = Level::kInternal;
  Level max_level = Level::kSecret;  // key accounts (重要客户)
  // C3: per role, the fields it may unmask (with a reason).
  std::array<FieldSet, kRoleCount> unmask = [] {
    std::array<FieldSet, kRoleCount> u{};
    u[static_cast<int>(Role::kStaff)] = field_bit(CustomerField::kPhone);
    u[static_cast<int>(Role::kFrontDesk)] = field_bit(CustomerField::kPhone);
    u[static_cast<int>(Role::kGroupLeader)] = field_bit(CustomerField::kPhone);
    u[static_cast<int>(Role::kSupervisor)] = kAllCustomerFields;
    u[static_cast<int>(Role::kManager)] = kAllCustomerFields;
    return u;
  }();
  // C4: more distinct customers viewed or unmasked by one account within `window` than
  // this raises an alert; so do more than `searches` searches within `search_window`.
  int watch_distinct_customers = 30;
  std::chrono::seconds watch_window = std::chrono::hours{1};
  int watch_searches = 20;
  std::chrono::seconds watch_search_window = std::chrono::minutes{10};
  // C2: fake customers planted in each approved export, unique to it.
  int export_canaries = 3;
  bool operator==(const CustomerSettings&) const = default;
};

struct ReportingSettings {
  // H4: the weekly summary of the week before is due on this weekday (0 = Sunday) and time.
  int due_weekday = 1;
  std::chrono::minutes due_time{10 * 60};
  bool operator==(const ReportingSettings&) const = default;
};

}  // namespace baomi::policy
