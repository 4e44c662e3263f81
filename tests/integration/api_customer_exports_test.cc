// Exports of customer records over HTTPS (C2, S5, S7, C3): the export is a request through
// the approval workflow, the approved export a serial-numbered copy whose CSV carries the
// marking and holder, the serial in every row and canary customers; the auditor traces a
// leaked row, or the canaries of a file stripped of its marks, back to the export.
#include <gtest/gtest.h>

#include <sstream>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

std::vector<std::string> lines_of(const std::string& csv) {
  std::vector<std::string> out;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

class CustomerExportsApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    inst = TestInstance::create().release();
    server = inst->start().release();
    HttpsClient c(server->port());
    staff = new TestUser(make_user(c, *inst, "ex.staff", "staff", "internal", {}));
    supervisor = new TestUser(make_user(c, *inst, "ex.super", "supervisor", "secret", {}));
    auditor_token = inst->admin_token(c, "auditor");
    const char* phones[] = {"13900001111", "13900002222", "13900003333"};
    int i = 0;
    for (const char* phone : phones) {
      auto r = c.post_json(
          "/api/v1/customers",
          boost::json::object{{"name", "客户" + std::to_string(++i)},
                              {"phone", phone},
                              {"id_number", "11010519491231002X"},
                              {"address", "北京市朝阳区建国路" + std::to_string(i) + "号"}},
          staff->token);
      EXPECT_EQ(r.status, 201) << r.body;
    }
  }
  static void TearDownTestSuite() {
    delete staff;
    delete supervisor;
    delete server;
    delete inst;
  }

  // Asks for an export, has the supervisor approve it, takes the copy: its serial.
  std::string approved_export(const boost::json::array& fields) {
    auto asked = client.post_json(
        "/api/v1/requests",
        boost::json::object{{"type", "export"},
                            {"reason", "回访名单"},
                            {"customers", boost::json::object{{"fields", fields}}}},
        staff->token);
    EXPECT_EQ(asked.status, 201) << asked.body;
    const std::string id(asked.json().at("id").as_string());
    EXPECT_EQ(asked.json().at("scope").as_string(), "customers");
    EXPECT_EQ(asked.json().at("status").as_string(), "pending");
    // S7: nothing leaves before the approval.
    auto early =
        client.post_json("/api/v1/copies", boost::json::object{{"request_id", id}}, staff->token);
    EXPECT_EQ(early.status, 409) << early.body;
    auto ok = client.post_json("/api/v1/requests/" + id + "/approve",
                               boost::json::object{{"comment", "同意"}}, supervisor->token);
    EXPECT_EQ(ok.status, 200) << ok.body;
    auto copy =
        client.post_json("/api/v1/copies", boost::json::object{{"request_id", id}}, staff->token);
    EXPECT_EQ(copy.status, 201) << copy.body;
    EXPECT_EQ(copy.json().at("scope").as_string(), "customers");
    return std::string(copy.json().at("serial").as_string());
  }

  static inline TestInstance* inst = nullptr;
  static inline ServerProcess* server = nullptr;
  static inline TestUser* staff = nullptr;
  static inline TestUser* supervisor = nullptr;
  static inline std::string auditor_token;
  HttpsClient client{server->port()};
};

TEST_F(CustomerExportsApiTest, ApprovedExportIsAMarkedCsvWithCanaries_C2_S5_C3) {
  const auto serial = approved_export({"name", "phone", "id_number"});
  auto csv = client.get("/api/v1/copies/" + serial + "/artifact", staff->token);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.header("content-type").find("text/csv"), std::string::npos);
  const auto lines = lines_of(csv.body);
  ASSERT_GE(lines.size(), 2u + 3u + 3u);  // marks, header, 3 customers, 3 canaries
  EXPECT_NE(lines[0].find("保密标志 内部"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("持有人 ex.staff"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("编号 " + serial), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1], "姓名,电话,身份证号,导出编号");
  ASSERT_EQ(lines.size(), 2u + 3u + 3u);
  int real = 0;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    // Every row names its export.
    EXPECT_NE(lines[i].find(serial + "#" + std::to_string(i - 1)), std::string::npos) << lines[i];
    real += lines[i].find("1390000") != std::string::npos ? 1 : 0;
    // C3: staff may unmask phones only: ID numbers leave masked.
    EXPECT_EQ(lines[i].find("11010519491231002X"), std::string::npos) << lines[i];
  }
  EXPECT_EQ(real, 3);  // phones in clear: the staff member may unmask them
}

