#include "audit/kept_head.h"

#include <boost/json.hpp>

#include "audit/chain.h"
#include "audit/tree_head.h"
#include "audit/tree_store.h"

namespace baomi::audit {
namespace {

// The answer of GET /api/v1/audit/checkpoint carries the tree head under its own names
// (tree_head_signature, tree_head_time_us): keeping that answer is what docs/api.md asks of
// auditors, so it is accepted as well as a bundle's tree-head.json.
Bytes as_tree_head_json(std::span<const std::uint8_t> data) {
  Bytes given(data.begin(), data.end());
  boost::json::error_code ec;
  auto v = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), ec);
  if (ec || !v.is_object() || !v.as_object().contains("tree_head_signature")) return given;
  const auto& o = v.as_object();
  boost::json::object th;
  for (const char* key : {"tree_size", "root_hash", "head"}) {
    if (const auto* x = o.if_contains(key)) th[key] = *x;
  }
  if (const auto* x = o.if_contains("tree_head_time_us")) th["time_us"] = *x;
  th["signature"] = o.at("tree_head_signature");
  return to_bytes(boost::json::serialize(th));
}

}  // namespace

Result<KeptHeadCheck> check_kept_tree_head(storage::ReadTx& tx, std::uint64_t trail_size,
                                           std::string_view root_hex,
                                           std::span<const std::uint8_t> public_key32,
                                           std::span<const std::uint8_t> kept_json) {
  return check_kept_tree_head(tx, trail_size, root_hex,
                              {KeyEpoch{0, Bytes(public_key32.begin(), public_key32.end())}},
                              kept_json);
}

Result<KeptHeadCheck> check_kept_tree_head(storage::ReadTx& tx, std::uint64_t trail_size,
                                           std::string_view root_hex,
                                           const std::vector<KeyEpoch>& keys,
                                           std::span<const std::uint8_t> kept_json) {
  KeptHeadCheck out;
  auto kept = parse_tree_head_json(as_tree_head_json(kept_json));
  if (!kept) {
    out.problem =
        "the kept tree head is malformed (expected a tree-head.json, or the answer of GET "
        "/api/v1/audit/checkpoint)";
    return out;
  }
  // I1: the key in force at the kept size, as the trail's chain of key transitions says.
  const Bytes* key = nullptr;
  for (const auto& epoch : keys) {
    if (epoch.from_seq <= kept->tree_size) key = &epoch.public_key;
  }
  if (key == nullptr || key->size() != 32 || !verify_tree_head(*kept, key->data())) {
    out.problem =
        "the kept tree head's signature is invalid (altered, or not signed by the audit key in "
        "force at its size: the supplied key, or the key the trail's key transitions lead to; a "
        "head signed by a key rotated to in entries this trail no longer holds means entries "
        "were cut)";
    return out;
  }
  out.kept_size = kept->tree_size;
  const std::string m = std::to_string(kept->tree_size), n = std::to_string(trail_size);
  if (kept->tree_size > trail_size) {
    out.verdict = KeptHeadVerdict::kTruncated;
    out.problem = "TRUNCATED TRAIL: the kept tree head covers " + m +
                  " entries but this trail holds only " + n + "; entries " +
                  std::to_string(trail_size + 1) + ".." + m +
                  " are missing (a restore from an older backup, or a cut trail)";
    return out;
  }
  std::string root(root_hex);
  if (kept->tree_size < trail_size) {
    BAOMI_ASSIGN_OR_RETURN(auto raw, stored_root(tx, kept->tree_size));
    root = to_hex(raw.data(), raw.size());
  }
  if (root != kept->root_hash) {
    out.verdict = KeptHeadVerdict::kForked;
    out.problem = "FORKED TRAIL: the first " + m +
                  " entries of this trail do not hash to the kept tree head's root " +
                  kept->root_hash + "; the trail was rewritten";
    return out;
  }
  out.verdict = KeptHeadVerdict::kExtends;
  return out;
}

}  // namespace baomi::audit
