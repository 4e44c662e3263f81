// The `baomi` subcommands. Each returns the process exit code and prints one-line reasons.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace baomi::cmd {

struct InitOptions {
  std::string data;
  std::string keys;      // default DATA/keys
  std::string database;  // a postgresql:// URL; default: the SQLite file DATA/baomi.db
  std::optional<std::string> admin_passwords_file;
  std::optional<std::string> policy_dir;
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  // K-of-N sealing (docs/operations.md): 0 shares keeps the single key file KEYDIR/master.key.
  int key_shares = 0;
  int key_threshold = 0;
  std::vector<std::string> share_files;  // one per share (0600); empty: print them once
  // Holders' X25519 public keys, one per share: share i is encrypted to key i.
  std::vector<std::string> share_public_keys;
};
int run_init(const InitOptions& options);

struct ServeOptions {
  std::string data;
  std::string keys;
  std::string database;  // as InitOptions::database
  std::string listen = "127.0.0.1:8443";
  std::optional<std::string> policy_dir;
  int io_threads = 0;
  int worker_threads = 64;
  int checkpoint_seconds = 60;
  int sweep_seconds = 30;  // how often lapsed requests and grants are stored as expired
  // KEK rotation's background rewrap (docs/operations.md): data keys per write job, and the
  // pause between jobs that leaves the writer to requests.
  int rewrap_batch = 256;
  int rewrap_pause_ms = 5;
  // How long after a rotation the rewrap's confirming pass may begin (the time every instance
  // has to learn the new KEK): services::KekRotation::kPickupWindow, 10 s. Lower it only when
  // one instance serves the database (tests, single-node installs).
  int rewrap_pickup_window_ms = 10000;
  // Load balancer addresses whose connections start with a PROXY protocol v2 header.
  std::vector<std::string> proxy_protocol_from;
};
int run_serve(const ServeOptions& options);

struct VerifyOptions {
  std::string data;
  std::string keys;
  std::string database;                        // as InitOptions::database
  std::optional<std::string> public_key_file;  // default KEYDIR/audit.pub
  // An auditor's kept tree-head.json: the trail must hold it (I1; a restore from an old backup
  // shows as a truncation).
  std::string kept_tree_head_file;
};
int run_audit_verify(const VerifyOptions& options);

// `baomi evidence verify FILE --public-key audit.pub` (alias `baomi audit verify-bundle`):
// checks a signed evidence bundle offline (S10). Exit 0 and a summary, 1 and the first
// problem, 2 when the inputs cannot be read.
struct BundleVerifyOptions {
  std::string file;
  std::string public_key_file;
  bool show_entries = false;  // also print each proven entry
  // A tree-head.json kept from an earlier bundle: prove the trail only grew since (S10).
  std::string kept_tree_head_file;
};
int run_evidence_verify(const BundleVerifyOptions& options);

// `baomi migrate --from-data DIR --to postgresql://…`: moves an instance from its SQLite file
// into an empty PostgreSQL database (docs/operations.md lists the exit statuses).
struct MigrateOptions {
  std::string from_data;
  std::string keys;  // default DIR/keys: opens the moved instance to record the move
  std::string to;
};
int run_migrate(const MigrateOptions& options);

// `baomi operator rekey`: a new split of the same master key (new N, K or holders) from K
// current shares, read one a line from standard input or the --current-share-file files. No data
// is re-encrypted; the old shares stop working. On an instance with key files it seals the
// instance by shares and removes the key files (docs/operations.md).
struct RekeyOptions {
  std::string data;
  std::string keys;
  std::string database;  // as InitOptions::database
  int key_shares = 0;
  int key_threshold = 0;
  std::vector<std::string> current_share_files;
  std::vector<std::string> share_files;        // the new shares; empty: print them once
  std::vector<std::string> share_public_keys;  // as InitOptions::share_public_keys
  // Opens current shares given encrypted to their holders (each holder's own key file).
  std::vector<std::string> current_secret_keys;
};
int run_rekey(const RekeyOptions& options);

// `baomi keys rotate-master`: a new master key for a stopped instance (docs/operations.md,
// "Rotating the master key"), from its key file or K current shares; every secret sealed under
// the old key is resealed under the new one (nothing else is re-encrypted) and the new key goes
// where the old one was: a new key file, or new shares handed out as `init` does. Holds
// DATA/baomi.lock exclusive; finishes or rolls back an interrupted run first.
struct RotateMasterOptions {
  std::string data;
  std::string keys;
  std::string database;  // as InitOptions::database
  // Instances sealed by shares: the new N and K (0: keep the current ones).
  int key_shares = 0;
  int key_threshold = 0;
  std::vector<std::string> current_share_files;  // empty: read standard input
  std::vector<std::string> current_secret_keys;  // as RekeyOptions::current_secret_keys
  std::vector<std::string> share_files;          // the new shares; empty: print them once
  std::vector<std::string> share_public_keys;    // as InitOptions::share_public_keys
};
int run_rotate_master(const RotateMasterOptions& options);

// `baomi operator share-keypair --secret-key FILE --public-key FILE`: a key holder's X25519 key
// pair (docs/operations.md, "Key shares encrypted to their holders").
int run_share_keypair(const std::string& secret_file, const std::string& public_file);

// `baomi backup --data DIR -o FILE`: a signed, consistent copy of a running SQLite instance
// without its keys (docs/operations.md#backup-and-restore). Exit 0 written, 1 failed, 2 usage,
// 3 refused (no instance, a trail that does not verify, a PostgreSQL instance).
struct BackupOptions {
  std::string data;
  std::string keys;      // default DATA/keys: only audit-signing.key is read (signs the manifest)
  std::string database;  // a postgresql:// URL is refused, naming PostgreSQL's own tools
  std::string output;
  // An instance sealed by key shares keeps its audit key sealed under the master key: K current
  // shares (files, or standard input) rebuild it in this process to sign the manifest.
  std::vector<std::string> current_share_files;
  std::vector<std::string> current_secret_keys;
};
int run_backup(const BackupOptions& options);

// `baomi restore FILE --data NEWDIR --public-key audit.pub`: a backup into a new instance
// directory. Exit 0 restored, 1 damaged backup, 2 usage, 3 target not empty, 4 older than the
// kept tree head (truncated) or forked from it.
struct RestoreOptions {
  std::string file;
  std::string data;
  std::string public_key_file;
  std::string kept_tree_head_file;  // optional
};
int run_restore(const RestoreOptions& options);

struct DemoOptions {
  std::string data;
  std::string keys;
  std::string database;   // as InitOptions::database
  std::string password;   // the demo staff's shared password
  std::string leak_file;  // where to write the demo leak's text (S10); empty: nowhere
};
int run_demo_load(const DemoOptions& options);

}  // namespace baomi::cmd
