// Restricted areas over real HTTPS (S11: the information room, archive and computer room admit
// no one who is not staff, and staff may not bring others in). The security administrator
// creates an area with its authorised list; a keeper or the area's door terminal records
// entries and exits; an unauthorised person is refused (403, rule S11) and the refusal raises
// an alert; who is inside and the entry log are there for the auditor; a door terminal's token
// does nothing but record passages at its own areas.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

namespace json = boost::json;

json::array ids(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

// RFC 3339 UTC, `offset` from now.
std::string rfc3339(std::chrono::seconds offset) {
  const auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + offset);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<std::string> people_in(const HttpResponse& r) {
  std::vector<std::string> out;
  const auto page = r.json();
  for (const auto& item : page.at("items").as_array()) {
    const auto& person = item.at("person_id");
    out.emplace_back(person.is_string() ? person.as_string() : item.at("visit_id").as_string());
  }
  return out;
}

class AreasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = TestInstance::create();
    server_ = instance_->start();
    auto c = client();
    keeper_ = make_user(c, *instance_, "keeper-" + random_suffix(), "custodian", "secret", {});
    staff_ = make_user(c, *instance_, "archivist-" + random_suffix(), "staff", "secret", {});
    outsider_ = make_user(c, *instance_, "outsider-" + random_suffix(), "staff", "secret", {});
    terminal_ = make_user(c, *instance_, "door-" + random_suffix(), "door_terminal", "public", {},
                          /*pledge=*/false);
    area_id_ = create_area("档案室", {staff_.id, keeper_.id}, {keeper_.id}, {terminal_.id});
  }

  HttpsClient client() { return HttpsClient(server_->port()); }
  std::string secadmin() {
    auto c = client();
    return instance_->admin_token(c, "secadmin");
  }
  std::string auditor() {
    auto c = client();
    return instance_->admin_token(c, "auditor");
  }

  std::string create_area(std::string_view name, const std::vector<std::string>& authorised,
                          const std::vector<std::string>& keepers,
                          const std::vector<std::string>& terminals) {
    auto c = client();
    auto r = c.post_json("/api/v1/areas",
                         json::object{{"name", name},
                                      {"kind", "archive"},
                                      {"level", "secret"},
                                      {"authorised", ids(authorised)},
                                      {"keepers", ids(keepers)},
                                      {"terminals", ids(terminals)}},
                         secadmin());
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("id").as_string());
  }

  HttpResponse pass(std::string_view way, const std::string& token, const std::string& person,
                    const std::string& area = {}) {
    auto c = client();
    return c.post_json("/api/v1/areas/" + (area.empty() ? area_id_ : area) + "/" + std::string(way),
                       json::object{{"person_id", person}}, token);
  }

  std::vector<json::object> alerts_of(std::string_view type) {
    auto c = client();
    auto r = c.get("/api/v1/alerts?limit=100", secadmin());
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<json::object> out;
    const auto page = r.json();
    for (const auto& item : page.at("items").as_array()) {
      if (item.at("type").as_string() == type) out.push_back(item.as_object());
    }
    return out;
  }

  // A visit request by `requester` for a visitor escorted by `escort` (S11), still pending.
  std::string request_visit(const TestUser& requester, const std::string& escort) {
    auto c = client();
    auto r =
        c.post_json("/api/v1/requests",
                    json::object{{"type", "visit"},
                                 {"area_id", area_id_},
                                 {"visitor", json::object{{"name", "王小明"},
                                                          {"organisation", "外部审计事务所"},
                                                          {"id_number", "110101199001011234"}}},
                                 {"escort_id", escort},
                                 {"window", json::object{{"from", rfc3339(std::chrono::hours{-1})},
                                                         {"to", rfc3339(std::chrono::hours{6})}}},
                                 {"reason", "年度档案审计"}},
                    requester.token);
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().at("status").as_string(), "pending");
    return std::string(r.json().at("id").as_string());
  }

  HttpResponse visitor(std::string_view way, const std::string& visit_id) {
    auto c = client();
    return c.post_json("/api/v1/areas/" + area_id_ + "/" + std::string(way),
                       json::object{{"visit_id", visit_id}}, terminal_.token);
  }

  std::unique_ptr<TestInstance> instance_;
  std::unique_ptr<ServerProcess> server_;
  TestUser keeper_, staff_, outsider_, terminal_;
  std::string area_id_;
};

