#include "storage/chunks.h"

namespace baomi::storage {
namespace {

std::int64_t i64(std::uint64_t v) { return static_cast<std::int64_t>(v); }

}  // namespace

const Table& chunk_table() {
  static const Table table{"chunks",
                           {{"document_id", ColumnType::kText},
                            {"version", ColumnType::kInteger},
                            {"idx", ColumnType::kInteger},
                            {"data", ColumnType::kBlob}},
                           3,
                           {}};
  return table;
}

Result<void> read_table_chunk(ReadTx& tx, const std::string& document_id, std::uint64_t version,
                              std::uint64_t index, Bytes& out) {
  BAOMI_ASSIGN_OR_RETURN(auto row,
                         tx.get_row(chunk_table(), {document_id, i64(version), i64(index)}));
  if (!row) return Error::integrity(kChunkMissing);
  auto* data = std::get_if<Bytes>(&(*row)[3]);
  if (data == nullptr) return Error::integrity(kChunkMissing);
  out = std::move(*data);
  return {};
}

Result<void> write_table_chunk(WriteTx& tx, const std::string& document_id, std::uint64_t version,
                               std::uint64_t index, const Bytes& sealed) {
  return tx.insert_row(chunk_table(), {document_id, i64(version), i64(index), sealed});
}

Result<void> delete_table_chunks(WriteTx& tx, const std::string& document_id,
                                 std::uint64_t version) {
  return tx.delete_rows(chunk_table(), {Condition{"document_id", Compare::kEqual, document_id},
                                        Condition{"version", Compare::kEqual, i64(version)}});
}

Result<void> ReadTx::read_chunk(const std::string& document_id, std::uint64_t version,
                                std::uint64_t index, Bytes& out) {
  return read_table_chunk(*this, document_id, version, index, out);
}

Result<std::vector<Row>> ReadTx::scan_chunks(const std::optional<Row>& after, std::size_t limit) {
  Scan scan;
  scan.order_by = {"document_id", "version", "idx"};
  scan.limit = limit;
  scan.after_key = after;
  return scan_rows(chunk_table(), scan);
}

Result<void> WriteTx::write_chunk(const std::string& document_id, std::uint64_t version,
                                  std::uint64_t index, const Bytes& sealed) {
  return write_table_chunk(*this, document_id, version, index, sealed);
}

Result<void> WriteTx::delete_chunks(const std::string& document_id, std::uint64_t version) {
  return delete_table_chunks(*this, document_id, version);
}

}  // namespace baomi::storage
