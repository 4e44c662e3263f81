// Customer records over HTTPS (API.md "Customers"): create and read masked (C3), unmask with a
// reason and per role (C3), exact search (C3), C1 refusals (administrators, outside the
// centre), the append-only contact log (C5), PATCH updates (I1), every read audited (C4), and
// no personal value anywhere on disk or in the logs.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "integration/harness.h"

namespace baomi::testing {
namespace {

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ',') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

boost::json::object sample_customer() {
  return {{"name", "张三"},
          {"phone", "+86 138-1234-5678"},
          {"id_number", "11010519491231002X"},
          {"qq", "12345689"},
          {"email", "zhang.san@example.com"},
          {"account", "zs-account"},
          {"address", "广东省深圳市南山区科技园路1号"},
          {"notes", "老客户"}};
}

class CustomersApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    inst = TestInstance::create().release();
    server = inst->start().release();
    HttpsClient c(server->port());
    staff = new TestUser(make_user(c, *inst, "cs.staff", "staff", "secret", {}));
    supervisor = new TestUser(
        make_user(c, *inst, "cs.super", "supervisor", "secret", {"contracts_customers"}));
    outsider = new TestUser(
        make_user(c, *inst, "adm.clerk", "staff", "secret", {}, true, "administration"));
  }
  static void TearDownTestSuite() {
    delete staff;
    delete supervisor;
    delete outsider;
    delete server;
    delete inst;
  }

  std::string create(const boost::json::object& body, const std::string& token) {
    auto r = client.post_json("/api/v1/customers", body, token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(r.json().at("id").as_string()) : std::string();
  }

  static inline TestInstance* inst = nullptr;
  static inline ServerProcess* server = nullptr;
  static inline TestUser* staff = nullptr;
  static inline TestUser* supervisor = nullptr;
  static inline TestUser* outsider = nullptr;
  HttpsClient client{server->port()};
};

TEST_F(CustomersApiTest, CreateAndGetAreMasked_C3) {
  auto r = client.post_json("/api/v1/customers", sample_customer(), staff->token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto created = r.json().as_object();
  EXPECT_EQ(created.at("phone").as_string(), "138****5678");
  const std::string id(created.at("id").as_string());
  auto g = client.get("/api/v1/customers/" + id, staff->token);
  ASSERT_EQ(g.status, 200) << g.body;
  auto o = g.json().as_object();
  EXPECT_EQ(o.at("phone").as_string(), "138****5678");
  EXPECT_EQ(o.at("id_number").as_string(), "1101**********002X");
  EXPECT_EQ(o.at("name").as_string(), "张*");
  EXPECT_EQ(o.at("qq").as_string(), "12****89");
  EXPECT_EQ(o.at("email").as_string(), "z***@example.com");
  EXPECT_EQ(o.at("address").as_string(), "广东省深圳市****");
  EXPECT_EQ(o.at("notes").as_string(), "****");
  EXPECT_TRUE(o.at("products").is_null());
  EXPECT_EQ(o.at("level").as_string(), "internal");
  EXPECT_TRUE(o.at("masked").as_bool());
  EXPECT_EQ(g.header("cache-control"), "no-store");
}

TEST_F(CustomersApiTest, InvalidInputNamesTheField) {
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, std::string>>{{"phone", "12"},
                                                        {"id_number", "110105194912310021"},
                                                        {"qq", "12"},
                                                        {"email", "nope"},
                                                        {"level", "top_secret"}}) {
    auto body = sample_customer();
    body[field] = value;
    auto r = client.post_json("/api/v1/customers", body, staff->token);
    EXPECT_EQ(r.status, 400) << field;
    EXPECT_NE(r.body.find("'" + field + "'"), std::string::npos) << r.body;
  }
  auto unknown = client.post_json("/api/v1/customers", {{"name", "x"}, {"age", "3"}}, staff->token);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(client.post_json("/api/v1/customers", {{"phone", "13812345678"}}, staff->token).status,
            400);  // a name is required
}