TEST_F(AreasTest, UnauthorisedEntryIsRefusedAuditedAndAlerted_S11) {
  auto r = pass("entries", terminal_.token, outsider_.id);
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "not_authorised_for_area");
  EXPECT_EQ(r.json().at("error").at("rule").as_string(), "S11");
  const auto alerts = alerts_of("area_entry_refused");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].at("target").as_string(), "area:" + area_id_);
  EXPECT_EQ(alerts[0].at("raised_by").as_string(), terminal_.id);
  const std::string detail(alerts[0].at("detail").as_string());
  EXPECT_NE(detail.find(outsider_.id), std::string::npos) << detail;
  EXPECT_EQ(detail.find("档案室"), std::string::npos) << "ids only: " << detail;
  // The alert links to the refusal: a deny entry of the person at the area.
  auto c = client();
  const auto denied = audit_entries(c, *instance_, "actor=" + outsider_.id + "&action=area.enter");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].at("decision").as_string(), "deny");
  EXPECT_EQ(denied[0].at("rule").as_string(), "S11");
  ASSERT_EQ(alerts[0].at("audit_seqs").as_array().size(), 1u);
  EXPECT_EQ(alerts[0].at("audit_seqs").as_array()[0].to_number<std::uint64_t>(),
            denied[0].at("seq").to_number<std::uint64_t>());
  // Nobody was let in.
  auto present = c.get("/api/v1/areas/" + area_id_ + "/present", auditor());
  ASSERT_EQ(present.status, 200) << present.body;
  EXPECT_TRUE(people_in(present).empty());
}

TEST_F(AreasTest, AuthorisedEntryAndExitAreLoggedAndPresentListed_S11) {
  ASSERT_EQ(pass("entries", terminal_.token, staff_.id).status, 201);
  ASSERT_EQ(pass("entries", keeper_.token, keeper_.id).status, 201);
  EXPECT_EQ(pass("entries", terminal_.token, staff_.id).status, 409) << "already inside";
  auto c = client();
  auto present = c.get("/api/v1/areas/" + area_id_ + "/present", auditor());
  ASSERT_EQ(present.status, 200) << present.body;
  EXPECT_EQ(people_in(present), (std::vector<std::string>{staff_.id, keeper_.id}));
  auto out = pass("exits", terminal_.token, staff_.id);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_FALSE(out.json().at("inside").as_bool());
  EXPECT_EQ(pass("exits", terminal_.token, staff_.id).status, 409) << "not inside any more";
  present = c.get("/api/v1/areas/" + area_id_ + "/present", keeper_.token);
  ASSERT_EQ(present.status, 200) << present.body;
  EXPECT_EQ(people_in(present), (std::vector<std::string>{keeper_.id}));
  // The log keeps both entries with who recorded them; a window in the past holds none.
  auto log = c.get("/api/v1/areas/" + area_id_ + "/entries", auditor());
  ASSERT_EQ(log.status, 200) << log.body;
  const auto log_page = log.json();
  const auto& items = log_page.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("person_id").as_string(), staff_.id);
  EXPECT_EQ(items[0].at("entered_by").as_string(), terminal_.id);
  EXPECT_EQ(items[0].at("left_by").as_string(), terminal_.id);
  auto old = c.get("/api/v1/areas/" + area_id_ + "/entries?to=2020-01-01T00:00:00Z", auditor());
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_TRUE(old.json().at("items").as_array().empty());
  EXPECT_EQ(audit_entries(c, *instance_, "actor=" + staff_.id + "&action=area.exit").size(), 1u);
  // Staff who are not keepers read no log: 403 for one on the authorised list (who knows the
  // area), 404 for one with nothing to do with it (S9).
  EXPECT_EQ(c.get("/api/v1/areas/" + area_id_ + "/entries", staff_.token).status, 403);
  EXPECT_EQ(c.get("/api/v1/areas/" + area_id_ + "/entries", outsider_.token).status, 404);
}

