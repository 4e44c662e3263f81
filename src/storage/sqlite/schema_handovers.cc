// The tables of handover slips (H1-H3, I1). Only what lists and access checks need is clear;
// content is sealed BLOBs. Indexes serve the lists by state, author, shift, department copy and
// deadline without reading every slip.
#include "storage/sqlite/schema.h"

namespace baomi::storage::sqlite {

const char* handover_schema() {
  return R"sql(
CREATE TABLE IF NOT EXISTS handovers (
  id TEXT PRIMARY KEY,
  author_id TEXT NOT NULL,
  shift_date TEXT NOT NULL,
  shift_name TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('issued','acknowledged','confirmed','overdue','purged')),
  current_version INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  retain_until INTEGER,
  hold INTEGER NOT NULL,
  carried_from TEXT NOT NULL,
  alert_id TEXT NOT NULL,
  revision INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL,
  sealed BLOB NOT NULL,
  mac TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS handovers_state ON handovers(state, id);
CREATE INDEX IF NOT EXISTS handovers_author ON handovers(author_id, id);
CREATE INDEX IF NOT EXISTS handovers_shift ON handovers(shift_date, shift_name, id);
CREATE INDEX IF NOT EXISTS handovers_open_due ON handovers(due_at)
  WHERE state IN ('issued', 'acknowledged');
CREATE INDEX IF NOT EXISTS handovers_carried ON handovers(carried_from) WHERE carried_from <> '';
CREATE INDEX IF NOT EXISTS handovers_alert ON handovers(id) WHERE alert_id <> '';
CREATE TABLE IF NOT EXISTS handover_versions (
  slip_id TEXT NOT NULL REFERENCES handovers(id),
  version INTEGER NOT NULL,
  author_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  sealed BLOB NOT NULL,
  mac TEXT NOT NULL,
  PRIMARY KEY (slip_id, version));
CREATE TABLE IF NOT EXISTS handover_copies (
  slip_id TEXT NOT NULL REFERENCES handovers(id),
  version INTEGER NOT NULL,
  department TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  acknowledged_by TEXT NOT NULL,
  acknowledged_at INTEGER,
  mac TEXT NOT NULL,
  PRIMARY KEY (slip_id, version, department));
CREATE INDEX IF NOT EXISTS handover_copies_department ON handover_copies(department, slip_id);
)sql";
}

}  // namespace baomi::storage::sqlite
