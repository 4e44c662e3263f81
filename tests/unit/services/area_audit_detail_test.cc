// An area entry's detail (S11), serialised by audit::Detail: every member in its documented
// order and type, and only the members that are set (ids and codes only, never a name).
#include <gtest/gtest.h>

#include "services/areas/area.h"

namespace baomi::services {
namespace {

TEST(AreaAuditDetailTest, EveryMemberInOrderWithItsType_S11) {
  AreaAuditDetail d;
  d.person_id = "p1";
  d.visit_id = "v1";
  d.escort_id = "e1";
  d.recorded_by = "r1";
  d.entry_id = "n1";
  d.alert_id = "a1";
  d.reason = "not_authorised";
  d.list = "keepers";
  d.requestable = true;
  d.added = {"u1", "u2"};
  d.removed = {"u3"};
  EXPECT_EQ(to_audit_detail(d),
            R"({"person_id":"p1","visit_id":"v1","escort_id":"e1","recorded_by":"r1",)"
            R"("entry_id":"n1","alert_id":"a1","reason":"not_authorised","list":"keepers",)"
            R"("requestable":true,"added":["u1","u2"],"removed":["u3"]})");
}

TEST(AreaAuditDetailTest, OnlyTheMembersThatAreSet_S11) {
  EXPECT_EQ(to_audit_detail({}), "{}");
  AreaAuditDetail d;
  d.requestable = false;
  d.removed = {"u3"};
  EXPECT_EQ(to_audit_detail(d), R"({"requestable":false,"removed":["u3"]})");
}

}  // namespace
}  // namespace baomi::services