TEST_F(AreasTest, AuthorisedListChangesAreAuditedWithWhoChangedThem_S11) {
  auto c = client();
  auto r = c.put_json("/api/v1/areas/" + area_id_ + "/authorised",
                      json::object{{"authorised", ids({keeper_.id, outsider_.id})}}, secadmin());
  ASSERT_EQ(r.status, 200) << r.body;
  const auto changes = audit_entries(c, *instance_, "action=area.set_authorised");
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_NE(changes[0].at("actor").as_string(), "system");
  const auto& sec_id = changes[0].at("actor").as_string();
  EXPECT_EQ(r.json().at("changed_by").as_string(), sec_id);
  // Newly authorised: admitted; removed from the list: refused.
  EXPECT_EQ(pass("entries", terminal_.token, outsider_.id).status, 201);
  EXPECT_EQ(pass("entries", terminal_.token, staff_.id).status, 403);
  // Only the security administrator changes the lists.
  auto refused = c.put_json("/api/v1/areas/" + area_id_ + "/authorised",
                            json::object{{"authorised", ids({staff_.id})}}, keeper_.token);
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto unknown = c.put_json("/api/v1/areas/" + area_id_ + "/authorised",
                            json::object{{"authorised", ids({"nobody"})}}, secadmin());
  EXPECT_EQ(unknown.status, 400) << unknown.body;
}

TEST_F(AreasTest, DoorTerminalTokenOnlyRecordsPassagesAtItsAreas_S11) {
  const auto other = create_area("机房", {staff_.id}, {keeper_.id}, {});
  auto refused = pass("entries", terminal_.token, staff_.id, other);
  EXPECT_EQ(refused.status, 404) << "an area it does not serve is unknown to it: " << refused.body;
  auto c = client();
  EXPECT_EQ(c.get("/api/v1/areas/" + area_id_ + "/present", terminal_.token).status, 403);
  EXPECT_EQ(c.get("/api/v1/areas/" + area_id_ + "/entries", terminal_.token).status, 403);
  EXPECT_EQ(c.get("/api/v1/alerts", terminal_.token).status, 403);
  auto request = c.post_json(
      "/api/v1/areas",
      json::object{
          {"name", "x"}, {"kind", "other"}, {"level", "public"}, {"authorised", json::array{}}},
      terminal_.token);
  EXPECT_EQ(request.status, 403) << request.body;
  auto pledge = c.post_json("/api/v1/me/pledge", json::object{}, terminal_.token);
  EXPECT_EQ(pledge.status, 403) << pledge.body;
  // A terminal is no person: it is never admitted itself.
  auto self = pass("entries", terminal_.token, terminal_.id);
  EXPECT_EQ(self.status, 403) << self.body;
  // Staff who neither keep nor serve the area record nothing there (403 for one on its
  // authorised list, who knows the area; 404 for anyone else, S9).
  EXPECT_EQ(pass("entries", staff_.token, staff_.id).status, 403);
  EXPECT_EQ(pass("entries", outsider_.token, staff_.id).status, 404);
  EXPECT_EQ(pass("entries", terminal_.token, staff_.id).status, 201);
}

TEST_F(AreasTest, VisitorNeedsAnApprovedVisitAndAnEscortInside_S11) {
  const auto visit = request_visit(staff_, staff_.id);
  // Without approval: refused and alerted.
  auto r = visitor("entries", visit);
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "visit_not_approved");
  EXPECT_EQ(alerts_of("area_entry_refused").size(), 1u);
  // The area's keeper approves through the ordinary approval workflow.
  auto c = client();
  auto approved = c.post_json("/api/v1/requests/" + visit + "/approve",
                              json::object{{"comment", "陪同参观"}}, keeper_.token);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("status").as_string(), "approved");
  // Approved, but the escort is not inside: refused.
  r = visitor("entries", visit);
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "escort_not_inside");
  // With the escort inside: admitted and logged with the escort.
  ASSERT_EQ(pass("entries", terminal_.token, staff_.id).status, 201);
  r = visitor("entries", visit);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().at("escort_id").as_string(), staff_.id);
  EXPECT_EQ(r.json().at("visitor").at("name").as_string(), "王**");
  auto present = c.get("/api/v1/areas/" + area_id_ + "/present", auditor());
  ASSERT_EQ(present.status, 200) << present.body;
  EXPECT_EQ(people_in(present), (std::vector<std::string>{staff_.id, visit}));
  EXPECT_EQ(present.body.find("王小明"), std::string::npos) << "masked in lists";
  // Personal data is masked in request listings and never in the audit trail.
  auto listed = c.get("/api/v1/requests", staff_.token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.body.find("王小明"), std::string::npos) << listed.body;
  EXPECT_EQ(listed.body.find("110101199001011234"), std::string::npos) << listed.body;
  const auto trail = audit_entries(c, *instance_, "");
  for (const auto& e : trail) {
    EXPECT_EQ(boost::json::serialize(e).find("王小明"), std::string::npos);
  }
  // The escort answers for the visit: the two refusals and the two entries are theirs.
  int allowed = 0, denied = 0;
  for (const auto& e : audit_entries(c, *instance_, "action=area.enter&actor=" + staff_.id)) {
    (e.at("decision").as_string() == "allow" ? allowed : denied) += 1;
  }
  EXPECT_EQ(allowed, 2) << "the escort's own entry and the visitor they brought in";
  EXPECT_EQ(denied, 2);
}

