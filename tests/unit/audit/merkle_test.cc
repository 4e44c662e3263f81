// Tests for the audit Merkle tree (I1, S10): RFC 9162 hashing, proofs and signed tree heads.
// The vectors come from tools/audit_vectors.py (hashlib + cryptography, written from RFC 9162,
// independently of this code) and are also printed in docs/audit-format.md.
#include "audit/merkle.h"

#include <gtest/gtest.h>

#include <random>

#include "audit/tree_head.h"
#include "audit_test_util.h"

namespace baomi::audit {
namespace {

RawHash h(std::string_view hex) { return parse_hash_hex(hex).value(); }
std::string hex(const RawHash& r) { return to_hex(r.data(), r.size()); }

// An in-memory tree: perfect subtree hashes computed from the leaves on demand.
struct MemoryTree {
  std::vector<RawHash> entry_hashes;
  RawHash perfect(unsigned level, std::uint64_t index) const {
    if (level == 0) return merkle_leaf_hash(entry_hashes.at(index));
    return merkle_node_hash(perfect(level - 1, 2 * index), perfect(level - 1, 2 * index + 1));
  }
  NodeReader reader() const {
    return [this](unsigned level, std::uint64_t index) -> Result<RawHash> {
      return perfect(level, index);
    };
  }
  RawHash root(std::uint64_t size) const { return merkle_root(size, reader()).value(); }
};

MemoryTree vector_tree() {  // entry hashes 00…00, 01…01, …, 07…07
  MemoryTree t;
  for (std::uint8_t i = 0; i < 8; ++i) {
    RawHash r;
    r.fill(i);
    t.entry_hashes.push_back(r);
  }
  return t;
}

MemoryTree random_tree(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  MemoryTree t;
  for (std::size_t i = 0; i < n; ++i) {
    RawHash r;
    for (auto& b : r) b = static_cast<std::uint8_t>(rng());
    t.entry_hashes.push_back(r);
  }
  return t;
}

std::vector<std::string> hexes(const std::vector<RawHash>& v) {
  std::vector<std::string> out;
  for (const auto& r : v) out.push_back(hex(r));
  return out;
}

TEST(AuditMerkle, LeafAndNodeHashesMatchIndependentVectors) {
  EXPECT_EQ(hex(merkle_empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  const auto e1 = h("3c9d0e01c7007e7819c431281d186d1203f447327989031b12ab0bdb2aab1a3c");
  const auto e2 = h("a6b1cd8cbd41991b2690d15c44918b0fe924d5350016d843575cb42437ccce50");
  EXPECT_EQ(hex(merkle_leaf_hash(e1)),
            "b75cec6f18c321d55c4bf0dc7fbed42ddb1c4ea5763d7fd8c25ace6ff1552bf7");
  EXPECT_EQ(hex(merkle_leaf_hash(e2)),
            "49fea3d1a5bf123f31d09cf856da1f1dee0daecc1967cf48ab687d35705ef999");
  EXPECT_EQ(hex(merkle_node_hash(merkle_leaf_hash(e1), merkle_leaf_hash(e2))),
            "0a979d1dee7ada01889d528374c2493a08034dcb4071110e3203dd5f3ecc6085");
}

TEST(AuditMerkle, RootsMatchIndependentVectors) {
  const auto t = vector_tree();
  const char* roots[] = {"7f9c9e31ac8256ca2f258583df262dbc7d6f68f2a03043d5c99a4ae5a7396ce9",
                         "28fb81e496897e0ce886f08602392e9239b65c659041e5202163e58ad898f444",
                         "ba8d94b7fbcecae7b81c4c80574fe24734a6917bf9c1ecd66ff3e0c34ead4620",
                         "fdea52008cdae79fa8bf806261959e23f5e11681646a2fa2bc9b5e56b32030a2",
                         "85e20cac1f02fda7bcdb2fc3f908568c57018c77815f1fa361acad13994f08bf",
                         "380272ed524daf3398067faf4717782ba90805d4823ea6e1e594668c9fd40bba",
                         "7318881c41fce3c1de3640df8e8c110c93f43f686b74204a9d1ad5b8c71c2047",
                         "f907f23f76aa01b755a614d31ef9832909f44638b4590073301e61e6d01f9a1d"};
  MerkleFrontier frontier;
  for (std::uint64_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(hex(t.root(n)), roots[n - 1]) << n;
    frontier.append(merkle_leaf_hash(t.entry_hashes[n - 1]));
    EXPECT_EQ(hex(frontier.root()), roots[n - 1]) << n;
  }
}

TEST(AuditMerkle, InclusionProofsMatchIndependentVectors) {
  const auto t = vector_tree();
  EXPECT_TRUE(inclusion_proof(0, 1, t.reader()).value().empty());
  EXPECT_EQ(hexes(inclusion_proof(2, 7, t.reader()).value()),
            (std::vector<std::string>{
                "acaa04663a8547a2f70c60cc18f9378796b13c4f9a08f70d6adae662365b30c6",
                "28fb81e496897e0ce886f08602392e9239b65c659041e5202163e58ad898f444",
                "1f3f95843413191fe7521996b6b1e4147d703b1702c475a478ad25a6f6b415b4"}));
  EXPECT_EQ(hexes(inclusion_proof(6, 7, t.reader()).value()),
            (std::vector<std::string>{
                "f1c176552a35e1d035f843d463220b6c85a90ea7f6644980630a6f71a3330ed3",
                "fdea52008cdae79fa8bf806261959e23f5e11681646a2fa2bc9b5e56b32030a2"}));
  EXPECT_EQ(hexes(inclusion_proof(5, 8, t.reader()).value()),
            (std::vector<std::string>{
                "1da033bf8927ed69376d91533748494f7f5e88c20603dede2afc9bfd43d46f17",
                "3ebd606fb49a3b46ea6025f6ca81438c59c6644eff2a753ae4b564ffbf0eb06a",
                "fdea52008cdae79fa8bf806261959e23f5e11681646a2fa2bc9b5e56b32030a2"}));
}

TEST(AuditMerkle, ConsistencyProofsMatchIndependentVectors) {
  const auto t = vector_tree();
  EXPECT_EQ(hexes(consistency_proof(3, 7, t.reader()).value()),
            (std::vector<std::string>{
                "cba8c596120bdb69debbd923d92cba948bde7c7d06a465a1bb7d98d3116038fa",
                "acaa04663a8547a2f70c60cc18f9378796b13c4f9a08f70d6adae662365b30c6",
                "28fb81e496897e0ce886f08602392e9239b65c659041e5202163e58ad898f444",
                "1f3f95843413191fe7521996b6b1e4147d703b1702c475a478ad25a6f6b415b4"}));
  EXPECT_EQ(hexes(consistency_proof(4, 8, t.reader()).value()),
            (std::vector<std::string>{
                "2e2d377b6f1faa1bbb10885d1232b4be13d48ed90a1db9d78ea9caf2c9e8ef43"}));
  EXPECT_EQ(hexes(consistency_proof(1, 8, t.reader()).value()),
            (std::vector<std::string>{
                "dcffe786ded16d283c663846ad0c4ff26558fccde36ca9d30b2ea19eade9fc0e",
                "fc264939b1ac77b06378c5ece54a7b57b6b6c821eb80627bb674d8785c8dc8ca",
                "2e2d377b6f1faa1bbb10885d1232b4be13d48ed90a1db9d78ea9caf2c9e8ef43"}));
  EXPECT_EQ(hexes(consistency_proof(6, 8, t.reader()).value()),
            (std::vector<std::string>{
                "f1c176552a35e1d035f843d463220b6c85a90ea7f6644980630a6f71a3330ed3",
                "3ebd606fb49a3b46ea6025f6ca81438c59c6644eff2a753ae4b564ffbf0eb06a",
                "fdea52008cdae79fa8bf806261959e23f5e11681646a2fa2bc9b5e56b32030a2"}));
  EXPECT_TRUE(consistency_proof(7, 7, t.reader()).value().empty());
}

// Every (index, size) and every (m, n) up to 64: generated proofs verify, and the frontier
// agrees with the root computed from subtrees.
TEST(AuditMerkle, I1_AllProofsUpTo64Verify) {
  const auto t = random_tree(64, 1);
  MerkleFrontier frontier;
  std::vector<RawHash> roots(65);
  for (std::uint64_t n = 1; n <= 64; ++n) {
    frontier.append(merkle_leaf_hash(t.entry_hashes[n - 1]));
    roots[n] = t.root(n);
    ASSERT_EQ(frontier.root(), roots[n]) << n;
  }
  for (std::uint64_t n = 1; n <= 64; ++n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      const auto proof = inclusion_proof(i, n, t.reader()).value();
      const auto leaf = merkle_leaf_hash(t.entry_hashes[i]);
      ASSERT_TRUE(verify_inclusion(i, n, leaf, proof, roots[n])) << i << "/" << n;
      // The same proof must not prove the leaf at any other index or size.
      if (i + 1 < n) {
        ASSERT_FALSE(verify_inclusion(i + 1, n, leaf, proof, roots[n]));
      }
      if (n > 1) {
        const auto other = merkle_leaf_hash(t.entry_hashes[(i + 1) % n]);
        ASSERT_FALSE(verify_inclusion(i, n, other, proof, roots[n]));
      }
    }
    for (std::uint64_t m = 1; m <= n; ++m) {
      const auto proof = consistency_proof(m, n, t.reader()).value();
      ASSERT_TRUE(verify_consistency(m, n, proof, roots[m], roots[n])) << m << "/" << n;
      if (m < n) {
        ASSERT_FALSE(verify_consistency(m, n, proof, roots[m], roots[n - 1]));
      }
    }
  }
}

TEST(AuditMerkle, I1_RandomLargeTreesProofsVerifyAndFrontierEmitsEveryNode) {
  const auto t = random_tree(1500, 2);
  MerkleFrontier frontier;
  std::size_t nodes = 0;
  for (const auto& e : t.entry_hashes) {
    frontier.append(merkle_leaf_hash(e),
                    [&](unsigned level, std::uint64_t index, const RawHash& r) {
                      ++nodes;
                      ASSERT_EQ(r, t.perfect(level, index));
                    });
  }
  EXPECT_EQ(nodes, 1500u - 7u);  // n - popcount(n) interior perfect subtrees (1500 = 0b10111011100)
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 100; ++trial) {
    const std::uint64_t n = 1 + rng() % 1500;
    const std::uint64_t i = rng() % n;
    const std::uint64_t m = 1 + rng() % n;
    const auto root_n = t.root(n);
    const auto proof = inclusion_proof(i, n, t.reader()).value();
    EXPECT_TRUE(verify_inclusion(i, n, merkle_leaf_hash(t.entry_hashes[i]), proof, root_n));
    const auto cproof = consistency_proof(m, n, t.reader()).value();
    EXPECT_TRUE(verify_consistency(m, n, cproof, t.root(m), root_n));
  }
}

TEST(AuditMerkle, I1_TamperedProofsFail) {
  const auto t = random_tree(37, 4);
  const auto root = t.root(37);
  const auto leaf = merkle_leaf_hash(t.entry_hashes[20]);
  auto proof = inclusion_proof(20, 37, t.reader()).value();
  ASSERT_TRUE(verify_inclusion(20, 37, leaf, proof, root));
  for (std::size_t k = 0; k < proof.size(); ++k) {
    auto bad = proof;
    bad[k][k % kHashSize] ^= 0x01;
    EXPECT_FALSE(verify_inclusion(20, 37, leaf, bad, root)) << k;
  }
  auto shorter = proof;
  shorter.pop_back();
  EXPECT_FALSE(verify_inclusion(20, 37, leaf, shorter, root));
  auto longer = proof;
  longer.push_back(root);
  EXPECT_FALSE(verify_inclusion(20, 37, leaf, longer, root));
  // A size whose tree has another shape. (Sizes of the same shape, 33..64, accept the same
  // path: the size is bound by the signed tree head that carries the root, not by the path.)
  EXPECT_FALSE(verify_inclusion(20, 32, leaf, proof, root));
  EXPECT_FALSE(verify_inclusion(20, 21, leaf, proof, root));

  auto cproof = consistency_proof(13, 37, t.reader()).value();
  const auto root13 = t.root(13);
  ASSERT_TRUE(verify_consistency(13, 37, cproof, root13, root));
  for (std::size_t k = 0; k < cproof.size(); ++k) {
    auto bad = cproof;
    bad[k][0] ^= 0x80;
    EXPECT_FALSE(verify_consistency(13, 37, bad, root13, root)) << k;
  }
  cproof.pop_back();
  EXPECT_FALSE(verify_consistency(13, 37, cproof, root13, root));
}

// RFC 9162 edge cases: index beyond the tree, m = 0, m > n, m = n, empty proofs.
TEST(AuditMerkle, RfcEdgeCases) {
  const auto t = random_tree(8, 5);
  const auto root8 = t.root(8);
  const auto leaf0 = merkle_leaf_hash(t.entry_hashes[0]);
  EXPECT_FALSE(verify_inclusion(8, 8, leaf0, {}, root8));
  EXPECT_FALSE(verify_inclusion(0, 0, leaf0, {}, root8));
  EXPECT_TRUE(verify_inclusion(0, 1, leaf0, {}, leaf0));  // a one-leaf tree's root is its leaf
  EXPECT_FALSE(verify_inclusion(0, 1, leaf0, std::vector<RawHash>{leaf0}, leaf0));
  EXPECT_FALSE(verify_consistency(0, 8, {}, root8, root8));
  EXPECT_FALSE(verify_consistency(9, 8, {}, root8, root8));
  EXPECT_TRUE(verify_consistency(8, 8, {}, root8, root8));
  EXPECT_FALSE(verify_consistency(8, 8, std::vector<RawHash>{root8}, root8, root8));
  EXPECT_FALSE(verify_consistency(4, 8, {}, t.root(4), root8));  // m < n needs a proof
  EXPECT_THROW((void)inclusion_proof(8, 8, t.reader()), std::invalid_argument);
  EXPECT_THROW((void)consistency_proof(0, 8, t.reader()), std::invalid_argument);
}

TEST(AuditTreeHead, MessageAndSignatureMatchIndependentVectors) {
  std::array<std::uint8_t, 32> seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(i);
  testing::TestKey key;
  ASSERT_GE(sodium_init(), 0);
  crypto_sign_seed_keypair(key.pk.data(), key.sk.data(), seed.data());
  const std::string root = "7318881c41fce3c1de3640df8e8c110c93f43f686b74204a9d1ad5b8c71c2047";
  const std::string head(64, '0');
  std::string head6;
  for (int i = 0; i < 32; ++i) head6 += "06";
  const auto th = sign_tree_head(7, root, head6, 1700000000500000, key.sk.data());
  EXPECT_EQ(to_hex(tree_head_message(th)),
            "0000001262616f6d692d747265652d686561642d7631"
            "0000000000000007"
            "00000040"
            "37333138383831633431666365336331646533363430646638653863313130633933663433663638366237"
            "343230346139643161643562386337316332303437"
            "00000040"
            "30363036303630363036303630363036303630363036303630363036303630363036303630363036303630"
            "363036303630363036303630363036303630363036"
            "00060a241825e120");
  EXPECT_EQ(th.signature,
            "0af5f63db95f5436d2f95429b7bedf9f4f786e66537aca5141cb39a9779cae6a"
            "4bbf99045e65a1904a46b05ff486ed749ca6727ced0abb4103fe296be7d58302");
  EXPECT_TRUE(verify_tree_head(th, key.pk.data()));
  auto altered = th;
  altered.tree_size = 8;
  EXPECT_FALSE(verify_tree_head(altered, key.pk.data()));
  altered = th;
  altered.root_hash[0] = '8';
  EXPECT_FALSE(verify_tree_head(altered, key.pk.data()));
  altered = th;
  altered.head = head;
  EXPECT_FALSE(verify_tree_head(altered, key.pk.data()));
}

}  // namespace
}  // namespace baomi::audit
