// baomi login, logout, whoami, pledge: a session with the server (POST/DELETE /api/v1/session,
// GET /api/v1/me, POST /api/v1/me/pledge).
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "client/files.h"
#include "client/json_text.h"
#include "cmd/client/registry.h"

namespace baomi::cmd::client {
namespace {

namespace json = boost::json;
using baomi::client::text_of;
using baomi::client::time_of;

struct LoginOptions {
  std::string username;
  std::string password_file;
};

// Reads a line from the terminal with echo off, restoring the terminal afterwards.
Result<std::string> prompt_password(const std::string& username) {
  std::cerr << "Password for " << username << ": " << std::flush;
  termios old_mode{};
  const bool tty = ::tcgetattr(0, &old_mode) == 0;
  if (tty) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(0, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) ::tcsetattr(0, TCSAFLUSH, &old_mode);
  std::cerr << "\n";
  if (!got) return client_error("usage", "no password given");
  return line;
}

// The password: from --password-file, the terminal (without echo), or the first line of a
// piped standard input. Never from a flag: flags show in `ps`.
Result<std::string> read_password(const LoginOptions& o) {
  std::string password;
  if (!o.password_file.empty()) {
    struct stat st {};
    if (::stat(o.password_file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      std::cerr << "baomi: warning: " << o.password_file
                << " is readable by other users; chmod 600 it\n";
    }
    BAOMI_ASSIGN_OR_RETURN(password, baomi::client::read_first_line(o.password_file));
  } else if (::isatty(0)) {
    BAOMI_ASSIGN_OR_RETURN(password, prompt_password(o.username));
  } else if (!std::getline(std::cin, password)) {
    return client_error("usage", "no password on standard input");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty()) return client_error("usage", "the password is empty");
  return password;
}

void wipe_secret(std::string& secret) {
  volatile char* p = secret.data();
  for (std::size_t i = 0; i < secret.size(); ++i) p[i] = 0;
  secret.clear();
}

Result<Ok> login(const ConnectionOptions& c, const LoginOptions& o) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c, false));
  BAOMI_ASSIGN_OR_RETURN(auto password, read_password(o));
  json::object body{{"username", o.username}, {"password", password}};
  auto answer = api.send_json_anonymous("POST", "/session", body);
  wipe_secret(password);
  body["password"] = "";
  if (!answer.ok()) return answer.take_error();
  if (c.json) {
    print_json(*answer);
    return Ok{};
  }
  const auto& obj = answer->as_object();
  const auto& user = baomi::client::object_at(obj, "user");
  std::cout << text_of(obj, "token") << "\n";
  std::cerr << "Logged in to " << api.endpoint().text() << " as "
            << baomi::client::terminal_safe(text_of(user, "username")) << " ("
            << baomi::client::terminal_safe(text_of(user, "display_name"))
            << "); the token above expires at " << time_of(obj, "expires_at") << ".\n"
            << "Use it in this shell:  export BAOMI_TOKEN=<the token above>\n"
            << "  (or in one step:  export BAOMI_TOKEN=$(baomi login " << o.username << "))\n";
  const std::string roles = text_of(user, "roles");
  const bool admin = roles.find("admin") != std::string::npos || roles == "auditor";
  if (const auto* p = user.if_contains("pledge_accepted_at"); p && p->is_null() && !admin) {
    std::cerr << "The confidentiality pledge is not accepted yet (rule S2): read it with "
                 "`baomi pledge` before anything above public.\n";
  }
  return Ok{};
}

Result<Ok> logout(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_TRY(api.send_empty("DELETE", "/session"));
  if (c.json) {
    print_json(json::object{{"logged_out", true}});
  } else {
    std::cerr << "Logged out; the token no longer works (unset BAOMI_TOKEN).\n";
  }
  return Ok{};
}

void print_user(const json::object& u) {
  baomi::client::print_fields(std::cout, {{"id", text_of(u, "id")},
                                          {"username", text_of(u, "username")},
                                          {"display name", text_of(u, "display_name")},
                                          {"department", text_of(u, "department")},
                                          {"roles", text_of(u, "roles")},
                                          {"clearance", text_of(u, "clearance")},
                                          {"categories", text_of(u, "categories")},
                                          {"pledge accepted", time_of(u, "pledge_accepted_at")}});
}

Result<Ok> whoami(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto me, api.get_json("/me"));
  if (c.json) {
    print_json(me);
  } else {
    print_user(me.as_object());
  }
  return Ok{};
}

constexpr std::string_view kPledge =
    "Confidentiality pledge (the company's confidentiality system, 保密制度):\n"
    "  Every employee has the duty to keep the company's secrets. (Art. 2)\n"
    "  In outside dealings take particular care not to leak company secrets, and never sell "
    "them. (Art. 3)\n"
    "  Secret files are marked 秘密; a designated custodian prints, sends, transmits and keeps "
    "them. (Art. 5)\n"
    "  Company secrets are accessible only to the staff who need them. (Art. 6)\n"
    "  No copying or excerpting of secret files without approval. (Art. 7)\n"
    "  Work notes holding secrets must be kept safe; a loss must be reported at once and "
    "remedied. (Art. 8)\n"
    "  Staff with access may not disclose secrets without approval; staff without access may "
    "not inquire or pry. (Art. 9)\n"
    "Leaking company secrets, deliberately or by negligence, is punished up to dismissal.\n"
    "Your acceptance is recorded in the audit trail.\n";

Result<Ok> pledge(const ConnectionOptions& c, bool accept) {
  if (!accept) {
    std::cout << kPledge << "To accept it: baomi pledge --accept\n";
    return Ok{};
  }
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto me, api.send_json("POST", "/me/pledge", json::object()));
  if (c.json) {
    print_json(me);
  } else {
    std::cout << "Pledge accepted at " << time_of(me.as_object(), "pledge_accepted_at") << "\n";
  }
  return Ok{};
}

}  // namespace

void add_session_commands(Registry& registry, CLI::App& app) {
  auto& c = registry.connection();
  auto login_options = std::make_shared<LoginOptions>();
  auto* login_cmd = registry.add(&app, "login", "Log in and print a session token for BAOMI_TOKEN",
                                 [&c, login_options] { return login(c, *login_options); });
  login_cmd->add_option("username", login_options->username, "Your username")->required();
  login_cmd->add_option("--password-file", login_options->password_file,
                        "Read the password from the first line of FILE (default: prompt without "
                        "echo, or the first line of a piped standard input)");
  registry.add(&app, "logout", "End the session of BAOMI_TOKEN", [&c] { return logout(c); });
  registry.add(&app, "whoami", "Show the account of BAOMI_TOKEN", [&c] { return whoami(c); });
  auto accept = std::make_shared<bool>(false);
  auto* pledge_cmd =
      registry.add(&app, "pledge", "Read, then accept, the confidentiality pledge (S2)",
                   [&c, accept] { return pledge(c, *accept); });
  pledge_cmd->add_flag("--accept", *accept, "Accept the pledge (recorded in the audit trail)");
}

}  // namespace baomi::cmd::client
