// Documents service: S4/S5/S6 decisions in effect, chunked encrypted content round trips in
// bounded pieces, versions, integrity failures, and fail-closed auditing.
#include "services/documents/documents.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <set>

#include "barrier/engine_access.h"
#include "barrier/engine_tables.h"
#include "marking/fingerprint.h"
#include "storage/sqlite/chunk_files.h"
#include "support/test_runtime.h"

namespace baomi::services {
namespace {

using policy::Level;
using policy::Role;
using testing::TestRuntime;

constexpr std::size_t kChunk = barrier::ContentSealer::kChunkSize;

// Deterministic binary content of any size, produced and checked piecewise (never held whole).
// It is not UTF-8, so it is uploaded as application/octet-stream (text/* must be UTF-8, S7).
std::uint8_t byte_at(std::uint64_t seed, std::uint64_t i) {
  return static_cast<std::uint8_t>((i * 2654435761u + seed * 97) >> 7);
}

ContentSource generated(std::uint64_t seed, std::uint64_t size, std::size_t max_piece = 70000) {
  auto offset = std::make_shared<std::uint64_t>(0);
  return [=](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
    const std::size_t k =
        static_cast<std::size_t>(std::min<std::uint64_t>({n, max_piece, size - *offset}));
    for (std::size_t i = 0; i < k; ++i) buf[i] = byte_at(seed, *offset + i);
    *offset += k;
    return k;
  };
}

ContentSource text(std::string s) {
  auto data = std::make_shared<std::string>(std::move(s));
  auto offset = std::make_shared<std::size_t>(0);
  return [=](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
    const std::size_t k = std::min(n, data->size() - *offset);
    std::memcpy(buf, data->data() + *offset, k);
    *offset += k;
    return k;
  };
}

class DocumentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    custodian = t.user("liu.yang", Role::kCustodian, Level::kTopSecret,
                       testing::cats(t.policy(), {"contracts_customers", "finance", "bidding"}));
    reader = t.user("li.na", Role::kStaff, Level::kSecret,
                    testing::cats(t.policy(), {"contracts_customers"}));
    outsider =
        t.user("zhou.qiang", Role::kStaff, Level::kSecret, testing::cats(t.policy(), {"bidding"}));
    low = t.user("wang.fang", Role::kStaff, Level::kInternal);
  }

  DocumentView create(Level level, std::vector<std::string> categories,
                      std::optional<std::string> until = std::nullopt) {
    DocumentSpec spec{"标题 title",          std::string(t.policy().level_name(level)),
                      std::move(categories), custodian.id,
                      std::move(until),      "说明"};
    auto v = docs.create(custodian, spec);
    EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message);
    return *v;
  }

  std::string read_all(const auth::User& who, const std::string& id, std::uint64_t version = 0) {
    auto view = docs.open_content(who, id, version);
    EXPECT_TRUE(view.ok()) << (view.ok() ? "" : view.error().code);
    if (!view.ok()) return {};
    std::string out;
    EXPECT_TRUE((*view)
                    ->stream([&](Bytes& piece) -> Result<void> {
                      out.append(reinterpret_cast<const char*>(piece.data()), piece.size());
                      return {};
                    })
                    .ok());
    return out;
  }

  int audit_count(std::string_view action, std::string_view decision) {
    int n = 0;
    for (const auto& r : t.audit_rows()) n += r.action == action && r.decision == decision;
    return n;
  }

  TestRuntime t;
  Documents docs{t.rt()};
  auth::User custodian, reader, outsider, low;
};

TEST_F(DocumentsTest, S5_MarkingCarriesLevelAndTerm) {
  auto v = create(Level::kSecret, {"contracts_customers"}, "2030-12-31");
  EXPECT_EQ(v.marking, "秘密★2030-12-31");
  EXPECT_EQ(create(Level::kConfidential, {}).marking, "机密");
}

