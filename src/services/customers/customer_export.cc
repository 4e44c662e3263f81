#include "services/customers/customer_export.h"

#include <array>
#include <cctype>
#include <set>

#include "audit/detail.h"
#include "auth/guard.h"
#include "crypto/hash.h"
#include "marking/canary.h"
#include "marking/csv.h"
#include "marking/serial.h"
#include "services/customers/customer.h"
#include "services/customers/masking.h"

namespace baomi::services {
namespace {

using policy::CustomerField;

constexpr std::array<std::string_view, policy::kCustomerFieldCount> kHeaders = {
    "姓名", "电话", "身份证号", "QQ", "电子邮箱", "账号", "地址", "产品", "备注"};

// The canaries of one export: a keyed hash of its serial seeds them, so nobody without the
// instance's keys can tell them from real customers or forge another export's.
std::vector<marking::CanaryCustomer> canaries_of(const auth::Runtime& rt, const Copy& copy) {
  const auto seed = crypto::hash32(rt.barrier.blind_index("export.canary_seed", copy.serial));
  return marking::make_canaries(seed, rt.policy.customers().export_canaries);
}

std::vector<std::uint64_t> positions_of(const auth::Runtime& rt, const Copy& copy,
                                        std::uint64_t rows) {
  const auto seed = crypto::hash32(rt.barrier.blind_index("export.canary_place", copy.serial));
  return marking::canary_positions(seed, rows, rt.policy.customers().export_canaries);
}

CustomerFields fields_of(const marking::CanaryCustomer& k) {
  CustomerFields f;
  f[static_cast<std::size_t>(CustomerField::kName)] = k.name;
  f[static_cast<std::size_t>(CustomerField::kPhone)] = k.phone;
  f[static_cast<std::size_t>(CustomerField::kIdNumber)] = k.id_number;
  f[static_cast<std::size_t>(CustomerField::kQq)] = k.qq;
  f[static_cast<std::size_t>(CustomerField::kEmail)] = k.email;
  f[static_cast<std::size_t>(CustomerField::kAccount)] = k.account;
  f[static_cast<std::size_t>(CustomerField::kAddress)] = k.address;
  f[static_cast<std::size_t>(CustomerField::kProducts)] = k.products;
  return f;
}

std::string canary_id(std::string_view field, const std::string& index) {
  return std::string(field) + ":" + index;
}

// Runs of `len` digits (the last may be X for ID numbers) not inside longer digit runs.
std::vector<std::string> digit_runs(std::string_view text, std::size_t len, bool x_last) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (x_last && j - i == len - 1 && j < text.size() && (text[j] == 'X' || text[j] == 'x')) {
      out.emplace_back(std::string(text.substr(i, len - 1)) + "X");
    } else if (j - i == len) {
      out.emplace_back(text.substr(i, len));
    }
    i = j;
  }
  return out;
}

std::vector<std::string> serial_refs(std::string_view text) {
  std::set<std::string> out;
  for (std::size_t at = text.find("BM-"); at != std::string_view::npos;
       at = text.find("BM-", at + 3)) {
    std::size_t end = at + 3;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                                 (text[end] == '-' && end + 1 < text.size()))) {
      ++end;
    }
    // The longest prefix that is a well-formed serial (check digit included).
    for (std::size_t stop = end; stop > at + 5; --stop) {
      if (auto number = marking::parse_serial(text.substr(at, stop - at))) {
        out.insert(marking::format_serial(*number));
        break;
      }
    }
  }
  return {out.begin(), out.end()};
}

}  // namespace

Result<void> CustomerExports::on_issue(barrier::WriteTx& tx, const Copy& copy) const {
  for (const auto& k : canaries_of(rt_, copy)) {
    // Phone and ID number name the export: the two values a leaked row always keeps.
    for (const auto& [field, value] : {std::pair{CustomerField::kPhone, k.phone},
                                       std::pair{CustomerField::kIdNumber, k.id_number}}) {
      StoredObject o;
      o.kind = std::string(kCanaryKind);
      o.id = canary_id(policy::customer_field_api_name(field), blind_index_of(rt_, field, value));
      o.state = "planted";
      o.owner_id = copy.holder_id;
      o.created_at = o.updated_at = copy.issued_at;
      o.body["serial"] = copy.serial;
      BAOMI_TRY(objects_.insert(tx, o));
    }
  }
  return {};
}

