#include "services/handovers/slip_store.h"

#include "services/handovers/slip_codec.h"
#include "services/handovers/slip_rules.h"

namespace baomi::services {
namespace {

constexpr std::string_view kNone = "-";

std::string owner_of(const std::string& id) { return "handover:" + id; }
std::string version_record(const std::string& id, std::uint64_t version) {
  return owner_of(id) + ":v" + std::to_string(version);
}

std::string_view as_text(const Bytes& b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

void append_opt(Bytes& out, const std::optional<std::int64_t>& v) {
  append_field(out, v ? std::to_string(*v) : std::string(kNone));
}

Bytes slip_fields(const storage::HandoverRow& r) {
  Bytes out;
  append_field(out, "handovers");
  append_field(out, r.id);
  append_field(out, r.author_id);
  append_field(out, r.shift_date);
  append_field(out, r.shift_name);
  append_field(out, r.state);
  append_u64(out, r.current_version);
  append_u64(out, static_cast<std::uint64_t>(r.created_at_us));
  append_u64(out, static_cast<std::uint64_t>(r.updated_at_us));
  append_u64(out, static_cast<std::uint64_t>(r.due_at_us));
  append_opt(out, r.confirmed_at_us);
  append_opt(out, r.retain_until_us);
  append_u64(out, r.hold ? 1 : 0);
  append_field(out, r.carried_from);
  append_field(out, r.alert_id);
  append_u64(out, r.revision);
  append_field(out, as_text(r.wrapped_key));
  append_field(out, as_text(r.sealed));
  return out;
}

Bytes version_fields(const storage::HandoverVersionRow& v) {
  Bytes out;
  append_field(out, "handover_versions");
  append_field(out, v.slip_id);
  append_u64(out, v.version);
  append_field(out, v.author_id);
  append_u64(out, static_cast<std::uint64_t>(v.created_at_us));
  append_field(out, v.content_hash);
  append_field(out, v.prev_hash);
  append_field(out, as_text(v.sealed));
  return out;
}

Bytes copy_fields(const storage::HandoverCopyRow& c) {
  Bytes out;
  append_field(out, "handover_copies");
  append_field(out, c.slip_id);
  append_u64(out, c.version);
  append_field(out, c.department);
  append_field(out, c.content_hash);
  append_field(out, c.acknowledged_by);
  append_opt(out, c.acknowledged_at_us);
  return out;
}

std::optional<std::int64_t> opt_micros(const std::optional<TimePoint>& t) {
  if (!t) return std::nullopt;
  return to_micros(*t);
}
std::optional<TimePoint> opt_time(const std::optional<std::int64_t>& us) {
  if (!us) return std::nullopt;
  return from_micros(*us);
}

storage::HandoverCopyRow copy_row(const SlipCopy& c, const std::string& slip_id) {
  storage::HandoverCopyRow row;
  row.slip_id = slip_id;
  row.version = c.version;
  row.department = c.department;
  row.content_hash = c.content_hash;
  row.acknowledged_by = c.acknowledged_by.value_or("");
  row.acknowledged_at_us = opt_micros(c.acknowledged_at);
  return row;
}

Result<boost::json::object> parse_object(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Error::integrity("a stored slip is malformed");
  return std::move(v.as_object());
}

}  // namespace

Result<crypto::SecretKey> SlipStore::key_of(const storage::HandoverRow& row) const {
  auto wrapped = barrier::decode_wrapped_key(row.wrapped_key);
  if (!wrapped.ok()) return Error::integrity("a stored data key is damaged");
  return rt_.barrier.unwrap(*wrapped, owner_of(row.id));
}

Result<storage::HandoverRow> SlipStore::seal_slip(const Slip& s, Bytes wrapped_key,
                                                  const crypto::SecretKey* key) const {
  storage::HandoverRow row;
  row.id = s.id;
  row.author_id = s.author_id;
  row.shift_date = s.shift_date;
  row.shift_name = s.shift_name;
  row.state = std::string(slip_state_name(s.state));
  row.current_version = s.current_version;
  row.created_at_us = to_micros(s.created_at);
  row.updated_at_us = to_micros(s.updated_at);
  row.due_at_us = to_micros(s.due_at);
  row.confirmed_at_us = opt_micros(s.confirmed_at);
  row.retain_until_us = opt_micros(s.retain_until);
  row.hold = s.hold;
  row.carried_from = s.carried_from;
  row.alert_id = s.alert_id;
  row.revision = s.revision;
  row.wrapped_key = std::move(wrapped_key);
  if (key) {
    row.sealed = rt_.barrier
                     .seal_field(*key, owner_of(s.id), "progress",
                                 boost::json::serialize(progress_to_json(s.progress)))
                     .bytes();
  }
  row.mac = rt_.barrier.row_mac(slip_fields(row));
  return row;
}

Result<Slip> SlipStore::open_slip(const storage::HandoverRow& row, bool open_progress) const {
  BAOMI_TRY(rt_.barrier.check_row_mac(slip_fields(row), row.mac));
  Slip s;
  s.id = row.id;
  s.author_id = row.author_id;
  s.shift_date = row.shift_date;
  s.shift_name = row.shift_name;
  auto state = slip_state_from_name(row.state);
  if (!state) return Error::integrity("a stored slip has an unknown state");
  s.state = *state;
  s.current_version = row.current_version;
  s.created_at = from_micros(row.created_at_us);
  s.updated_at = from_micros(row.updated_at_us);
  s.due_at = from_micros(row.due_at_us);
  s.confirmed_at = opt_time(row.confirmed_at_us);
  s.retain_until = opt_time(row.retain_until_us);
  s.hold = row.hold;
  s.carried_from = row.carried_from;
  s.alert_id = row.alert_id;
  s.revision = row.revision;
  if (open_progress && s.state != SlipState::kPurged) {
    BAOMI_ASSIGN_OR_RETURN(auto key, key_of(row));
    BAOMI_ASSIGN_OR_RETURN(auto text,
                           rt_.barrier.open_field(key, owner_of(s.id), "progress",
                                                  barrier::Sealed::from_storage(row.sealed)));
    BAOMI_ASSIGN_OR_RETURN(auto obj, parse_object(text));
    BAOMI_ASSIGN_OR_RETURN(s.progress, progress_from_json(obj));
  }
  return s;
}

Result<void> SlipStore::insert_version(storage::WriteTx& tx, const crypto::SecretKey& key,
                                       const SlipContent& c, const std::string& hash,
                                       const std::vector<std::string>& departments) const {
  storage::HandoverVersionRow v;
  v.slip_id = c.slip_id;
  v.version = c.version;
  v.author_id = c.author_id;
  v.created_at_us = to_micros(c.created_at);
  v.content_hash = hash;
  v.prev_hash = c.prev_hash;
  v.sealed = rt_.barrier
                 .seal_field(key, version_record(c.slip_id, c.version), "content",
                             boost::json::serialize(content_to_json(c)))
                 .bytes();
  v.mac = rt_.barrier.row_mac(version_fields(v));
  BAOMI_TRY(tx.insert_handover_version(v));
  // H1: one bound copy per receiving department, each carrying the same content hash.
  for (const auto& department : departments) {
    SlipCopy copy{c.version, department, hash, std::nullopt, std::nullopt};
    auto row = copy_row(copy, c.slip_id);
    row.mac = rt_.barrier.row_mac(copy_fields(row));
    BAOMI_TRY(tx.insert_handover_copy(row));
  }
  return {};
}

Result<void> SlipStore::insert(storage::WriteTx& tx, Slip& slip, const SlipContent& content,
                               const std::string& hash,
                               const std::vector<std::string>& departments) const {
  auto dek = rt_.barrier.new_data_key(owner_of(slip.id));
  slip.revision = 1;
  BAOMI_ASSIGN_OR_RETURN(auto row, seal_slip(slip, barrier::encode(dek.wrapped), &dek.key));
  BAOMI_TRY(tx.insert_handover(row));
  return insert_version(tx, dek.key, content, hash, departments);
}

Result<void> SlipStore::add_version(storage::WriteTx& tx, Slip& slip, const SlipContent& content,
                                    const std::string& hash,
                                    const std::vector<std::string>& departments) const {
  BAOMI_ASSIGN_OR_RETURN(auto current, tx.get_handover(slip.id));
  if (!current) return Error::not_found("handover slip not found");
  BAOMI_TRY(rt_.barrier.check_row_mac(slip_fields(*current), current->mac));
  BAOMI_ASSIGN_OR_RETURN(auto key, key_of(*current));
  BAOMI_TRY(insert_version(tx, key, content, hash, departments));
  return update(tx, slip);
}

Result<void> SlipStore::update(storage::WriteTx& tx, Slip& slip) const {
  BAOMI_ASSIGN_OR_RETURN(auto current, tx.get_handover(slip.id));
  if (!current) return Error::not_found("handover slip not found");
  BAOMI_TRY(rt_.barrier.check_row_mac(slip_fields(*current), current->mac));
  if (current->revision != slip.revision) {
    return Error::conflict("concurrent_update", "the slip was changed meanwhile");
  }
  BAOMI_ASSIGN_OR_RETURN(auto key, key_of(*current));
  ++slip.revision;
  auto row = seal_slip(slip, std::move(current->wrapped_key), &key);
  if (!row.ok()) {
    --slip.revision;
    return row.take_error();
  }
  auto updated = tx.update_handover(*row);
  if (!updated.ok()) --slip.revision;
  return updated;
}

Result<void> SlipStore::acknowledge(storage::WriteTx& tx, const std::string& slip_id,
                                    const SlipCopy& copy) const {
  auto row = copy_row(copy, slip_id);
  row.mac = rt_.barrier.row_mac(copy_fields(row));
  return tx.acknowledge_handover_copy(row);
}

Result<void> SlipStore::purge(storage::WriteTx& tx, Slip& slip, TimePoint now) const {
  BAOMI_ASSIGN_OR_RETURN(auto versions, tx.list_handover_versions(slip.id));
  for (auto& v : versions) {
    BAOMI_TRY(rt_.barrier.check_row_mac(version_fields(v), v.mac));
    v.sealed.clear();
    v.mac = rt_.barrier.row_mac(version_fields(v));
    BAOMI_TRY(tx.shred_handover_version(v));
  }
  BAOMI_ASSIGN_OR_RETURN(auto current, tx.get_handover(slip.id));
  if (!current) return Error::not_found("handover slip not found");
  BAOMI_TRY(rt_.barrier.check_row_mac(slip_fields(*current), current->mac));
  // H3: without its data key nothing sealed under it can ever be opened again.
  slip.state = SlipState::kPurged;
  slip.updated_at = now;
  slip.progress = {};
  ++slip.revision;
  BAOMI_ASSIGN_OR_RETURN(auto row, seal_slip(slip, {}, nullptr));
  return tx.update_handover(row);
}

Result<std::optional<Slip>> SlipStore::get(storage::ReadTx& tx, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_handover(id));
  if (!row) return std::optional<Slip>();
  BAOMI_ASSIGN_OR_RETURN(auto slip, open_slip(*row, true));
  return std::optional<Slip>(std::move(slip));
}

Result<std::vector<Slip>> SlipStore::list(storage::ReadTx& tx,
                                          const storage::HandoverQuery& q) const {
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.list_handovers(q));
  std::vector<Slip> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    BAOMI_ASSIGN_OR_RETURN(auto slip, open_slip(row, false));
    out.push_back(std::move(slip));
  }
  return out;
}