TEST_F(DocumentsTest, ContentRoundTripsAcrossChunkBoundaries) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  for (std::uint64_t size :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{kChunk - 1}, std::uint64_t{kChunk},
        std::uint64_t{kChunk + 1}, std::uint64_t{3 * kChunk + 12345}}) {
    auto up = docs.upload(custodian, v.doc.id, "application/octet-stream", generated(size, size));
    ASSERT_TRUE(up.ok()) << up.error().message;
    EXPECT_EQ(up->size, size);
    auto view = docs.open_content(reader, v.doc.id);
    ASSERT_TRUE(view.ok());
    EXPECT_EQ((*view)->version().chunk_count, size == 0 ? 1 : (size + kChunk - 1) / kChunk);
    std::uint64_t offset = 0;
    bool same = true;
    ASSERT_TRUE((*view)
                    ->stream([&](Bytes& piece) -> Result<void> {
                      // Keeps every buffer, as the response writer may: the view must
                      // read the next chunk into whatever it is left.
                      Bytes taken = std::move(piece);
                      piece = Bytes();
                      for (std::size_t i = 0; i < taken.size(); ++i)
                        same = same && taken[i] == byte_at(size, offset + i);
                      offset += taken.size();
                      return {};
                    })
                    .ok());
    EXPECT_EQ(offset, size);
    EXPECT_TRUE(same) << "size " << size;
  }
}

TEST_F(DocumentsTest, S6_ContentNeedsClearanceAndEveryCategory) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_TRUE(docs.upload(custodian, v.doc.id, "text/plain", text("机密内容")).ok());
  EXPECT_EQ(marking::strip_fingerprint(read_all(reader, v.doc.id)), "机密内容");
  auto no_category = docs.open_content(outsider, v.doc.id);
  ASSERT_FALSE(no_category.ok());
  EXPECT_EQ(no_category.error().code, "need_to_know");
  EXPECT_EQ(no_category.error().rule, "S6");
  // Below clearance, even the existence is hidden (404), for metadata and content alike.
  EXPECT_EQ(docs.get(low, v.doc.id).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(docs.open_content(low, v.doc.id).error().kind, ErrorKind::kNotFound);
  // S9: every refusal was audited.
  EXPECT_EQ(audit_count("document.read_content", "deny"), 2);
  EXPECT_EQ(audit_count("document.read_metadata", "deny"), 1);
}

TEST_F(DocumentsTest, S2_NothingAbovePublicBeforeThePledge) {
  auto v = create(Level::kInternal, {});
  auto unpledged = t.user("sun.mei", Role::kFrontDesk, Level::kInternal, 0, /*pledge=*/false);
  auto r = docs.get(unpledged, v.doc.id);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rule, "S2");
  auto pub = create(Level::kPublic, {});
  EXPECT_TRUE(docs.get(unpledged, pub.doc.id).ok());
}

TEST_F(DocumentsTest, S4_CreateOnlyAtOrBelowOwnClearanceAndWithHeldCategories) {
  DocumentSpec above{"t", "confidential", {}, std::nullopt, std::nullopt, ""};
  EXPECT_FALSE(docs.create(reader, above).ok());
  DocumentSpec foreign{"t", "secret", {"finance"}, std::nullopt, std::nullopt, ""};
  EXPECT_FALSE(docs.create(reader, foreign).ok());
  DocumentSpec ok{"t", "secret", {"contracts_customers"}, std::nullopt, "2031-01-01", ""};
  auto created = docs.create(reader, ok);
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->doc.custodian_id, reader.id)
      << "the author keeps it when no custodian is named";
}

TEST_F(DocumentsTest, CreateValidatesFields) {
  DocumentSpec spec{"", "secret", {}, std::nullopt, std::nullopt, ""};
  EXPECT_NE(docs.create(custodian, spec).error().message.find("title"), std::string::npos);
  spec.title = "t";
  spec.level = "cosmic";
  EXPECT_NE(docs.create(custodian, spec).error().message.find("level"), std::string::npos);
  spec.level = "secret";
  spec.secret_until = "2020-01-01";
  EXPECT_NE(docs.create(custodian, spec).error().message.find("secret_until"), std::string::npos);
  spec.secret_until = "tomorrow";
  EXPECT_NE(docs.create(custodian, spec).error().message.find("secret_until"), std::string::npos);
  spec.secret_until.reset();
  spec.custodian_id = low.id;  // a custodian must be cleared for what they keep (S5)
  EXPECT_NE(docs.create(custodian, spec).error().message.find("custodian_id"), std::string::npos);
  spec.custodian_id = "no-such-user";
  EXPECT_EQ(docs.create(custodian, spec).error().kind, ErrorKind::kInvalidArgument);
}

