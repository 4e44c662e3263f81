// The exact assignment of approvers to the slots of approval steps (internal to the policy
// layer; approvals.cc uses it, tests check it against brute force). A small bipartite
// matching: each approver fills at most one slot. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace baomi::policy::matching {

// eligible[a]: bit s set when approver a may fill step s (at most 32 steps). counts[s]: the
// slots of step s. Returns, per approver, the step it fills or -1. Among all assignments it
// fills the most steps completely and, among those, the most slots overall.
std::vector<int> assign(std::span<const std::uint32_t> eligible, std::span<const int> counts);

}  // namespace baomi::policy::matching
