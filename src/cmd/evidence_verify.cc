// `baomi evidence verify`: checks a signed evidence bundle (S10, I1) with only the bundle and
// the auditor's copy of audit.pub; no instance, server or master key involved.
#include <iostream>

#include "audit/evidence_bundle.h"
#include "cmd/commands.h"
#include "cmd/instance.h"

namespace baomi::cmd {
namespace {

constexpr std::size_t kMaxBundleBytes = 256u << 20;

void print_summary(const audit::BundleReport& r, bool show_entries) {
  const auto& th = r.tree_head;
  std::cout << "ok: " << r.entries.size() << " audit entries proven in the signed tree head of "
            << th.tree_size << " entries (root " << th.root_hash << ", signed "
            << format_rfc3339(from_micros(th.time_us)) << ")\n"
            << "signing key fingerprint " << r.key_fingerprint << "\n"
            << "manifest sha256 " << r.manifest_sha256 << "\n";
  if (r.kept_tree_size) {
    std::cout << "the trail only grew since the kept tree head of " << *r.kept_tree_size
              << " entries ("
              << (*r.kept_tree_size == th.tree_size ? "same root" : "consistency proof verified")
              << ")\n";
  }
  if (!show_entries) return;
  for (const auto& e : r.entries) {
    std::cout << e.seq << "\t" << format_rfc3339(from_micros(e.time_us)) << "\t" << e.actor << "\t"
              << e.action << "\t" << e.target << "\t" << e.decision << "\t" << e.rule << "\t"
              << e.detail << "\n";
  }
}

}  // namespace

int run_evidence_verify(const BundleVerifyOptions& o) {
  auto key = read_public_key_file(o.public_key_file);
  if (!key.ok()) {
    std::cerr << "baomi evidence verify: " << key.error().message << "\n";
    return 2;
  }
  auto bundle = read_file(o.file, kMaxBundleBytes);
  if (!bundle.ok()) {
    std::cerr << "baomi evidence verify: " << bundle.error().message << "\n";
    return 2;
  }
  std::optional<Bytes> kept;
  if (!o.kept_tree_head_file.empty()) {
    auto read = read_file(o.kept_tree_head_file, 1u << 20);
    if (!read.ok()) {
      std::cerr << "baomi evidence verify: " << read.error().message << "\n";
      return 2;
    }
    kept = std::move(*read);
  }
  const auto report =
      kept ? audit::verify_evidence_bundle(*bundle, *key, std::span<const std::uint8_t>(*kept))
           : audit::verify_evidence_bundle(*bundle, *key);
  if (!report.ok) {
    std::cout << "FAILED: " << report.problem << "\n";
    return 1;
  }
  print_summary(report, o.show_entries);
  return 0;
}

}  // namespace baomi::cmd