TEST_F(DocumentsTest, S5_UploadsMakeVersionsAndOldOnesStayWithTheCustodian) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_EQ(docs.upload(custodian, v.doc.id, "text/plain", text("one"))->version, 1u);
  ASSERT_EQ(docs.upload(custodian, v.doc.id, "text/plain", text("two"))->version, 2u);
  EXPECT_EQ(marking::strip_fingerprint(read_all(reader, v.doc.id)), "two");
  EXPECT_EQ(marking::strip_fingerprint(read_all(custodian, v.doc.id, 1)), "one");
  auto old = docs.open_content(reader, v.doc.id, 1);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(docs.open_content(custodian, v.doc.id, 9).error().kind, ErrorKind::kNotFound);
  // Readers may not upload.
  EXPECT_EQ(docs.upload(reader, v.doc.id, "text/plain", text("x")).error().kind,
            ErrorKind::kForbidden);
}

TEST_F(DocumentsTest, FailedUploadLeavesNothingBehind) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_TRUE(docs.upload(custodian, v.doc.id, "text/plain", text("kept")).ok());
  std::uint64_t sent = 0;
  auto broken = [&](std::uint8_t* buf, std::size_t n) -> Result<std::size_t> {
    if (sent > 3 * kChunk)
      return Error{ErrorKind::kInvalidArgument, "client_gone", "connection lost", {}};
    std::memset(buf, 'x', n);
    sent += n;
    return n;
  };
  auto r = docs.upload(custodian, v.doc.id, "text/plain", broken);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "client_gone");
  EXPECT_EQ(marking::strip_fingerprint(read_all(reader, v.doc.id)), "kept");
  ASSERT_TRUE(t.store()
                  .read([&](storage::ReadTx& tx) -> Result<void> {
                    BAOMI_ASSIGN_OR_RETURN(
                        auto pending, barrier::EngineAccess::with(tx, [&](barrier::ReadTx& sealed) {
                          return DocumentRepository(t.rt()).find_version(sealed, v.doc.id, 2);
                        }));
                    EXPECT_FALSE(pending.has_value()) << "the abandoned version is removed";
                    Bytes chunk;
                    EXPECT_FALSE(barrier::read_chunk(tx, v.doc.id, 2, 0, chunk).ok());
                    return {};
                  })
                  .ok());
  // And the next upload gets version 2.
  EXPECT_EQ(docs.upload(custodian, v.doc.id, "text/plain", text("next"))->version, 2u);
}

TEST_F(DocumentsTest, UploadOverTheLimitIsTooLarge) {
  policy::PolicyData data;
  data.limits.max_upload_bytes = kChunk + 10;
  TestRuntime small(data);
  auto c = small.user("c", Role::kCustodian, Level::kSecret);
  Documents d(small.rt());
  auto v = d.create(c, {"t", "secret", {}, std::nullopt, std::nullopt, ""}).value();
  auto r = d.upload(c, v.doc.id, "application/octet-stream", generated(1, 2 * kChunk));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kTooLarge);
  EXPECT_TRUE(d.upload(c, v.doc.id, "application/octet-stream", generated(1, kChunk + 10)).ok());
}

// Edits the database file directly, as a thief or a failing disk would.
void exec_sql(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  sqlite3_busy_timeout(h, 5000);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(h);
}

