// SqliteTx: maintenance (free pages, the table catalogue); rows are in sqlite_rows.cc.
#include "storage/sqlite/sqlite_tx.h"

#include <algorithm>
#include <cstdint>

#include "storage/chunks.h"

namespace baomi::storage::sqlite {

Result<std::size_t> SqliteTx::free_pages() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("PRAGMA freelist_count"));
  BAOMI_ASSIGN_OR_RETURN(const bool row, s.step());
  return row ? static_cast<std::size_t>(s.int64(0)) : 0;
}

Result<std::vector<std::string>> SqliteTx::table_names() {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                             "ORDER BY name"));
  std::vector<std::string> names;
  for (;;) {
    BAOMI_ASSIGN_OR_RETURN(bool has, s.step());
    if (!has) return names;
    names.push_back(s.text(0));
  }
}

Result<std::size_t> SqliteTx::reclaim_free_pages(std::size_t max_pages) {
  BAOMI_ASSIGN_OR_RETURN(const std::size_t before, free_pages());
  if (before == 0 || max_pages == 0) return std::size_t{0};
  const std::string sql = "PRAGMA incremental_vacuum(" + std::to_string(max_pages) + ")";
  BAOMI_TRY(db_.exec(sql.c_str()));
  BAOMI_ASSIGN_OR_RETURN(const std::size_t after, free_pages());
  return before > after ? before - after : 0;
}

}  // namespace baomi::storage::sqlite

namespace baomi::storage::sqlite {
namespace {

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }

}  // namespace

Result<void> SqliteTx::read_chunk(const std::string& document_id, std::uint64_t version,
                                  std::uint64_t index, Bytes& out) {
  if (chunks_ != nullptr) {
    BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT pos, len FROM chunk_files WHERE "
                                               "document_id = ?1 AND version = ?2 AND idx = ?3"));
    s.bind(1, std::string_view(document_id)).bind(2, i64(version)).bind(3, i64(index));
    BAOMI_ASSIGN_OR_RETURN(const bool found, s.step());
    if (found) {
      const std::int64_t pos = s.int64(0), len = s.int64(1);
      if (pos < 0 || len < 0) return Error::integrity(kChunkMissing);
      return chunks_->read(document_id, version, static_cast<std::uint64_t>(pos),
                           static_cast<std::uint64_t>(len), out);
    }
  }
  return read_table_chunk(*this, document_id, version, index, out);
}

// The bytes first, then their index row, in this job: the store syncs the file before the
// commit that makes the row visible (SqliteStore::commit_batch).
Result<void> SqliteTx::write_chunk(const std::string& document_id, std::uint64_t version,
                                   std::uint64_t index, const Bytes& sealed) {
  if (chunks_ == nullptr) return write_table_chunk(*this, document_id, version, index, sealed);
  BAOMI_ASSIGN_OR_RETURN(const std::uint64_t pos,
                         chunks_->prepare_append(document_id, version, index == 0));
  {
    // The row first: a chunk written twice is a conflict before any byte is touched.
    BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("INSERT INTO chunk_files(document_id, version, "
                                               "idx, pos, len) VALUES (?1, ?2, ?3, ?4, ?5)"));
    s.bind(1, std::string_view(document_id)).bind(2, i64(version)).bind(3, i64(index));
    s.bind(4, i64(pos)).bind(5, i64(sealed.size()));
    BAOMI_TRY(s.run());
  }
  return chunks_->append(document_id, version, pos, sealed);
}

Result<void> SqliteTx::delete_chunks(const std::string& document_id, std::uint64_t version) {
  if (chunks_ != nullptr) {
    BAOMI_ASSIGN_OR_RETURN(
        auto s, db_.prepare("DELETE FROM chunk_files WHERE document_id = ?1 AND version = ?2"));
    s.bind(1, std::string_view(document_id)).bind(2, i64(version));
    BAOMI_TRY(s.run());
    // Also when no row named it: a file whose first batch never committed (a failed upload).
    removed_.push_back({document_id, version});
  }
  return delete_table_chunks(*this, document_id, version);
}

// The keys of both places in one order, then each chunk read where it is.
Result<std::vector<Row>> SqliteTx::scan_chunks(const std::optional<Row>& after, std::size_t limit) {
  if (chunks_ == nullptr) return ReadTx::scan_chunks(after, limit);
  const char* sql =
      after ? "SELECT document_id, version, idx FROM chunk_files WHERE (document_id, version, idx) "
              "> (?1, ?2, ?3) UNION ALL SELECT document_id, version, idx FROM chunks WHERE "
              "(document_id, version, idx) > (?1, ?2, ?3) ORDER BY 1, 2, 3 LIMIT ?4"
            : "SELECT document_id, version, idx FROM chunk_files UNION ALL SELECT document_id, "
              "version, idx FROM chunks ORDER BY 1, 2, 3 LIMIT ?4";
  std::vector<Row> rows;
  {
    BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare(sql));
    if (after) {
      if (after->size() < 3 || !std::holds_alternative<std::string>((*after)[0]) ||
          !std::holds_alternative<std::int64_t>((*after)[1]) ||
          !std::holds_alternative<std::int64_t>((*after)[2])) {
        return Error::internal("a chunk cursor is not a chunk key");
      }
      s.bind(1, std::string_view(std::get<std::string>((*after)[0])));
      s.bind(2, std::get<std::int64_t>((*after)[1])).bind(3, std::get<std::int64_t>((*after)[2]));
    }
    s.bind(4, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
    for (;;) {
      BAOMI_ASSIGN_OR_RETURN(const bool has, s.step());
      if (!has) break;
      rows.push_back({s.text(0), s.int64(1), s.int64(2)});
    }
  }
  for (auto& row : rows) {
    Bytes data;
    const auto& id = std::get<std::string>(row[0]);
    const auto version = std::get<std::int64_t>(row[1]), idx = std::get<std::int64_t>(row[2]);
    if (version < 0 || idx < 0) return Error::integrity(kChunkMissing);
    BAOMI_TRY(
        read_chunk(id, static_cast<std::uint64_t>(version), static_cast<std::uint64_t>(idx), data));
    row.emplace_back(std::move(data));
  }
  return rows;
}

Result<bool> SqliteTx::indexes_chunk_file(const ChunkFiles::Version& v) {
  BAOMI_ASSIGN_OR_RETURN(auto s, db_.prepare("SELECT 1 FROM chunk_files WHERE document_id = ?1 "
                                             "AND version = ?2 LIMIT 1"));
  s.bind(1, std::string_view(v.document_id)).bind(2, i64(v.version));
  return s.step();
}

}  // namespace baomi::storage::sqlite