Result<std::string> CustomerExports::csv_of(const auth::User& holder, const Copy& copy,
                                            std::size_t& rows) const {
  const auto& spec = *copy.customer_export;
  const auto subject = auth::subject_of(holder);
  const auto now = rt_.now();
  std::vector<std::size_t> columns;
  for (int i = 0; i < policy::kCustomerFieldCount; ++i) {
    if (spec.fields & policy::field_bit(static_cast<CustomerField>(i))) {
      columns.push_back(static_cast<std::size_t>(i));
    }
  }
  // C3: what the holder's roles may not unmask leaves masked.
  policy::FieldSet clear = 0;
  for (auto c : columns) {
    const auto bit = policy::field_bit(static_cast<CustomerField>(c));
    policy::Resource r{.level = spec.level, .categories = spec.categories, .fields = bit};
    if (rt_.policy.decide(subject, policy::Action::kUnmaskCustomer, r, {now}).allowed) clear |= bit;
  }
  std::vector<CustomerFields> records;
  std::string after;
  for (;;) {
    std::vector<Customer> page;
    BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
      BAOMI_ASSIGN_OR_RETURN(page, CustomerRecords(rt_).list(tx, after, 512));
      return {};
    }));
    for (const auto& c : page) {
      after = c.id;
      // The export holds what it was approved for and what the holder may read now (C1, S6).
      if (c.level > spec.level || !policy::contains_all(spec.categories, c.categories)) continue;
      policy::Resource r{.level = c.level, .categories = c.categories};
      if (!rt_.policy.decide(subject, policy::Action::kReadCustomer, r, {now}).allowed) continue;
      if (records.size() == kMaxExportRows) {
        return Error{ErrorKind::kTooLarge, "export_too_large",
                     "the export would hold more than 200000 customers; ask for a lower level",
                     "C2"};
      }
      records.push_back(c.fields);
    }
    if (page.size() < 512) break;
  }
  const auto canaries = canaries_of(rt_, copy);
  const auto places = positions_of(rt_, copy, records.size());
  std::string out = "\xEF\xBB\xBF";  // UTF-8 BOM: spreadsheets then read the Chinese right
  const std::vector<std::string> mark = {
      "保密标志 " + copy.marking, "持有人 " + copy.holder_name, "编号 " + copy.serial,
      "导出时间 " + format_rfc3339(copy.issued_at), "未经批准不得复制、转发 (C2)"};
  out += marking::csv_row(mark);
  std::vector<std::string> header;
  for (auto c : columns) header.emplace_back(kHeaders[c]);
  header.emplace_back("导出编号");
  out += marking::csv_row(header);
  std::size_t next_real = 0, next_canary = 0;
  const std::size_t total = records.size() + canaries.size();
  for (std::size_t row = 0; row < total; ++row) {
    const bool canary = next_canary < places.size() && places[next_canary] == row;
    const CustomerFields fields =
        canary ? fields_of(canaries[next_canary++]) : records[next_real++];
    std::vector<std::string> cells;
    for (auto c : columns) {
      const auto field = static_cast<CustomerField>(c);
      const auto& value = fields[c];
      const bool show = (clear & policy::field_bit(field)) != 0 || value.empty();
      cells.push_back(show ? value : customers::mask_field(field, value));
    }
    cells.push_back(copy.serial + "#" + std::to_string(row + 1));
    out += marking::csv_row(cells);
  }
  rows = records.size();
  return out;
}

Result<Artifact> CustomerExports::render_export(const auth::User& holder, const Copy& copy) const {
  if (!copy.customer_export) return Error::internal("not an export of customer records");
  std::size_t rows = 0;
  BAOMI_ASSIGN_OR_RETURN(auto csv, csv_of(holder, copy, rows));
  BAOMI_TRY(rt_.audit.record(rt_.store,
                             {holder.id, "customer.export", "copy:" + copy.serial, "allow", "C2",
                              audit::Detail{}
                                  .add("records", rows)
                                  .add("canaries", rt_.policy.customers().export_canaries)},
                             rt_.now()));
  return Artifact{"text/csv; charset=utf-8", copy.serial + ".csv", Bytes(csv.begin(), csv.end())};
}

Result<std::vector<TraceMatch>> CustomerExports::trace(const auth::User& actor,
                                                       std::string_view leaked) const {
  const auto now = rt_.now();
  // S10: tracing leaks is the auditor's duty.
  BAOMI_TRY(auth::enforce(
      rt_, rt_.policy.decide(auth::subject_of(actor), policy::Action::kReadAudit, {}, {now}),
      actor.id, "customer.export_trace", std::string(kCustomerRegisterTarget)));
  if (leaked.empty() || leaked.size() > (8u << 20)) {
    return Error::invalid("invalid_field", "field 'leaked_text' must be 1 byte to 8 MiB");
  }
  std::vector<std::pair<std::string, std::string>> found;  // serial, evidence
  for (const auto& s : serial_refs(leaked)) found.emplace_back(s, "serial");
  std::vector<std::string> ids;
  for (const auto& phone : digit_runs(leaked, 11, false)) {
    ids.push_back(canary_id("phone", blind_index_of(rt_, CustomerField::kPhone, phone)));
  }
  for (const auto& id : digit_runs(leaked, 18, true)) {
    ids.push_back(canary_id("id_number", blind_index_of(rt_, CustomerField::kIdNumber, id)));
  }
  std::vector<TraceMatch> out;
  BAOMI_TRY(rt_.store.read([&](barrier::ReadTx& tx) -> Result<void> {
    for (const auto& id : ids) {
      BAOMI_ASSIGN_OR_RETURN(auto o, objects_.get(tx, std::string(kCanaryKind), id));
      if (o && o->body.contains("serial") && o->body.at("serial").is_string()) {
        found.emplace_back(std::string(o->body.at("serial").as_string()), "canary");
      }
    }
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& [serial, evidence] : found) {
      if (!seen.insert({serial, evidence}).second) continue;
      BAOMI_ASSIGN_OR_RETURN(auto o, objects_.get(tx, std::string(kCopyKind), serial));
      if (!o) continue;
      BAOMI_ASSIGN_OR_RETURN(auto copy, copy_from_object(*o));
      if (!copy.customer_export) continue;
      out.push_back({serial, evidence, copy.holder_id, copy.request_id, copy.issued_at});
    }
    return {};
  }));
  BAOMI_TRY(
      rt_.audit.record(rt_.store,
                       {actor.id, "customer.export_trace", std::string(kCustomerRegisterTarget),
                        "allow", "C2", audit::Detail{}.add("matches", out.size())},
                       now));
  return out;
}

}  // namespace baomi::services