// Where the sealed chunk `idx` lies (issue 14: a file beside the database, indexed by
// chunk_files): the file, the offset and the size.
struct ChunkAt {
  std::filesystem::path file;
  std::int64_t pos = 0, len = 0;
};
ChunkAt locate_chunk(const std::filesystem::path& db, int idx) {
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  EXPECT_EQ(
      sqlite3_prepare_v2(h, "SELECT document_id, version, pos, len FROM chunk_files WHERE idx = ?",
                         -1, &s, nullptr),
      SQLITE_OK);
  sqlite3_bind_int(s, 1, idx);
  ChunkAt at;
  if (sqlite3_step(s) == SQLITE_ROW) {
    const std::string id(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    at.file = std::filesystem::path(db.string() + "-chunks") /
              storage::sqlite::ChunkFiles::file_name(
                  id, static_cast<std::uint64_t>(sqlite3_column_int64(s, 1)));
    at.pos = sqlite3_column_int64(s, 2);
    at.len = sqlite3_column_int64(s, 3);
  }
  sqlite3_finalize(s);
  sqlite3_close(h);
  EXPECT_FALSE(at.file.empty()) << "chunk " << idx << " is indexed";
  return at;
}

// Flips one bit of byte `pos` of the sealed chunk `idx`, in its chunk file.
void flip_chunk_byte(const std::filesystem::path& db, int idx, int pos) {
  const auto at = locate_chunk(db, idx);
  ASSERT_LT(pos, at.len);
  std::fstream f(at.file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at.pos + pos);
  char c = 0;
  f.get(c);
  f.seekp(at.pos + pos);
  f.put(static_cast<char>(c ^ 0x01));
  ASSERT_TRUE(f.good());
}

// Overwrites the sealed chunk `idx` with zeros, in its chunk file.
void zero_chunk(const std::filesystem::path& db, int idx) {
  const auto at = locate_chunk(db, idx);
  std::fstream f(at.file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(at.pos);
  const std::string zeros(static_cast<std::size_t>(at.len), '\0');
  f.write(zeros.data(), at.len);
  ASSERT_TRUE(f.good());
}

TEST_F(DocumentsTest, FlippedCiphertextByteIsAnIntegrityErrorAndAudited) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_TRUE(
      docs.upload(custodian, v.doc.id, "application/octet-stream", generated(7, 2 * kChunk + 5))
          .ok());
  flip_chunk_byte(t.dir() / "baomi.db", 0, 99);
  auto view = docs.open_content(reader, v.doc.id);
  ASSERT_FALSE(view.ok()) << "a damaged first chunk fails before any byte is served";
  EXPECT_EQ(view.error().kind, ErrorKind::kIntegrity);
  EXPECT_GE(audit_count("document.integrity_failure", "error"), 1);
}

TEST_F(DocumentsTest, DamageInALaterChunkStopsTheStream) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_TRUE(
      docs.upload(custodian, v.doc.id, "application/octet-stream", generated(9, 3 * kChunk)).ok());
  zero_chunk(t.dir() / "baomi.db", 2);
  auto view = docs.open_content(reader, v.doc.id);
  ASSERT_TRUE(view.ok());
  std::uint64_t delivered = 0;
  auto r = (*view)->stream([&](Bytes& piece) -> Result<void> {
    delivered += piece.size();
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIntegrity);
  EXPECT_EQ(delivered, 2 * kChunk) << "only authenticated chunks were delivered";
}

// ---- S7: text views carry their view id as an invisible fingerprint ----

// UTF-8 prose of at least `size` bytes, Chinese and ASCII: kChunk is not a multiple of 3, so
// chunk boundaries fall inside characters.
std::string prose(std::size_t size) {
  std::string s;
  for (int i = 0; s.size() < size; ++i) {
    s += "第" + std::to_string(i) + "段：客户资料与交接记录均属秘密，不得外传。 Paragraph " +
         std::to_string(i) + " says customer records stay secret.\n";
  }
  return s;
}

// The 64-bit view number behind a view id of 16 lowercase hex digits.
std::optional<std::uint64_t> view_number_of(const std::string& view_id) {
  if (view_id.size() != 16 || view_id.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return std::nullopt;
  }
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(view_id.data(), view_id.data() + view_id.size(), n, 16);
  if (ec != std::errc() || end != view_id.data() + view_id.size()) return std::nullopt;
  return n;
}

bool symbol_at(std::string_view s, std::size_t i) {
  return i + 3 <= s.size() && s.compare(i, 2, "\xEF\xB8") == 0 &&
         (static_cast<unsigned char>(s[i + 2]) & 0xFC) == 0x84;
}
bool starts_code_point(std::string_view s, std::size_t i) {
  return (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// What a reader pasting `chars` characters (white space counted, fingerprint symbols not) of a
// marked text from about byte `from` on would produce after re-wrapping them: each space doubled,
// each line break a space, and a new line every 37 characters.
std::string rewrapped_excerpt(std::string_view marked, std::size_t from, std::size_t chars) {
  while (from < marked.size() && (!starts_code_point(marked, from) || symbol_at(marked, from))) {
    ++from;
  }
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = from; i < marked.size();) {
    if (symbol_at(marked, i)) {
      out.append(marked.substr(i, 3));
      i += 3;
      continue;
    }
    if (n == chars) break;
    std::size_t len = 1;
    while (i + len < marked.size() && !starts_code_point(marked, i + len)) ++len;
    if (n > 0 && n % 37 == 0) out += '\n';
    if (marked[i] == ' ') {
      out += "  ";
    } else if (marked[i] == '\n') {
      out += ' ';
    } else {
      out.append(marked.substr(i, len));
    }
    ++n;
    i += len;
  }
  EXPECT_EQ(n, chars) << "the marked text ended before the excerpt did";
  return out;
}

TEST_F(DocumentsTest, TextViewFingerprintNamesItsViewEvenInAnExcerpt_S7) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  const std::string original = prose(2 * kChunk + 1000);  // three chunks
  ASSERT_TRUE(docs.upload(custodian, v.doc.id, "text/plain; charset=utf-8", text(original)).ok());
  const auto& key = t.rt().barrier.view_fingerprint_key();
  std::set<std::uint64_t> numbers;
  for (int n = 0; n < 2; ++n) {  // two views by the same reader
    auto view = docs.open_content(reader, v.doc.id);
    ASSERT_TRUE(view.ok()) << view.error().code;
    EXPECT_TRUE((*view)->fingerprinted());
    const auto number = view_number_of((*view)->view_id());
    ASSERT_TRUE(number.has_value()) << "view id " << (*view)->view_id();
    EXPECT_TRUE(numbers.insert(*number).second) << "two views with the same id";
    std::string body;
    ASSERT_TRUE((*view)
                    ->stream([&](Bytes& piece) -> Result<void> {
                      body.append(reinterpret_cast<const char*>(piece.data()), piece.size());
                      return {};
                    })
                    .ok());
    // The view says exactly what was uploaded, with one symbol after each visible character;
    // streamed chunk by chunk, it is byte for byte the whole text marked at once.
    EXPECT_EQ(marking::strip_fingerprint(body), original);
    EXPECT_EQ(marking::fingerprint_symbol_count(body), marking::visible_length(original));
    EXPECT_TRUE(body == marking::embed_fingerprint(original, *number, key).value())
        << "the streamed view differs from the text marked as a whole";
    // The symbols name this view, under the view key only, and nothing else.
    EXPECT_EQ(marking::decode_fingerprint(body, key), number);
    const auto found = marking::find_fingerprints(body, key);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].payload, *number);
    EXPECT_FALSE(
        marking::decode_fingerprint(body, t.rt().barrier.copy_fingerprint_key()).has_value());
    // So does any 200-character excerpt, re-wrapped, from anywhere in the view (also across
    // the chunk boundaries).
    for (std::size_t k = 0; k <= 8; ++k) {
      const std::size_t from = k * (body.size() - 4096) / 8;
      const auto excerpt = rewrapped_excerpt(body, from, 200);
      EXPECT_EQ(marking::decode_fingerprint(excerpt, key), number) << "excerpt at byte " << from;
    }
  }
  EXPECT_EQ(numbers.size(), 2u);
}

