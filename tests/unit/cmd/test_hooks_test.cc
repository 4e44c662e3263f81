// The test suite's hooks (src/cmd/test_hooks.h): a test build lowers the Argon2id cost only when
// asked by BAOMI_TEST_PASSWORD_COST=minimum, and an instance created without it stores password
// hashes at the interactive cost that production uses.
#include "cmd/test_hooks.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "auth/user.h"
#include "cmd/instance.h"
#include "crypto/random.h"
#include "support/cli_run.h"
#include "support/scoped_env.h"

namespace baomi {
namespace {

using testing::baomi_binary;
using testing::run_shell;

// Sets (or, with nullptr, removes) BAOMI_TEST_PASSWORD_COST while it lives.
class PasswordCostVariable {
 public:
  explicit PasswordCostVariable(const char* value) {
    env_.set("BAOMI_TEST_PASSWORD_COST", value ? std::optional<std::string>(value) : std::nullopt);
  }

 private:
  testing::ScopedEnvironment env_;
};

TEST(TestHooks, ThePasswordCostIsInteractiveUnlessTheVariableSaysMinimum) {
  ASSERT_TRUE(cmd::test_hooks::compiled_in()) << "the test build is configured without the hooks";
  {
    PasswordCostVariable unset(nullptr);
    EXPECT_EQ(cmd::test_hooks::password_cost(), crypto::PwhashCost::kInteractive);
  }
  for (const char* other : {"", "min", "MINIMUM", "minimum ", "interactive"}) {
    PasswordCostVariable v(other);
    EXPECT_EQ(cmd::test_hooks::password_cost(), crypto::PwhashCost::kInteractive) << other;
  }
  PasswordCostVariable minimum("minimum");
  EXPECT_EQ(cmd::test_hooks::password_cost(), crypto::PwhashCost::kMinimum);
}

// The Argon2id parameters an admin's stored hash was made with ("m=65536,t=2" is libsodium's
// interactive cost: 64 MiB, two passes).
std::string admin_hash_parameters(const std::filesystem::path& data,
                                  const std::filesystem::path& keys) {
  auto opened =
      cmd::open_instance(cmd::paths_of(data.string(), keys.string()).value(), std::nullopt);
  EXPECT_TRUE(opened.ok()) << opened.error().message;
  if (!opened.ok()) return "";
  auto& rt = *(*opened)->runtime;
  std::optional<auth::User> sysadmin;
  EXPECT_TRUE(rt.store
                  .read([&](barrier::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(sysadmin,
                                           auth::find_user_by_username(rt, tx, "sysadmin"));
                    return {};
                  })
                  .ok());
  if (!sysadmin) return "";
  const auto& h = sysadmin->password_hash;
  const auto m = h.find("$m=");
  return m == std::string::npos ? h : h.substr(m + 1, h.find('$', m + 1) - m - 1);
}

TEST(TestHooks, AnInstanceMadeWithoutTheVariableHashesAtTheInteractiveCost) {
  const auto dir = std::filesystem::temp_directory_path() / ("baomi-hooks-" + crypto::random_id());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "pw.json")
      << R"({"sysadmin":"sys-pass-1","secadmin":"sec-pass-1","auditor":"aud-pass-1"})";
  const auto init = [&](const std::string& name, const char* cost) {
    PasswordCostVariable v(cost);
    return run_shell(baomi_binary() + " init --data " + (dir / name).string() + " --keys " +
                     (dir / (name + "-keys")).string() + " --admin-passwords " +
                     (dir / "pw.json").string());
  };
  const auto production = init("production", nullptr);
  ASSERT_EQ(production.code, 0) << production.output;
  const auto lowered = init("lowered", "minimum");
  ASSERT_EQ(lowered.code, 0) << lowered.output;

  EXPECT_EQ(admin_hash_parameters(dir / "production", dir / "production-keys"), "m=65536,t=2,p=1");
  EXPECT_EQ(admin_hash_parameters(dir / "lowered", dir / "lowered-keys"), "m=8,t=1,p=1");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace baomi
