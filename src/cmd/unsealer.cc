#include "cmd/unsealer.h"

#include <iostream>

#include "audit/detail.h"

namespace baomi::cmd {
namespace {

// Audit detail of one refusal seen while sealed (the share itself is never recorded).
audit::Detail refusal_detail(const barrier::UnsealRefusal& r) {
  audit::Detail detail;
  detail.add("code", r.code).add("source", r.source).add("refused_at", format_rfc3339(r.time));
  if (r.share_index > 0) detail.add("share_index", r.share_index);
  return detail;
}

}  // namespace

Result<std::unique_ptr<Unsealer>> Unsealer::with_key_file(Opener open) {
  std::unique_ptr<Unsealer> u(new Unsealer(std::move(open), nullptr));
  BAOMI_ASSIGN_OR_RETURN(u->served_, u->open_(nullptr));
  return u;
}

Result<std::unique_ptr<Unsealer>> Unsealer::with_key_shares(Opener open, ConfigReader config) {
  std::unique_ptr<Unsealer> u(new Unsealer(std::move(open), std::move(config)));
  BAOMI_ASSIGN_OR_RETURN(auto split, u->config_());
  u->progress_.emplace(std::move(split));
  return u;
}

http::api::SealStatus Unsealer::status_locked() const {
  http::api::SealStatus s;
  s.sealed = served() == nullptr;
  s.by_shares = progress_.has_value();
  if (progress_) {
    s.progress = s.sealed ? progress_->progress() : 0;
    s.threshold = progress_->config().threshold;
    s.shares = progress_->config().shares;
  }
  return s;
}

http::api::SealStatus Unsealer::status() const {
  std::lock_guard lock(seal_mu_);
  return status_locked();
}

std::shared_ptr<http::api::Api> Unsealer::api() const {
  std::lock_guard lock(served_mu_);
  if (!served_) return nullptr;
  return std::shared_ptr<http::api::Api>(served_, served_->api.get());
}

std::shared_ptr<ServedInstance> Unsealer::served() const {
  std::lock_guard lock(served_mu_);
  return served_;
}

Result<http::api::SealStatus> Unsealer::unseal(std::string_view share, const std::string& source) {
  std::lock_guard lock(seal_mu_);
  if (served() || !progress_) return status_locked();
  const auto now = now_utc();
  // A rekey (baomi operator rekey) may have replaced the split while the server was sealed:
  // an unseal that has not started yet takes the current one.
  if (progress_->progress() == 0) {
    if (auto config = config_(); config.ok()) (void)progress_->replace_config(std::move(*config));
  }
  BAOMI_ASSIGN_OR_RETURN(auto master, progress_->give(share, source, now));
  if (!master) return status_locked();
  auto opened = open_(&*master);
  if (!opened.ok()) {
    // The shares were each valid, so this is the instance (its files or database), not them.
    progress_->refuse(source, opened.error().code, now);
    std::cerr << "baomi: unseal failed: " << opened.error().message << "\n";
    return opened.take_error();
  }
  // Fail closed: an unseal the trail cannot record does not happen (the refusals stay kept).
  BAOMI_TRY(record_unseal(**opened, progress_->config()));
  progress_->clear_refusals();
  {
    std::lock_guard served_lock(served_mu_);
    served_ = std::move(opened).value();
  }
  std::cerr << "baomi: unsealed\n";
  return status_locked();
}

Result<void> Unsealer::record_unseal(const ServedInstance& served,
                                     const barrier::SealConfig& config) {
  const auto& refusals = progress_->refusals();
  const std::size_t dropped = progress_->refusals_not_kept();
  const auto& inst = *served.instance;
  auto recorded = inst.store->write([&](storage::WriteTx& tx) -> Result<void> {
    // S9: every refused share is a denied attempt, recorded now that the trail can be written.
    for (const auto& r : refusals) {
      BAOMI_TRY(inst.audit->append(
          tx, {"-", "seal.unseal_refused", "instance", "deny", "S9", refusal_detail(r)},
          now_utc()));
    }
    const auto detail = audit::Detail{}
                            .add("threshold", config.threshold)
                            .add("shares", config.shares)
                            .add("refusals", refusals.size() + dropped)
                            .add("refusals_not_kept", dropped);
    BAOMI_TRY(
        inst.audit->append(tx, {"-", "seal.unseal", "instance", "allow", "I1", detail}, now_utc()));
    return {};
  });
  if (!recorded.ok()) {
    std::cerr << "baomi: the unseal could not be recorded: " << recorded.error().message << "\n";
    return Error::unavailable(
        "the unseal could not be recorded in the audit trail, so the "
        "server stays sealed; the shares must be given again");
  }
  return {};
}

Result<void> Unsealer::seal() {
  std::shared_ptr<ServedInstance> dropped;
  {
    std::lock_guard lock(seal_mu_);
    if (!progress_) {
      return Error::conflict("not_sealable",
                             "this instance keeps its master key in a file: sealing needs an "
                             "instance created with --key-shares");
    }
    std::lock_guard served_lock(served_mu_);
    if (!served_) return {};
    dropped = std::move(served_);
    progress_->reset();
  }
  dropped->stop();
  std::cerr << "baomi: sealed\n";
  return {};
}

void Unsealer::stop() {
  std::shared_ptr<ServedInstance> served;
  {
    std::lock_guard lock(seal_mu_);
    std::lock_guard served_lock(served_mu_);
    served = std::move(served_);
  }
  if (served) served->stop();
}

}  // namespace baomi::cmd
