// Signed evidence bundles (S10, I1): determinism, offline verification, and every kind of
// tampering named in the issue (manifest, entry, proof hash, tree head, signature, a swapped or
// dropped entry) plus every single flipped byte of a small bundle.
#include "audit/evidence_bundle.h"

#include <gtest/gtest.h>

#include "audit/ustar.h"
#include "audit_store_fixture.h"

namespace baomi::audit {
namespace {

class EvidenceBundle : public testing::AuditStoreTest {
 protected:
  static BundleInput input(std::vector<std::uint64_t> seqs) {
    boost::json::object content{
        {"case", boost::json::object{{"id", "inv-1"}, {"title_sha256", std::string(64, 'a')}}},
        {"matches", boost::json::array{boost::json::object{{"serial", "C-17"}, {"seq", 17}}}}};
    return {std::move(content), std::move(seqs)};
  }
  Bytes build(std::vector<std::uint64_t> seqs) {
    return make_evidence_bundle(*store_, *log_, input(std::move(seqs)), at(size_ + 1)).value();
  }
  BundleReport check(const Bytes& bundle) {
    const auto pk = log_->public_key();
    return verify_evidence_bundle(bundle, pk);
  }
  static std::vector<TarFile> files(const Bytes& bundle) { return read_ustar(bundle).value(); }
  static TarFile& file(std::vector<TarFile>& fs, std::string_view name) {
    for (auto& f : fs) {
      if (f.name == name) return f;
    }
    throw std::runtime_error("no file " + std::string(name));
  }
  // Rewrites one file and re-packs canonically, so the check reaches the content itself.
  BundleReport with_changed(const Bytes& bundle, std::string_view name,
                            const std::function<void(Bytes&)>& change) {
    auto fs = files(bundle);
    change(file(fs, name).data);
    return check(write_ustar(fs));
  }
};

void expect_problem(const BundleReport& r, std::string_view prefix) {
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.problem.substr(0, prefix.size()), prefix) << r.problem;
}

// Flips one character of a hex string inside JSON text to another hex digit.
void flip_hex_char(Bytes& json, std::string_view key) {
  const std::string text = to_string(json);
  const auto at = text.find("\"" + std::string(key) + "\":") + key.size() + 5;
  json[at] = json[at] == '0' ? '1' : '0';
}

TEST_F(EvidenceBundle, S10_BuildsAVerifiableDeterministicBundle) {
  grow_to(40);
  const auto bundle = build({17, 3, 40, 17});
  const auto report = check(bundle);
  ASSERT_TRUE(report.ok) << report.problem;
  ASSERT_EQ(report.entries.size(), 3u);
  EXPECT_EQ(report.entries[0].seq, 3u);
  EXPECT_EQ(report.entries[2].seq, 40u);
  EXPECT_EQ(report.entries[1].action, "document.read_content");
  EXPECT_EQ(report.tree_head.tree_size, 40u);  // the oldest tree head covering seq 40
  EXPECT_EQ(report.key_fingerprint, public_key_fingerprint(log_->public_key()));
  // The trail grows and more tree heads are signed: the same input still gives the same bytes.
  grow_to(90);
  checkpoint_now();
  EXPECT_EQ(build({3, 17, 40}), bundle);
  // Layout: manifest, tree head, signature, then entry and proof per seq in order.
  const auto fs = files(bundle);
  ASSERT_EQ(fs.size(), 9u);
  EXPECT_EQ(fs[0].name, "manifest.json");
  EXPECT_EQ(fs[1].name, "tree-head.json");
  EXPECT_EQ(fs[2].name, "signature.json");
  EXPECT_EQ(fs[3].name, "entries/3.bin");
  EXPECT_EQ(fs[4].name, "proofs/3.json");
  EXPECT_EQ(to_string(fs[0].data).substr(0, 48),
            R"({"format":"baomi-evidence-v1","case":{"id":"inv-)");
  EXPECT_NE(to_string(fs[0].data).find(R"("audit_seqs":[3,17,40]})"), std::string::npos);
}

TEST_F(EvidenceBundle, S10_SignsATreeHeadWhenNoneCoversTheEntriesYet) {
  grow_to(20);  // tree head at 16 only
  const auto bundle = build({18});
  const auto report = check(bundle);
  ASSERT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.tree_head.tree_size, 20u);
}

