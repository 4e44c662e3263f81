// The rules of a document's end (S5, H3), shared by the request that asks for a destruction and
// the destruction itself: when its retention floor lies, and why it may not be destroyed now.
// Pure functions of their inputs; safe from any thread.
#pragma once

#include "core/result.h"
#include "policy/policy.h"
#include "services/documents/document.h"

namespace baomi::services {

// 410 `destroyed` (H3): the document was destroyed; nothing of its content or title remains.
Error destroyed_error();
// 410 `version_destroyed` (H3): that version's key was erased.
Error version_destroyed_error();

// The document's retention floor: the later of the floor chosen at its creation and the one the
// policy in force gives its level and categories (a policy made stricter applies to documents
// already kept; one made looser never shortens a floor already promised).
TimePoint retention_floor(const policy::Policy& policy, const Document& doc);

// Whether the document may be destroyed at `now`: 410 when it already was, 409 `legal_hold`
// under a legal hold, 409 `retention` before its floor (the message names the floor's date,
// which the custodian may know). All rule H3.
Result<void> check_destroyable(const policy::Policy& policy, const Document& doc, TimePoint now);

}  // namespace baomi::services
