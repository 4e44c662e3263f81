#include "audit/merkle.h"

#include <bit>
#include <stdexcept>

#include "crypto/sha256.h"

namespace baomi::audit {
namespace {

// The largest power of two strictly below n (n >= 2): RFC 9162's split point k.
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

bool is_perfect(std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  return std::has_single_bit(n) && begin % n == 0;
}

// MTH(D[begin:end]) from perfect subtrees. The ranges RFC 9162's recursions ask for split at
// powers of two from an aligned start, so every left part is one stored node.
Result<RawHash> range_hash(std::uint64_t begin, std::uint64_t end, const NodeReader& read) {
  if (is_perfect(begin, end)) {
    const std::uint64_t n = end - begin;
    return read(static_cast<unsigned>(std::countr_zero(n)), begin / n);
  }
  const std::uint64_t k = split_point(end - begin);
  BAOMI_ASSIGN_OR_RETURN(auto left, range_hash(begin, begin + k, read));
  BAOMI_ASSIGN_OR_RETURN(auto right, range_hash(begin + k, end, read));
  return merkle_node_hash(left, right);
}

Result<void> path(std::uint64_t index, std::uint64_t begin, std::uint64_t end,
                  const NodeReader& read, std::vector<RawHash>& out) {
  if (end - begin <= 1) return {};
  const std::uint64_t k = split_point(end - begin);
  if (index - begin < k) {
    BAOMI_TRY(path(index, begin, begin + k, read, out));
    BAOMI_ASSIGN_OR_RETURN(auto sibling, range_hash(begin + k, end, read));
    out.push_back(sibling);
  } else {
    BAOMI_TRY(path(index, begin + k, end, read, out));
    BAOMI_ASSIGN_OR_RETURN(auto sibling, range_hash(begin, begin + k, read));
    out.push_back(sibling);
  }
  return {};
}

// RFC 9162 SUBPROOF(m, D[begin:end], whole): m counts leaves from `begin`.
Result<void> subproof(std::uint64_t m, std::uint64_t begin, std::uint64_t end, bool whole,
                      const NodeReader& read, std::vector<RawHash>& out) {
  const std::uint64_t n = end - begin;
  if (m == n) {
    if (!whole) {
      BAOMI_ASSIGN_OR_RETURN(auto h, range_hash(begin, end, read));
      out.push_back(h);
    }
    return {};
  }
  const std::uint64_t k = split_point(n);
  if (m <= k) {
    BAOMI_TRY(subproof(m, begin, begin + k, whole, read, out));
    BAOMI_ASSIGN_OR_RETURN(auto h, range_hash(begin + k, end, read));
    out.push_back(h);
  } else {
    BAOMI_TRY(subproof(m - k, begin + k, end, false, read, out));
    BAOMI_ASSIGN_OR_RETURN(auto h, range_hash(begin, begin + k, read));
    out.push_back(h);
  }
  return {};
}

// RFC 9162: "right-shift both fn and sn equally until either LSB(fn) is set or fn is 0".
void shift_to_set_bit(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

RawHash merkle_leaf_hash(const std::uint8_t* data, std::size_t size) {
  static constexpr std::uint8_t kLeafPrefix[1] = {0x00};  // RFC 9162 §2.1.1
  RawHash out{};
  crypto::sha256_concat({kLeafPrefix, crypto::BytesView(data, size)}, out.data());
  return out;
}

RawHash merkle_node_hash(const RawHash& left, const RawHash& right) {
  static constexpr std::uint8_t kNodePrefix[1] = {0x01};
  RawHash out{};
  crypto::sha256_concat({kNodePrefix, left, right}, out.data());
  return out;
}

RawHash merkle_empty_root() {
  RawHash out{};
  crypto::sha256_concat({}, out.data());
  return out;
}

Result<RawHash> merkle_root(std::uint64_t size, const NodeReader& read) {
  if (size == 0) return merkle_empty_root();
  return range_hash(0, size, read);
}

Result<std::vector<RawHash>> inclusion_proof(std::uint64_t index, std::uint64_t size,
                                             const NodeReader& read) {
  if (index >= size) throw std::invalid_argument("inclusion_proof: index outside the tree");
  std::vector<RawHash> out;
  BAOMI_TRY(path(index, 0, size, read, out));
  return out;
}

Result<std::vector<RawHash>> consistency_proof(std::uint64_t m, std::uint64_t n,
                                               const NodeReader& read) {
  if (m == 0 || m > n) throw std::invalid_argument("consistency_proof: needs 0 < m <= n");
  std::vector<RawHash> out;
  if (m == n) return out;
  BAOMI_TRY(subproof(m, 0, n, true, read, out));
  return out;
}

bool verify_inclusion(std::uint64_t index, std::uint64_t size, const RawHash& leaf_hash,
                      std::span<const RawHash> proof, const RawHash& root) {
  if (index >= size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  RawHash r = leaf_hash;
  for (const RawHash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = merkle_node_hash(p, r);
      shift_to_set_bit(fn, sn);
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t m, std::uint64_t n, std::span<const RawHash> proof,
                        const RawHash& root_m, const RawHash& root_n) {
  if (m == 0 || m > n) return false;
  if (m == n) return proof.empty() && root_m == root_n;
  if (proof.empty()) return false;
  std::vector<RawHash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(m)) path.push_back(root_m);
  path.insert(path.end(), proof.begin(), proof.end());
  std::uint64_t fn = m - 1;
  std::uint64_t sn = n - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  RawHash fr = path[0];
  RawHash sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    const RawHash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = merkle_node_hash(c, fr);
      sr = merkle_node_hash(c, sr);
      shift_to_set_bit(fn, sn);
    } else {
      sr = merkle_node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == root_m && sr == root_n && sn == 0;
}

void MerkleFrontier::append(const RawHash& leaf_hash, const OnNode& on_node) {
  RawHash carry = leaf_hash;
  std::uint64_t index = size_;
  unsigned level = 0;
  // Each trailing 1 bit of the old size is a perfect subtree that the new leaf completes.
  while ((index & 1) != 0) {
    carry = merkle_node_hash(stack_.back(), carry);
    stack_.pop_back();
    index >>= 1;
    ++level;
    if (on_node) on_node(level, index, carry);
  }
  stack_.push_back(carry);
  ++size_;
}

RawHash MerkleFrontier::root() const {
  if (stack_.empty()) return merkle_empty_root();
  RawHash r = stack_.back();
  for (auto it = stack_.rbegin() + 1; it != stack_.rend(); ++it) r = merkle_node_hash(*it, r);
  return r;
}

}  // namespace baomi::audit