TEST_F(AreasTest, EscortLeavingBeforeTheVisitorIsAlerted_S11) {
  const auto visit = request_visit(staff_, staff_.id);
  auto c = client();
  ASSERT_EQ(
      c.post_json("/api/v1/requests/" + visit + "/approve", json::object{}, secadmin()).status,
      200);
  ASSERT_EQ(pass("entries", terminal_.token, staff_.id).status, 201);
  ASSERT_EQ(visitor("entries", visit).status, 201);
  EXPECT_TRUE(alerts_of("escort_left_first").empty());
  auto out = pass("exits", terminal_.token, staff_.id);
  ASSERT_EQ(out.status, 200) << "the exit is recorded: the escort did leave: " << out.body;
  const auto alerts = alerts_of("escort_left_first");
  ASSERT_EQ(alerts.size(), 1u);
  const std::string detail(alerts[0].at("detail").as_string());
  EXPECT_NE(detail.find(staff_.id), std::string::npos) << detail;
  EXPECT_NE(detail.find(visit), std::string::npos) << detail;
  EXPECT_EQ(detail.find("王"), std::string::npos) << "no personal data: " << detail;
  ASSERT_EQ(visitor("exits", visit).status, 200);
  auto present = c.get("/api/v1/areas/" + area_id_ + "/present", keeper_.token);
  EXPECT_TRUE(people_in(present).empty());
  // Leaving in the right order raises nothing more.
  ASSERT_EQ(pass("entries", terminal_.token, staff_.id).status, 201);
  ASSERT_EQ(visitor("entries", visit).status, 201);
  ASSERT_EQ(visitor("exits", visit).status, 200);
  ASSERT_EQ(pass("exits", terminal_.token, staff_.id).status, 200);
  EXPECT_EQ(alerts_of("escort_left_first").size(), 1u);
}

TEST_F(AreasTest, VisitWithAnUnauthorisedEscortIsRefused_S11) {
  const auto visit = request_visit(staff_, outsider_.id);
  auto c = client();
  ASSERT_EQ(
      c.post_json("/api/v1/requests/" + visit + "/approve", json::object{}, keeper_.token).status,
      200);
  auto r = visitor("entries", visit);
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.error_code(), "escort_not_inside");
  // Staff other than the keepers and the security administrator cannot approve a visit.
  const auto second = request_visit(keeper_, staff_.id);
  auto refused =
      c.post_json("/api/v1/requests/" + second + "/approve", json::object{}, outsider_.token);
  EXPECT_TRUE(refused.status == 403 || refused.status == 404) << refused.body;
}

