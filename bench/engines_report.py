#!/usr/bin/env python3
"""Markdown report of bench/engines.sh: reads its "key value" results file."""
import statistics
import sys


def load(path):
    values = {}
    for line in open(path, encoding="utf-8"):
        key, _, value = line.rstrip("\n").partition(" ")
        values.setdefault(key, []).append(value)
    return values


def median_rate(values, key, mib):
    secs = [float(s) for s in values.get(key, [])]
    return mib * 1.048576 / statistics.median(secs) if secs else None


def main():
    r = load(sys.argv[1])
    cores = int(sys.argv[2])
    mib = int(r["mib"][0])
    wrk_s = float(r["wrk_seconds"][0])
    names = {"sqlite": "SQLite, 1 instance", "pg": "PostgreSQL, 1 instance",
             "pg2": "PostgreSQL, 2 instances (HAProxy)"}
    rows = []
    per_req = {}
    for key, label in names.items():
        if f"{key}_rps" not in r:
            continue
        rps = float(r[f"{key}_rps"][0])
        requests = float(r[f"{key}_requests"][0])
        baomi = float(r[f"{key}_baomi_cpu"][0])
        pg = float(r[f"{key}_pg_cpu"][0])
        hap = float(r[f"{key}_haproxy_cpu"][0])
        commits = int(r[f"{key}_commits"][0])
        per_req[key] = (baomi / requests * 1e6, pg / requests * 1e6, hap / requests * 1e6,
                        requests / commits if commits else None, commits / wrk_s)
        rows.append((label, rps, r[f"{key}_p99"][0],
                     median_rate(r, f"{key}_upload_s", mib), median_rate(r, f"{key}_download_s", mib)))
    base = rows[0][1] if rows else None
    print(f"- command: `bench/engines.sh`; {r['date'][0]}; Baomi at {r['commit'][0]}, {r.get('build_type', ['?'])[0]} build; "
          f"PostgreSQL {r['pg_version'][0]} (scratch cluster, fsync on); {cores} cores; "
          f"load average before {r['load_before'][0]}, after {r['load_after'][0]}")
    print()
    print(f"| configuration | audited small reads, wrk -c64 | vs SQLite | p99 | {mib} MiB upload | {mib} MiB download |")
    print("|---|---|---|---|---|---|")
    for label, rps, p99, up, down in rows:
        print(f"| {label} | {rps:,.0f} req/s | {rps / base:.2f} | {p99} | "
              f"{up:.0f} MB/s | {down:.0f} MB/s |")
    print()
    print("CPU per audited read during the wrk run, and commits:")
    print()
    print("| configuration | baomi CPU/req | PostgreSQL CPU/req | HAProxy CPU/req | reads per WAL flush | WAL flushes/s |")
    print("|---|---|---|---|---|---|")
    for key, label in names.items():
        if key not in per_req:
            continue
        b, p, h, per_commit, cps = per_req[key]
        pc = f"{per_commit:.1f}" if per_commit else "n/a (SQLite)"
        cs = f"{cps:,.0f}" if per_commit else "n/a"
        print(f"| {label} | {b:.0f} µs | {p:.0f} µs | {h:.0f} µs | {pc} | {cs} |")
    print()
    fs = r.get("fsync_per_s", [""])[0]
    if fs:
        print(f"- pg_test_fsync (fdatasync, this disk): {float(fs):,.0f} flushes/s: the ceiling on "
              "commits/s for the one chain, since every instance's commit holds the chain's "
              "advisory lock through its WAL flush.")
    for key in names:
        if f"{key}_verify" in r:
            print(f"- {names[key]}: `baomi audit verify` afterwards: {r[f'{key}_verify'][0].replace('_', ' ')}")
    for key in names:
        if f"{key}_upload_s" in r:
            ups = ", ".join(f"{mib * 1.048576 / float(s):.0f}" for s in r[f"{key}_upload_s"])
            downs = ", ".join(f"{mib * 1.048576 / float(s):.0f}" for s in r[f"{key}_download_s"])
            print(f"- {names[key]}: upload MB/s per repetition {ups}; download {downs}")


if __name__ == "__main__":
    main()
