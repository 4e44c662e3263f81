// Paging cursors (issue 16, item 4): every list endpoint that takes `cursor` answers 400
// `invalid_field` naming it for a cursor it could not have issued, instead of a 200 with an empty
// page that reads as "no more items"; a cursor it issued still pages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

class CursorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    instance_ = TestInstance::create().release();
    server_ = instance_->start().release();
    HttpsClient c(server_->port());
    staff_ = new TestUser(make_user(c, *instance_, "pager", "staff", "secret", {"finance"}));
    supervisor_ =
        new TestUser(make_user(c, *instance_, "pagesup", "supervisor", "secret", {"finance"}));
  }
  static void TearDownTestSuite() {
    delete staff_;
    delete supervisor_;
    delete server_;
    delete instance_;
  }
  static inline TestInstance* instance_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline TestUser* staff_ = nullptr;
  static inline TestUser* supervisor_ = nullptr;
};

void expect_bad_cursor(HttpsClient& c, const std::string& path, const std::string& cursor,
                       const std::string& token) {
  const auto sep = path.find('?') == std::string::npos ? "?" : "&";
  auto r = c.get(path + sep + "cursor=" + cursor, token);
  EXPECT_EQ(r.status, 400) << path << " cursor=" << cursor << ": " << r.body;
  EXPECT_EQ(r.error_code(), "invalid_field") << path << ": " << r.body;
  EXPECT_NE(r.body.find("cursor"), std::string::npos) << path << ": " << r.body;
}

TEST_F(CursorTest, EveryListEndpointRefusesACursorItDidNotIssue) {
  HttpsClient c(server_->port());
  const auto sysadmin = instance_->admin_token(c, "sysadmin");
  const auto auditor = instance_->admin_token(c, "auditor");
  struct Endpoint {
    std::string path;
    std::string token;
  };
  const std::vector<Endpoint> id_paged = {
      {"/api/v1/documents", staff_->token},
      {"/api/v1/requests", staff_->token},
      {"/api/v1/requests?status=pending&approvable=true", supervisor_->token},
      {"/api/v1/handovers", staff_->token},
      {"/api/v1/handovers/alerts", supervisor_->token},
      {"/api/v1/incidents", staff_->token},
      {"/api/v1/alerts", auditor},
      {"/api/v1/users", sysadmin},
  };
  // Shorter, longer, upper case, outside the alphabet, trailing bits set, a serial.
  const std::string id(26, 'a');
  const std::vector<std::string> forged_ids = {
      "zzzz",       id.substr(1), id + "a", "AAAAAAAAAAAAAAAAAAAAAAAAAA", id.substr(1) + "b",
      "BM-000001-7"};
  for (const auto& e : id_paged) {
    for (const auto& cursor : forged_ids) expect_bad_cursor(c, e.path, cursor, e.token);
  }
  for (const std::string cursor : {"zzzz", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "BM-000001", "BM-1-1"}) {
    expect_bad_cursor(c, "/api/v1/copies", cursor, staff_->token);
  }
  for (const std::string cursor : {"zzzz", "-1", "01", "1x", "%201", "99999999999999999999999"}) {
    expect_bad_cursor(c, "/api/v1/audit", cursor, auditor);
  }
}

TEST_F(CursorTest, IssuedCursorsStillPageAndAnEmptyCursorIsTheFirstPage) {
  HttpsClient c(server_->port());
  for (int i = 0; i < 3; ++i) create_document(c, staff_->token, "paged", "internal", {});
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = c.get("/api/v1/documents?limit=1&cursor=" + cursor, staff_->token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto json = r.json();
    const auto& body = json.as_object();
    for (const auto& item : body.at("items").as_array()) {
      seen.emplace_back(item.at("id").as_string());
    }
    if (body.at("next_cursor").is_null()) break;
    cursor = std::string(body.at("next_cursor").as_string());
  }
  EXPECT_GE(seen.size(), 3u);
  const auto auditor = instance_->admin_token(c, "auditor");
  auto first = c.get("/api/v1/audit?limit=1", auditor);
  ASSERT_EQ(first.status, 200) << first.body;
  const auto first_json = first.json();
  const auto& next = first_json.at("next_cursor");
  ASSERT_TRUE(next.is_string()) << first.body;
  auto second = c.get("/api/v1/audit?limit=1&cursor=" + std::string(next.as_string()), auditor);
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(c.get("/api/v1/copies?cursor=", staff_->token).status, 200);
}

}  // namespace
}  // namespace baomi::testing
