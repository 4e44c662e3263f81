// The `baomi` command-line client against a real server: the built binary runs as a subprocess
// with BAOMI_ADDR/BAOMI_TOKEN/BAOMI_CACERT and talks verified HTTPS to `baomi serve`. Covers
// login, documents (byte-exact round trip), a print request approved and its copy issued and
// downloaded (S7, A1), a rejection, the audit trail (query, remote verify, I1), a leak
// investigation that traces a leaked excerpt to its holder and whose bundle verifies offline
// (S10), --json output, and the errors a user meets (unreachable server, untrusted
// certificate, no or bad token, unknown ids) with their exit codes (0 ok, 1 refused, 2 usage or
// connection). Setup that is not under test (accounts, clearances) uses the harness client.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "integration/harness.h"

extern char** environ;

namespace baomi::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

struct CliRun {
  int code = -1;
  std::string out, err;
  json::value json() const { return json::parse(out); }
};

using Env = std::map<std::string, std::string>;

// Runs the baomi binary with exactly `env` (plus the sanitizers' settings of this process),
// `input` on its standard input, and captures standard output and error apart.
CliRun run_baomi(const std::vector<std::string>& args, const Env& env,
                 const std::string& input = {}) {
  std::vector<std::string> argv_s{binary_path()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<std::string> env_s;
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  for (char** e = environ; *e; ++e) {
    const std::string var(*e);
    if (var.starts_with("ASAN_") || var.starts_with("LSAN_") || var.starts_with("UBSAN_")) {
      env_s.push_back(var);
    }
  }
  std::vector<char*> argv, envp;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!input.empty()) {
    (void)!write(in[1], input.data(), input.size());
  }
  close(in[1]);
  CliRun run;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&run.out, &run.err};
  int open_fds = 2;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (open_fds > 0 && std::chrono::steady_clock::now() < deadline) {
    if (poll(fds, 2, 200) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[8192];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  if (open_fds > 0) kill(pid, SIGKILL);
  for (auto& f : fds) {
    if (f.fd >= 0) close(f.fd);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

constexpr const char* kParagraph =
    "第三季度客户服务中心的投诉处理情况如下：电话渠道共受理投诉一千二百件，平均处理时长为"
    "三天，较上季度缩短半天。售后组负责的退换货工单中，有百分之八超过承诺时限，主要原因是"
    "备件库存不足。下季度的重点是完善交接流程，确保每一张交接单在次日得到确认。";

std::string cli_prose() {
  std::string out;
  for (int i = 1; i <= 4; ++i) out += "第" + std::to_string(i) + "段。" + kParagraph + "\n";
  return out;
}

// A port nothing listens on: bound, then closed.
std::uint16_t closed_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class CliClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    inst = TestInstance::create().release();
    server = inst->start().release();
    HttpsClient c(server->port());
    custodian = new TestUser(
        make_user(c, *inst, "cli.keeper", "custodian", "confidential", {"business_decisions"}));
    staff =
        new TestUser(make_user(c, *inst, "cli.staff", "staff", "secret", {"business_decisions"}));
    text_doc = std::string(create_document(c, custodian->token, "第三季度投诉分析", "secret",
                                           {"business_decisions"}, {{"secret_until", "2031-06-30"}})
                               .at("id")
                               .as_string());
    upload_content(c, custodian->token, text_doc, cli_prose());
  }
  static void TearDownTestSuite() {
    delete custodian;
    delete staff;
    delete server;
    delete inst;
  }

  // The environment of a user holding `token` (empty: none).
  static Env env_of(const std::string& token) {
    Env env{{"PATH", "/usr/bin:/bin"},
            {"HOME", inst->root().string()},
            {"BAOMI_ADDR", "https://127.0.0.1:" + std::to_string(server->port())},
            {"BAOMI_CACERT", (inst->keys() / "tls.crt").string()}};
    if (!token.empty()) env["BAOMI_TOKEN"] = token;
    return env;
  }

  static CliRun as(const TestUser& user, const std::vector<std::string>& args) {
    return run_baomi(args, env_of(user.token));
  }

  static const std::string& auditor_token() {
    static const std::string token = [] {
      const fs::path pw = inst->root() / "auditor.pw";
      write_file(pw, inst->admin_password("auditor") + "\n");
      auto r = run_baomi({"login", "auditor", "--password-file", pw.string()}, env_of(""));
      if (r.code != 0) throw std::runtime_error("auditor login: " + r.err);
      return r.out.substr(0, r.out.find('\n'));
    }();
    return token;
  }
  static CliRun as_auditor(const std::vector<std::string>& args) {
    return run_baomi(args, env_of(auditor_token()));
  }

  // An approved request of `type` by staff on the text document: its id.
  std::string approved(const std::string& type, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"request", type, text_doc, "--reason", "向客户说明投诉处理情况",
                                  "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto asked = as(*staff, args);
    EXPECT_EQ(asked.code, 0) << asked.err;
    const std::string id(asked.json().at("id").as_string());
    auto ok = as(*custodian, {"requests", "approve", id, "--comment", "同意"});
    EXPECT_EQ(ok.code, 0) << ok.err;
    EXPECT_NE(ok.out.find("approved"), std::string::npos) << ok.out;
    return id;
  }

  fs::path file(const std::string& name) const { return inst->root() / name; }

  static inline TestInstance* inst = nullptr;
  static inline ServerProcess* server = nullptr;
  static inline TestUser *custodian = nullptr, *staff = nullptr;
  static inline std::string text_doc;
};

TEST_F(CliClientTest, LoginPrintsATokenThatTheOtherCommandsUse) {
  const fs::path pw = file("staff.pw");
  write_file(pw, staff->password + "\n");
  auto r = run_baomi({"login", staff->username, "--password-file", pw.string()}, env_of(""));
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string token = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(token.size(), 43u) << r.out;
  EXPECT_NE(r.err.find("export BAOMI_TOKEN"), std::string::npos) << r.err;

  auto me = run_baomi({"whoami"}, env_of(token));
  ASSERT_EQ(me.code, 0) << me.err;
  EXPECT_NE(me.out.find("cli.staff"), std::string::npos) << me.out;
  EXPECT_NE(me.out.find("secret"), std::string::npos) << me.out;

  // The password on a piped standard input; --json gives the whole answer.
  auto piped = run_baomi({"login", staff->username, "--json"}, env_of(""), staff->password + "\n");
  ASSERT_EQ(piped.code, 0) << piped.err;
  const auto answer = piped.json().as_object();
  EXPECT_EQ(answer.at("token").as_string().size(), 43u);
  EXPECT_EQ(answer.at("user").at("username").as_string(), "cli.staff");

  // Logging out ends the token at once.
  ASSERT_EQ(run_baomi({"logout"}, env_of(token)).code, 0);
  auto after = run_baomi({"whoami"}, env_of(token));
  EXPECT_EQ(after.code, 1);
  EXPECT_NE(after.err.find("401 unauthenticated"), std::string::npos) << after.err;
  EXPECT_NE(after.err.find("baomi login"), std::string::npos) << after.err;

  auto wrong = run_baomi({"login", staff->username}, env_of(""), "not-the-password\n");
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.err.find("401 invalid_credentials"), std::string::npos) << wrong.err;
}

