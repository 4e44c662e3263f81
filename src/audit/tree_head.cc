#include "audit/tree_head.h"

#include <boost/json.hpp>

#include "audit/chain.h"
#include "audit/checkpoint.h"

namespace baomi::audit {
Bytes tree_head_message(const TreeHead& th) {
  // Own domain tag: a tree head signature can never pass for a checkpoint or a statement.
  Bytes out;
  append_field(out, kTreeHeadDomain);
  append_u64(out, th.tree_size);
  append_field(out, th.root_hash);
  append_field(out, th.head);
  append_u64(out, static_cast<std::uint64_t>(th.time_us));  // two's complement
  return out;
}

TreeHead sign_tree_head(std::uint64_t tree_size, std::string_view root_hex,
                        std::string_view head_hex, std::int64_t time_us,
                        const std::uint8_t* ed25519_secret_key64) {
  TreeHead th{tree_size, std::string(root_hex), std::string(head_hex), time_us, {}};
  th.signature = sign_message_hex(tree_head_message(th), ed25519_secret_key64);
  return th;
}

bool verify_tree_head(const TreeHead& th, const std::uint8_t* public_key32) {
  return verify_message_hex(tree_head_message(th), th.signature, public_key32);
}

namespace {

std::optional<std::string> hex_member(const boost::json::object& o, std::string_view key,
                                      std::size_t bytes) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  std::string s(v->get_string());
  Bytes scratch(bytes);
  if (!decode_lower_hex(s, scratch.data(), bytes)) return std::nullopt;
  return s;
}

std::optional<std::uint64_t> u64_member(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  if (v && v->is_uint64()) return v->get_uint64();
  return std::nullopt;
}

}  // namespace

std::optional<TreeHead> parse_tree_head_json(std::span<const std::uint8_t> data) {
  boost::json::error_code ec;
  auto v = boost::json::parse(
      std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), ec);
  if (ec || !v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  auto size = u64_member(o, "tree_size");
  auto root = hex_member(o, "root_hash", kHashSize);
  auto head = hex_member(o, "head", kHashSize);
  auto sig = hex_member(o, "signature", 64);
  const auto* time = o.if_contains("time_us");
  if (!size || !root || !head || !sig || !time || !time->is_int64()) return std::nullopt;
  return TreeHead{*size, *root, *head, time->get_int64(), *sig};
}

}  // namespace baomi::audit