TEST_F(CustomersApiTest, UnmaskNeedsReasonAndPermission_C3) {
  const auto id = create(sample_customer(), staff->token);
  const std::string base = "/api/v1/customers/" + id;
  auto no_reason = client.get(base + "?unmask=phone", staff->token);
  EXPECT_EQ(no_reason.status, 400);
  auto unknown = client.get(base + "?unmask=salary&reason=x", staff->token);
  EXPECT_EQ(unknown.status, 400);
  auto phone =
      client.get(base + "?unmask=phone&reason=" + url_encode("客户要求回拨"), staff->token);
  ASSERT_EQ(phone.status, 200) << phone.body;
  EXPECT_EQ(phone.json().at("phone").as_string(), "13812345678");
  EXPECT_EQ(phone.json().at("id_number").as_string(), "1101**********002X");
  auto forbidden = client.get(base + "?unmask=phone,id_number&reason=check", staff->token);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.error_code(), "unmask_not_allowed");
  EXPECT_EQ(forbidden.json().at("error").at("rule").as_string(), "C3");
  auto all = client.get(base + "?unmask=phone,id_number,notes&reason=audit", supervisor->token);
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json().at("id_number").as_string(), "11010519491231002X");
  EXPECT_EQ(all.json().at("notes").as_string(), "老客户");

  // C4: the reads are audited with the reader; the unmask with the fields, never the values.
  auto entries = audit_entries(client, *inst, "action=customer.unmask&actor=" + staff->id);
  ASSERT_GE(entries.size(), 2u);
  bool allowed = false, denied = false;
  for (const auto& e : entries) {
    EXPECT_EQ(e.at("target").as_string(), "customer:" + id);
    const auto text = boost::json::serialize(e);
    EXPECT_EQ(text.find("13812345678"), std::string::npos);
    EXPECT_EQ(text.find("回拨"), std::string::npos);
    if (e.at("decision").as_string() == "allow") allowed = true;
    if (e.at("decision").as_string() == "deny") denied = true;
  }
  EXPECT_TRUE(allowed && denied);
  ASSERT_EQ(client.get(base, staff->token).status, 200);
  auto reads = audit_entries(client, *inst, "action=customer.read&actor=" + staff->id);
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(reads.back().at("target").as_string(), "customer:" + id);
}

TEST_F(CustomersApiTest, SearchByPhoneIsExactAndMasked_C3) {
  auto body = sample_customer();
  body["phone"] = "13700001234";
  const auto id = create(body, staff->token);
  auto hit = client.get("/api/v1/customers?phone=" + url_encode("+86 137 0000 1234"), staff->token);
  ASSERT_EQ(hit.status, 200) << hit.body;
  const auto hit_json = hit.json();
  const auto& items = hit_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id").as_string(), id);
  EXPECT_EQ(items[0].at("phone").as_string(), "137****1234");
  auto prefix = client.get("/api/v1/customers?phone=1370000", staff->token);
  ASSERT_EQ(prefix.status, 200);
  EXPECT_TRUE(prefix.json().at("items").as_array().empty());
  EXPECT_EQ(client.get("/api/v1/customers?name=x", staff->token).status, 400);
  EXPECT_EQ(client.get("/api/v1/customers", staff->token).status, 400);
  auto searches = audit_entries(client, *inst, "action=customer.search&actor=" + staff->id);
  ASSERT_FALSE(searches.empty());
  EXPECT_EQ(boost::json::serialize(searches.back()).find("13700001234"), std::string::npos);
}

TEST_F(CustomersApiTest, AdministratorsAreRefused_C1) {
  const auto id = create(sample_customer(), staff->token);
  for (const char* role : {"sysadmin", "secadmin", "auditor"}) {
    const auto token = inst->admin_token(client, role);
    EXPECT_EQ(client.get("/api/v1/customers/" + id, token).status, 404) << role;
    EXPECT_EQ(client.get("/api/v1/customers?phone=13812345678", token).status, 403) << role;
    EXPECT_EQ(client.post_json("/api/v1/customers", sample_customer(), token).status, 403) << role;
  }
}

TEST_F(CustomersApiTest, OutsideTheCentreIsRefused_C1) {
  const auto id = create(sample_customer(), staff->token);
  EXPECT_EQ(client.get("/api/v1/customers/" + id, outsider->token).status, 404);
  auto search = client.get("/api/v1/customers?phone=13812345678", outsider->token);
  EXPECT_EQ(search.status, 403);
  EXPECT_EQ(search.error_code(), "outside_centre");
  auto create_r = client.post_json("/api/v1/customers", sample_customer(), outsider->token);
  EXPECT_EQ(create_r.status, 403);
  EXPECT_EQ(create_r.json().at("error").at("rule").as_string(), "C1");
  EXPECT_EQ(client.get("/api/v1/customers/" + id + "/contacts", outsider->token).status, 404);
}

TEST_F(CustomersApiTest, KeyAccountsAreHiddenWithoutTheCategory_C1) {
  auto body = sample_customer();
  body["level"] = "secret";
  body["categories"] = boost::json::array{"contracts_customers"};
  const auto id = create(body, supervisor->token);
  EXPECT_EQ(client.get("/api/v1/customers/" + id, supervisor->token).status, 200);
  EXPECT_EQ(client.get("/api/v1/customers/" + id, staff->token).status, 404);
  EXPECT_EQ(client.get("/api/v1/customers/unknown-id", staff->token).status, 404);
}