TEST_F(DocumentsTest, TextUploadsMustBeWellFormedUtf8_S7) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_TRUE(docs.upload(custodian, v.doc.id, "text/plain", text("kept")).ok());
  const std::vector<std::string> malformed{
      "GBK \xC4\xE3\xBA\xC3",                   // another encoding
      "stray \xFF byte",                        // never in UTF-8
      "overlong \xC0\xAF",                      // overlong form of '/'
      "surrogate \xED\xA0\x80",                 // UTF-16 surrogate
      "cut off \xE6\x9C",                       // ends inside a sequence
      prose(kChunk + 100) + "\xFF late fault",  // in the second chunk, the first one stored
  };
  for (const auto& bad : malformed) {
    for (const char* type : {"text/plain", "text/csv; charset=utf-8", "TEXT/HTML"}) {
      SCOPED_TRACE(std::string(type) + " " + bad.substr(0, 20));
      auto r = docs.upload(custodian, v.doc.id, type, text(bad));
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(r.error().code, "invalid_text");
      EXPECT_EQ(r.error().kind, ErrorKind::kUnsupportedMedia);
      // No version is left behind, not even a pending one or a stored chunk.
      ASSERT_TRUE(t.store()
                      .read([&](storage::ReadTx& tx) -> Result<void> {
                        BAOMI_ASSIGN_OR_RETURN(
                            auto pending,
                            barrier::EngineAccess::with(tx, [&](barrier::ReadTx& sealed) {
                              return DocumentRepository(t.rt()).find_version(sealed, v.doc.id, 2);
                            }));
                        EXPECT_FALSE(pending.has_value()) << "the refused version is removed";
                        Bytes chunk;
                        EXPECT_FALSE(barrier::read_chunk(tx, v.doc.id, 2, 0, chunk).ok());
                        return {};
                      })
                      .ok());
    }
  }
  EXPECT_EQ(docs.get(reader, v.doc.id)->doc.current_version, 1u);
  EXPECT_EQ(marking::strip_fingerprint(read_all(reader, v.doc.id)), "kept");
  int refusals = 0;
  for (const auto& row : t.audit_rows()) {
    refusals += row.action == "document.upload" && row.decision == "error" &&
                row.detail.find("invalid_text") != std::string::npos;
  }
  EXPECT_EQ(refusals, static_cast<int>(3 * malformed.size())) << "each refusal is on the record";
  // The same bytes are accepted as binary, which is served unchanged and unmarked.
  std::uint64_t version = 1;
  for (const auto& bad : malformed) {
    auto up = docs.upload(custodian, v.doc.id, "application/octet-stream", text(bad));
    ASSERT_TRUE(up.ok()) << up.error().message;
    EXPECT_EQ(up->version, ++version);
    auto view = docs.open_content(reader, v.doc.id);
    ASSERT_TRUE(view.ok());
    EXPECT_FALSE((*view)->fingerprinted());
    EXPECT_TRUE(read_all(reader, v.doc.id) == bad) << "binary content was altered";
  }
}