TEST_F(EvidenceBundle, RefusesBadInput) {
  grow_to(20);
  auto built = [&](BundleInput in) {
    return make_evidence_bundle(*store_, *log_, in, at(size_ + 1));
  };
  EXPECT_EQ(built(input({})).error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(built(input({0, 3})).error().kind, ErrorKind::kInvalidArgument);
  auto beyond = built(input({21}));
  EXPECT_EQ(beyond.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(beyond.error().message.find("audit entry 21 does not exist"), std::string::npos);
  auto clash = input({3});
  clash.content["audit_seqs"] = boost::json::array{1};
  EXPECT_EQ(built(clash).error().kind, ErrorKind::kInvalidArgument);
}

TEST_F(EvidenceBundle, S10_I1_TamperedBundlesFailNamingTheProblem) {
  grow_to(40);
  const auto bundle = build({3, 17, 40});
  ASSERT_TRUE(check(bundle).ok);
  expect_problem(with_changed(bundle, "manifest.json", [](Bytes& d) { d[40] ^= 0x01; }),
                 "manifest signature invalid");
  expect_problem(with_changed(bundle, "entries/17.bin", [](Bytes& d) { d[d.size() - 3] ^= 0x01; }),
                 "entry 17: not included in the tree head");
  expect_problem(with_changed(bundle, "entries/17.bin", [](Bytes& d) { d[0] ^= 0x01; }),
                 "entry 17: not included in the tree head");  // its prev_hash
  expect_problem(
      with_changed(bundle, "proofs/17.json", [](Bytes& d) { flip_hex_char(d, "audit_path"); }),
      "entry 17: not included in the tree head");
  expect_problem(with_changed(bundle, "proofs/17.json", [](Bytes& d) { d.pop_back(); }),
                 "proof for entry 17 malformed");
  expect_problem(
      with_changed(bundle, "tree-head.json", [](Bytes& d) { flip_hex_char(d, "root_hash"); }),
      "tree head signature invalid");
  expect_problem(
      with_changed(bundle, "signature.json", [](Bytes& d) { flip_hex_char(d, "signature"); }),
      "manifest signature invalid");
  expect_problem(with_changed(bundle, "signature.json",
                              [](Bytes& d) { flip_hex_char(d, "public_key_fingerprint"); }),
                 "bundle names signing key");
  // A wrong key: the tree head is the first thing it cannot have signed.
  const auto other = crypto::SigningKey::generate().public_key();
  expect_problem(verify_evidence_bundle(bundle, other), "tree head signature invalid");
}

TEST_F(EvidenceBundle, S10_I1_SwappedOrDroppedEntriesFail) {
  grow_to(40);
  const auto bundle = build({3, 17, 18, 40});
  auto fs = files(bundle);
  // Another real entry under entry 17's name, with its own valid proof.
  file(fs, "entries/17.bin").data = file(fs, "entries/18.bin").data;
  file(fs, "proofs/17.json").data = file(fs, "proofs/18.json").data;
  expect_problem(check(write_ustar(fs)), "entry 17: the file holds entry 18");
  // A real entry of another bundle (seq 5), renamed to 17, with entry 17's proof.
  auto other = files(build({5}));
  fs = files(bundle);
  file(fs, "entries/17.bin").data = file(other, "entries/5.bin").data;
  expect_problem(check(write_ustar(fs)), "entry 17: the file holds entry 5");
  // Dropped entry, dropped proof, an extra file.
  fs = files(bundle);
  std::erase_if(fs, [](const TarFile& f) { return f.name == "entries/17.bin"; });
  expect_problem(check(write_ustar(fs)), "entry 17: missing from the bundle");
  fs = files(bundle);
  std::erase_if(fs, [](const TarFile& f) { return f.name == "proofs/40.json"; });
  expect_problem(check(write_ustar(fs)), "proof for entry 40: missing");
  fs = files(bundle);
  fs.push_back({"entries/5.bin", file(other, "entries/5.bin").data});
  expect_problem(check(write_ustar(fs)), "unexpected file entries/5.bin");
}

// Every byte of a small bundle, flipped alone, makes verification fail.
TEST_F(EvidenceBundle, S10_I1_EveryFlippedByteFails) {
  grow_to(6);
  checkpoint_now();
  const auto bundle = build({2, 6});
  ASSERT_TRUE(check(bundle).ok);
  std::size_t failed = 0;
  for (std::size_t i = 0; i < bundle.size(); ++i) {
    Bytes copy = bundle;
    copy[i] ^= 0x01;
    const auto r = check(copy);
    EXPECT_FALSE(r.ok) << "byte " << i << " flipped still verifies";
    failed += r.ok ? 0 : 1;
  }
  EXPECT_EQ(failed, bundle.size());
  Bytes longer = bundle;
  longer.push_back(0);
  expect_problem(check(longer), "bytes after the end of the archive");
  expect_problem(check(Bytes(bundle.begin(), bundle.end() - 512)), "the archive is truncated");
}

TEST(Ustar, WritesTheCanonicalFormAndReadsItBack) {
  const std::vector<TarFile> in{
      {"a.json", to_bytes("{}")}, {"dir/b.bin", Bytes(513, 7)}, {"empty", {}}};
  const auto tar = write_ustar(in);
  EXPECT_EQ(tar.size(), 512u + 512 + 512 + 1024 + 512 + 1024);
  EXPECT_EQ(std::string(tar.begin() + 257, tar.begin() + 263), std::string("ustar\0", 6));
  EXPECT_EQ(std::string(tar.begin() + 148, tar.begin() + 156).substr(6), std::string("\0 ", 2));
  const auto out = read_ustar(tar).value();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].name, "dir/b.bin");
  EXPECT_EQ(out[1].data, Bytes(513, 7));
  EXPECT_TRUE(out[2].data.empty());
  EXPECT_THROW((void)write_ustar({{std::string(101, 'x'), {}}}), std::invalid_argument);
}

}  // namespace
}  // namespace baomi::audit
