#include "services/watch/read_watch.h"

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "crypto/random.h"
#include "services/customers/watch.h"
#include "services/documents/document_repository.h"
#include "services/watch/episode.h"
#include "services/watch/off_hours.h"
#include "services/workflow/json_fields.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {
namespace {

namespace json = boost::json;
using watch::Crossing;
using watch::Episode;

constexpr std::string_view kCountsKind = "read_watch";
constexpr std::size_t kIdsNamed = 10;
constexpr std::string_view kDocumentPrefix = "document:";

// One distinct document read within the bulk window: its id, latest read's seq and time.
struct Read {
  std::string document;
  std::uint64_t seq = 0;
  std::int64_t at_us = 0;
};

// A run of counted acts that ends at a fixed time: an off-hours shift, a local day.
struct Stretch {
  std::int64_t until_us = 0;
  std::uint64_t count = 0;
  std::vector<std::uint64_t> seqs;   // the first threshold + 1 and the newest, bounded
  std::vector<std::string> targets;  // ids, first kIdsNamed
};

struct Counts {
  std::optional<StoredObject> stored;
  std::vector<Read> reads;  // distinct documents within the bulk window, oldest first
  std::uint64_t reads_total = 0;
  std::vector<std::string> categories;  // every category the account ever read (policy names)
  Stretch off_hours;
  Stretch volume;
  std::map<std::string, Episode> episodes;  // alert type -> its episode
};

Result<std::vector<std::string>> watch_strings(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  const auto* list = o.if_contains(key);
  if (!list || !list->is_array()) return Error::integrity("a stored read count is damaged");
  for (const auto& item : list->as_array()) {
    if (!item.is_string()) return Error::integrity("a stored read count is damaged");
    out.emplace_back(item.as_string());
  }
  return out;
}

Result<Stretch> stretch_from(const json::value* v) {
  Stretch s;
  if (!v) return s;
  if (!v->is_object()) return Error::integrity("a stored read count is damaged");
  BodyReader r(*v);
  BAOMI_ASSIGN_OR_RETURN(auto until, r.time("until"));
  s.until_us = to_micros(until);
  BAOMI_ASSIGN_OR_RETURN(s.count, r.unsigned_integer("count"));
  BAOMI_ASSIGN_OR_RETURN(s.seqs, r.unsigned_list("seqs"));
  BAOMI_ASSIGN_OR_RETURN(s.targets, watch_strings(v->as_object(), "targets"));
  return s;
}

json::object to_json(const Stretch& s) {
  return json::object{{"until", s.until_us},
                      {"count", s.count},
                      {"seqs", json::value_from(s.seqs)},
                      {"targets", json::value_from(s.targets)}};
}

}  // namespace

// Each account's counts as decoded from its stored record, under the MAC of the write they came
// from (issue 11: the watch must stay in the noise of a read). The record ledger says which write
// of the record is the latest (SealedObjects::latest_write, one indexed lookup); kept counts are
// used only while it names the same MAC, so a write by another process, or a job of this one
// that failed after writing the counts, is decoded afresh from the store. Handed out shared and
// never changed: an act that changes the counts works on its own copy. Bounded: forgotten all at
// once beyond kMaxAccounts.
class KeptCounts {
 public:
  std::shared_ptr<const Counts> find(const std::string& account, const std::string& mac) {
    std::lock_guard lock(mu_);
    auto it = by_account_.find(account);
    if (it == by_account_.end() || it->second.mac != mac) return nullptr;
    ++stats_.kept;
    return it->second.counts;
  }
  void note_decoded() {
    std::lock_guard lock(mu_);
    ++stats_.decoded;
  }
  void keep(const std::string& account, std::string mac, std::shared_ptr<const Counts> counts) {
    std::lock_guard lock(mu_);
    if (by_account_.size() >= kMaxAccounts && !by_account_.contains(account)) by_account_.clear();
    by_account_.insert_or_assign(account, Kept{std::move(mac), std::move(counts)});
  }
  ReadWatchStats stats() const {
    std::lock_guard lock(mu_);
    return stats_;
  }

