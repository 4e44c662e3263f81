// The refusal of a database whose schema version this build does not know, in the same words
// on every engine, with the code "schema_version" so that callers (`baomi migrate`) can tell it
// from other failures to open.
#pragma once

#include <string>

#include "core/result.h"

namespace baomi::storage {

inline Error schema_version_error(long long found, int known) {
  const std::string ours = std::to_string(known);
  Error e =
      Error::internal("database schema version " + std::to_string(found) +
                      (found > known ? " is newer than this build of baomi understands (" + ours +
                                           "); run the baomi release that wrote it, or a newer one"
                                     : " is not supported by this build (" + ours + ")"));
  e.code = "schema_version";
  return e;
}

}  // namespace baomi::storage