// S11 (and reliability.md 4a): the areas list and an area's entry log page by cursor, like every
// list of the API; a cursor the endpoint did not issue is 400, never an empty last page.
TEST_F(AreasTest, AreasAndEntryLogsPageByCursorAndRefuseCursorsTheyDidNotIssue_S11) {
  std::vector<std::string> made{area_id_};
  for (int i = 0; i < 2; ++i) {
    made.push_back(create_area("机房" + std::to_string(i), {staff_.id}, {keeper_.id}, {}));
  }
  auto c = client();
  const auto admin = secadmin();
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    auto r = c.get("/api/v1/areas?limit=2&cursor=" + cursor, admin);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    EXPECT_LE(body.at("items").as_array().size(), 2u);
    for (const auto& a : body.at("items").as_array()) seen.emplace_back(a.at("id").as_string());
    if (body.at("next_cursor").is_null()) break;
    cursor = std::string(body.at("next_cursor").as_string());
  }
  std::sort(seen.begin(), seen.end());
  std::sort(made.begin(), made.end());
  EXPECT_EQ(seen, made) << "every area once over the pages";
  auto forged = c.get("/api/v1/areas?cursor=zzzz", admin);
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(forged.error_code(), "invalid_field");

  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(pass("entries", terminal_.token, staff_.id).status, 201);
    ASSERT_EQ(pass("exits", terminal_.token, staff_.id).status, 200);
  }
  const auto log = "/api/v1/areas/" + area_id_ + "/entries";
  auto first = c.get(log + "?limit=2", auditor());
  ASSERT_EQ(first.status, 200) << first.body;
  const auto page1 = first.json();
  ASSERT_EQ(page1.at("items").as_array().size(), 2u);
  ASSERT_TRUE(page1.at("next_cursor").is_string());
  auto second =
      c.get(log + "?limit=2&cursor=" + std::string(page1.at("next_cursor").as_string()), auditor());
  ASSERT_EQ(second.status, 200) << second.body;
  const auto page2 = second.json();
  ASSERT_EQ(page2.at("items").as_array().size(), 1u);
  EXPECT_TRUE(page2.at("next_cursor").is_null());
  EXPECT_NE(page2.at("items").at(0).at("id"), page1.at("items").at(0).at("id"));
  EXPECT_NE(page2.at("items").at(0).at("id"), page1.at("items").at(1).at("id"));
  // Oldest first across the pages.
  EXPECT_LE(page1.at("items").at(1).at("entered_at").as_string(),
            page2.at("items").at(0).at("entered_at").as_string());
  EXPECT_EQ(c.get(log + "?cursor=zzzz", auditor()).status, 400);
  auto foreign = c.get(log + "?cursor=" + area_id_, auditor());  // an id, but of no passage here
  EXPECT_EQ(foreign.status, 400) << foreign.body;
  EXPECT_EQ(foreign.error_code(), "invalid_field");
}

// S11, C3: a visitor's name and id number are masked everywhere; the area's keeper (who checks
// the visitor at the door) and the security administrator see them in clear when they name the
// fields and give a reason; anyone else is refused; each unmask is audited with the fields and
// a keyed hash of the reason, never the reason or the visitor's data.
TEST_F(AreasTest, VisitorIsUnmaskedOnlyForKeepersAndSecadminWithAReasonAndAudited_S11_C3) {
  const auto visit = request_visit(staff_, staff_.id);
  auto c = client();
  const auto path = "/api/v1/requests/" + visit;
  auto masked = c.get(path, keeper_.token);
  ASSERT_EQ(masked.status, 200) << masked.body;
  EXPECT_EQ(masked.json().at("visit").at("visitor").at("name").as_string(), "王**");
  EXPECT_TRUE(masked.json().at("visit").at("visitor").at("unmasked").as_array().empty());
  auto shown = c.get(path + "?unmask=name,id_number&reason=%E6%A0%B8%E5%AF%B9%E8%BA%AB%E4%BB%BD",
                     keeper_.token);
  ASSERT_EQ(shown.status, 200) << shown.body;
  const auto visitor = shown.json().at("visit").at("visitor");
  EXPECT_EQ(visitor.at("name").as_string(), "王小明");
  EXPECT_EQ(visitor.at("id_number").as_string(), "110101199001011234");
  EXPECT_EQ(visitor.at("unmasked").as_array().size(), 2u);
  auto only_name = c.get(path + "?unmask=name&reason=door", secadmin());
  ASSERT_EQ(only_name.status, 200) << only_name.body;
  EXPECT_EQ(only_name.json().at("visit").at("visitor").at("name").as_string(), "王小明");
  EXPECT_EQ(only_name.json().at("visit").at("visitor").at("id_number").as_string(),
            "1101**********1234");
  EXPECT_EQ(c.get(path + "?unmask=name", keeper_.token).error_code(), "missing_field");
  EXPECT_EQ(c.get(path + "?unmask=phone&reason=x", keeper_.token).status, 400);
  EXPECT_EQ(c.get(path + "?reason=x", keeper_.token).status, 400);
  auto requester = c.get(path + "?unmask=name&reason=x", staff_.token);
  EXPECT_EQ(requester.status, 403) << "the requester sees the request, not the visitor in clear";
  EXPECT_EQ(requester.error_code(), "unmask_not_allowed");
  EXPECT_EQ(c.get(path + "?unmask=name&reason=x", outsider_.token).status, 404);
  int allowed = 0, denied = 0;
  for (const auto& e : audit_entries(c, *instance_, "action=request.unmask_visitor")) {
    (e.at("decision").as_string() == "allow" ? allowed : denied) += 1;
    const auto text = boost::json::serialize(e);
    EXPECT_EQ(text.find("王小明"), std::string::npos) << text;
    EXPECT_EQ(text.find("核对身份"), std::string::npos) << "the reason is sealed: " << text;
    if (e.at("decision").as_string() == "allow") {
      EXPECT_NE(text.find("reason_hash"), std::string::npos) << text;
      // C3: {"fields":[...],"reason_ref":"<id>","reason_hash":"<keyed hash>"} (then "writes").
      const auto& detail = e.at("detail").as_object();
      std::vector<std::string> keys;
      for (const auto& m : detail) keys.emplace_back(m.key());
      if (!keys.empty() && keys.back() == "writes") keys.pop_back();
      EXPECT_EQ(keys, (std::vector<std::string>{"fields", "reason_ref", "reason_hash"}));
      const auto fields = boost::json::serialize(detail.at("fields"));
      EXPECT_TRUE(fields == R"(["name","id_number"])" || fields == R"(["name"])") << fields;
      EXPECT_TRUE(detail.at("reason_ref").is_string());
    }
  }
  EXPECT_EQ(allowed, 2);
  EXPECT_EQ(denied, 2);
}

