#include "barrier/counters.h"

#include "barrier/records.h"
#include "storage/meta.h"

namespace baomi::barrier {
namespace {

Records<CounterRecord> records(const Barrier& barrier) {
  return Records<CounterRecord>(barrier, counter_record_type());
}

Result<std::uint64_t> legacy_value(storage::ReadTx& tx, const std::string& name) {
  BAOMI_ASSIGN_OR_RETURN(auto stored, storage::get_meta(tx, name));
  if (!stored) return std::uint64_t{0};
  if (stored->empty() || stored->size() > 8) {
    return Error::integrity("the stored counter " + name + " is damaged");
  }
  std::uint64_t value = 0;
  for (auto b : *stored) value = value << 8 | b;
  return value;
}

}  // namespace

const RecordType<CounterRecord>& counter_record_type() {
  static const auto type = RecordType<CounterRecord>("counters")
                               .key("name", &CounterRecord::name)
                               .number("value", &CounterRecord::value)
                               .revision("revision", &CounterRecord::revision)
                               .mac("mac");
  return type;
}

Result<std::uint64_t> Counters::get(ReadTx& tx, const std::string& name) const {
  // A removed counter must not start again from 0 or the meta value (I1).
  BAOMI_ASSIGN_OR_RETURN(auto record, records(barrier_).get_unless_removed(tx, {name}));
  if (record) return record->value;
  return legacy_value(EngineAccess::engine(tx), name);
}

Result<void> Counters::set(WriteTx& tx, const std::string& name, std::uint64_t value) const {
  const auto all = records(barrier_);
  BAOMI_ASSIGN_OR_RETURN(auto record, all.get_unless_removed(tx, {name}));
  if (!record) {
    CounterRecord fresh{name, value, 0};
    return all.insert(tx, fresh);
  }
  record->value = value;
  return all.update(tx, *record);
}

}  // namespace baomi::barrier
