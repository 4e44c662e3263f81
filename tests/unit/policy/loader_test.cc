// Loading policies/default.yaml and rejecting every kind of broken policy file with a
// "<file>:<line>: <what>" message that names the line of the problem.
#include "policy/loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include "policy/version.h"
#include "policy/yaml_precheck.h"
#include "policy_test_util.h"

namespace baomi::policy {
namespace {

constexpr const char* kMaxFailuresLine =
    "  max_failures: 5          # failures of one name from one source within `window` -> 423";

using std::chrono::hours;
using std::chrono::minutes;

constexpr std::string_view kLabel = "test.yaml";

using testing::edit_line;
using testing::line_of;

class PolicyLoader : public ::testing::Test {
 protected:
  std::string text_ = testing::read_default_policy_text();

  // Parses `text` and expects an invalid_policy error at `line` whose message contains `what`.
  void expect_error(const std::string& text, int line, std::string_view what) {
    const auto result = parse_policy(text, kLabel);
    ASSERT_FALSE(result.ok()) << "expected an error at line " << line;
    const std::string prefix = std::string(kLabel) + ":" + std::to_string(line) + ": ";
    EXPECT_EQ(result.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(result.error().code, "invalid_policy");
    EXPECT_EQ(result.error().message.rfind(prefix, 0), 0u)
        << result.error().message << "\n  expected prefix " << prefix;
    EXPECT_NE(result.error().message.find(what), std::string::npos)
        << result.error().message << "\n  expected to contain " << what;
  }

  // Edits one line of the default policy and expects the error on that line.
  void expect_error_at_edit(std::string_view line, std::string_view replacement,
                            std::string_view what) {
    const auto [text, number] = edit_line(text_, line, replacement);
    expect_error(text, number, what);
  }
};

TEST_F(PolicyLoader, DefaultYamlLoadsWithDocumentedDefaults) {
  const auto loaded = load_policy(testing::default_policy_path());
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const Policy& p = *loaded;
  EXPECT_EQ(p.name(), "default");
  EXPECT_EQ(p.marking_name(Level::kPublic), "公开");
  EXPECT_EQ(p.marking_name(Level::kInternal), "内部");
  EXPECT_EQ(p.marking_name(Level::kSecret), "秘密");
  EXPECT_EQ(p.marking_name(Level::kConfidential), "机密");
  EXPECT_EQ(p.marking_name(Level::kTopSecret), "绝密");
  ASSERT_EQ(p.categories().size(), 7u);  // S4: the seven categories of 第四条
  EXPECT_EQ(p.categories().front().name, "business_decisions");
  EXPECT_EQ(p.category_index("other"), 6);
  EXPECT_EQ(p.session_ttl(), hours{8});
  EXPECT_FALSE(p.idle_timeout().has_value());
  EXPECT_EQ(p.lockout().max_failures, 5);
  EXPECT_EQ(p.lockout().window, minutes{15});
  EXPECT_EQ(p.lockout().first_delay, minutes{1});
  EXPECT_EQ(p.lockout().max_delay, hours{1});
  EXPECT_EQ(p.lockout().source_max_names, 10);
  EXPECT_EQ(p.lockout().source_max_failures, 50);
  EXPECT_EQ(p.lockout().source_window, minutes{10});
  EXPECT_EQ(p.lockout().source_block, minutes{15});
  EXPECT_EQ(p.lockout().tracked_entries, 10000);
  EXPECT_EQ(p.limits().max_upload_bytes, std::uint64_t{2} << 30);
  EXPECT_EQ(p.limits().max_json_body_bytes, std::uint64_t{1} << 20);
  EXPECT_EQ(p.documents().creator_roles, kBusinessRoles);
  EXPECT_EQ(p.documents().pledge_required_above, Level::kPublic);  // S2
  EXPECT_EQ(p.role_display(Role::kCustodian), "保密专人");
}

TEST_F(PolicyLoader, PolicyDataDefaultsEqualDefaultYaml) {
  const auto loaded = parse_policy(text_, kLabel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(loaded->data() == PolicyData{})
      << "PolicyData's member defaults drifted from policies/default.yaml";
}

TEST_F(PolicyLoader, VersionIsSha256OfTheExactBytes) {
  const auto loaded = parse_policy(text_, kLabel);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->version(), policy_version_of(text_));
  EXPECT_EQ(loaded->version().size(), 64u);
  const auto from_file = load_policy(testing::default_policy_path());
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(from_file->version(), loaded->version());
  // A comment changes no setting but does change the version: the audit trail names bytes.
  const auto edited = parse_policy(text_ + "# edited\n", kLabel);
  ASSERT_TRUE(edited.ok());
  EXPECT_NE(edited->version(), loaded->version());
}

TEST_F(PolicyLoader, VersionMatchesKnownSha256Vector) {
  EXPECT_EQ(policy_version_of("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(PolicyLoader, OptionalIdleTimeoutIsRead) {
  const auto [text, n] =
      edit_line(text_, "  token_ttl: 8h", "  token_ttl: 8h\n  idle_timeout: 30m");
  const auto loaded = parse_policy(text, kLabel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->idle_timeout(), minutes{30});
}

TEST_F(PolicyLoader, BadYamlSyntaxNamesTheLine) {
  expect_error_at_edit(kMaxFailuresLine, "  max_failures: : 5", "YAML syntax error");
}

TEST_F(PolicyLoader, UnknownKeyIsAnError) {
  expect_error_at_edit(kMaxFailuresLine, "  max_failure: 5", "lockout: unknown key 'max_failure'");
}

TEST_F(PolicyLoader, UnknownTopLevelSectionIsAnError) {
  expect_error_at_edit("sessions:", "handover: {}\nsessions:", "unknown key 'handover'");
}

TEST_F(PolicyLoader, DuplicateKeyIsAnError) {
  // The second `window` is the duplicate: the error names its line, one after the first.
  const auto [text, n] = edit_line(text_, "  window: 15m", "  window: 15m\n  window: 20m");
  expect_error(text, n + 1, "lockout: duplicate key 'window'");
}

TEST_F(PolicyLoader, UnknownLevelNameIsAnError) {
  expect_error_at_edit("  - name: secret", "  - name: restricted", "unknown level 'restricted'");
}

TEST_F(PolicyLoader, DuplicateLevelIsAnError) {
  expect_error_at_edit("  - name: secret", "  - name: internal", "duplicate level 'internal'");
}

TEST_F(PolicyLoader, LevelsOutOfOrderAreAnError) {
  expect_error_at_edit("  - name: internal", "  - name: secret", "out of order");
}

TEST_F(PolicyLoader, MissingLevelNamesTheSectionLine) {
  std::string cut = text_;
  const std::string item = "  - name: top_secret\n    marking: 绝密\n";
  cut.erase(cut.find(item), item.size());
  expect_error(cut, line_of(text_, "levels:"), "levels: missing level 'top_secret'");
}

TEST_F(PolicyLoader, WrongTypeIsAnError) {
  expect_error_at_edit(kMaxFailuresLine, "  max_failures: five",
                       "lockout.max_failures: expected an integer");
  expect_error_at_edit("  token_ttl: 8h", "  token_ttl: [8h]",
                       "sessions.token_ttl: expected a duration, found a sequence");
  std::string text = text_;
  const auto start = text.find("lockout:");
  text.replace(start, text.find("limits:") - start, "lockout: 5\n");
  expect_error(text, line_of(text_, "lockout:"), "lockout: expected a mapping, found a scalar");
}

TEST_F(PolicyLoader, EmptySectionIsAWrongType) {
  const auto [text, n] = edit_line(text_, "limits:", "limits:");
  std::string cut = text;
  const auto body = cut.find("  max_upload_bytes");
  cut.erase(body, cut.find("\n\n", body) + 1 - body);
  expect_error(cut, n, "limits: expected a mapping, found nothing");
}

TEST_F(PolicyLoader, MissingSectionNamesTheFileStart) {
  std::string cut = text_;
  const auto start = cut.find("lockout:");
  cut.erase(start, cut.find("limits:") - start);
  expect_error(cut, line_of(text_, "policy:"), "missing required section 'lockout'");
}

TEST_F(PolicyLoader, MissingKeyNamesTheSectionLine) {
  const auto [text, n] = edit_line(text_, "  window: 15m", "");
  (void)n;
  expect_error(text, line_of(text_, "lockout:"), "lockout: missing required key 'window'");
}

TEST_F(PolicyLoader, LockoutMaxFailuresZeroIsAnError) {
  expect_error_at_edit(kMaxFailuresLine, "  max_failures: 0",
                       "lockout.max_failures: must be between 1 and 1000");
}

// S9: the old whole-account lock is named as replaced, not merely "unknown".
TEST_F(PolicyLoader, OldLockDurationKeyExplainsItsReplacement) {
  const auto [text, n] = edit_line(text_, "  window: 15m", "  window: 15m\n  lock_duration: 15m");
  expect_error(text, n + 1, "lockout.lock_duration: no longer used");
}

TEST_F(PolicyLoader, LockoutDelaysAndBoundsAreChecked) {
  expect_error_at_edit("  max_delay: 1h            # ...up to this", "  max_delay: 30s",
                       "lockout.max_delay: must be between first_delay and 30d");
  expect_error_at_edit(
      "  first_delay: 1m          # then refused this long; each further "
      "failure doubles it...",
      "  first_delay: 2d", "lockout.first_delay: must be between 1s and 1d");
  expect_error_at_edit(
      "  source_max_failures: 50  # ...or more failures in all -> 429 for "
      "source_block, and an alert",
      "  source_max_failures: 2", "lockout.source_max_failures: must be between 5 and 1000000");
  expect_error_at_edit(
      "  tracked_entries: 10000   # (name, source) pairs and sources "
      "remembered; least recent forgotten",
      "  tracked_entries: 10", "lockout.tracked_entries: must be between 100");
  expect_error_at_edit("  source_window: 10m", "  source_window: ten",
                       "lockout.source_window: expected a positive duration");
}

TEST_F(PolicyLoader, BadMarkingIsAnError) {  // S5: markings must print unambiguously
  expect_error_at_edit("    marking: 秘密", "    marking: 秘★密", "bad marking");
  expect_error_at_edit("    marking: 秘密", "    marking: \"\"", "bad marking");
  expect_error_at_edit("    marking: 秘密", "    marking: \"秘 密\"", "bad marking");
  expect_error_at_edit("    marking: 秘密", "    marking: 内部", "duplicate marking");
  expect_error_at_edit("    marking: 秘密", "    marking: [秘密]", "expected a string");
}

TEST_F(PolicyLoader, CategoryErrors) {
  expect_error_at_edit("  - name: finance", "  - name: Finance", "categories[5].name: must be");
  expect_error_at_edit("  - name: finance", "  - name: personnel", "duplicate category");
  expect_error_at_edit("    display: 人事决策", "    title: 人事决策", "unknown key 'title'");
  std::string many = "categories:\n";
  for (int i = 0; i < 33; ++i) many += "  - name: c" + std::to_string(i) + "\n";
  const auto start = text_.find("categories:");
  std::string text = text_;
  text.replace(start, text_.find("# All nine roles") - start, many);
  expect_error(text, line_of(text_, "categories:") + 33, "too many categories");
  std::string none = text_;
  none.replace(start, text_.find("# All nine roles") - start, "categories: []\n");
  expect_error(none, line_of(text_, "categories:"), "at least one category");
}

TEST_F(PolicyLoader, RoleErrors) {
  const std::string sysadmin = "  - {name: sysadmin,     kind: admin,    display: 系统管理员}";
  // SoD: the file cannot turn an administrator into a business role.
  expect_error_at_edit(sysadmin, "  - {name: sysadmin, kind: business}", "an admin role");
  expect_error_at_edit(sysadmin, "  - {name: root, kind: admin}", "unknown role 'root'");
  expect_error_at_edit(sysadmin, "  - {name: sysadmin, kind: boss}", "expected 'business' or");
  expect_error_at_edit(sysadmin, "  - {name: staff, kind: business}", "duplicate role 'staff'");
  const auto [text, n] = edit_line(text_, sysadmin, "");
  (void)n;
  expect_error(text, line_of(text_, "roles:"), "roles: missing role 'sysadmin'");
}

TEST_F(PolicyLoader, DocumentRuleErrors) {
  const std::string creators =
      "  creator_roles: [staff, group_leader, supervisor, manager, custodian, front_desk]";
  expect_error_at_edit(creators, "  creator_roles: [staff, sysadmin]",
                       "admin role 'sysadmin' cannot create documents");
  expect_error_at_edit(creators, "  creator_roles: [staff, boss]", "unknown role 'boss'");
  expect_error_at_edit(creators, "  creator_roles: [staff, staff]", "duplicate role");
  expect_error_at_edit(creators, "  creator_roles: []", "at least one role");
  expect_error_at_edit("  pledge_required_above: public", "  pledge_required_above: secrets",
                       "unknown level 'secrets'");
}

// S10: documents.text_variants, the visible channel of text copies (optional, default
// [punctuation, digits]).
TEST_F(PolicyLoader, TextVariantClassesDefaultParseAndErrors) {
  const std::string line = "  text_variants: [punctuation, digits]";
  const auto loaded = parse_policy(text_, kLabel);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->text_variants(), (TextVariantSettings{true, true, false, false, false}));
  // Absent: the same default.
  const auto [without, n0] = edit_line(text_, line, "");
  (void)n0;
  const auto defaulted = parse_policy(without, kLabel);
  ASSERT_TRUE(defaulted.ok()) << defaulted.error().message;
  EXPECT_EQ(defaulted->text_variants(), TextVariantSettings{});
  const auto [all, n1] =
      edit_line(text_, line, "  text_variants: [space, latin, ideographic, digits, punctuation]");
  (void)n1;
  EXPECT_EQ(parse_policy(all, kLabel)->text_variants(),
            (TextVariantSettings{true, true, true, true, true}));
  const auto [off, n2] = edit_line(text_, line, "  text_variants: []");
  (void)n2;
  EXPECT_EQ(parse_policy(off, kLabel)->text_variants(),
            (TextVariantSettings{false, false, false, false, false}));
  expect_error_at_edit(line, "  text_variants: [punctuation, emoji]", "unknown class 'emoji'");
  expect_error_at_edit(line, "  text_variants: [digits, digits]", "duplicate class 'digits'");
}

TEST_F(PolicyLoader, SessionAndLimitErrors) {
  expect_error_at_edit("  token_ttl: 8h", "  token_ttl: 8", "positive duration");
  expect_error_at_edit("  token_ttl: 8h", "  token_ttl: 0h", "positive duration");
  expect_error_at_edit("  token_ttl: 8h", "  token_ttl: 90d", "between 1m and 30d");
  const auto [text, n] = edit_line(text_, "  token_ttl: 8h", "  token_ttl: 1h\n  idle_timeout: 2h");
  expect_error(text, n + 1, "sessions.idle_timeout: must be between 1m and the token_ttl");
  expect_error_at_edit("  max_upload_bytes: 2GiB      # one document version",
                       "  max_upload_bytes: 2GB", "expected a size");
  expect_error_at_edit("  max_json_body_bytes: 1MiB", "  max_json_body_bytes: 1GiB",
                       "between 1KiB and 64MiB");
  expect_error_at_edit("  window: 15m", "  window: 60d",
                       "lockout.window: must be between 1s and 30d");
}

TEST_F(PolicyLoader, MetaErrors) {
  expect_error_at_edit("  name: default", "  name: Default Policy", "policy.name: must be");
  expect_error_at_edit("  label: \"default policy, edition 1\"", "  label: \"\"",
                       "policy.label: must be");
}

TEST_F(PolicyLoader, EmptyFileAndSeveralDocumentsAreErrors) {
  expect_error("", 1, "empty");
  expect_error("# only a comment\n", 1, "empty");
  // Named at the second document's `---` (the precheck counts documents).
  expect_error(text_ + "---\npolicy: {}\n", line_of(text_ + "---\n", "---"),
               "exactly one YAML document");
  expect_error("- a\n- b\n", 1, "top level: expected a mapping, found a sequence");
}

TEST_F(PolicyLoader, LoadPolicyNamesTheFileInErrors) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("baomi_policy_loader_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "broken.yaml";
  const auto [text, n] = edit_line(text_, "  - name: secret", "  - name: restricted");
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
  }
  const auto result = load_policy(file);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().message.rfind(file.string() + ":" + std::to_string(n) + ": ", 0), 0u)
      << result.error().message;
  const auto missing = load_policy(dir / "absent.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message.rfind((dir / "absent.yaml").string() + ":1: ", 0), 0u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace baomi::policy

namespace baomi::policy {
namespace {

// Found by fuzz_policy_yaml: yaml-cpp 0.7 never returns on these; libyaml refuses them first.
TEST_F(PolicyLoader, TextsThatHangYamlCppAreRefusedWithALine) {
  // Refused at line 1, as an anchor or as a syntax error (whichever libyaml meets first).
  expect_error("&a,a", 1, "");
  expect_error("&x,y\n", 1, "");
  expect_error(std::string("&\xd7\xff,\xff"
                           "a\x02\xff\xff\x01",
                           10),
               1, "YAML syntax error");
}

TEST_F(PolicyLoader, TextOnWhichYamlCppLoadAllNeverEndsIsRefusedAtOnce) {
  // Found by the idle-machine fuzz campaign of 2026-12-07: yaml-cpp 0.7's LoadAll kept making
  // documents (10 min, 2 GB) on this 7.5 kB text; the loader now reads one document.
  const auto file = testing::default_policy_path().parent_path().parent_path() / "fuzz" / "corpus" /
                    "fuzz_policy_yaml" / "regression-yamlcpp-loadall-endless-documents";
  std::ifstream in(file, std::ios::binary);
  ASSERT_TRUE(in.is_open()) << file;
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  ASSERT_GT(text.size(), 7000u);
  expect_error(text, 1, "top level: expected a mapping");
}

TEST_F(PolicyLoader, TagsAreRefused) {
  // Found by fuzz_policy_yaml in CI: yaml-cpp 0.7 never returns on this tagged scalar.
  expect_error("!*uvelserimn:&s1i e a:s0\n,", 1, "YAML tags");
  expect_error("version: !!int 1\n", 1, "YAML tags");
}

TEST_F(PolicyLoader, AnchorsAndAliasesAreRefused) {
  expect_error("version: 1\nlevels: &l [public]\n", 2, "anchors and aliases are not allowed");
  expect_error("version: 1\na: [x]\nb: *a\n", 3, "anchors and aliases are not allowed");
  expect_error("version: 1\na: &x [x]\nb: *x\n", 2, "anchors and aliases are not allowed");
}

TEST_F(PolicyLoader, NestingBeyondTheLimitIsRefused) {
  std::string deep = "version: 1\nx: ";
  for (int i = 0; i < kMaxPolicyNesting + 1; ++i) deep += "[";
  expect_error(deep, 2, "nesting deeper than");
  std::string shallow_list = "version: 1\nx: ";
  for (int i = 0; i < kMaxPolicyNesting - 1; ++i) shallow_list += "[";
  for (int i = 0; i < kMaxPolicyNesting - 1; ++i) shallow_list += "]";
  const auto r = parse_policy(shallow_list, kLabel);
  ASSERT_FALSE(r.ok());  // not a valid policy, but refused by the loader, not the precheck
  EXPECT_EQ(r.error().message.find("nesting"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace baomi::policy
