// A failing disk (issue 16, I1): the real server runs with tests/faults/diskfault.cc preloaded,
// and the disk under its data directory is made full (ENOSPC) or failing (EIO on write, on
// fsync, on opening files for writing, or only after some calls succeed, so a transaction breaks
// half-way) while a mixed workload writes: login, document creation, upload, customer record,
// handover slip, copy request, an approval, the issue of a serial-numbered copy, its artifact,
// a loss report (incident, alert, suspended grants), a restricted-area entry and a refused one
// (its alert), a signed checkpoint on demand, timed checkpoints every second, and reads (each of
// which appends an audit entry). Every request the fault hits answers 503 without internals;
// nothing it was writing becomes visible; once the fault clears the same server serves reads and
// writes again; and the audit trail verifies, over HTTPS and with `baomi audit verify` offline.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "integration/harness.h"
#include "support/preload_env.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

// The centre's local date (default policy: UTC+8).
std::string fault_local_date() {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(system_clock::now() + hours(8))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

class DiskFaultTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (test_engine() == Engine::kPostgres) {
      // The shim fails the server process's own file writes under its data directory; on
      // PostgreSQL the rows are written by the PostgreSQL server, not by baomi, so the fault
      // would never reach a transaction.
      GTEST_SKIP() << "SQLite only: the failing disk is under the SQLite file";
    }
    inst = TestInstance::create();
    control = (inst->root() / "diskfault").string();
    set_fault("off");
    {
      PreloadForChildren preload(BAOMI_DISKFAULT_SO,
                                 {{"BAOMI_DISKFAULT_CONTROL", control},
                                  {"BAOMI_DISKFAULT_PREFIX", inst->data().string()}});
      // Timed checkpoints every second, so that they too meet the fault.
      server = inst->start({"--checkpoint-seconds", "1"});
    }
    c = std::make_unique<HttpsClient>(server->port());
    staff = make_user(*c, *inst, "staff" + random_suffix(), "staff", "secret", {"technology"});
    reader = make_user(*c, *inst, "reader" + random_suffix(), "staff", "secret", {"technology"});
    secadmin = inst->admin_token(*c, "secadmin");
    auditor = inst->admin_token(*c, "auditor");
    doc_id =
        std::string(create_document(*c, staff.token, "before the fault", "secret", {"technology"})
                        .at("id")
                        .as_string());
    upload_content(*c, staff.token, doc_id, "version one");
    // The reader asks for prints; staff keeps the document and approves. One request waits for
    // its approval during the fault; the other has two copies, one issued before the fault (its
    // artifact and loss report are written during it) and one to issue during it.
    pending_id = ask_print(1);
    copies_id = ask_print(2);
    ASSERT_EQ(approve(copies_id).status, 200);
    auto issued = issue_copy();
    ASSERT_EQ(issued.status, 201) << issued.body;
    serial = std::string(issued.json().at("serial").as_string());
    auto area = c->post_json("/api/v1/areas",
                             json::object{{"name", "档案室" + random_suffix()},
                                          {"kind", "archive"},
                                          {"level", "secret"},
                                          {"authorised", json::array{json::string(reader.id)}},
                                          {"keepers", json::array{json::string(staff.id)}}},
                             secadmin);
    ASSERT_EQ(area.status, 201) << area.body;
    area_id = std::string(area.json().at("id").as_string());
  }

  std::string ask_print(int copies) {
    auto r = c->post_json("/api/v1/requests",
                          json::object{{"type", "print"},
                                       {"document_id", doc_id},
                                       {"reason", "for the archive"},
                                       {"copies", copies}},
                          reader.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json().at("id").as_string()) : std::string();
  }
  HttpResponse approve(const std::string& request_id) {
    return c->post_json("/api/v1/requests/" + request_id + "/approve",
                        json::object{{"comment", "ok"}}, staff.token);
  }
  HttpResponse issue_copy() {
    return c->post_json("/api/v1/copies", json::object{{"request_id", copies_id}}, reader.token);
  }
  HttpResponse enter_area(const std::string& person_id) {
    return c->post_json("/api/v1/areas/" + area_id + "/entries",
                        json::object{{"person_id", person_id}}, staff.token);
  }
  std::size_t alerts_of(const std::string& kind) {
    auto r = c->get("/api/v1/alerts?kind=" + kind + "&limit=100", secadmin);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().at("items").as_array().size() : 0;
  }

  // Replaces the control file (rename, so the shim sees a new inode and re-reads it).
  void set_fault(const std::string& line) {
    const std::string tmp = control + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << line << "\n";
    }
    ASSERT_EQ(std::rename(tmp.c_str(), control.c_str()), 0);
  }

  // 503 with the API's error shape and nothing about the disk or SQLite in it.
  void expect_unavailable_or_ok(const HttpResponse& r, const std::string& what, bool& failed) {
    failed = r.status == 503;
    answers += what + " " + std::to_string(r.status) + "; ";
    if (failed) {
      ++refused;
      EXPECT_FALSE(r.error_code().empty()) << what << ": " << r.body;
      for (const char* secret : {"sqlite", "SQLite", "disk", "I/O", "/data", "errno"}) {
        EXPECT_EQ(r.body.find(secret), std::string::npos)
            << what << " leaks '" << secret << "': " << r.body;
      }
      return;
    }
    EXPECT_GE(r.status, 200) << what << ": " << r.body;
    EXPECT_LT(r.status, 300) << what << ": only 2xx or 503 may answer: " << r.body;
  }

  std::unique_ptr<TestInstance> inst;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<HttpsClient> c;
  std::string control, doc_id, pending_id, copies_id, serial, area_id, secadmin, auditor;
  std::string answers;  // "login 503; upload 200; …" for the failure messages
  int refused = 0;
  TestUser staff, reader;
};

