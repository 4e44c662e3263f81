#include "audit/evidence_bundle.h"

#include <algorithm>
#include <optional>

#include "audit/bundle_layout.h"
#include "audit/merkle.h"
#include "audit/trail_tables.h"
#include "audit/tree_store.h"
#include "audit/ustar.h"
#include "barrier/engine_access.h"

namespace baomi::audit {
namespace {

namespace json = boost::json;

using namespace bundle;

Bytes json_bytes(const json::value& v) { return to_bytes(json::serialize(v)); }

Result<std::vector<std::uint64_t>> checked_seqs(std::vector<std::uint64_t> seqs) {
  std::sort(seqs.begin(), seqs.end());
  seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  if (seqs.empty())
    return Error::invalid("invalid_field", "a bundle needs at least one audit entry");
  if (seqs.size() > kMaxBundleEntries) {
    return Error::invalid(
        "invalid_field",
        "a bundle holds at most " + std::to_string(kMaxBundleEntries) + " audit entries");
  }
  if (seqs.front() == 0) return Error::invalid("invalid_field", "audit seq 0 does not exist");
  return seqs;
}

Result<Bytes> manifest_bytes(const BundleInput& input, const std::vector<std::uint64_t>& seqs) {
  json::object manifest;
  manifest["format"] = kBundleDomain;
  for (const auto& member : input.content) {
    if (member.key() == "format" || member.key() == "audit_seqs") {
      return Error::invalid("invalid_field",
                            "the manifest content may not set '" + std::string(member.key()) + "'");
    }
    manifest[member.key()] = member.value();
  }
  json::array list;
  for (auto s : seqs) list.push_back(s);
  manifest["audit_seqs"] = std::move(list);
  return json_bytes(manifest);
}

json::object tree_head_json(const TreeHead& th) {
  return {{"tree_size", th.tree_size},
          {"root_hash", th.root_hash},
          {"head", th.head},
          {"time_us", th.time_us},
          {"signature", th.signature}};
}

Result<TarFile> entry_and_proof(storage::ReadTx& tx, std::uint64_t seq, const TreeHead& th,
                                const NodeReader& read, std::vector<TarFile>& files) {
  BAOMI_ASSIGN_OR_RETURN(auto row, audit::get_audit_entry(tx, seq));
  const auto prev = row ? parse_hash_hex(row->prev_hash) : std::nullopt;
  if (!prev) return Error::integrity("audit entry " + std::to_string(seq) + " is missing");
  Bytes data(prev->begin(), prev->end());
  append_canonical_bytes(data, to_entry(*row));
  files.push_back({entry_file(seq), std::move(data)});
  BAOMI_ASSIGN_OR_RETURN(auto path, inclusion_proof(seq - 1, th.tree_size, read));
  json::array audit_path;
  for (const auto& h : path) audit_path.push_back(json::string(hex(h)));
  return TarFile{proof_file(seq), json_bytes(json::object{{"seq", seq},
                                                          {"leaf_index", seq - 1},
                                                          {"tree_size", th.tree_size},
                                                          {"audit_path", std::move(audit_path)}})};
}

// The highest seq the bundle's tree head must cover: its entries and the kept head's size.
Result<std::uint64_t> covered_size(const BundleInput& input,
                                   const std::vector<std::uint64_t>& seqs) {
  if (input.since_tree_size && *input.since_tree_size == 0) {
    return Error::invalid("invalid_field", "since_tree_size must be at least 1");
  }
  return std::max(seqs.back(), input.since_tree_size.value_or(0));
}

Result<TarFile> consistency_file(storage::ReadTx& tx, std::uint64_t from, const TreeHead& th) {
  BAOMI_ASSIGN_OR_RETURN(auto proof, prove_consistency(tx, from, th.tree_size));
  json::array hashes;
  for (const auto& h : proof.proof) hashes.push_back(json::string(hex(h)));
  return TarFile{kConsistencyFile, json_bytes(json::object{{"from_tree_size", from},
                                                           {"to_tree_size", th.tree_size},
                                                           {"proof", std::move(hashes)}})};
}

}  // namespace

Bytes bundle_message(std::span<const std::uint8_t> manifest, const TreeHead& th) {
  Bytes out;
  append_field(out, kBundleDomain);
  append_field(out,
               std::string_view(reinterpret_cast<const char*>(manifest.data()), manifest.size()));
  const Bytes head = tree_head_message(th);
  out.insert(out.end(), head.begin(), head.end());
  return out;
}

std::string public_key_fingerprint(std::span<const std::uint8_t> public_key) {
  return sha256_hex(public_key);
}

Result<Bytes> build_evidence_bundle(storage::ReadTx& tx, const AuditLog& signer,
                                    const BundleInput& input) {
  BAOMI_ASSIGN_OR_RETURN(auto seqs, checked_seqs(input.seqs));
  BAOMI_ASSIGN_OR_RETURN(auto manifest, manifest_bytes(input, seqs));
  BAOMI_ASSIGN_OR_RETURN(auto last, audit::last_audit_entry(tx));
  const std::uint64_t size = last ? last->seq : 0;
  if (seqs.back() > size) {
    return Error::invalid("invalid_field", "audit entry " + std::to_string(seqs.back()) +
                                               " does not exist (the trail has " +
                                               std::to_string(size) + " entries)");
  }
  BAOMI_ASSIGN_OR_RETURN(const auto cover, covered_size(input, seqs));
  if (cover > size) {
    return Error::invalid("invalid_field", "since_tree_size " + std::to_string(cover) +
                                               " is beyond the trail (" + std::to_string(size) +
                                               " entries)");
  }
  BAOMI_ASSIGN_OR_RETURN(auto row, audit::first_tree_head_from(tx, cover));
  if (!row) {
    return Error::not_found("no signed tree head covers audit entry " + std::to_string(cover) +
                            " yet");
  }
  // I1: the manifest is signed by the key in force now, so the tree head must be one it signed:
  // after a key rotation, the newest (every rotation signs a tree head at once).
  BAOMI_ASSIGN_OR_RETURN(auto transitions, stored_key_transitions(tx));
  BAOMI_TRY(signer.refresh_signing_key(tx));  // the key in force in this snapshot signs
  if (!transitions.empty() && transitions.back().seq > row->tree_size) {
    BAOMI_ASSIGN_OR_RETURN(row, audit::latest_tree_head(tx));
    if (!row || row->tree_size < transitions.back().seq) {
      return Error::not_found("no tree head signed by the current audit key yet");
    }
  }
  const TreeHead th{row->tree_size, row->root_hash, row->head, row->time_us, row->signature};
  const auto read = stored_node_reader(tx);
  // Never hand out a bundle that cannot verify: the stored tree must give the signed root.
  BAOMI_ASSIGN_OR_RETURN(auto root, merkle_root(th.tree_size, read));
  if (hex(root) != th.root_hash) {
    return Error::integrity("the stored audit tree does not match tree head " +
                            std::to_string(th.tree_size));
  }
  std::vector<TarFile> files;
  files.push_back({kManifestFile, manifest});
  files.push_back({kTreeHeadFile, json_bytes(tree_head_json(th))});
  const auto pk = signer.public_key();
  files.push_back({kSignatureFile,
                   json_bytes(json::object{{"public_key_fingerprint", public_key_fingerprint(pk)},
                                           {"signature", signer.sign_bundle(manifest, th)}})});
  if (!transitions.empty()) {
    json::array list;
    for (const auto& t : transitions) list.push_back(key_transition_json(t));
    files.push_back({kKeyTransitionsFile, json_bytes(json::object{{"transitions", list}})});
  }
  if (input.since_tree_size) {
    BAOMI_ASSIGN_OR_RETURN(auto proof, consistency_file(tx, *input.since_tree_size, th));
    files.push_back(std::move(proof));
  }
  for (auto seq : seqs) {
    BAOMI_ASSIGN_OR_RETURN(auto proof, entry_and_proof(tx, seq, th, read, files));
    files.push_back(std::move(proof));
  }
  return write_ustar(files);
}

Result<Bytes> build_evidence_bundle(barrier::ReadTx& tx, const AuditLog& signer,
                                    const BundleInput& input) {
  return build_evidence_bundle(barrier::EngineAccess::engine(tx), signer, input);
}

Result<Bytes> make_evidence_bundle(const barrier::SealedStore& sealed, const AuditLog& signer,
                                   const BundleInput& input, TimePoint now) {
  BAOMI_ASSIGN_OR_RETURN(auto seqs, checked_seqs(input.seqs));
  BAOMI_ASSIGN_OR_RETURN(const auto cover, covered_size(input, seqs));
  bool covered = false;
  auto& store = barrier::EngineAccess::engine(sealed);
  BAOMI_TRY(store.read([&](storage::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(auto th, audit::first_tree_head_from(tx, cover));
    covered = th.has_value();
    return {};
  }));
  if (!covered) {
    BAOMI_TRY(store.write(
        [&](storage::WriteTx& tx) -> Result<void> { return signer.checkpoint(tx, now); }));
  }
  Result<Bytes> out = Error::internal("bundle not built");
  BAOMI_TRY(store.read([&](storage::ReadTx& tx) -> Result<void> {
    out = build_evidence_bundle(tx, signer, input);
    return {};
  }));
  return out;
}

}  // namespace baomi::audit
