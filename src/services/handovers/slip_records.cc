#include "services/handovers/slip_records.h"

#include <boost/json.hpp>
#include <stdexcept>

#include "barrier/records.h"  // parent_data_key opens the parent through Records<P>
#include "services/handovers/slip_codec.h"

namespace baomi::services {
namespace {

std::string slip_owner(const std::string& id) { return "handover:" + id; }

Result<boost::json::object> parse_object(const std::string& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return Error::integrity("a stored slip is malformed");
  return std::move(v.as_object());
}

barrier::Value slip_state_value(const Slip& s) { return std::string(slip_state_name(s.state)); }

Result<void> set_slip_state(Slip& s, const barrier::Value& v) {
  const auto* name = std::get_if<std::string>(&v);
  const auto state = name ? slip_state_from_name(*name) : std::nullopt;
  if (!state) return Error::integrity("a stored slip has an unknown state");
  s.state = *state;
  return {};
}

barrier::Value slip_hold_value(const Slip& s) { return std::int64_t{s.hold ? 1 : 0}; }

Result<void> set_slip_hold(Slip& s, const barrier::Value& v) {
  const auto* n = std::get_if<std::int64_t>(&v);
  if (!n || (*n != 0 && *n != 1)) return Error::integrity("a stored slip has a malformed hold");
  s.hold = *n == 1;
  return {};
}

std::string progress_text(const Slip& s) {
  return boost::json::serialize(progress_to_json(s.progress));
}

Result<void> set_progress(Slip& s, std::string text) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_object(text));
  BAOMI_ASSIGN_OR_RETURN(s.progress, progress_from_json(obj));
  return {};
}

std::string content_text(const SlipVersionRecord& v) {
  if (!v.content) throw std::logic_error("a slip version is sealed without its content");
  return boost::json::serialize(content_to_json(*v.content));
}

Result<void> set_content(SlipVersionRecord& v, std::string text) {
  BAOMI_ASSIGN_OR_RETURN(auto obj, parse_object(text));
  BAOMI_ASSIGN_OR_RETURN(auto content, content_from_json(obj));
  v.content = std::move(content);
  return {};
}

}  // namespace

const barrier::RecordType<Slip>& slip_record_type() {
  static const auto type =
      barrier::RecordType<Slip>("handovers")
          .key("id", &Slip::id)
          .text("author_id", &Slip::author_id)
          .text("shift_date", &Slip::shift_date)
          .text("shift_name", &Slip::shift_name)
          .custom({"state", barrier::ColumnType::kText, false}, slip_state_value, set_slip_state)
          .number("current_version", &Slip::current_version)
          .time("created_at", &Slip::created_at)
          .time("updated_at", &Slip::updated_at)
          .time("due_at", &Slip::due_at)  // H2: the end of the confirmation day (exclusive)
          .optional_time("confirmed_at", &Slip::confirmed_at)
          .optional_time("retain_until", &Slip::retain_until)  // H3
          .custom({"hold", barrier::ColumnType::kInteger, false}, slip_hold_value, set_slip_hold)
          .text("carried_from", &Slip::carried_from)
          .text("alert_id", &Slip::alert_id)
          .revision("revision", &Slip::revision)
          .data_key(
              "wrapped_key", [](const Slip& s) { return slip_owner(s.id); },
              [](const Slip& s) { return slip_owner(s.id); })
          .sealed("sealed", "progress", progress_text, set_progress)
          .mac("mac")
          .shreddable()
          .index("handovers_state", {"state", "id"})
          .index("handovers_author", {"author_id", "id"})
          .index("handovers_shift", {"shift_date", "shift_name", "id"})
          .index("handovers_carried", {"carried_from"})
          .index("handovers_alert", {"alert_id"});
  return type;
}

const barrier::RecordType<SlipVersionRecord>& slip_version_record_type() {
  static const auto type =
      barrier::RecordType<SlipVersionRecord>("handover_versions")
          .key("slip_id", &SlipVersionRecord::slip_id)
          .key("version", &SlipVersionRecord::version)
          .text("author_id", &SlipVersionRecord::author_id)
          .time("created_at", &SlipVersionRecord::created_at)
          .text("content_hash", &SlipVersionRecord::content_hash)
          .text("prev_hash", &SlipVersionRecord::prev_hash)
          .parent_data_key(
              slip_record_type(),
              [](const SlipVersionRecord& v) { return barrier::Row{v.slip_id}; },
              [](const SlipVersionRecord& v) {
                return slip_owner(v.slip_id) + ":v" + std::to_string(v.version);
              })
          .sealed("sealed", "content", content_text, set_content)
          .mac("mac")
          .shreddable();
  return type;
}

const barrier::RecordType<SlipCopyRecord>& slip_copy_record_type() {
  static const auto type = barrier::RecordType<SlipCopyRecord>("handover_copies")
                               .key("slip_id", &SlipCopyRecord::slip_id)
                               .key("version", &SlipCopyRecord::version)
                               .key("department", &SlipCopyRecord::department)
                               .text("content_hash", &SlipCopyRecord::content_hash)
                               .text("acknowledged_by", &SlipCopyRecord::acknowledged_by)
                               .optional_time("acknowledged_at", &SlipCopyRecord::acknowledged_at)
                               .mac("mac")
                               .index("handover_copies_department", {"department", "slip_id"});
  return type;
}

}  // namespace baomi::services