// S11, S9: an area is shown only to those with business there. Staff on its authorised list
// know it; other staff cleared for its level learn of it only once the security administrator
// makes it requestable (audited), and then ask for a visit to it; they never learn its door
// terminals, and other areas stay hidden.
TEST_F(AreasTest, StaffLearnOfARequestableAreaAndAskForAVisitWithoutLearningOthers_S11_S9) {
  auto c = client();
  const auto hidden = create_area("计算机房", {keeper_.id}, {keeper_.id}, {});
  const auto listed = [&](const TestUser& who) {
    auto r = c.get("/api/v1/areas", who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    const auto body = r.json();
    for (const auto& a : body.at("items").as_array()) out.emplace_back(a.at("id").as_string());
    return out;
  };
  const auto low = make_user(c, *instance_, "lowclear-" + random_suffix(), "staff", "internal", {});
  EXPECT_TRUE(listed(outsider_).empty());
  EXPECT_EQ(c.get("/api/v1/areas/" + area_id_, outsider_.token).status, 404);
  EXPECT_EQ(listed(staff_), (std::vector<std::string>{area_id_})) << "on the authorised list";

  auto set =
      c.request("PUT", "/api/v1/areas/" + area_id_ + "/requestable", R"({"requestable":true})",
                {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + secadmin()}});
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(set.json().at("requestable").as_bool());
  auto by_keeper = c.request(
      "PUT", "/api/v1/areas/" + area_id_ + "/requestable", R"({"requestable":false})",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + keeper_.token}});
  EXPECT_EQ(by_keeper.status, 403) << "the security administrator's duty";
  int allowed = 0, denied = 0;
  for (const auto& e : audit_entries(c, *instance_, "action=area.set_requestable")) {
    (e.at("decision").as_string() == "allow" ? allowed : denied) += 1;
    if (e.at("decision").as_string() == "allow") {
      EXPECT_NE(boost::json::serialize(e.at("detail")).find("requestable"), std::string::npos);
    }
  }
  EXPECT_EQ(allowed, 1);
  EXPECT_EQ(denied, 1);

  EXPECT_EQ(listed(outsider_), (std::vector<std::string>{area_id_}));
  auto one = c.get("/api/v1/areas/" + area_id_, outsider_.token);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_TRUE(one.json().at("terminals").as_array().empty()) << "a requester is not told the doors";
  EXPECT_FALSE(one.json().at("authorised").as_array().empty()) << "escorts to choose from";
  EXPECT_EQ(c.get("/api/v1/areas/" + hidden, outsider_.token).status, 404);
  EXPECT_TRUE(listed(low).empty()) << "not cleared for the area's level";
  EXPECT_EQ(c.get("/api/v1/areas/" + area_id_ + "/present", outsider_.token).status, 403)
      << "knowing the area is not reading its log";
  const auto visit = request_visit(outsider_, staff_.id);
  auto approved = c.post_json("/api/v1/requests/" + visit + "/approve",
                              json::object{{"comment", "同意"}}, keeper_.token);
  EXPECT_EQ(approved.status, 200) << approved.body;
}

}  // namespace
}  // namespace baomi::testing
