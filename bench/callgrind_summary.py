#!/usr/bin/env python3
"""Summarises a callgrind profile of `baomi serve` under small reads (bench/read_profile.sh):
instructions per read in the parts of an audited read, from callgrind_annotate --inclusive.
Usage: callgrind_summary.py INCLUSIVE_ANNOTATION READS"""
import re
import sys

# (label, regex on the function column): inclusive instructions of the first function matching.
PARTS = [
    ("whole server (all threads)", r"PROGRAM TOTALS"),
    ("TLS handshakes (wrk's connections; not per read)", r"\?\?\?:SSL_accept "),
    ("handler: authed() (token check + the route)", r"support\.cc:baomi::http::api::authed\("),
    ("handler's token check: http::api::authenticate", r"support\.cc:baomi::http::api::authenticate\("),
    ("  token check: Sessions::authenticate", r"Sessions::authenticate\("),
    ("    document (+version) read with it: Documents::read_ahead", r"Documents::read_ahead\("),
    ("  route: Documents::get", r"Documents::get\(baomi::auth::User"),
    ("    document (+version) read: Documents::load_for", r"Documents::load_for\("),
    ("document lifecycle: Records<DocumentLifecycle>::get_unless_removed", r"Records<baomi::services::DocumentLifecycle>::get_unless_removed\(baomi::storage::ReadTx"),
    ("    waiting on the audit entry: AuditLog::record", r"audit_log\.cc:baomi::audit::AuditLog::record\("),
    ("read transactions: SealedStore::read", r"transaction\.cc:baomi::barrier::SealedStore::read\("),
    ("writer: group commits (SqliteStore::commit_batch)", r"SqliteStore::commit_batch\(std::vector<baomi::storage::WriteQueue::PendingJob, std::allocator<baomi::storage::WriteQueue::PendingJob> >&\) \["),
    ("  audit append with its watches: AuditLog::append", r"audit_log\.cc:baomi::audit::AuditLog::append\(baomi::storage::WriteTx"),
    ("    the watches: Watches::observe", r"Watches::observe\("),
    ("      read watch: ReadWatch::observe", r"ReadWatch::observe\("),
    ("      its counts record: SealedObjects::get", r"SealedObjects::get\("),
    ("    the entry: AuditLog::append_entry", r"AuditLog::append_entry\("),
    ("      Merkle tree: extend_tree", r"extend_tree\("),
    ("record MAC checks: Barrier::check_row_mac", r"Barrier::check_row_mac\("),
    ("data-key unwraps: Keyring::unwrap", r"Keyring::unwrap\("),
    ("field decryption: aead_open", r"crypto::aead_open\("),
    ("ledger checks: latest_record_write", r"latest_record_write\("),
    ("row with its ledger entry: get_row_and_latest_write", r"get_row_and_latest_write\("),
    ("record cache: RecordCache::find", r"RecordCache::find\("),
    ("SQLite statements: sqlite3_step", r"\?\?\?:sqlite3_step "),
    ("SQLite BEGIN/COMMIT text: sqlite3_exec", r"\?\?\?:sqlite3_exec "),
    ("malloc", r"\?\?\?:malloc "),
    ("access log line", r"AccessLogRecord const&"),
]


def main():
    path, reads = sys.argv[1], int(sys.argv[2])
    rows = []
    for line in open(path):
        m = re.match(r"\s*([0-9,]+) \(\s*([0-9.]+)%\)\s+(.*)", line)
        if m:
            rows.append((int(m.group(1).replace(",", "")), float(m.group(2)), m.group(3)))
    total = next(ir for ir, _, fn in rows if "PROGRAM TOTALS" in fn)
    handshakes = next((ir for ir, _, fn in rows if re.search(PARTS[1][1], fn + " ")), 0)
    per_read = (total - handshakes) / reads
    print(f"{reads} reads; {per_read:,.0f} instructions per read without TLS handshakes")
    print(f"{'instructions/read':>18}  {'share':>6}  part")
    for label, pattern in PARTS:
        ir = next((ir for ir, _, fn in rows if re.search(pattern, fn + " ")), None)
        if ir is None:
            print(f"{'-':>18}  {'':>6}  {label}")
            continue
        print(f"{ir / reads:>18,.0f}  {100 * ir / (total - handshakes):5.1f}%  {label}")


if __name__ == "__main__":
    main()
