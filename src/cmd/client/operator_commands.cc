// baomi operator unseal|seal|seal-status: the seal of a running server (POST /api/v1/sys/unseal,
// POST /api/v1/sys/seal, GET /api/v1/sys/seal-status; docs/operations.md, the unseal ceremony).
// A share is read from a file, the terminal (without echo) or standard input, never from a
// flag: flags show in `ps`.
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "barrier/key_share.h"
#include "client/files.h"
#include "client/json_text.h"
#include "cmd/client/registry.h"
#include "cmd/seal_files.h"
#include "crypto/secure_buffer.h"

namespace baomi::cmd::client {
namespace {

namespace json = boost::json;

Result<std::string> prompt_share() {
  std::cerr << "Key share (input hidden): " << std::flush;
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
  if (!got) return client_error("usage", "no key share given");
  return line;
}

Result<std::string> read_share(const std::string& share_file) {
  std::string share;
  if (!share_file.empty()) {
    struct stat st {};
    if (::stat(share_file.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      std::cerr << "baomi: warning: " << share_file
                << " is readable by other users; chmod 600 it\n";
    }
    BAOMI_ASSIGN_OR_RETURN(share, baomi::client::read_first_line(share_file));
  } else if (::isatty(0)) {
    BAOMI_ASSIGN_OR_RETURN(share, prompt_share());
  } else if (!std::getline(std::cin, share)) {
    return client_error("usage", "no key share on standard input");
  }
  if (!share.empty() && share.back() == '\r') share.pop_back();
  if (share.empty()) return client_error("usage", "the key share is empty");
  return share;
}

void wipe_share(std::string& secret) {
  volatile char* p = secret.data();
  for (std::size_t i = 0; i < secret.size(); ++i) p[i] = 0;
  secret.clear();
}

void print_seal_status(const json::object& s) {
  const bool sealed = s.if_contains("sealed") && s.at("sealed").as_bool();
  const bool by_shares = s.if_contains("key_shares") && s.at("key_shares").as_bool();
  std::cout << (sealed ? "sealed" : "unsealed");
  if (by_shares) {
    std::cout << " (" << baomi::client::text_of(s, "threshold") << " of "
              << baomi::client::text_of(s, "shares") << " key shares unseal it";
    if (sealed) std::cout << "; " << baomi::client::text_of(s, "progress") << " given so far";
    std::cout << ")";
  } else {
    std::cout << " (master key in a key file)";
  }
  std::cout << "\n";
}

Result<Ok> show_operator(const ConnectionOptions& c, const json::value& answer) {
  if (c.json) {
    print_json(answer);
  } else {
    print_seal_status(answer.as_object());
  }
  return Ok{};
}

// A share encrypted to its holder (init --share-public-key) is opened here, with the holder's
// secret key: the server only ever sees the plain share, as from any other holder.
Result<std::string> open_share(std::string share, const std::string& secret_key_file) {
  if (!barrier::is_encrypted_share(share)) return share;
  if (secret_key_file.empty()) {
    wipe_share(share);
    return client_error("usage",
                        "this key share is encrypted to its holder: give the holder's secret key "
                        "with --secret-key FILE");
  }
  auto secret = read_box_secret_key(secret_key_file);
  if (!secret.ok()) {
    wipe_share(share);
    return client_error("usage", secret.error().message);
  }
  auto opened = barrier::decrypt_share(share, *secret);
  crypto::wipe(*secret);
  wipe_share(share);
  if (!opened.ok()) return client_error("usage", opened.error().message);
  return opened;
}

Result<Ok> unseal(const ConnectionOptions& c, const std::string& share_file,
                  const std::string& secret_key_file) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c, false));
  BAOMI_ASSIGN_OR_RETURN(auto given, read_share(share_file));
  BAOMI_ASSIGN_OR_RETURN(auto share, open_share(std::move(given), secret_key_file));
  json::object body{{"share", share}};
  auto answer = api.send_json_anonymous("POST", "/sys/unseal", body);
  wipe_share(share);
  body["share"] = "";
  if (!answer.ok()) return answer.take_error();
  return show_operator(c, *answer);
}

Result<Ok> seal_status(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c, false));
  BAOMI_ASSIGN_OR_RETURN(auto answer, api.get_json("/sys/seal-status"));
  return show_operator(c, answer);
}

Result<Ok> seal(const ConnectionOptions& c) {
  BAOMI_ASSIGN_OR_RETURN(auto api, connect(c));
  BAOMI_ASSIGN_OR_RETURN(auto answer, api.send_empty("POST", "/sys/seal"));
  return show_operator(c, answer);
}

}  // namespace

void add_operator_commands(Registry& registry, CLI::App& operator_group) {
  auto share_file = std::make_shared<std::string>();
  auto secret_key = std::make_shared<std::string>();
  auto* unseal_cmd = registry.add(&operator_group, "unseal",
                                  "Give one key share to a sealed server (read from --share-file, "
                                  "the terminal or standard input)",
                                  [&registry, share_file, secret_key] {
                                    return unseal(registry.connection(), *share_file, *secret_key);
                                  });
  unseal_cmd->add_option("--share-file", *share_file, "File whose first line is the key share");
  unseal_cmd->add_option("--secret-key", *secret_key,
                         "Your secret key file (operator share-keypair), for a share encrypted "
                         "to you: it is opened here, never sent");
  registry.add(&operator_group, "seal-status", "Whether the server is sealed, and the progress",
               [&registry] { return seal_status(registry.connection()); });
  registry.add(&operator_group, "seal",
               "Seal the server at once (security administrator): keys leave its memory",
               [&registry] { return seal(registry.connection()); });
}

}  // namespace baomi::cmd::client
