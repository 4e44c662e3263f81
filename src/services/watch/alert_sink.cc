#include "services/watch/alert_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>

#include "audit/trail_cursor.h"
#include "audit/trail_reader.h"
#include "crypto/random.h"
#include "services/incidents/incident.h"
#include "services/workflow/sealed_objects.h"

namespace baomi::services {
namespace {

namespace json = boost::json;

constexpr std::size_t kBatch = 100;

// How far the sink has delivered; MACed, so nobody can make it skip alerts from outside.
audit::TrailCursor sink_cursor(const auth::Runtime& rt) {
  return audit::TrailCursor("alert_sink", rt.barrier);
}

Result<std::vector<audit::AuditRow>> raised_after(barrier::ReadTx& tx, std::uint64_t after) {
  audit::AuditQuery q;
  q.action = "alert.raise";
  q.after_seq = after;
  q.limit = kBatch;
  return audit::query_trail(tx, q);
}

// The account an alert is about: its raiser when that is an account, else "account:<id>".
std::string account_of(const Alert& a) {
  if (crypto::is_random_id(a.raised_by)) return a.raised_by;
  constexpr std::string_view kPrefix = "account:";
  if (a.target && a.target->starts_with(kPrefix)) return a.target->substr(kPrefix.size());
  return "";
}

// The line of one alert.raise entry; nothing when the entry names no alert (older entries).
Result<std::optional<std::string>> line_of(barrier::ReadTx& tx, const SealedObjects& objects,
                                           const audit::AuditRow& row) {
  boost::system::error_code ec;
  const auto detail = json::parse(row.detail, ec);
  const auto* fields = !ec && detail.is_object() ? &detail.as_object() : nullptr;
  const auto* id = fields ? fields->if_contains("alert_id") : nullptr;
  if (!id || !id->is_string()) return std::optional<std::string>();
  BAOMI_ASSIGN_OR_RETURN(auto object,
                         objects.get(tx, std::string(kAlertKind), std::string(id->as_string())));
  if (!object) return std::optional<std::string>();  // erased since (retention)
  BAOMI_ASSIGN_OR_RETURN(auto alert, alert_from_object(*object));
  json::object line;
  line["id"] = alert.id;
  line["kind"] = alert.type;
  line["rule"] = row.rule;
  if (const auto account = account_of(alert); !account.empty()) line["account"] = account;
  if (const auto* count = fields->if_contains("count")) line["count"] = *count;
  if (const auto* window = fields->if_contains("window_s")) line["window_s"] = *window;
  line["seqs"] = json::value_from(alert.audit_seqs);
  line["raise_seq"] = row.seq;
  line["time"] = format_rfc3339(alert.at);
  return std::optional<std::string>(json::serialize(line));
}

}  // namespace

AlertSink::AlertSink(const auth::Runtime& rt, std::string target)
    : rt_(rt), target_(std::move(target)) {
  if (target_ == "syslog") openlog("baomi", LOG_PID | LOG_NDELAY, LOG_AUTHPRIV);
}

AlertSink::~AlertSink() {
  if (target_ == "syslog") closelog();
}

Result<bool> AlertSink::pending() const {
  bool any = false;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(const auto after, sink_cursor(rt_).get(tx));
    audit::AuditQuery q;
    q.action = "alert.raise";
    q.after_seq = after;
    q.limit = 1;
    BAOMI_ASSIGN_OR_RETURN(auto rows, audit::query_trail(tx, q));
    any = !rows.empty();
    return {};
  }));
  return any;
}

Result<std::size_t> AlertSink::deliver() {
  std::string lines;
  std::size_t count = 0;
  std::uint64_t last = 0;
  const SealedObjects objects(rt_);
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    BAOMI_ASSIGN_OR_RETURN(last, sink_cursor(rt_).get(tx));
    BAOMI_ASSIGN_OR_RETURN(auto rows, raised_after(tx, last));
    for (const auto& row : rows) {
      BAOMI_ASSIGN_OR_RETURN(auto line, line_of(tx, objects, row));
      if (line) {
        lines += *line + "\n";
        ++count;
      }
      last = row.seq;
    }
    return {};
  }));
  if (!lines.empty()) {
    if (auto written = write_lines(lines); !written.ok()) {
      ++failures_;
      return written.take_error();
    }
  }
  BAOMI_TRY(rt_.store.write(
      [&](barrier::WriteTx& tx) -> Result<void> { return sink_cursor(rt_).set(tx, last); }));
  return count;
}

Result<void> AlertSink::write_lines(const std::string& lines) {
  if (target_ == "syslog") {
    std::size_t from = 0;
    while (from < lines.size()) {
      const auto nl = lines.find('\n', from);
      syslog(LOG_WARNING, "%.*s", static_cast<int>(nl - from), lines.data() + from);
      from = nl + 1;
    }
    return {};
  }
  const int fd = ::open(target_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                        S_IRUSR | S_IWUSR);
  if (fd < 0) {
    return Error::unavailable("cannot open the alert sink: " + std::string(std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    ::close(fd);
    return Error::unavailable("the alert sink is not a regular file readable by its owner only");
  }
  std::size_t done = 0;
  while (done < lines.size()) {
    const auto n = ::write(fd, lines.data() + done, lines.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return Error::unavailable("cannot write the alert sink: " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return Error::unavailable("cannot write the alert sink");
  return {};
}

}  // namespace baomi::services