TEST_F(CliClientTest, DocsPutLsGetRoundTripTheExactBytes_S5) {
  std::string bytes(300 * 1024 + 7, '\0');  // several pieces each way, not a multiple of one
  std::mt19937 rng(7);
  for (auto& b : bytes) b = static_cast<char>(rng());
  write_file(file("plan.bin"), bytes);
  auto put = as(*custodian, {"docs", "put", file("plan.bin").string(), "--title", "投标底价方案",
                             "--level", "secret", "--category", "business_decisions",
                             "--secret-until", "2031-06-30", "--json"});
  ASSERT_EQ(put.code, 0) << put.err;
  const auto up = put.json().as_object();
  const std::string id(up.at("id").as_string());
  EXPECT_EQ(up.at("version").as_int64(), 1);
  EXPECT_EQ(up.at("size").as_int64(), static_cast<std::int64_t>(bytes.size()));

  auto ls = as(*custodian, {"docs", "ls", "--all"});
  ASSERT_EQ(ls.code, 0) << ls.err;
  EXPECT_TRUE(ls.out.starts_with("ID")) << ls.out;
  EXPECT_NE(ls.out.find(id), std::string::npos) << ls.out;
  EXPECT_NE(ls.out.find("秘密★2031-06-30"), std::string::npos) << ls.out;  // S5: the marking

  auto ls_json = as(*custodian, {"docs", "ls", "--all", "--json"});
  ASSERT_EQ(ls_json.code, 0) << ls_json.err;
  bool listed = false;
  const auto listing = ls_json.json();
  for (const auto& d : listing.at("items").as_array()) listed |= d.at("id") == id.c_str();
  EXPECT_TRUE(listed);

  auto get = as(*custodian, {"docs", "get", id, "-o", file("plan.out").string()});
  ASSERT_EQ(get.code, 0) << get.err;
  EXPECT_EQ(read_file(file("plan.out")), bytes);
  EXPECT_NE(get.err.find("秘密★2031-06-30"), std::string::npos) << get.err;

  auto meta = as(*custodian, {"docs", "get", id});
  ASSERT_EQ(meta.code, 0) << meta.err;
  EXPECT_NE(meta.out.find("投标底价方案"), std::string::npos) << meta.out;
  EXPECT_NE(meta.out.find(std::string(up.at("sha256").as_string())), std::string::npos);

  // A new version of the same document.
  write_file(file("plan2.txt"), "第二版\n");
  auto v2 = as(*custodian, {"docs", "put", file("plan2.txt").string(), "--doc", id, "--json"});
  ASSERT_EQ(v2.code, 0) << v2.err;
  EXPECT_EQ(v2.json().at("version").as_int64(), 2);
}

