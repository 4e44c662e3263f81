// SqliteTx: customer records, their blind indexes and the append-only contact log.
#include "storage/sqlite/rows.h"
#include "storage/sqlite/sqlite_tx.h"

namespace baomi::storage::sqlite {
namespace {

constexpr const char* kCustomerColumns =
    "id, level, categories, created_at, updated_at, created_by, revision, wrapped_key, "
    "sealed_name, sealed_phone, sealed_id_number, sealed_qq, sealed_email, sealed_account, "
    "sealed_address, sealed_products, sealed_notes, mac";
constexpr int kFirstSealed = 8;  // column index of sealed_name

constexpr const char* kContactColumns =
    "id, customer_id, seq, created_at, handled_by, sealed_body, mac";

CustomerRow read_customer(const Statement& s) {
  CustomerRow c;
  c.id = s.text(0);
  c.level = s.text(1);
  c.categories = s.text(2);
  c.created_at_us = s.int64(3);
  c.updated_at_us = s.int64(4);
  c.created_by = s.text(5);
  c.revision = static_cast<std::uint64_t>(s.int64(6));
  c.wrapped_key = s.blob(7);
  for (std::size_t i = 0; i < kCustomerSealedFields; ++i) {
    c.sealed[i] = s.blob(kFirstSealed + static_cast<int>(i));
  }
  c.mac = s.text(kFirstSealed + static_cast<int>(kCustomerSealedFields));
  return c;
}

void bind_customer(Statement& s, const CustomerRow& c) {
  s.bind(1, c.id)
      .bind(2, c.level)
      .bind(3, c.categories)
      .bind(4, c.created_at_us)
      .bind(5, c.updated_at_us)
      .bind(6, c.created_by)
      .bind(7, i64(c.revision))
      .bind(8, c.wrapped_key);
  for (std::size_t i = 0; i < kCustomerSealedFields; ++i) {
    s.bind(kFirstSealed + 1 + static_cast<int>(i), c.sealed[i]);
  }
  s.bind(kFirstSealed + 1 + static_cast<int>(kCustomerSealedFields), c.mac);
}

ContactRow read_contact(const Statement& s) {
  ContactRow c;
  c.id = s.text(0);
  c.customer_id = s.text(1);
  c.seq = static_cast<std::uint64_t>(s.int64(2));
  c.created_at_us = s.int64(3);
  c.handled_by = s.text(4);
  c.sealed_body = s.blob(5);
  c.mac = s.text(6);
  return c;
}

}  // namespace

Result<std::optional<CustomerRow>> SqliteTx::get_customer(const std::string& id) {
  const auto q = sql("SELECT ", kCustomerColumns, " FROM customers WHERE id = ?");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, id);
  return one<CustomerRow>(s, read_customer);
}

Result<std::vector<std::string>> SqliteTx::find_customers(const std::string& field,
                                                          const std::string& value,
                                                          std::size_t limit) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT customer_id FROM customer_index WHERE "
                                             "field = ? AND value = ? ORDER BY customer_id "
                                             "LIMIT ?"));
  s.bind(1, field).bind(2, value).bind(3, static_cast<std::int64_t>(limit));
  return all<std::string>(s, [](const Statement& st) { return st.text(0); });
}

Result<std::vector<CustomerRow>> SqliteTx::list_customers(const std::string& after_id,
                                                          std::size_t limit) {
  const auto q =
      sql("SELECT ", kCustomerColumns, " FROM customers WHERE id > ? ORDER BY id LIMIT ?");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, after_id).bind(2, static_cast<std::int64_t>(limit));
  return all<CustomerRow>(s, read_customer);
}

Result<std::vector<ContactRow>> SqliteTx::list_contacts(const std::string& customer_id) {
  const auto q =
      sql("SELECT ", kContactColumns, " FROM customer_contacts WHERE customer_id = ? ORDER BY seq");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, customer_id);
  return all<ContactRow>(s, read_contact);
}

Result<std::vector<ContactRow>> SqliteTx::list_contacts_handled_by(const std::string& handled_by,
                                                                   std::int64_t from_us,
                                                                   std::int64_t to_us) {
  const auto q = sql("SELECT ", kContactColumns,
                     " FROM customer_contacts WHERE handled_by = ? AND created_at >= ? AND "
                     "created_at < ? ORDER BY created_at, id");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, handled_by).bind(2, from_us).bind(3, to_us);
  return all<ContactRow>(s, read_contact);
}

Result<void> SqliteTx::insert_customer(const CustomerRow& row) {
  const auto q = sql("INSERT INTO customers(", kCustomerColumns,
                     ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  bind_customer(s, row);
  return s.run();
}

Result<void> SqliteTx::update_customer(const CustomerRow& row) {
  if (row.revision == 0) return Error::internal("an updated customer needs a revision above 0");
  BAOMI_ASSIGN_OR_RETURN(
      auto s, db_.prepare("UPDATE customers SET level=?2, categories=?3, created_at=?4, "
                          "updated_at=?5, created_by=?6, revision=?7, wrapped_key=?8, "
                          "sealed_name=?9, sealed_phone=?10, sealed_id_number=?11, sealed_qq=?12, "
                          "sealed_email=?13, sealed_account=?14, sealed_address=?15, "
                          "sealed_products=?16, sealed_notes=?17, mac=?18 "
                          "WHERE id=?1 AND revision=?19"));
  bind_customer(s, row);
  s.bind(19, i64(row.revision - 1));
  BAOMI_TRY(s.run());
  if (db_.changes() == 1) return {};
  BAOMI_ASSIGN_OR_RETURN(auto current, get_customer(row.id));
  if (!current) return Error::not_found("customer not found");
  return Error::conflict("concurrent_update", "customer was changed meanwhile");
}

Result<void> SqliteTx::replace_customer_index(const std::string& customer_id,
                                              const std::vector<CustomerIndexRow>& rows) {
  {
    BAOMI_ASSIGN_OR_RETURN(auto del,
                           db_.prepare("DELETE FROM customer_index WHERE customer_id = ?"));
    del.bind(1, customer_id);
    BAOMI_TRY(del.run());
  }
  for (const auto& r : rows) {
    BAOMI_ASSIGN_OR_RETURN(
        auto s, db_.prepare("INSERT INTO customer_index(field, value, customer_id) VALUES(?,?,?)"));
    s.bind(1, r.field).bind(2, r.value).bind(3, customer_id);
    BAOMI_TRY(s.run());
  }
  return {};
}

Result<void> SqliteTx::insert_contact(const ContactRow& row) {
  const auto q = sql("INSERT INTO customer_contacts(", kContactColumns, ") VALUES(?,?,?,?,?,?,?)");
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(q.c_str()));
  s.bind(1, row.id)
      .bind(2, row.customer_id)
      .bind(3, i64(row.seq))
      .bind(4, row.created_at_us)
      .bind(5, row.handled_by)
      .bind(6, row.sealed_body)
      .bind(7, row.mac);
  return s.run();
}

}  // namespace baomi::storage::sqlite