TEST_F(CustomersApiTest, ContactLogIsAppendOnly_C5) {
  const auto id = create(sample_customer(), staff->token);
  const std::string path = "/api/v1/customers/" + id + "/contacts";
  auto first = client.post_json(
      path, {{"channel", "phone"}, {"type", "complaint"}, {"content", "宽带断线两天"}},
      staff->token);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json().at("handled_by").as_string(), staff->id);
  EXPECT_EQ(first.json().at("seq").as_int64(), 1);
  const std::string first_id(first.json().at("id").as_string());
  auto fix = client.post_json(path,
                              {{"channel", "phone"},
                               {"type", "fault"},
                               {"content", "更正：光猫故障"},
                               {"corrects", first_id}},
                              staff->token);
  ASSERT_EQ(fix.status, 201) << fix.body;
  EXPECT_EQ(
      client
          .post_json(path, {{"channel", "fax"}, {"type", "fault"}, {"content", "x"}}, staff->token)
          .status,
      400);
  EXPECT_EQ(
      client.post_json(path, {{"channel", "qq"}, {"type", "chat"}, {"content", "x"}}, staff->token)
          .status,
      400);
  auto list = client.get(path, staff->token);
  ASSERT_EQ(list.status, 200);
  const auto list_json = list.json();
  const auto& items = list_json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("content").as_string(), "宽带断线两天");
  EXPECT_EQ(items[1].at("corrects").as_string(), first_id);
  // Append-only: no way to edit or delete.
  EXPECT_EQ(client.put_json(path, {{"content", "x"}}, staff->token).status, 405);
  EXPECT_EQ(client.del(path, staff->token).status, 405);
  EXPECT_EQ(client.del("/api/v1/customers/" + id, staff->token).status, 405);
}

TEST_F(CustomersApiTest, PatchUpdatesAndReindexes_I1) {
  auto body = sample_customer();
  body["phone"] = "13611112222";
  const auto id = create(body, staff->token);
  auto r = client.request(
      "PATCH", "/api/v1/customers/" + id, R"({"phone":"13633334444"})",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + staff->token}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("revision").as_int64(), 2);
  EXPECT_EQ(r.json().at("phone").as_string(), "136****4444");
  EXPECT_TRUE(client.get("/api/v1/customers?phone=13611112222", staff->token)
                  .json()
                  .at("items")
                  .as_array()
                  .empty());
  EXPECT_EQ(client.get("/api/v1/customers?phone=13633334444", staff->token)
                .json()
                .at("items")
                .as_array()
                .size(),
            1u);
  EXPECT_FALSE(audit_entries(client, *inst, "action=customer.update&actor=" + staff->id).empty());
}

TEST_F(CustomersApiTest, ReadingManyCustomersAlertsTheAuditorOnce_C4) {
  HttpsClient c(server->port());
  auto reader = make_user(c, *inst, "cs.reader", "staff", "internal", {});
  const auto auditor = inst->admin_token(c, "auditor");
  const auto watch_alerts = [&] {
    std::vector<std::string> details;
    const auto list = c.get("/api/v1/alerts?limit=500", auditor).json();
    for (const auto& a : list.at("items").as_array()) {
      if (a.at("type").as_string() == "customer_watch" &&
          a.at("raised_by").as_string() == reader.id) {
        details.emplace_back(a.at("detail").as_string());
      }
    }
    return details;
  };
  std::vector<std::string> ids;
  for (int i = 0; i <= 30; ++i) {
    ids.push_back(create({{"name", "客户" + std::to_string(i)}}, reader.token));
  }
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(c.get("/api/v1/customers/" + ids[i], reader.token).status, 200);
  }
  EXPECT_TRUE(watch_alerts().empty()) << "30 = the threshold: no alert";
  ASSERT_EQ(c.get("/api/v1/customers/" + ids[30], reader.token).status, 200);
  ASSERT_EQ(c.get("/api/v1/customers/" + ids[0], reader.token).status, 200);
  const auto details = watch_alerts();
  ASSERT_EQ(details.size(), 1u);
  EXPECT_EQ(details[0], "31 distinct customers viewed within 1h");
}

