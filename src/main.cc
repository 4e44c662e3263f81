// baomi: the Baomi (保密) server and its administration commands.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cmd/client/registry.h"
#include "cmd/commands.h"
#include "crypto/init.h"

int main(int argc, char** argv) {
  // Nothing an instance writes (database, WAL, keys) is for group or others.
  ::umask(077);
  try {
    baomi::crypto::init();
  } catch (const std::exception& e) {
    std::cerr << "baomi: " << e.what() << "\n";
    return 1;
  }
  CLI::App app{"Baomi (保密): encrypted, audited classified-document server and its client"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "baomi 0.1.0");

  constexpr const char* kDatabaseHelp =
      "PostgreSQL database URL (postgresql://user@host:port/db?sslmode=verify-full&...); "
      "default: the embedded SQLite file DATA/baomi.db";
  baomi::cmd::InitOptions init;
  auto* init_cmd =
      app.add_subcommand("init", "Create a new instance (never touches an existing one)");
  init_cmd->add_option("--data", init.data, "Instance data directory")->required();
  init_cmd->add_option("--keys", init.keys, "Key directory (default DATA/keys)");
  init_cmd->add_option("--database", init.database, kDatabaseHelp);
  init_cmd->add_option(
      "--admin-passwords", init.admin_passwords_file,
      "JSON file {\"sysadmin\":..,\"secadmin\":..,\"auditor\":..}; default: random, printed once");
  init_cmd->add_option("--policy", init.policy_dir,
                       "Policy directory or file (default: built-in default policy)");
  init_cmd->add_option("--tls-cert", init.tls_cert,
                       "PEM certificate (default: self-signed for localhost)");
  init_cmd->add_option("--tls-key", init.tls_key, "PEM private key for --tls-cert");
  init_cmd->add_option("--key-shares", init.key_shares,
                       "Split the master key into N shares (no key file); the server starts "
                       "sealed (docs/operations.md)");
  init_cmd->add_option("--key-threshold", init.key_threshold,
                       "How many shares unseal the server (with --key-shares)");
  init_cmd->add_option("--share-file", init.share_files,
                       "Write share i to the i-th file named (0600); default: print them once");
  init_cmd->add_option("--share-public-key", init.share_public_keys,
                       "Encrypt share i to the i-th holder's public key file (from `baomi "
                       "operator share-keypair`; one per share)");

  baomi::cmd::ServeOptions serve;
  auto* serve_cmd = app.add_subcommand("serve", "Serve the HTTPS API");
  serve_cmd->add_option("--data", serve.data, "Instance data directory")->required();
  serve_cmd->add_option("--keys", serve.keys, "Key directory (default DATA/keys)");
  serve_cmd->add_option("--database", serve.database, kDatabaseHelp);
  serve_cmd->add_option("--listen", serve.listen, "ADDRESS:PORT (port 0 picks a free port)")
      ->capture_default_str();
  serve_cmd->add_option("--policy", serve.policy_dir,
                        "Policy directory or file (default DATA/policy.yaml)");
  serve_cmd->add_option("--io-threads", serve.io_threads, "I/O threads (0 = one per core)")
      ->check(CLI::Range(0, 256));
  serve_cmd->add_option("--worker-threads", serve.worker_threads, "Request handler threads")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  serve_cmd
      ->add_option("--checkpoint-seconds", serve.checkpoint_seconds,
                   "Seconds between signed audit checkpoints")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  serve_cmd
      ->add_option("--sweep-seconds", serve.sweep_seconds,
                   "Seconds between sweeps that expire lapsed requests and grants")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rewrap-batch", serve.rewrap_batch,
                   "Data keys rewrapped per write job after a KEK rotation")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rewrap-pause-ms", serve.rewrap_pause_ms,
                   "Milliseconds between rewrap jobs (leaves the writer to requests)")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  serve_cmd
      ->add_option("--rewrap-pickup-window-ms", serve.rewrap_pickup_window_ms,
                   "Milliseconds after a KEK rotation before the rewrap's confirming pass may "
                   "begin; lower than the default only when one instance serves the database")
      ->check(CLI::Range(0, 600000))
      ->capture_default_str();
  serve_cmd
      ->add_option("--proxy-protocol-from", serve.proxy_protocol_from,
                   "A load balancer's IP address whose connections begin with a PROXY protocol "
                   "v2 header naming the client (repeatable)")
      ->type_name("ADDRESS");

  auto* audit_cmd = app.add_subcommand("audit", "Audit trail tools");
  audit_cmd->require_subcommand(1);
  baomi::cmd::VerifyOptions verify;
  auto* verify_cmd = audit_cmd->add_subcommand(
      "verify",
      "Verify the whole audit chain and its signed checkpoints offline (--data), or ask a "
      "server to (--remote, --addr or BAOMI_ADDR)");
  verify_cmd->add_option("--data", verify.data, "Instance data directory (offline check)");
  verify_cmd->add_option("--keys", verify.keys, "Key directory (default DATA/keys)");
  verify_cmd->add_option("--database", verify.database,
                         "postgresql://... URL of the instance's database (offline check; with "
                         "--public-key, --data is not needed)");
  verify_cmd->add_option("--public-key", verify.public_key_file,
                         "Auditor's copy of audit.pub (default KEYDIR/audit.pub)");
  verify_cmd->add_option("--kept-tree-head", verify.kept_tree_head_file,
                         "A tree-head.json an auditor kept: the trail must still hold it (a "
                         "shorter or rewritten trail fails)");

  // S10: offline check of a signed evidence bundle; `audit verify-bundle` is the alias that
  // the API contract names.
  baomi::cmd::BundleVerifyOptions bundle_verify;
  auto add_bundle_options = [&bundle_verify](CLI::App* cmd) {
    cmd->add_option("file", bundle_verify.file, "The bundle (.tar)")->required();
    cmd->add_option("--public-key", bundle_verify.public_key_file, "Auditor's copy of audit.pub")
        ->required();
    cmd->add_flag("--show-entries", bundle_verify.show_entries, "Print every proven entry");
    cmd->add_option("--kept-tree-head", bundle_verify.kept_tree_head_file,
                    "A tree-head.json kept from an earlier bundle: prove the trail only grew");
  };
  auto* verify_bundle_cmd = audit_cmd->add_subcommand(
      "verify-bundle", "Verify a signed evidence bundle offline (same as: evidence verify)");
  add_bundle_options(verify_bundle_cmd);
  auto* evidence_cmd = app.add_subcommand("evidence", "Evidence bundles (S10)");
  evidence_cmd->require_subcommand(1);
  auto* evidence_verify_cmd = evidence_cmd->add_subcommand(
      "verify", "Verify a signed evidence bundle offline, with only the bundle and audit.pub");
  add_bundle_options(evidence_verify_cmd);

  baomi::cmd::MigrateOptions migrate;
  auto* migrate_cmd = app.add_subcommand(
      "migrate",
      "Move an instance from its SQLite file into an empty PostgreSQL database (stop the server "
      "first; exit 0 moved, 1 failed, 2 usage, 3 source refused, 4 source in use, 5 target not "
      "empty, 6 schema version unknown)");
  migrate_cmd->add_option("--from-data", migrate.from_data, "Instance data directory (SQLite)")
      ->required();
  migrate_cmd->add_option("--keys", migrate.keys,
                          "Key directory (default DATA/keys): opens the moved instance to record "
                          "the move in its trail");
  migrate_cmd->add_option("--to", migrate.to, "Empty PostgreSQL database: postgresql://... URL")
      ->required();

  baomi::cmd::BackupOptions backup;
  auto* backup_cmd = app.add_subcommand(
      "backup",
      "Write a signed, consistent backup of an instance while it serves (SQLite; no key is "
      "included; exit 0 written, 1 failed, 2 usage, 3 refused)");
  backup_cmd->add_option("--data", backup.data, "Instance data directory")->required();
  backup_cmd->add_option("--keys", backup.keys,
                         "Key directory (default DATA/keys): audit-signing.key signs the manifest");
  backup_cmd->add_option("--database", backup.database,
                         "A PostgreSQL instance is refused: use pg_dump / pg_basebackup "
                         "(docs/operations.md)");
  backup_cmd
      ->add_option("-o,--output", backup.output, "The backup file to create (never overwritten)")
      ->required();
  backup_cmd->add_option("--current-share-file", backup.current_share_files,
                         "Sealed by key shares: a file holding one current share (repeat K "
                         "times; default: standard input, one a line)");
  backup_cmd->add_option("--current-secret-key", backup.current_secret_keys,
                         "A holder's secret key file that opens a share encrypted to them "
                         "(repeatable)");

  baomi::cmd::RestoreOptions restore;
  auto* restore_cmd = app.add_subcommand(
      "restore",
      "Restore a backup into a new instance directory after checking its signature, digests and "
      "audit trail (exit 0 restored, 1 damaged, 2 usage, 3 target not empty, 4 older than the "
      "kept tree head)");
  restore_cmd->add_option("file", restore.file, "The backup file")->required();
  restore_cmd->add_option("--data", restore.data, "New instance data directory (absent or empty)")
      ->required();
  restore_cmd
      ->add_option("--public-key", restore.public_key_file,
                   "Auditor's copy of the instance's audit.pub")
      ->required();
  restore_cmd->add_option("--kept-tree-head", restore.kept_tree_head_file,
                          "A tree-head.json an auditor kept: refuse a backup whose trail does "
                          "not hold it");

  auto* demo_cmd = app.add_subcommand("demo", "Demo organisation");
  demo_cmd->require_subcommand(1);
  baomi::cmd::DemoOptions demo;
  auto* demo_load = demo_cmd->add_subcommand("load", "Load the demo organisation into an instance");
  demo_load->add_option("--data", demo.data, "Instance data directory")->required();
  demo_load->add_option("--keys", demo.keys, "Key directory (default DATA/keys)");
  demo_load->add_option("--database", demo.database, kDatabaseHelp);
  demo_load->add_option("--password", demo.password, "Password for every demo staff account")
      ->required();
  demo_load->add_option("--leak-file", demo.leak_file,
                        "Write the text of a leaked demo excerpt here, for the auditor (S10)");

  // The client commands that talk to a running server over HTTPS (docs/cli.md).
  baomi::cmd::client::Registry client;
  baomi::cmd::client::add_session_commands(client, app);
  baomi::cmd::client::add_document_commands(client, app);
  baomi::cmd::client::add_request_commands(client, app);
  baomi::cmd::client::add_copy_commands(client, app);
  baomi::cmd::client::add_audit_commands(client, *audit_cmd);
  baomi::cmd::client::add_investigation_commands(client, app);
  auto* operator_cmd =
      app.add_subcommand("operator", "The seal of a server: unseal, seal, seal-status, rekey");
  operator_cmd->require_subcommand(1);
  baomi::cmd::client::add_operator_commands(client, *operator_cmd);
  auto* keys_cmd = app.add_subcommand(
      "keys", "Key lifecycle: rotate, status (running server), rotate-master (stopped instance)");
  keys_cmd->require_subcommand(1);
  baomi::cmd::client::add_key_commands(client, *keys_cmd);
  baomi::cmd::RekeyOptions rekey;
  auto* rekey_cmd = operator_cmd->add_subcommand(
      "rekey",
      "New key shares (N, K or holders) for an instance sealed by shares, from K current "
      "shares (standard input, one a line, or --current-share-file); no data is re-encrypted. "
      "On an instance with a master key file: seal it by shares and remove the key files");
  rekey_cmd->add_option("--data", rekey.data, "Instance data directory")->required();
  rekey_cmd->add_option("--keys", rekey.keys, "Key directory (default DATA/keys)");
  rekey_cmd->add_option("--database", rekey.database, kDatabaseHelp);
  rekey_cmd->add_option("--key-shares", rekey.key_shares, "New number of shares N")->required();
  rekey_cmd->add_option("--key-threshold", rekey.key_threshold, "New threshold K")->required();
  rekey_cmd->add_option("--current-share-file", rekey.current_share_files,
                        "A file holding one current share (repeat K times)");
  rekey_cmd->add_option("--share-file", rekey.share_files,
                        "Write new share i to the i-th file named (0600); default: print once");
  rekey_cmd->add_option("--share-public-key", rekey.share_public_keys,
                        "Encrypt new share i to the i-th holder's public key file (one per share)");
  rekey_cmd->add_option("--current-secret-key", rekey.current_secret_keys,
                        "A holder's secret key file that opens a current share encrypted to them "
                        "(repeatable)");
  baomi::cmd::RotateMasterOptions rotate_master;
  auto* rotate_master_cmd = keys_cmd->add_subcommand(
      "rotate-master",
      "New master key for a stopped instance (a share holder left, the key may be exposed): "
      "every KEK, the purpose root and the audit keys resealed, no data re-encrypted; from its "
      "key file or K current shares; the new key goes to the key file or to new shares");
  rotate_master_cmd->add_option("--data", rotate_master.data, "Instance data directory")
      ->required();
  rotate_master_cmd->add_option("--keys", rotate_master.keys, "Key directory (default DATA/keys)");
  rotate_master_cmd->add_option("--database", rotate_master.database, kDatabaseHelp);
  rotate_master_cmd->add_option("--key-shares", rotate_master.key_shares,
                                "New number of shares N (default: the current N)");
  rotate_master_cmd->add_option("--key-threshold", rotate_master.key_threshold,
                                "New threshold K (default: the current K)");
  rotate_master_cmd->add_option("--current-share-file", rotate_master.current_share_files,
                                "A file holding one current share (repeat K times; default: "
                                "standard input, one a line)");
  rotate_master_cmd->add_option("--current-secret-key", rotate_master.current_secret_keys,
                                "A holder's secret key file that opens a current share encrypted "
                                "to them (repeatable)");
  rotate_master_cmd->add_option("--share-file", rotate_master.share_files,
                                "Write new share i to the i-th file named (0600); default: print "
                                "once");
  rotate_master_cmd->add_option("--share-public-key", rotate_master.share_public_keys,
                                "Encrypt new share i to the i-th holder's public key file (one "
                                "per share)");
  std::string keypair_secret, keypair_public;
  auto* keypair_cmd = operator_cmd->add_subcommand(
      "share-keypair",
      "Make a key holder's X25519 key pair: shares encrypted to the public key open only with "
      "the secret key");
  keypair_cmd->add_option("--secret-key", keypair_secret, "New secret key file (0600)")->required();
  keypair_cmd
      ->add_option("--public-key", keypair_public,
                   "New public key file (give it to whoever runs init or rekey)")
      ->required();
  baomi::cmd::client::add_remote_audit_verify(
      client, verify_cmd, verify.data, verify.database,
      [&verify] { return baomi::cmd::run_audit_verify(verify); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help, the version, or the usage error
    return rc == 0 ? 0 : 2;      // a usage error is exit status 2 (docs/cli.md)
  }
  if (*init_cmd) return baomi::cmd::run_init(init);
  if (*serve_cmd) return baomi::cmd::run_serve(serve);
  if (*rekey_cmd) return baomi::cmd::run_rekey(rekey);
  if (*keypair_cmd) return baomi::cmd::run_share_keypair(keypair_secret, keypair_public);
  if (*rotate_master_cmd) return baomi::cmd::run_rotate_master(rotate_master);
  if (auto rc = client.run_parsed()) return *rc;
  if (*verify_bundle_cmd || *evidence_verify_cmd) {
    return baomi::cmd::run_evidence_verify(bundle_verify);
  }
  if (*migrate_cmd) return baomi::cmd::run_migrate(migrate);
  if (*backup_cmd) return baomi::cmd::run_backup(backup);
  if (*restore_cmd) return baomi::cmd::run_restore(restore);
  if (*demo_load) return baomi::cmd::run_demo_load(demo);
  return 2;
}