TEST_F(DocumentsTest, FailClosedWhenTheAuditTrailCannotRecord) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_TRUE(docs.upload(custodian, v.doc.id, "text/plain", text("secret")).ok());
  exec_sql(
      t.dir() / "baomi.db",
      "CREATE TRIGGER fail_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'down'); END");
  auto created = docs.create(custodian, {"new", "secret", {}, std::nullopt, std::nullopt, ""});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, ErrorKind::kUnavailable);
  auto read = docs.open_content(reader, v.doc.id);
  ASSERT_FALSE(read.ok()) << "no content leaves without a durable audit entry";
  EXPECT_EQ(read.error().kind, ErrorKind::kUnavailable);
  exec_sql(t.dir() / "baomi.db", "DROP TRIGGER fail_audit");
  auto page = docs.list(custodian, "", 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 1u) << "the refused create left no document";
  EXPECT_TRUE(t.verify().ok);
}

TEST_F(DocumentsTest, ListShowsOnlyWhatOneMayKnowAndPages) {
  for (int i = 0; i < 3; ++i) create(Level::kSecret, {"contracts_customers"});
  for (int i = 0; i < 2; ++i) create(Level::kTopSecret, {});
  create(Level::kInternal, {});
  auto page = docs.list(reader, "", 100);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->items.size(), 4u);
  for (const auto& item : page->items) EXPECT_NE(item.doc.level, Level::kTopSecret);
  auto first = docs.list(custodian, "", 4).value();
  ASSERT_EQ(first.items.size(), 4u);
  ASSERT_TRUE(first.next_cursor.has_value());
  auto second = docs.list(custodian, *first.next_cursor, 4).value();
  EXPECT_EQ(second.items.size(), 2u);
}

TEST_F(DocumentsTest, TitlesAndContentNeverReachStorageInClear) {
  const std::string marker = "MARKER-7f3a9c-机密标记";
  DocumentSpec spec{marker, "secret", {"contracts_customers"}, std::nullopt, std::nullopt, marker};
  auto v = docs.create(custodian, spec).value();
  ASSERT_TRUE(docs.upload(custodian, v.doc.id, "text/plain", text(marker + marker)).ok());
  (void)docs.get(reader, v.doc.id);
  t.store().close();
  for (const auto& entry : std::filesystem::recursive_directory_iterator(t.dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("MARKER-7f3a9c"), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find("机密标记"), std::string::npos) << entry.path();
  }
}

TEST_F(DocumentsTest, AuditChainVerifiesAfterAMixedWorkload) {
  auto v = create(Level::kSecret, {"contracts_customers"});
  ASSERT_TRUE(docs.upload(custodian, v.doc.id, "text/plain", text("a")).ok());
  for (int i = 0; i < 25; ++i) {
    (void)docs.get(i % 2 ? reader : low, v.doc.id);
    (void)docs.open_content(i % 3 ? reader : outsider, v.doc.id);
  }
  auto report = t.verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_GE(report.entries, 50u);
  EXPECT_GE(report.checkpoints_verified, 5u) << "checkpoints every 10 entries in the fixture";
}

}  // namespace
}  // namespace baomi::services