 private:
  static constexpr std::size_t kMaxAccounts = 4096;
  struct Kept {
    std::string mac;
    std::shared_ptr<const Counts> counts;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::string, Kept> by_account_;
  ReadWatchStats stats_;
};

namespace {

Result<Counts> decode(barrier::WriteTx& tx, const SealedObjects& objects, const std::string& id) {
  Counts c;
  BAOMI_ASSIGN_OR_RETURN(c.stored, objects.get(tx, std::string(kCountsKind), id));
  if (!c.stored) return c;
  const auto& body = c.stored->body;
  const auto* reads = body.if_contains("reads");
  const auto* episodes = body.if_contains("episodes");
  if (!reads || !reads->is_array() || !episodes || !episodes->is_object()) {
    return Error::integrity("a stored read count is damaged");
  }
  for (const auto& item : reads->as_array()) {
    BodyReader r(item);
    Read read;
    BAOMI_ASSIGN_OR_RETURN(read.document, r.string("document"));
    BAOMI_ASSIGN_OR_RETURN(read.seq, r.unsigned_integer("seq"));
    BAOMI_ASSIGN_OR_RETURN(auto at, r.time("at"));
    read.at_us = to_micros(at);
    c.reads.push_back(std::move(read));
  }
  BodyReader r(body);
  BAOMI_ASSIGN_OR_RETURN(c.reads_total, r.unsigned_integer("reads_total"));
  BAOMI_ASSIGN_OR_RETURN(c.categories, watch_strings(body, "categories"));
  BAOMI_ASSIGN_OR_RETURN(c.off_hours, stretch_from(body.if_contains("off_hours")));
  BAOMI_ASSIGN_OR_RETURN(c.volume, stretch_from(body.if_contains("volume")));
  BAOMI_ASSIGN_OR_RETURN(c.episodes, watch::episodes_from(episodes));
  return c;
}

Result<void> save_read_counts(barrier::WriteTx& tx, const SealedObjects& objects, Counts& c,
                              const std::string& id, TimePoint now) {
  json::array reads;
  for (const auto& read : c.reads) {
    reads.push_back(
        json::object{{"document", read.document}, {"seq", read.seq}, {"at", read.at_us}});
  }
  auto& body = watch::count_record(c.stored, kCountsKind, id, now).body;
  body["reads"] = std::move(reads);
  body["reads_total"] = c.reads_total;
  body["categories"] = json::value_from(c.categories);
  body["off_hours"] = to_json(c.off_hours);
  body["volume"] = to_json(c.volume);
  body["episodes"] = watch::to_json(c.episodes);
  return watch::put_count(tx, objects, *c.stored);
}

std::string named(const std::vector<std::string>& ids, std::uint64_t total) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < kIdsNamed; ++i) out += (i ? ", " : "") + ids[i];
  if (total > ids.size()) out += " and " + std::to_string(total - ids.size()) + " more";
  return out;
}

// Counts one act into a stretch that ends at `until`; a new stretch when the old one ended.
void count_into(Stretch& s, TimePoint now, TimePoint until, std::uint64_t seq,
                const std::string& target, std::size_t keep) {
  if (s.until_us <= to_micros(now)) s = Stretch{to_micros(until), 0, {}, {}};
  ++s.count;
  s.seqs.push_back(seq);
  if (s.seqs.size() > keep) s.seqs.erase(s.seqs.begin() + static_cast<std::ptrdiff_t>(keep / 2));
  if (s.targets.size() < kIdsNamed &&
      std::find(s.targets.begin(), s.targets.end(), target) == s.targets.end()) {
    s.targets.push_back(target);
  }
}

class Counting {
 public:
  Counting(const auth::Runtime& rt, barrier::WriteTx& tx, const audit::AuditEvent& event,
           TimePoint now)
      : rt_(rt), tx_(tx), event_(event), now_(now), objects_(rt) {}

  // The counts as of the record's latest write: the kept ones while the ledger names the write
  // they were decoded from, else decoded from the store (and kept).
  Result<void> load(KeptCounts& kept) {
    const std::string kind(kCountsKind);
    BAOMI_ASSIGN_OR_RETURN(const auto latest, objects_.latest_write(tx_, kind, event_.actor));
    const bool has_write = latest && !latest->empty();
    if (has_write) base_ = kept.find(event_.actor, *latest);
    if (base_) return {};
    BAOMI_ASSIGN_OR_RETURN(auto decoded, decode(tx_, objects_, event_.actor));
    kept.note_decoded();
    base_ = std::make_shared<const Counts>(std::move(decoded));
    if (has_write && base_->stored) kept.keep(event_.actor, *latest, base_);
    return {};
  }
  // Written only when this act changed the counts (most re-reads change nothing), in the job of
  // the act's own audit entry; kept under the new write's MAC, which the ledger names only once
  // this job has committed.
  Result<void> save(KeptCounts& kept) {
    if (!changed_) return {};
    BAOMI_TRY(services::save_read_counts(tx_, objects_, *changed_, event_.actor, now_));
    const std::string kind(kCountsKind);
    BAOMI_ASSIGN_OR_RETURN(const auto written, objects_.latest_write(tx_, kind, event_.actor));
    if (written && !written->empty()) {
      kept.keep(event_.actor, *written, std::make_shared<const Counts>(std::move(*changed_)));
    }
    return {};
  }
  std::vector<audit::AuditEvent>& follow_ups() { return follow_ups_; }