TEST_P(DiskFaultTest, EveryWriteAnswers503AndLeavesNothingHalfWritten_I1) {
  const std::string phone = "139" + std::to_string(10000000 + std::rand() % 89999999);
  set_fault(GetParam());
  bool failed = false;

  auto login = c->post_json(
      "/api/v1/session", json::object{{"username", staff.username}, {"password", staff.password}});
  expect_unavailable_or_ok(login, "login", failed);

  auto created = c->post_json("/api/v1/documents",
                              json::object{{"title", "written during the fault"},
                                           {"level", "secret"},
                                           {"categories", json::array{"technology"}}},
                              staff.token);
  bool create_failed = false;
  expect_unavailable_or_ok(created, "document creation", create_failed);

  auto upload = c->request(
      "PUT", "/api/v1/documents/" + doc_id + "/content", "version two",
      {{"Authorization", "Bearer " + staff.token}, {"Content-Type", "text/plain; charset=utf-8"}});
  bool upload_failed = false;
  expect_unavailable_or_ok(upload, "upload", upload_failed);

  auto customer = c->post_json(
      "/api/v1/customers", json::object{{"name", "王五"}, {"phone", phone}, {"notes", "故障期间"}},
      staff.token);
  bool customer_failed = false;
  expect_unavailable_or_ok(customer, "customer creation", customer_failed);

  auto slip =
      c->post_json("/api/v1/handovers",
                   json::object{{"shift", "day"},
                                {"date", fault_local_date()},
                                {"items", json::array{json::object{{"summary", "call back"}}}}},
                   staff.token);
  expect_unavailable_or_ok(slip, "handover slip", failed);

  auto request = c->post_json(
      "/api/v1/requests",
      json::object{
          {"type", "print"}, {"document_id", doc_id}, {"reason", "for the archive"}, {"copies", 1}},
      staff.token);
  expect_unavailable_or_ok(request, "copy request", failed);

  auto read = c->get("/api/v1/documents/" + doc_id + "/content", staff.token);
  bool read_failed = false;
  expect_unavailable_or_ok(read, "audited read", read_failed);
  if (!read_failed) {
    EXPECT_FALSE(read.text().empty());
  }

  // The writes of the approval workflow, copies, incidents, alerts, areas and checkpoints.
  bool approve_failed = false;
  expect_unavailable_or_ok(approve(pending_id), "approval", approve_failed);
  bool issue_failed = false;
  expect_unavailable_or_ok(issue_copy(), "copy issue", issue_failed);
  expect_unavailable_or_ok(c->get("/api/v1/copies/" + serial + "/artifact", reader.token),
                           "copy artifact", failed);
  bool entry_failed = false;
  expect_unavailable_or_ok(enter_area(reader.id), "area entry", entry_failed);
  // Staff keeps the area but may not enter it: a refusal stored with its alert, or nothing.
  auto refused_entry = enter_area(staff.id);
  answers += "refused area entry " + std::to_string(refused_entry.status) + "; ";
  EXPECT_TRUE(refused_entry.status == 403 || refused_entry.status == 503) << refused_entry.body;
  if (refused_entry.status == 503) ++refused;
  bool lost_failed = false;
  expect_unavailable_or_ok(
      c->post_json("/api/v1/copies/" + serial + "/report-lost",
                   json::object{{"description", "left on a train"}}, reader.token),
      "loss report", lost_failed);
  bool checkpoint_failed = false;
  auto checkpoint = c->get("/api/v1/audit/checkpoint", auditor);
  expect_unavailable_or_ok(checkpoint, "checkpoint", checkpoint_failed);

  set_fault("off");
  EXPECT_GT(refused, 0) << "no request met the fault " << GetParam() << ": " << answers;
  std::cout << "[ fault " << GetParam() << " ] " << answers << "\n";

  // Nothing a failed request was writing is visible.
  auto listed = c->get("/api/v1/documents?limit=100", staff.token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool found_new = false;
  const auto listed_json = listed.json();  // alive while its items are read
  for (const auto& d : listed_json.at("items").as_array()) {
    if (d.at("title").as_string() == "written during the fault") found_new = true;
  }
  EXPECT_EQ(found_new, !create_failed);
  auto meta = c->get("/api/v1/documents/" + doc_id, staff.token);
  ASSERT_EQ(meta.status, 200) << meta.body;
  EXPECT_EQ(meta.json().at("version").as_int64(), upload_failed ? 1 : 2) << meta.body;
  auto content = c->get("/api/v1/documents/" + doc_id + "/content", staff.token);
  ASSERT_EQ(content.status, 200) << content.body;
  EXPECT_EQ(content.text(), upload_failed ? "version one" : "version two");
  auto search = c->get("/api/v1/customers?phone=" + phone, staff.token);
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.json().at("items").as_array().size(), customer_failed ? 0u : 1u);

  auto pending = c->get("/api/v1/requests/" + pending_id, reader.token);
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_EQ(pending.json().at("status").as_string(), approve_failed ? "pending" : "approved");
  EXPECT_EQ(pending.json().at("approvals").as_array().size(), approve_failed ? 0u : 1u);
  auto copies_request = c->get("/api/v1/requests/" + copies_id, reader.token);
  ASSERT_EQ(copies_request.status, 200) << copies_request.body;
  EXPECT_EQ(copies_request.json().at("copies_issued").to_number<std::int64_t>(),
            issue_failed ? 1 : 2);
  auto own_copies = c->get("/api/v1/copies", reader.token);
  ASSERT_EQ(own_copies.status, 200) << own_copies.body;
  EXPECT_EQ(own_copies.json().at("items").as_array().size(), issue_failed ? 1u : 2u);
  auto lost_copy = c->get("/api/v1/copies/" + serial, reader.token);
  ASSERT_EQ(lost_copy.status, 200) << lost_copy.body;
  EXPECT_EQ(lost_copy.json().at("state").as_string(), lost_failed ? "issued" : "lost");
  EXPECT_EQ(alerts_of("copy_lost"), lost_failed ? 0u : 1u);
  EXPECT_EQ(alerts_of("area_entry_refused"), refused_entry.status == 403 ? 1u : 0u);
  auto present = c->get("/api/v1/areas/" + area_id + "/present", staff.token);
  ASSERT_EQ(present.status, 200) << present.body;
  EXPECT_EQ(present.json().at("items").as_array().size(), entry_failed ? 0u : 1u);
  auto signed_head = c->get("/api/v1/audit/checkpoint", auditor);
  ASSERT_EQ(signed_head.status, 200) << signed_head.body;
  if (!checkpoint_failed) {
    EXPECT_LT(checkpoint.json().at("seq").to_number<std::int64_t>(),
              signed_head.json().at("seq").to_number<std::int64_t>());
  }

  // The same server writes again.
  auto after = upload_content(*c, staff.token, doc_id, "after the fault");
  EXPECT_EQ(after.at("version").as_int64(), upload_failed ? 2 : 3);
  auto again = c->post_json("/api/v1/customers",
                            json::object{{"name", "赵六"}, {"phone", "13700001111"}}, staff.token);
  EXPECT_EQ(again.status, 201) << again.body;
  if (approve_failed) {
    EXPECT_EQ(approve(pending_id).status, 200);
  }
  if (issue_failed) {
    auto reissued = issue_copy();
    ASSERT_EQ(reissued.status, 201) << reissued.body;
    EXPECT_NE(std::string(reissued.json().at("serial").as_string()), serial);
  }
  if (entry_failed) {
    EXPECT_EQ(enter_area(reader.id).status, 201);
  }

  // The fault was really hit: the shim wrote its count of failed calls when it saw the fault end.
  std::ifstream count_file(control + ".count");
  long injected = 0;
  count_file >> injected;
  EXPECT_GT(injected, 0) << "the fault " << GetParam() << " was never injected";

  // The trail is whole: over HTTPS now, and offline after a clean stop.
  auto verify = c->get("/api/v1/audit/verify", auditor);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(verify.json().at("ok").as_bool()) << verify.body;
  server->stop();
  std::string out;
  EXPECT_EQ(inst->run_cli({"audit", "verify", "--data", inst->data().string(), "--keys",
                           inst->keys().string()},
                          &out),
            0)
      << out;
}

INSTANTIATE_TEST_SUITE_P(Faults, DiskFaultTest,
                         ::testing::Values("write ENOSPC", "sync EIO", "open,write EIO",
                                           "write EIO after 30", "write ENOSPC after 80",
                                           "sync EIO after 1", "sync EIO after 3",
                                           "write,sync EIO after 20"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string name;
                           for (const char* p = info.param; *p; ++p) {
                             name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace baomi::testing