// C4 with the watches' episode rule (episode.h): while the customer_watch alert is open, further
// customers update it (its count and the seqs of the reads) instead of raising another; once the
// security administrator acknowledges it, the next crossing raises a new one.
TEST_F(CustomersApiTest, CustomerWatchAlertIsUpdatedWhileOpenAndNewOnceAcknowledged_C4) {
  HttpsClient c(server->port());
  auto reader = make_user(c, *inst, "cs.episode", "staff", "internal", {});
  const auto secadmin = inst->admin_token(c, "secadmin");
  const auto watch_alerts = [&] {
    std::vector<boost::json::object> out;
    const auto list = c.get("/api/v1/alerts?limit=500&kind=customer_watch", secadmin).json();
    for (const auto& a : list.at("items").as_array()) {
      if (a.at("raised_by").as_string() == reader.id) out.push_back(a.as_object());
    }
    return out;
  };
  std::vector<std::string> ids;
  for (int i = 0; i < 33; ++i) {
    ids.push_back(create({{"name", "客户" + std::to_string(i)}}, reader.token));
  }
  for (int i = 0; i < 32; ++i) {
    ASSERT_EQ(c.get("/api/v1/customers/" + ids[i], reader.token).status, 200);
  }
  auto alerts = watch_alerts();
  ASSERT_EQ(alerts.size(), 1u) << "one episode, one alert";
  EXPECT_EQ(alerts[0].at("detail").as_string(), "32 distinct customers viewed within 1h");
  EXPECT_EQ(alerts[0].at("target").as_string(), "customers");
  const auto& seqs = alerts[0].at("audit_seqs").as_array();
  ASSERT_EQ(seqs.size(), 32u) << "the 31 reads of the crossing and the read that updated it";
  const auto reads = audit_entries(c, *inst, "action=customer.read&actor=" + reader.id);
  for (const auto& seq : seqs) {
    bool found = false;
    for (const auto& e : reads) found |= e.at("seq") == seq;
    EXPECT_TRUE(found) << "seq " << seq << " is not a read of the reader";
  }
  const std::string first(alerts[0].at("id").as_string());
  ASSERT_EQ(
      c.post_json("/api/v1/alerts/" + first + "/acknowledge", {{"note", "在查"}}, secadmin).status,
      200);
  ASSERT_EQ(c.get("/api/v1/customers/" + ids[32], reader.token).status, 200);
  alerts = watch_alerts();
  ASSERT_EQ(alerts.size(), 2u) << "acknowledged: the next crossing is a new alert";
}

// Every regular file below `dir`, as bytes, searched for each marker.
std::vector<std::string> scan_for(const std::filesystem::path& dir,
                                  const std::vector<std::string>& markers) {
  std::vector<std::string> hits;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    const auto bytes = ss.str();
    for (const auto& m : markers) {
      if (bytes.find(m) != std::string::npos) hits.push_back(it->path().string() + ": " + m);
    }
  }
  return hits;
}

TEST(CustomersAtRest, NoPersonalValueInAnyFileOfTheInstance_C3) {
  auto inst = TestInstance::create();
  auto server = inst->start();
  HttpsClient c(server->port());
  auto u = make_user(c, *inst, "cs.marker", "supervisor", "secret", {});
  const auto m = random_suffix();
  const std::string phone =
      "139" + std::to_string(10000000 + std::stoll(m.substr(0, 6), nullptr, 16) % 89999999);
  const std::vector<std::pair<std::string, std::string>> fields{
      {"name", "标记名" + m},
      {"phone", phone},
      {"id_number", "440524188001010014"},
      {"qq", "98765" + std::to_string(std::stoll(m.substr(0, 4), nullptr, 16) % 9000 + 1000)},
      {"email", "mk" + m + "@example.com"},
      {"account", "acct" + m},
      {"address", "标记省标记市" + m + "路"},
      {"products", "产品" + m},
      {"notes", "备注" + m}};
  boost::json::object body;
  for (const auto& [k, v] : fields) body[k] = v;
  auto created = c.post_json("/api/v1/customers", body, u.token);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id(created.json().at("id").as_string());
  const std::string contact = "联系内容" + m;
  ASSERT_EQ(
      c.post_json("/api/v1/customers/" + id + "/contacts",
                  {{"channel", "qq"}, {"type", "consultation"}, {"content", contact}}, u.token)
          .status,
      201);
  // They are really stored: an unmasked read and a search give them back.
  auto all = c.get("/api/v1/customers/" + id +
                       "?unmask=name,phone,id_number,qq,email,account,address,products,notes"
                       "&reason=marker" +
                       m,
                   u.token);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.json().at("phone").as_string(), phone);
  EXPECT_EQ(all.json().at("notes").as_string(), "备注" + m);
  ASSERT_EQ(c.get("/api/v1/customers?phone=" + phone, u.token).json().at("items").as_array().size(),
            1u);
  ASSERT_EQ(c.get("/api/v1/customers/" + id + "/contacts", u.token)
                .json()
                .at("items")
                .as_array()
                .at(0)
                .at("content")
                .as_string(),
            contact);

  std::vector<std::string> markers{contact, "marker" + m};
  for (const auto& [k, v] : fields) markers.push_back(v);
  markers.push_back(phone.substr(3));  // the digits after the prefix, in any form
  auto running = scan_for(inst->root(), markers);
  EXPECT_TRUE(running.empty()) << running.front();
  server->stop();
  auto stopped = scan_for(inst->root(), markers);
  EXPECT_TRUE(stopped.empty()) << stopped.front();
}

}  // namespace
}  // namespace baomi::testing