  // C4, S6: distinct documents within the window. A document counts from its first read for one
  // window; re-reading it meanwhile changes nothing, so the record is written only when a new
  // document is read or one leaves the window (most reads are re-reads: cheap).
  Result<void> bulk_read(const std::string& document) {
    const auto& w = rt_.policy.watch();
    const auto since = to_micros(now_ - w.bulk_read_window);
    const auto expired = [since](const Read& r) { return r.at_us <= since; };
    if (std::any_of(counts().reads.begin(), counts().reads.end(), expired)) {
      std::erase_if(change().reads, expired);
    }
    if (w.bulk_read_documents == 0) return {};
    seen_before_ = std::any_of(counts().reads.begin(), counts().reads.end(),
                               [&](const Read& r) { return r.document == document; });
    if (seen_before_) return {};
    BAOMI_ASSIGN_OR_RETURN(const auto seq, this->seq());
    auto& reads = change().reads;
    reads.push_back({document, seq, to_micros(now_)});
    const auto threshold = static_cast<std::size_t>(w.bulk_read_documents);
    if (reads.size() > threshold + 1) {
      reads.erase(reads.begin(), reads.end() - static_cast<std::ptrdiff_t>(threshold + 1));
    }
    if (reads.size() <= threshold) return {};
    Crossing c{"bulk_read_documents", "C4", event_.actor, "", {}, reads.size(), w.bulk_read_window};
    std::vector<std::string> ids;
    for (auto it = reads.rbegin(); it != reads.rend(); ++it) {
      ids.push_back(std::string(kDocumentPrefix) + it->document);
    }
    for (const auto& r : reads) c.seqs.push_back(r.seq);
    c.detail = std::to_string(reads.size()) + " distinct documents read within " +
               customers::window_text(w.bulk_read_window) +
               "; documents: " + named(ids, ids.size());
    return cross(c, now_ + w.bulk_read_window);
  }

  // S6: the first read of a category, once the account has habits to be judged by.
  Result<void> first_category(const std::string& document) {
    const auto& w = rt_.policy.watch();
    if (!w.first_category) return {};
    // The reads that give an account habits; counted up to the threshold only (then fixed).
    const auto read_before = counts().reads_total;
    if (read_before < static_cast<std::uint64_t>(w.first_category_after_reads)) {
      ++change().reads_total;
    }
    // A document read within the bulk window had its categories noted at its first read.
    if (seen_before_) return {};
    BAOMI_ASSIGN_OR_RETURN(auto doc, DocumentRepository(rt_).find(tx_, document));
    if (!doc) return {};
    std::vector<std::string> fresh;
    for (auto& name : rt_.policy.category_names(doc->categories)) {
      const auto& known = counts().categories;
      if (std::find(known.begin(), known.end(), name) == known.end()) fresh.push_back(name);
    }
    if (fresh.empty()) return {};
    const auto known_before = counts().categories.size();
    auto& categories = change().categories;
    categories.insert(categories.end(), fresh.begin(), fresh.end());
    if (read_before < static_cast<std::uint64_t>(w.first_category_after_reads)) return {};
    BAOMI_ASSIGN_OR_RETURN(const auto seq, this->seq());
    Crossing c{"first_category", "C4", event_.actor, "", {seq}, categories.size(), {}};
    std::string names;
    for (const auto& n : fresh) names += (names.empty() ? "" : ", ") + n;
    c.detail = "first read in category " + names + " (" + std::string(kDocumentPrefix) + document +
               ") by an account that had read " + std::to_string(known_before) +
               " other categories in at least " + std::to_string(read_before) + " document reads";
    return cross(c, now_ + std::chrono::days{1});
  }

  Result<void> off_hours(const std::string& document) {
    const auto shift = watch::off_hours_at(rt_.policy, now_);
    if (!shift) return {};
    BAOMI_ASSIGN_OR_RETURN(const auto seq, this->seq());
    auto& s = change().off_hours;
    count_into(s, now_, shift->ends, seq, std::string(kDocumentPrefix) + document,
               watch::kMaxAlertSeqs);
    Crossing c{"off_hours", "C4", event_.actor, "", s.seqs, s.count, {}};
    // Distinct documents, the first kIdsNamed of them (the count is of reads).
    const bool more = s.targets.size() == kIdsNamed;
    c.detail = std::to_string(s.count) + " document read(s) during the " + shift->name +
               " shift (off hours) ending " + format_rfc3339(shift->ends) +
               "; documents: " + named(s.targets, s.targets.size()) + (more ? " and others" : "");
    return cross(c, shift->ends);
  }