TEST_F(CustomerExportsApiTest, AuditorTracesALeakedRowOrItsCanaries_C2_S10) {
  const auto serial = approved_export({"name", "phone"});
  auto csv = client.get("/api/v1/copies/" + serial + "/artifact", staff->token);
  ASSERT_EQ(csv.status, 200);
  const auto lines = lines_of(csv.body);
  // A real customer's row as it leaked: the serial column names the export.
  std::string real_row;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    if (lines[i].find("13900002222") != std::string::npos) real_row = lines[i];
  }
  ASSERT_FALSE(real_row.empty());
  auto row = client.post_json("/api/v1/customer-exports/trace",
                              boost::json::object{{"leaked_text", real_row}}, auditor_token);
  ASSERT_EQ(row.status, 200) << row.body;
  auto matches = row.json().at("matches").as_array();
  ASSERT_EQ(matches.size(), 1u) << row.body;
  EXPECT_EQ(matches[0].at("serial").as_string(), serial);
  EXPECT_EQ(matches[0].at("holder_id").as_string(), staff->id);
  // The file without marks or serials still names it through its canaries.
  std::string stripped;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    stripped += lines[i].substr(0, lines[i].rfind(',')) + "\n";
  }
  auto file = client.post_json("/api/v1/customer-exports/trace",
                               boost::json::object{{"leaked_text", stripped}}, auditor_token);
  ASSERT_EQ(file.status, 200) << file.body;
  auto found = file.json().at("matches").as_array();
  ASSERT_FALSE(found.empty()) << file.body;
  for (const auto& m : found) {
    EXPECT_EQ(m.at("serial").as_string(), serial);
    EXPECT_EQ(m.at("evidence").as_string(), "canary");
  }
  // Real customers' numbers alone name no export.
  auto plain = client.post_json("/api/v1/customer-exports/trace",
                                boost::json::object{{"leaked_text", "13900001111"}}, auditor_token);
  ASSERT_EQ(plain.status, 200);
  EXPECT_TRUE(plain.json().at("matches").as_array().empty());
  // Tracing is the auditor's duty.
  auto staff_try = client.post_json("/api/v1/customer-exports/trace",
                                    boost::json::object{{"leaked_text", real_row}}, staff->token);
  EXPECT_EQ(staff_try.status, 403);
}

TEST_F(CustomerExportsApiTest, ExportRequestsAreCheckedLikeAnyOther_C1_C2) {
  auto both = client.post_json("/api/v1/requests",
                               boost::json::object{{"type", "export"},
                                                   {"reason", "x"},
                                                   {"document_id", "d1"},
                                                   {"customers", boost::json::object{}}},
                               staff->token);
  EXPECT_EQ(both.status, 400) << both.body;
  auto unknown = client.post_json(
      "/api/v1/requests",
      boost::json::object{{"type", "export"},
                          {"reason", "x"},
                          {"customers", boost::json::object{{"fields", {"salary"}}}}},
      staff->token);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("customers.fields"), std::string::npos);
  auto admin = client.post_json(
      "/api/v1/requests",
      boost::json::object{
          {"type", "export"}, {"reason", "x"}, {"customers", boost::json::object{}}},
      auditor_token);
  EXPECT_EQ(admin.status, 403) << admin.body;
}

}  // namespace
}  // namespace baomi::testing
