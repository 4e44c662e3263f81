// The customer tables (C1 to C5, H4): clear columns only for ids, level, categories, times and
// who; every personal field is a sealed BLOB; search goes through keyed blind indexes.
#include "storage/sqlite/schema.h"

namespace baomi::storage::sqlite {

const char* customer_schema_sql() {
  return R"sql(
CREATE TABLE IF NOT EXISTS customers (
  id TEXT PRIMARY KEY,
  level TEXT NOT NULL,
  categories TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  revision INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL,
  sealed_name BLOB NOT NULL,
  sealed_phone BLOB NOT NULL,
  sealed_id_number BLOB NOT NULL,
  sealed_qq BLOB NOT NULL,
  sealed_email BLOB NOT NULL,
  sealed_account BLOB NOT NULL,
  sealed_address BLOB NOT NULL,
  sealed_products BLOB NOT NULL,
  sealed_notes BLOB NOT NULL,
  mac TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customer_index (
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers(id));
CREATE INDEX IF NOT EXISTS customer_index_lookup ON customer_index(field, value, customer_id);
CREATE INDEX IF NOT EXISTS customer_index_owner ON customer_index(customer_id);
CREATE TABLE IF NOT EXISTS customer_contacts (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  handled_by TEXT NOT NULL,
  sealed_body BLOB NOT NULL,
  mac TEXT NOT NULL,
  UNIQUE (customer_id, seq));
CREATE INDEX IF NOT EXISTS customer_contacts_handler ON customer_contacts(handled_by, created_at);
CREATE TRIGGER IF NOT EXISTS customer_contacts_no_update BEFORE UPDATE ON customer_contacts
  BEGIN SELECT RAISE(ABORT, 'contact log entries are append-only'); END;
CREATE TRIGGER IF NOT EXISTS customer_contacts_no_delete BEFORE DELETE ON customer_contacts
  BEGIN SELECT RAISE(ABORT, 'contact log entries are append-only'); END;
)sql";
}

}  // namespace baomi::storage::sqlite