  // S7: copy, print and excerpt requests per local day.
  Result<void> request_volume() {
    const auto limit = rt_.policy.watch().requests_per_day;
    if (limit == 0) return {};
    const auto day_end = watch::local_day_end(rt_.policy, now_);
    BAOMI_ASSIGN_OR_RETURN(const auto seq, this->seq());
    auto& s = change().volume;
    const auto keep =
        std::min<std::size_t>(static_cast<std::size_t>(limit) + 1, watch::kMaxAlertSeqs);
    count_into(s, now_, day_end, seq, event_.target, keep);
    if (s.count <= static_cast<std::uint64_t>(limit)) return {};
    Crossing c{"request_volume", "S7", event_.actor, "", s.seqs, s.count, std::chrono::days{1}};
    c.detail = std::to_string(s.count) + " copy, print and excerpt requests on " +
               watch::local_date(rt_.policy, now_) +
               " (centre time); requests: " + named(s.targets, s.count);
    return cross(c, day_end);
  }

 private:
  Result<void> cross(const Crossing& c, TimePoint until) {
    auto& episode = change().episodes[c.type];
    BAOMI_ASSIGN_OR_RETURN(auto raised,
                           watch::raise_or_update(tx_, objects_, episode, c, now_, until));
    if (raised) follow_ups_.push_back(std::move(*raised));
    return {};
  }

  // The counts as they stand in this act: loaded, or this act's changed copy.
  const Counts& counts() const { return changed_ ? *changed_ : *base_; }
  // The counts to change: a copy of the loaded ones, made at the first change (the loaded ones
  // may be kept and shared, and stay as they were if this job fails).
  Counts& change() {
    if (!changed_) changed_ = *base_;
    return *changed_;
  }
  // The seq this act's entry gets, read from the audit head only when a count names it.
  Result<std::uint64_t> seq() {
    if (!seq_) {
      BAOMI_ASSIGN_OR_RETURN(seq_, rt_.audit.next_seq(tx_));
    }
    return *seq_;
  }

  const auth::Runtime& rt_;
  barrier::WriteTx& tx_;
  const audit::AuditEvent& event_;
  TimePoint now_;
  std::optional<std::uint64_t> seq_;
  SealedObjects objects_;
  std::shared_ptr<const Counts> base_;
  std::optional<Counts> changed_;
  bool seen_before_ = false;  // the document was read within the bulk window already
  std::vector<audit::AuditEvent> follow_ups_;
};

bool is_document_read(const audit::AuditEvent& e) {
  return (e.action == "document.read_content" || e.action == "document.read_metadata") &&
         e.target.starts_with(kDocumentPrefix);
}

// S7: the request types that make a copy leave (export is C2's, counted by the customer watch).
bool is_copy_request(const audit::AuditEvent& e) {
  if (e.action != "request.create") return false;
  boost::system::error_code ec;
  const auto parsed = json::parse(e.detail, ec);
  if (ec) return false;
  const auto* type = parsed.is_object() ? parsed.as_object().if_contains("type") : nullptr;
  if (!type || !type->is_string()) return false;
  const auto& t = type->as_string();
  return t == "copy" || t == "print" || t == "excerpt";
}

bool reads_watched(const policy::WatchSettings& w) {
  return w.bulk_read_documents > 0 || w.first_category || !w.off_hours_shifts.empty();
}

}  // namespace

ReadWatch::ReadWatch(const auth::Runtime& rt) : rt_(rt), kept_(std::make_unique<KeptCounts>()) {}

ReadWatch::~ReadWatch() = default;

Result<std::vector<audit::AuditEvent>> ReadWatch::observe(barrier::WriteTx& tx,
                                                          const audit::AuditEvent& event,
                                                          TimePoint now) const {
  std::vector<audit::AuditEvent> none;
  if (event.decision != "allow" || !crypto::is_random_id(event.actor)) return none;
  const auto& w = rt_.policy.watch();
  const bool read = is_document_read(event) && reads_watched(w);
  const bool request = !read && w.requests_per_day > 0 && is_copy_request(event);
  if (!read && !request) return none;
  Counting counting(rt_, tx, event, now);
  BAOMI_TRY(counting.load(*kept_));
  if (read) {
    const auto document = event.target.substr(kDocumentPrefix.size());
    BAOMI_TRY(counting.bulk_read(document));
    BAOMI_TRY(counting.first_category(document));
    BAOMI_TRY(counting.off_hours(document));
  } else {
    BAOMI_TRY(counting.request_volume());
  }
  BAOMI_TRY(counting.save(*kept_));
  return std::move(counting.follow_ups());
}

ReadWatchStats ReadWatch::stats() const { return kept_->stats(); }

Result<std::vector<audit::AuditEvent>> Watches::observe(barrier::WriteTx& tx,
                                                        const audit::AuditEvent& event,
                                                        TimePoint now) const {
  BAOMI_ASSIGN_OR_RETURN(auto events, first_.observe(tx, event, now));
  BAOMI_ASSIGN_OR_RETURN(auto more, second_.observe(tx, event, now));
  events.insert(events.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
  return events;
}

}  // namespace baomi::services