Result<std::vector<SlipVersion>> SlipStore::versions(storage::ReadTx& tx, const Slip& slip,
                                                     bool open_content) const {
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.list_handover_versions(slip.id));
  std::optional<crypto::SecretKey> key;
  if (open_content && slip.state != SlipState::kPurged) {
    BAOMI_ASSIGN_OR_RETURN(auto row, tx.get_handover(slip.id));
    if (!row) return Error::not_found("handover slip not found");
    BAOMI_TRY(rt_.barrier.check_row_mac(slip_fields(*row), row->mac));
    BAOMI_ASSIGN_OR_RETURN(auto k, key_of(*row));
    key.emplace(std::move(k));
  }
  std::vector<SlipVersion> out;
  for (const auto& v : rows) {
    BAOMI_TRY(rt_.barrier.check_row_mac(version_fields(v), v.mac));
    SlipVersion sv{v.version,      v.author_id, from_micros(v.created_at_us),
                   v.content_hash, v.prev_hash, std::nullopt};
    if (key) {
      BAOMI_ASSIGN_OR_RETURN(
          auto text, rt_.barrier.open_field(*key, version_record(slip.id, v.version), "content",
                                            barrier::Sealed::from_storage(v.sealed)));
      BAOMI_ASSIGN_OR_RETURN(auto obj, parse_object(text));
      BAOMI_ASSIGN_OR_RETURN(auto content, content_from_json(obj));
      // H1: the content must still hash to what was recorded at issue.
      if (content_hash(content) != v.content_hash) {
        return Error::integrity("a slip's content does not match its recorded hash");
      }
      sv.content = std::move(content);
    }
    out.push_back(std::move(sv));
  }
  return out;
}

Result<std::vector<SlipCopy>> SlipStore::copies(storage::ReadTx& tx, const std::string& id) const {
  BAOMI_ASSIGN_OR_RETURN(auto rows, tx.list_handover_copies(id));
  std::vector<SlipCopy> out;
  for (const auto& c : rows) {
    BAOMI_TRY(rt_.barrier.check_row_mac(copy_fields(c), c.mac));
    out.push_back(
        {c.version, c.department, c.content_hash,
         c.acknowledged_by.empty() ? std::nullopt : std::optional<std::string>(c.acknowledged_by),
         opt_time(c.acknowledged_at_us)});
  }
  return out;
}

}  // namespace baomi::services
