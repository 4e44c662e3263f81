// `baomi demo load` (issue 11): the demo organisation includes the archive (档案室), a restricted
// area with keepers and authorised staff, and one pending visit request to it, escorted by one
// of its authorised staff, so the S11 flows can be shown at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "auth/user.h"
#include "cmd/instance.h"
#include "crypto/random.h"
#include "services/areas/areas.h"
#include "services/requests/request.h"
#include "support/cli_run.h"

namespace baomi {
namespace {

using testing::baomi_binary;
using testing::run_shell;

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() / ("baomi-demo-" + crypto::random_id());
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "pw.json")
        << R"({"sysadmin":"sys-pass-1","secadmin":"sec-pass-1","auditor":"aud-pass-1"})";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string baomi(const std::string& args) const { return baomi_binary() + " " + args; }

  std::filesystem::path dir;
};

TEST_F(DemoTest, LoadsTheArchiveWithKeepersAndOnePendingVisitRequest_S11) {
  const auto data = (dir / "a").string();
  const auto init =
      run_shell(baomi("init --data " + data + " --admin-passwords " + (dir / "pw.json").string()));
  ASSERT_EQ(init.code, 0) << init.output;
  const auto loaded = run_shell(baomi("demo load --data " + data + " --password demo-pass-1"));
  ASSERT_EQ(loaded.code, 0) << loaded.output;
  EXPECT_NE(loaded.output.find("1 restricted area (档案室) with 1 pending visit request"),
            std::string::npos)
      << loaded.output;

  auto opened = cmd::open_instance(cmd::paths_of(data, "").value(), std::nullopt);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto& rt = *(*opened)->runtime;
  std::optional<auth::User> secadmin;
  std::vector<services::Request> visits;
  ASSERT_TRUE(rt.store
                  .read([&](barrier::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(secadmin,
                                           auth::find_user_by_username(rt, tx, "secadmin"));
                    services::ObjectQuery q;
                    q.kind = std::string(services::kRequestKind);
                    q.limit = 1000;
                    BAOMI_ASSIGN_OR_RETURN(auto stored, services::SealedObjects(rt).list(tx, q));
                    for (const auto& o : stored) {
                      BAOMI_ASSIGN_OR_RETURN(auto r, services::request_from_object(o));
                      if (r.visit) visits.push_back(std::move(r));
                    }
                    return {};
                  })
                  .ok());
  ASSERT_TRUE(secadmin);
  auto areas = services::Areas(rt).list(*secadmin, "", 100);
  ASSERT_TRUE(areas.ok()) << areas.error().message;
  ASSERT_EQ(areas->items.size(), 1u);
  const auto& archive = areas->items[0];
  EXPECT_EQ(archive.name, "档案室");
  EXPECT_EQ(archive.kind, services::AreaKind::kArchive);
  EXPECT_FALSE(archive.keepers.empty());
  EXPECT_FALSE(archive.authorised.empty());

  ASSERT_EQ(visits.size(), 1u);
  const auto& visit = visits[0];
  EXPECT_EQ(visit.state, services::RequestState::kPending);
  EXPECT_EQ(visit.visit->area_id, archive.id);
  EXPECT_TRUE(archive.lists(services::AreaList::kAuthorised, visit.visit->escort_id))
      << "the escort may enter the archive";
  EXPECT_FALSE(visit.visit->visitor.name.empty());
}

}  // namespace
}  // namespace baomi
