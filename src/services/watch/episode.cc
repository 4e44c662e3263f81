#include "services/watch/episode.h"

#include <boost/json.hpp>

#include "audit/detail.h"
#include "crypto/random.h"
#include "services/workflow/json_fields.h"

namespace baomi::services::watch {
namespace {

namespace json = boost::json;

// The first seqs of the episode stay (where it began), then the newest: within kMaxAlertSeqs.
std::vector<std::uint64_t> merged_seqs(std::vector<std::uint64_t> old,
                                       const std::vector<std::uint64_t>& fresh) {
  for (auto seq : fresh) {
    if (std::find(old.begin(), old.end(), seq) == old.end()) old.push_back(seq);
  }
  if (old.size() <= kMaxAlertSeqs) return old;
  constexpr std::size_t kHead = kMaxAlertSeqs / 2;
  std::vector<std::uint64_t> out(old.begin(), old.begin() + kHead);
  out.insert(out.end(), old.end() - static_cast<std::ptrdiff_t>(kMaxAlertSeqs - kHead), old.end());
  return out;
}

std::vector<std::uint64_t> bounded(const std::vector<std::uint64_t>& seqs) {
  return merged_seqs({}, seqs);
}

// Updates the alert of a running episode when it is still open; false when it is not.
Result<bool> update_open(barrier::WriteTx& tx, const SealedObjects& objects,
                         const std::string& alert_id, const Crossing& crossing, TimePoint now) {
  BAOMI_ASSIGN_OR_RETURN(auto object, objects.get(tx, std::string(kAlertKind), alert_id));
  if (!object) return false;
  BAOMI_ASSIGN_OR_RETURN(auto alert, alert_from_object(*object));
  if (alert.state != "open") return false;
  alert.detail = crossing.detail;
  alert.audit_seqs = merged_seqs(std::move(alert.audit_seqs), crossing.seqs);
  auto updated = to_object(alert);
  updated.revision = object->revision;
  updated.created_at = object->created_at;
  updated.updated_at = now;
  BAOMI_TRY(objects.update(tx, updated));
  return true;
}

}  // namespace

Result<std::optional<audit::AuditEvent>> raise_or_update(barrier::WriteTx& tx,
                                                         const SealedObjects& objects,
                                                         Episode& episode, const Crossing& crossing,
                                                         TimePoint now, TimePoint until) {
  const bool running = !episode.alert_id.empty() && episode.until_us > to_micros(now);
  if (running) {
    BAOMI_ASSIGN_OR_RETURN(const bool updated,
                           update_open(tx, objects, episode.alert_id, crossing, now));
    if (updated) {
      episode.until_us = to_micros(until);
      return std::optional<audit::AuditEvent>();
    }
  }
  Alert alert;
  alert.id = crypto::random_id();
  alert.type = crossing.type;
  alert.raised_by = crossing.account;
  alert.target = crossing.target.empty() ? "account:" + crossing.account : crossing.target;
  alert.detail = crossing.detail;
  alert.audit_seqs = bounded(crossing.seqs);
  alert.at = now;
  auto object = to_object(alert);
  BAOMI_TRY(objects.insert(tx, object));
  episode = {alert.id, to_micros(until)};
  audit::Detail detail;
  detail.add("type", alert.type).add("alert_id", alert.id).add("count", crossing.count);
  if (crossing.window.count() > 0) detail.add("window_s", crossing.window.count());
  return std::optional<audit::AuditEvent>(
      audit::AuditEvent{"system", "alert.raise", *alert.target, "allow", crossing.rule, detail});
}

json::object to_json(const Episode& e) {
  return json::object{{"alert_id", e.alert_id}, {"until", e.until_us}};
}

Result<Episode> episode_from(const json::value* stored) {
  Episode e;
  if (!stored) return e;
  BodyReader r(*stored);
  BAOMI_ASSIGN_OR_RETURN(e.alert_id, r.string("alert_id"));
  BAOMI_ASSIGN_OR_RETURN(auto until, r.time("until"));
  e.until_us = to_micros(until);
  return e;
}

json::object to_json(const std::map<std::string, Episode>& episodes) {
  json::object out;
  for (const auto& [type, e] : episodes) out[type] = to_json(e);
  return out;
}

Result<std::map<std::string, Episode>> episodes_from(const json::value* stored) {
  std::map<std::string, Episode> out;
  if (!stored) return out;
  if (!stored->is_object()) return Error::integrity("a stored watch count is damaged");
  for (const auto& [type, e] : stored->as_object()) {
    BAOMI_ASSIGN_OR_RETURN(out[std::string(type)], episode_from(&e));
  }
  return out;
}

StoredObject& count_record(std::optional<StoredObject>& stored, std::string_view kind,
                           const std::string& account, TimePoint now) {
  if (!stored) {
    StoredObject o;
    o.kind = std::string(kind);
    o.id = account;
    o.state = "counting";
    o.owner_id = account;
    o.created_at = now;
    stored = std::move(o);
  }
  stored->updated_at = now;
  return *stored;
}

Result<void> put_count(barrier::WriteTx& tx, const SealedObjects& objects, StoredObject& record) {
  return record.revision == 0 ? objects.insert(tx, record) : objects.update(tx, record);
}

}  // namespace baomi::services::watch
