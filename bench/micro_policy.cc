// Micro-benchmark of the single point of decision, Policy::decide (target: < 0.5 µs median).
// Built from PolicyData's defaults, which equal policies/default.yaml.
#include <benchmark/benchmark.h>

#include "core/time.h"
#include "policy/policy.h"

namespace {

namespace policy = baomi::policy;

policy::Subject cleared_subject() {
  policy::Subject s;
  s.roles = policy::role_bit(policy::Role::kStaff);
  s.clearance = policy::Level::kConfidential;
  s.categories = policy::category_bit(1) | policy::category_bit(5);
  s.pledge_accepted = true;
  s.id = "u3qzv6q2bq5kq5w6y7ofb4dc2e";
  return s;
}

policy::Resource secret_document() {
  policy::Resource r;
  r.level = policy::Level::kSecret;
  r.categories = policy::category_bit(5);
  r.custodian_id = "xk2r3hb7f5m4pqa6cvyt2lw4si";
  r.author_id = "xk2r3hb7f5m4pqa6cvyt2lw4si";
  return r;
}

void run_decide(benchmark::State& state, const policy::Subject& subject,
                const policy::Resource& resource, bool expect_allowed) {
  const policy::Policy p(policy::PolicyData{}, "v");
  const policy::Context ctx{baomi::now_utc()};
  for (auto _ : state) {
    auto d = p.decide(subject, policy::Action::kReadDocumentContent, resource, ctx);
    benchmark::DoNotOptimize(d);
    if (d.allowed != expect_allowed) state.SkipWithError("unexpected decision");
  }
  state.SetItemsProcessed(state.iterations());
}

// S6: clearance and every category held -> allow.
void BM_PolicyDecideAllow(benchmark::State& state) {
  run_decide(state, cleared_subject(), secret_document(), true);
}
BENCHMARK(BM_PolicyDecideAllow);

// S6: a category the reader lacks -> deny (need_to_know).
void BM_PolicyDecideDeny(benchmark::State& state) {
  auto doc = secret_document();
  doc.categories |= policy::category_bit(3);
  run_decide(state, cleared_subject(), doc, false);
}
BENCHMARK(BM_PolicyDecideDeny);

}  // namespace
