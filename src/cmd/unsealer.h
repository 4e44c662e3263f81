// Unsealer: the seal of a running `baomi serve` (http/api/seal.h). An instance whose master key
// is a file is opened at start and stays unsealed. An instance sealed by key shares starts
// sealed: nothing is read from its storage until K valid shares rebuild the master key (in
// secure memory); then the instance is opened, the refusals seen while sealed are appended to
// its trail, and the API is served. seal() drops the opened instance again. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "barrier/unseal_progress.h"
#include "cmd/served_instance.h"
#include "http/api/seal.h"

namespace baomi::cmd {

class Unsealer : public http::api::SealControl {
 public:
  // Opens the instance with the rebuilt master key (null: its key file).
  using Opener = std::function<Result<std::shared_ptr<ServedInstance>>(const crypto::SecretKey*)>;
  // The current split (KEYDIR/seal.json), read again at each seal (a rekey may replace it).
  using ConfigReader = std::function<Result<barrier::SealConfig>()>;

  // Key-file mode: opens the instance now.
  static Result<std::unique_ptr<Unsealer>> with_key_file(Opener open);
  // Key-share mode: starts sealed.
  static Result<std::unique_ptr<Unsealer>> with_key_shares(Opener open, ConfigReader config);

  http::api::SealStatus status() const override;
  Result<http::api::SealStatus> unseal(std::string_view share, const std::string& source) override;
  std::shared_ptr<http::api::Api> api() const override;
  Result<void> seal() override;

  // The opened instance, or null while sealed (for the router's fallback).
  std::shared_ptr<ServedInstance> served() const;
  // At shutdown: stops the housekeeping of the opened instance, if any.
  void stop();

 private:
  Unsealer(Opener open, ConfigReader config) : open_(std::move(open)), config_(std::move(config)) {}
  http::api::SealStatus status_locked() const;
  // Appends what happened while sealed to the newly opened instance's trail (S9, I1).
  Result<void> record_unseal(const ServedInstance& served, const barrier::SealConfig& config);

  const Opener open_;
  const ConfigReader config_;  // null in key-file mode
  // Serialises unseals and seals (an unseal holds it while the instance opens); taken before
  // served_mu_, which only guards the pointer so that requests never wait for an unseal.
  mutable std::mutex seal_mu_;
  std::optional<barrier::UnsealProgress> progress_;  // key-share mode only
  mutable std::mutex served_mu_;
  std::shared_ptr<ServedInstance> served_;
};

}  // namespace baomi::cmd
