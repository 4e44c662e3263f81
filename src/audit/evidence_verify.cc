// Verifying an evidence bundle (S10, I1) with only its bytes and the public key: every check of
// docs/audit-format.md#verifying-a-bundle, in that order, stopping at the first problem.
#include <map>
#include <optional>

#include "audit/bundle_layout.h"
#include "audit/checkpoint.h"
#include "audit/evidence_bundle.h"
#include "audit/key_transition.h"
#include "audit/merkle.h"
#include "audit/ustar.h"
#include "crypto/sign.h"

namespace baomi::audit {
namespace {

namespace json = boost::json;
using namespace bundle;

std::optional<std::uint64_t> as_u64(const json::value* v) {
  if (v && v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  if (v && v->is_uint64()) return v->get_uint64();
  return std::nullopt;
}

std::optional<std::string> as_hex(const json::value* v, std::size_t bytes) {
  if (!v || !v->is_string()) return std::nullopt;
  std::string s(v->get_string());
  Bytes scratch(bytes);
  if (!decode_lower_hex(s, scratch.data(), bytes)) return std::nullopt;
  return s;
}

std::optional<json::object> parse_object(const Bytes& data) {
  json::error_code ec;
  auto v =
      json::parse(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// Reads the canonical encoding back (chain.h), strictly: nothing may be left over.
class FieldReader {
 public:
  explicit FieldReader(std::span<const std::uint8_t> d) : d_(d) {}
  std::optional<std::uint64_t> u64() { return uint(8); }
  std::optional<std::string> field() {
    auto n = uint(4);
    if (!n || d_.size() - at_ < *n) return std::nullopt;
    std::string s(d_.begin() + static_cast<std::ptrdiff_t>(at_),
                  d_.begin() + static_cast<std::ptrdiff_t>(at_ + *n));
    at_ += *n;
    return s;
  }
  bool done() const { return at_ == d_.size(); }

 private:
  std::optional<std::uint64_t> uint(std::size_t width) {
    if (d_.size() - at_ < width) return std::nullopt;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) v = v << 8 | d_[at_++];
    return v;
  }
  std::span<const std::uint8_t> d_;
  std::size_t at_ = 0;
};

// raw(prev_hash) || canonical_bytes(e) back into an entry with prev_hash and hash set.
std::optional<AuditEntry> decode_entry_file(const Bytes& file) {
  if (file.size() < kHashSize) return std::nullopt;
  RawHash prev{};
  std::copy(file.begin(), file.begin() + kHashSize, prev.begin());
  FieldReader r(std::span<const std::uint8_t>(file).subspan(kHashSize));
  if (r.field() != std::string(kEntryDomain)) return std::nullopt;
  AuditEntry e;
  auto seq = r.u64();
  auto time = r.u64();
  if (!seq || !time) return std::nullopt;
  e.seq = *seq;
  e.time_us = static_cast<std::int64_t>(*time);
  for (std::string* f :
       {&e.actor, &e.action, &e.target, &e.decision, &e.rule, &e.policy_version, &e.detail}) {
    auto v = r.field();
    if (!v) return std::nullopt;
    *f = std::move(*v);
  }
  if (!r.done()) return std::nullopt;
  Bytes scratch;
  const RawHash h = compute_entry_hash_raw(prev, e, scratch);
  e.prev_hash = hex(prev);
  e.hash = hex(h);
  return e;
}

std::optional<std::vector<RawHash>> parse_proof(const Bytes& data, std::uint64_t seq,
                                                std::uint64_t tree_size) {
  auto o = parse_object(data);
  if (!o || as_u64(o->if_contains("seq")) != seq ||
      as_u64(o->if_contains("leaf_index")) != seq - 1 ||
      as_u64(o->if_contains("tree_size")) != tree_size) {
    return std::nullopt;
  }
  const auto* path = o->if_contains("audit_path");
  if (!path || !path->is_array() || path->as_array().size() > 64) return std::nullopt;
  std::vector<RawHash> out;
  for (const auto& h : path->as_array()) {
    auto text = as_hex(&h, kHashSize);
    if (!text) return std::nullopt;
    out.push_back(*parse_hash_hex(*text));
  }
  return out;
}

struct Consistency {
  std::uint64_t from = 0;
  std::vector<RawHash> proof;
};

std::optional<Consistency> parse_consistency(const Bytes& data, std::uint64_t tree_size) {
  auto o = parse_object(data);
  if (!o) return std::nullopt;
  auto from = as_u64(o->if_contains("from_tree_size"));
  const auto* proof = o->if_contains("proof");
  if (!from || *from == 0 || *from > tree_size ||
      as_u64(o->if_contains("to_tree_size")) != tree_size || !proof || !proof->is_array() ||
      proof->as_array().size() > 128) {
    return std::nullopt;
  }
  Consistency out{*from, {}};
  for (const auto& h : proof->as_array()) {
    auto text = as_hex(&h, kHashSize);
    if (!text) return std::nullopt;
    out.proof.push_back(*parse_hash_hex(*text));
  }
  return out;
}

class BundleChecker {
 public:
  BundleChecker(std::span<const std::uint8_t> key)
      : key_(key.begin(), key.end()), keys_(Bytes(key.begin(), key.end())) {}

  BundleReport run(std::span<const std::uint8_t> bundle,
                   std::optional<std::span<const std::uint8_t>> kept) {
    if (key_.size() != kPublicKeySize) return fail("the public key is not 32 bytes");
    auto files = read_ustar(bundle);
    if (!files.ok()) return fail(files.error().message);
    for (auto& f : *files) {
      if (!files_.emplace(f.name, std::move(f.data)).second) {
        return fail("duplicate file " + f.name + " in the bundle");
      }
    }
    if (!check_tree_head() || !check_signature() || !check_manifest() || !check_names()) {
      return report_;
    }
    for (auto seq : seqs_) {
      if (!check_entry(seq)) return report_;
    }
    if (!check_consistency_file() || (kept && !check_kept(*kept))) return report_;
    report_.ok = true;
    return report_;
  }

 private:
  BundleReport fail(std::string problem) {
    report_.problem = std::move(problem);
    return report_;
  }
  bool failed(std::string problem) {
    fail(std::move(problem));
    return false;
  }
  const Bytes* file(const std::string& name) const {
    auto it = files_.find(name);
    return it == files_.end() ? nullptr : &it->second;
  }

  bool check_tree_head() {
    const Bytes* f = file(kTreeHeadFile);
    if (!f) return failed("tree-head.json is missing");
    auto th = parse_tree_head_json(*f);
    if (!th) return failed("tree-head.json malformed");
    if (!follow_key_transitions(th->tree_size)) return false;
    if (!verify_tree_head(*th, keys_.current().data())) {
      return failed(keys_.epochs().size() == 1
                        ? "tree head signature invalid (altered, or not signed by the supplied "
                          "key)"
                        : "tree head signature invalid (altered, or not signed by the key the "
                          "key transitions lead to from the supplied key)");
    }
    report_.tree_head = std::move(*th);
    return true;
  }

  // I1: key-transitions.json, when present, leads from the supplied key to the signer; each
  // hand-over is signed by the key before it and countersigned by the next.
  bool follow_key_transitions(std::uint64_t tree_size) {
    const Bytes* f = file(kKeyTransitionsFile);
    if (!f) return true;
    auto o = parse_object(*f);
    const auto* list = o ? o->if_contains("transitions") : nullptr;
    if (!list || !list->is_array() || list->as_array().empty() || list->as_array().size() > 4096) {
      return failed("key-transitions.json malformed");
    }
    for (const auto& item : list->as_array()) {
      auto t = item.is_object() ? parse_key_transition_json(item.as_object()) : std::nullopt;
      if (!t) return failed("key-transitions.json malformed");
      if (t->seq > tree_size) {
        return failed("key transition at seq " + std::to_string(t->seq) +
                      " is beyond the tree head (size " + std::to_string(tree_size) + ")");
      }
      if (auto problem = keys_.follow(*t)) return failed(*problem);
      ++report_.key_transitions;
    }
    return true;
  }

  bool check_signature() {
    const Bytes* f = file(kSignatureFile);
    const Bytes* manifest = file(kManifestFile);
    if (!f) return failed("signature.json is missing");
    if (!manifest) return failed("manifest.json is missing");
    auto o = parse_object(*f);
    auto fp = o ? as_hex(o->if_contains("public_key_fingerprint"), kHashSize) : std::nullopt;
    auto sig = o ? as_hex(o->if_contains("signature"), 64) : std::nullopt;
    if (!fp || !sig) return failed("signature.json malformed");
    const Bytes& signer = keys_.current();
    report_.key_fingerprint = public_key_fingerprint(signer);
    if (*fp != report_.key_fingerprint) {
      return failed("bundle names signing key " + *fp + ", not the " +
                    (keys_.epochs().size() == 1 ? "supplied key " : "key in force ") +
                    report_.key_fingerprint);
    }
    const Bytes msg = bundle_message(*manifest, report_.tree_head);
    const Bytes raw_sig = *from_hex(*sig);
    if (!crypto::verify_signature(signer, msg, raw_sig)) {
      return failed("manifest signature invalid (manifest or tree head altered)");
    }
    report_.manifest_sha256 = sha256_hex(*manifest);
    return true;
  }

  bool check_manifest() {
    auto o = parse_object(*file(kManifestFile));
    if (!o) return failed("manifest.json malformed");
    const auto* format = o->if_contains("format");
    if (!format || !format->is_string() || format->get_string() != kBundleDomain) {
      return failed("manifest.json malformed: format is not baomi-evidence-v1");
    }
    const auto* list = o->if_contains("audit_seqs");
    if (!list || !list->is_array()) return failed("manifest.json malformed: no audit_seqs");
    for (const auto& v : list->as_array()) {
      auto seq = as_u64(&v);
      if (!seq || *seq == 0 || (!seqs_.empty() && *seq <= seqs_.back())) {
        return failed("manifest.json malformed: audit_seqs must be increasing positive integers");
      }
      if (*seq > report_.tree_head.tree_size) {
        return failed("entry " + std::to_string(*seq) + ": beyond the tree head (size " +
                      std::to_string(report_.tree_head.tree_size) + ")");
      }
      seqs_.push_back(*seq);
    }
    return true;
  }

  bool check_names() {
    std::map<std::string, bool> expected{{kManifestFile, true},
                                         {kTreeHeadFile, true},
                                         {kSignatureFile, true},
                                         {kConsistencyFile, true},
                                         {kKeyTransitionsFile, true}};
    for (auto seq : seqs_) expected[entry_file(seq)] = expected[proof_file(seq)] = true;
    for (const auto& [name, data] : files_) {
      if (!expected.contains(name)) return failed("unexpected file " + name + " in the bundle");
    }
    return true;
  }

  bool check_entry(std::uint64_t seq) {
    const std::string which = "entry " + std::to_string(seq);
    const Bytes* data = file(entry_file(seq));
    if (!data) return failed(which + ": missing from the bundle");
    auto e = decode_entry_file(*data);
    if (!e) return failed(which + ": malformed");
    if (e->seq != seq) return failed(which + ": the file holds entry " + std::to_string(e->seq));
    const Bytes* proof_data = file(proof_file(seq));
    if (!proof_data) return failed("proof for " + which + ": missing");
    auto proof = parse_proof(*proof_data, seq, report_.tree_head.tree_size);
    if (!proof) return failed("proof for " + which + " malformed");
    const RawHash entry_hash = *parse_hash_hex(e->hash);
    const RawHash root = *parse_hash_hex(report_.tree_head.root_hash);
    if (!verify_inclusion(seq - 1, report_.tree_head.tree_size, merkle_leaf_hash(entry_hash),
                          *proof, root)) {
      return failed(which + ": not included in the tree head (size " +
                    std::to_string(report_.tree_head.tree_size) + ")");
    }
    if (seq == report_.tree_head.tree_size && e->hash != report_.tree_head.head) {
      return failed(which + ": not the chain head that the tree head names");
    }
    report_.entries.push_back(std::move(*e));
    return true;
  }

  // consistency.json, when present, must be well-formed even when no kept head is given.
  bool check_consistency_file() {
    const Bytes* f = file(kConsistencyFile);
    if (!f) return true;
    consistency_ = parse_consistency(*f, report_.tree_head.tree_size);
    return consistency_ ? true : failed("consistency.json malformed");
  }

  // The auditor's kept tree head: signed by the same key, and the bundle's trail extends it.
  bool check_kept(std::span<const std::uint8_t> kept_bytes) {
    auto kept = parse_tree_head_json(kept_bytes);
    if (!kept) return failed("the kept tree head is malformed (expected a tree-head.json)");
    if (!verify_tree_head(*kept, keys_.key_at(kept->tree_size).data())) {
      return failed(
          "the kept tree head's signature is invalid (altered, or not signed by the audit key in "
          "force at its size)");
    }
    const auto& th = report_.tree_head;
    const std::string m = std::to_string(kept->tree_size), n = std::to_string(th.tree_size);
    if (kept->tree_size > th.tree_size) {
      return failed("the kept tree head (size " + m + ") is newer than the bundle's (size " + n +
                    "): download the bundle with ?since_tree_size=" + m);
    }
    const RawHash kept_root = *parse_hash_hex(kept->root_hash);
    const RawHash root = *parse_hash_hex(th.root_hash);
    if (kept->tree_size == th.tree_size) {
      if (kept_root != root) {
        return failed("FORKED TRAIL: the kept tree head and the bundle's both cover " + n +
                      " entries but their roots differ; the trail was rewritten");
      }
    } else if (!consistency_ || consistency_->from != kept->tree_size) {
      return failed("the bundle carries no consistency proof from tree size " + m +
                    ": download it with ?since_tree_size=" + m);
    } else if (!verify_consistency(kept->tree_size, th.tree_size, consistency_->proof, kept_root,
                                   root)) {
      return failed("FORKED TRAIL: the bundle's trail (size " + n +
                    ") is not an append-only extension of the kept tree head (size " + m +
                    ", root " + kept->root_hash + "); the consistency proof fails");
    }
    report_.kept_tree_size = kept->tree_size;
    return true;
  }

  Bytes key_;
  SigningKeyChain keys_;  // from key_, through key-transitions.json
  std::optional<Consistency> consistency_;
  std::map<std::string, Bytes> files_;
  std::vector<std::uint64_t> seqs_;
  BundleReport report_;
};

}  // namespace

BundleReport verify_evidence_bundle(std::span<const std::uint8_t> bundle,
                                    std::span<const std::uint8_t> public_key32,
                                    std::optional<std::span<const std::uint8_t>> kept_tree_head) {
  return BundleChecker(public_key32).run(bundle, kept_tree_head);
}

}  // namespace baomi::audit