TEST_F(CliClientTest, PrintApprovedByTheCustodianIsIssuedDownloadedAndReportedLost_S7_A1_S8) {
  auto asked = as(*staff, {"request", "print", text_doc, "--reason", "客户回访", "--json"});
  ASSERT_EQ(asked.code, 0) << asked.err;
  const std::string id(asked.json().at("id").as_string());
  EXPECT_EQ(asked.json().at("status").as_string(), "pending");

  // A1: the requester cannot approve their own request.
  auto self = as(*staff, {"requests", "approve", id});
  EXPECT_EQ(self.code, 1);
  EXPECT_NE(self.err.find("403 self_approval (rule A1)"), std::string::npos) << self.err;

  auto queue = as(*custodian, {"requests", "ls", "--approvable"});
  ASSERT_EQ(queue.code, 0) << queue.err;
  EXPECT_NE(queue.out.find(id), std::string::npos) << queue.out;
  EXPECT_NE(queue.out.find("cli.staff"), std::string::npos) << queue.out;

  auto ok = as(*custodian, {"requests", "approve", id, "--comment", "同意打印"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("approved"), std::string::npos) << ok.out;

  auto issued = as(*staff, {"copies", "issue", id, "--json"});
  ASSERT_EQ(issued.code, 0) << issued.err;
  const std::string serial(issued.json().at("serial").as_string());
  EXPECT_EQ(issued.json().at("kind").as_string(), "print");

  auto got = as(*staff, {"copies", "get", serial, "-o", file("print.pdf").string()});
  ASSERT_EQ(got.code, 0) << got.err;
  const std::string pdf = read_file(file("print.pdf"));
  EXPECT_TRUE(pdf.starts_with("%PDF")) << pdf.substr(0, 16);

  // S7: exactly the approved number of copies.
  auto again = as(*staff, {"copies", "issue", id});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("409 copies_exhausted"), std::string::npos) << again.err;

  auto mine = as(*staff, {"copies", "ls"});
  ASSERT_EQ(mine.code, 0) << mine.err;
  EXPECT_NE(mine.out.find(serial), std::string::npos) << mine.out;

  // S8: the holder reports it lost; the register shows it.
  auto lost = as(*staff, {"copies", "report-lost", serial, "--description", "地铁上遗失"});
  ASSERT_EQ(lost.code, 0) << lost.err;
  EXPECT_NE(lost.out.find("incident"), std::string::npos) << lost.out;
  auto shown = as(*custodian, {"copies", "show", serial, "--json"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_EQ(shown.json().at("state").as_string(), "lost");
}

TEST_F(CliClientTest, ARejectionNeedsAReasonAndLeavesNothingToIssue_S7) {
  auto asked = as(*staff, {"request", "copy", text_doc, "--reason", "整理资料", "--json"});
  ASSERT_EQ(asked.code, 0) << asked.err;
  const std::string id(asked.json().at("id").as_string());

  auto no_comment = as(*custodian, {"requests", "reject", id});
  EXPECT_EQ(no_comment.code, 2) << no_comment.err;  // usage: --comment is required

  auto rejected = as(*custodian, {"requests", "reject", id, "--comment", "无需外带"});
  ASSERT_EQ(rejected.code, 0) << rejected.err;
  EXPECT_NE(rejected.out.find("rejected"), std::string::npos) << rejected.out;

  auto shown = as(*staff, {"requests", "show", id});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_NE(shown.out.find("rejected"), std::string::npos) << shown.out;

  auto issue = as(*staff, {"copies", "issue", id});
  EXPECT_EQ(issue.code, 1);
  EXPECT_NE(issue.err.find("409 request_not_approved"), std::string::npos) << issue.err;
}

TEST_F(CliClientTest, AuditorQueriesAndVerifiesTheTrailRemotelyAndOffline_I1) {
  auto q = as_auditor({"audit", "query", "--action", "session.create", "--all", "--json"});
  ASSERT_EQ(q.code, 0) << q.err;
  EXPECT_FALSE(q.json().at("items").as_array().empty());
  EXPECT_TRUE(q.json().at("next_cursor").is_null());

  auto table = as_auditor({"audit", "query", "--limit", "3"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(table.out.starts_with("SEQ")) << table.out;
  EXPECT_NE(table.err.find("--cursor 3"), std::string::npos) << table.err;

  // With BAOMI_ADDR set and no --data, `audit verify` asks the server.
  auto remote = as_auditor({"audit", "verify"});
  ASSERT_EQ(remote.code, 0) << remote.err;
  EXPECT_TRUE(remote.out.starts_with("ok: ")) << remote.out;
  auto remote_json = as_auditor({"audit", "verify", "--remote", "--json"});
  ASSERT_EQ(remote_json.code, 0) << remote_json.err;
  EXPECT_TRUE(remote_json.json().at("ok").as_bool());

  // The offline check is unchanged, and wins whenever --data is given.
  std::vector<std::string> offline_args{
      "audit", "verify", "--data", inst->data().string(), "--keys", inst->keys().string()};
  for (const auto& arg : inst->database_args()) offline_args.push_back(arg);
  auto offline = as_auditor(offline_args);
  ASSERT_EQ(offline.code, 0) << offline.err;
  EXPECT_TRUE(offline.out.starts_with("ok: ")) << offline.out;
  EXPECT_EQ(offline.out.find("by the server"), std::string::npos);

  auto both = as_auditor({"audit", "verify", "--data", inst->data().string(), "--remote"});
  EXPECT_EQ(both.code, 2);
  EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;

  Env no_addr = env_of(auditor_token());
  no_addr.erase("BAOMI_ADDR");
  auto neither = run_baomi({"audit", "verify"}, no_addr);
  EXPECT_EQ(neither.code, 2);
  EXPECT_NE(neither.err.find("--data"), std::string::npos) << neither.err;

  // Staff may not read the trail (SoD): the server's refusal, exit 1.
  auto refused = as(*staff, {"audit", "query"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("403"), std::string::npos) << refused.err;
}

// Full-width punctuation and digits as their ASCII forms: a text copy may use either.
std::string folded_forms(std::string text) {
  static const std::pair<std::string, std::string> kForms[] = {
      {"，", ","}, {"：", ":"}, {"；", ";"}, {"（", "("}, {"）", ")"}, {"！", "!"},
      {"？", "?"}, {"０", "0"}, {"１", "1"}, {"２", "2"}, {"３", "3"}, {"４", "4"},
      {"５", "5"}, {"６", "6"}, {"７", "7"}, {"８", "8"}, {"９", "9"}};
  for (const auto& [wide, narrow] : kForms) {
    for (auto at = text.find(wide); at != std::string::npos; at = text.find(wide, at)) {
      text.replace(at, wide.size(), narrow);
    }
  }
  return text;
}

TEST_F(CliClientTest, InvestigationTracesALeakedExcerptToItsHolderAndItsBundleVerifies_S10) {
  // The excerpt chosen by its text (a whole paragraph: long enough to carry fingerprint
  // frames); the client finds its code point range in the document.
  const std::string request = approved("excerpt", {"--match", kParagraph});
  auto issued = as(*staff, {"copies", "issue", request, "--json"});
  ASSERT_EQ(issued.code, 0) << issued.err;
  const std::string serial(issued.json().at("serial").as_string());
  auto got = as(*staff, {"copies", "get", serial, "-o", file("excerpt.txt").string()});
  ASSERT_EQ(got.code, 0) << got.err;
  // The copy's words, with equivalent punctuation and digit forms chosen per copy (S10).
  EXPECT_NE(
      folded_forms(visible_text(read_file(file("excerpt.txt")))).find(folded_forms(kParagraph)),
      std::string::npos);

  auto opened = as_auditor({"investigate", "open", "--title", "投诉分析外泄", "--reason",
                            "微信群里出现了报告原文", "--document", text_doc, "--json"});
  ASSERT_EQ(opened.code, 0) << opened.err;
  const std::string case_id(opened.json().at("id").as_string());
  EXPECT_EQ(opened.json().at("state").as_string(), "open");

  // The leak as found: the excerpt's text, pasted elsewhere.
  auto added = as_auditor({"investigate", "add-evidence", case_id, file("excerpt.txt").string(),
                           "--note", "wechat", "--json"});
  ASSERT_EQ(added.code, 0) << added.err;
  bool traced = false;
  const auto evidence = added.json();
  for (const auto& m : evidence.at("matches").as_array()) {
    traced |= m.at("serial") == serial.c_str() && m.at("holder_id") == staff->id.c_str() &&
              m.at("method") == "fingerprint";
  }
  EXPECT_TRUE(traced) << added.out;

  // The same as a table: the serial and its holder on one row.
  auto table = as_auditor({"investigate", "add-evidence", case_id, file("excerpt.txt").string()});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("METHOD"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(serial), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(staff->id), std::string::npos) << table.out;

  auto timeline = as_auditor({"investigate", "timeline", case_id, "--json"});
  ASSERT_EQ(timeline.code, 0) << timeline.err;
  std::set<std::string> actions;
  const auto events = timeline.json();
  for (const auto& e : events.at("items").as_array()) {
    actions.insert(std::string(e.at("action").as_string()));
  }
  EXPECT_TRUE(actions.count("document.create")) << timeline.out;
  EXPECT_TRUE(actions.count("request.approve")) << timeline.out;
  EXPECT_TRUE(events.at("next_cursor").is_null());

  auto listed = as_auditor({"investigate", "ls", "--state", "open"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find(case_id), std::string::npos) << listed.out;
  auto shown = as_auditor({"investigate", "show", case_id});
  ASSERT_EQ(shown.code, 0) << shown.err;
  EXPECT_NE(shown.out.find("wechat"), std::string::npos) << shown.out;

  const fs::path bundle = file("case.tar");
  auto b = as_auditor({"investigate", "bundle", case_id, "-o", bundle.string()});
  ASSERT_EQ(b.code, 0) << b.err;
  auto verified = run_baomi({"evidence", "verify", bundle.string(), "--public-key",
                             (inst->keys() / "audit.pub").string()},
                            env_of(""));
  EXPECT_EQ(verified.code, 0) << verified.out << verified.err;

  auto closed = as_auditor({"investigate", "close", case_id, "--finding", "摘录由持有人外传"});
  ASSERT_EQ(closed.code, 0) << closed.err;
  EXPECT_NE(closed.out.find("closed"), std::string::npos) << closed.out;
  auto late = as_auditor({"investigate", "add-evidence", case_id, file("excerpt.txt").string()});
  EXPECT_EQ(late.code, 1);
  EXPECT_NE(late.err.find("409 investigation_closed"), std::string::npos) << late.err;

  // Anyone but the auditor finds no case at all (404, never 403).
  auto hidden = as(*staff, {"investigate", "show", case_id});
  EXPECT_EQ(hidden.code, 1);
  EXPECT_NE(hidden.err.find("404 not_found"), std::string::npos) << hidden.err;
}

TEST_F(CliClientTest, ConnectionCertificateAndTokenProblemsAreNamedWithTheirExitCodes) {
  const std::string port = std::to_string(closed_port());
  auto unreachable =
      run_baomi({"docs", "ls", "--addr", "https://127.0.0.1:" + port}, env_of(staff->token));
  EXPECT_EQ(unreachable.code, 2);
  EXPECT_NE(unreachable.err.find("cannot connect to 127.0.0.1:" + port), std::string::npos)
      << unreachable.err;

  auto plain_http =
      run_baomi({"docs", "ls", "--addr", "http://127.0.0.1:" + port}, env_of(staff->token));
  EXPECT_EQ(plain_http.code, 2);
  EXPECT_NE(plain_http.err.find("HTTPS only"), std::string::npos) << plain_http.err;

  // A certificate the server's is not: verification fails and says to pass --ca.
  const fs::path other_key = file("other.key"), other_crt = file("other.crt");
  const std::string make_cert =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
      "-nodes -days 1 -subj /CN=localhost -keyout " +
      other_key.string() + " -out " + other_crt.string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(make_cert.c_str()), 0);
  auto wrong_ca = run_baomi({"docs", "ls", "--ca", other_crt.string()}, env_of(staff->token));
  EXPECT_EQ(wrong_ca.code, 2);
  EXPECT_NE(wrong_ca.err.find("not trusted"), std::string::npos) << wrong_ca.err;
  EXPECT_NE(wrong_ca.err.find("--ca"), std::string::npos) << wrong_ca.err;

  // No --ca and no BAOMI_CACERT: the system store does not know a self-signed certificate, and
  // nothing falls back to not verifying.
  Env system_store = env_of(staff->token);
  system_store.erase("BAOMI_CACERT");
  auto untrusted = run_baomi({"docs", "ls"}, system_store);
  EXPECT_EQ(untrusted.code, 2);
  EXPECT_NE(untrusted.err.find("pass --ca"), std::string::npos) << untrusted.err;

  auto no_token = run_baomi({"docs", "ls"}, env_of(""));
  EXPECT_EQ(no_token.code, 2);
  EXPECT_NE(no_token.err.find("baomi login"), std::string::npos) << no_token.err;

  auto bad_token = run_baomi({"docs", "ls"}, env_of("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_EQ(bad_token.code, 1);
  EXPECT_NE(bad_token.err.find("401 unauthenticated"), std::string::npos) << bad_token.err;
  EXPECT_NE(bad_token.err.find("baomi login"), std::string::npos) << bad_token.err;

  auto unknown = as(*staff, {"docs", "get", "nosuchdocument"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("404 not_found"), std::string::npos) << unknown.err;

  auto missing_download =
      as(*staff, {"docs", "get", "nosuchdocument", "-o", file("never.bin").string()});
  EXPECT_EQ(missing_download.code, 1);
  EXPECT_FALSE(fs::exists(file("never.bin")));  // nothing half-written is left behind
  for (const auto& entry : fs::directory_iterator(inst->root())) {
    EXPECT_EQ(entry.path().string().find(".partial-"), std::string::npos) << entry.path();
  }

  auto usage = as(*staff, {"docs", "ls", "--no-such-flag"});
  EXPECT_EQ(usage.code, 2);
}

}  // namespace
}  // namespace baomi::testing
