// A TestRuntime with the people of a handover: an author in general customer service, a member
// of each receiving department, a presale member (centre staff, not a receiver), a supervisor
// and the two administrators who hold and delete. Time is an input (`t.now`).
#pragma once

#include "auth/accounts.h"
#include "services/handovers/handovers.h"
#include "support/test_runtime.h"

namespace baomi::services {

class HandoversTest : public ::testing::Test {
 protected:
  void SetUp() override {
    author = member("wang.fang", "general_cs", policy::Role::kStaff);
    gcs = member("zhou.min", "general_cs", policy::Role::kStaff);
    after_sales = member("sun.li", "after_sales", policy::Role::kStaff);
    presale = member("qian.hao", "presale", policy::Role::kStaff);
    supervisor = member("zhao.lei", "after_sales", policy::Role::kSupervisor);
    secadmin = member("sec.admin", "centre", policy::Role::kSecadmin);
    auditor = member("audit.admin", "centre", policy::Role::kAuditor);
  }

  auth::User member(const std::string& name, const std::string& department, policy::Role role) {
    auth::Accounts accounts(t.rt());
    auth::NewUser nu{
        name, name, department, "password-123", {std::string(policy::role_api_name(role))}};
    auto u = accounts.bootstrap_user(nu, policy::Level::kSecret, 0);
    EXPECT_TRUE(u.ok()) << (u.ok() ? "" : u.error().message);
    auto pledged = accounts.accept_pledge(*u);
    return pledged.ok() ? *pledged : *u;
  }

  NewSlip spec(std::size_t items = 2) const {
    NewSlip s;
    s.shift = "day";
    for (std::size_t i = 0; i < items; ++i) {
      s.items.push_back({"回访客户 item " + std::to_string(i), "cust-" + std::to_string(i),
                         Priority::kNormal, std::nullopt});
    }
    s.notes = "交接备注";
    return s;
  }

  SlipView issue(std::size_t items = 2) {
    auto v = slips.create(author, spec(items));
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    return *v;
  }

  std::vector<ItemConfirmation> all_items(std::size_t n, bool done = true) const {
    std::vector<ItemConfirmation> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back({static_cast<int>(i), done, std::nullopt});
    return out;
  }

  testing::TestRuntime t;
  Handovers slips{t.rt()};
  auth::User author, gcs, after_sales, presale, supervisor, secadmin, auditor;
};

}  // namespace baomi::services
