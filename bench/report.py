#!/usr/bin/env python3
"""Turns one bench/run.sh run into a table (figure, value, target/peer, ratio, verdict),
prints it, and writes the markdown report (docs/benchmarks.md for a full run).

Inputs: the run's results file ("key value" lines; a key repeated once per repetition), the
Google Benchmark JSON of the micro-benchmarks, and wrk's output files named in the results.
A hand-written analysis between the ANALYSIS markers of an existing report is kept as it is.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys

ANALYSIS_BEGIN = "<!-- analysis:begin (kept by bench/report.py; edit freely) -->"
ANALYSIS_END = "<!-- analysis:end -->"
MB = 1e6  # throughput in decimal MB/s, as curl and nginx's figures are usually quoted

# DESIGN.md "Performance targets": the limits and peer figures measured when it was written.
DESIGN_AES_GCM = 3e9
DESIGN_XCHACHA = 1.1e9
DESIGN_BLAKE2B = 0.95e9
DESIGN_ED25519 = 43e3
DESIGN_NGINX_100MB = 700e6
DESIGN_NGINX_SMALL = 44e3


def read_results(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            if key:
                values.setdefault(key, []).append(value)
    return values


def read_micro(path):
    """{(run_name, aggregate): benchmark entry}; plain runs are stored as aggregate 'mean'."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = {}
    for b in data.get("benchmarks", []):
        if b.get("error_occurred"):
            raise SystemExit(f"report: micro-benchmark {b['name']} failed: {b.get('error_message')}")
        agg = b.get("aggregate_name", "mean")
        out[(b.get("run_name", b["name"]), agg)] = b
    return out


def to_seconds(text):
    m = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unknown wrk duration {text!r}")
    return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[m.group(2)]


def read_wrk(path):
    text = open(path, encoding="utf-8").read()
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", text)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sock = re.search(r"Socket errors:(.*)", text)
    total = re.search(r"(\d+) requests in", text)
    if not (rps and p99 and p50 and total):
        raise SystemExit(f"report: cannot read wrk output {path}:\n{text}")
    return {
        "rps": float(rps.group(1)),
        "p50": to_seconds(p50.group(1)),
        "p99": to_seconds(p99.group(1)),
        "requests": int(total.group(1)),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sock.group(1).strip() if sock else "none",
    }


def verify_run(results, name):
    """(entries, wall seconds, CPU seconds) of one timed `baomi audit verify`."""
    line = results[f"{name}_line"][0].replace("_", " ")
    n = re.search(r"ok: (\d+) entries", line)
    if not n:
        raise SystemExit(f"report: audit verify did not succeed: {line}")
    return int(n.group(1)), float(results[f"{name}_s"][0]), float(results[f"{name}_cpu"][0])


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
        "nginx": sh("nginx -v 2>&1").replace("nginx version: ", ""),
        "openssl": sh("openssl version"),
        "curl": " ".join(sh("curl --version").split()[:2]),
        "wrk": sh("wrk -v 2>&1 | head -1").split(" [")[0],
        "commit": sh("git -C '%s' rev-parse --short HEAD 2>/dev/null" % os.path.dirname(__file__))
        or "uncommitted working tree",
        # top-level files and folders with uncommitted changes ("XY path" lines, path from column 4)
        "dirty": sorted({path.split("/")[0] + ("/" if "/" in path else "")
                         for path in sh("git -C '%s' status --porcelain 2>/dev/null | cut -c4-" %
                                        os.path.dirname(__file__)).splitlines() if path}),
    }


class Table:
    def __init__(self):
        self.rows = []

    def add(self, figure, value, target="", ratio=None, verdict="info"):
        self.rows.append((figure, value, target, "" if ratio is None else f"{ratio:.2f}", verdict))

    def text(self):
        head = ("figure", "value", "target / peer", "ratio", "verdict")
        widths = [max(len(r[i]) for r in self.rows + [head]) for i in range(5)]
        line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
        return "\n".join([line(head), line(tuple("-" * w for w in widths))] + [line(r) for r in self.rows])

    def markdown(self):
        out = ["| figure | value | target / peer | ratio | verdict |", "|---|---|---|---|---|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in self.rows]
        return "\n".join(out)


MISSED = "not met yet"


def verdict(ok):
    return "met" if ok else MISSED


def rate_text(bps):
    return f"{bps / MB:.0f} MB/s" if bps < 10e9 else f"{bps / 1e9:.1f} GB/s"


def build(results, micro):
    """(table, details, causes): causes maps a figure to one line on what the run's own data
    (CPU seconds, start-up cost, the micro-benchmarks) says about it; shown when it is missed."""
    table = Table()
    details = []
    causes = {}
    mib = int(results["file_mib"][0])
    size = mib * 1024 * 1024
    med = lambda key: statistics.median(float(v) for v in results[key])
    runs = lambda key: ", ".join(f"{size / float(v) / MB:.0f}" for v in results[key])

    def m(name, field, agg="median"):
        entry = micro.get((name, agg)) or micro.get((name, "mean"))
        if entry is None:
            raise SystemExit(f"report: micro-benchmark {name} missing")
        return float(entry[field])

    # Raw crypto on this machine (CPU time, so other load on the machine counts less).
    seal = m("BM_ChunkCipherSeal256K", "bytes_per_second")
    open_ = m("BM_ChunkCipherOpen256K", "bytes_per_second")
    table.add("AES-256-GCM chunk seal (256 KiB, ChunkCipher)", rate_text(seal), "limit ≈3 GB/s/core", seal / DESIGN_AES_GCM)
    table.add("AES-256-GCM chunk open (256 KiB, ChunkCipher)", rate_text(open_), "limit ≈3 GB/s/core", open_ / DESIGN_AES_GCM)
    xc = m("BM_XChaChaSeal/262144", "bytes_per_second")
    table.add("XChaCha20-Poly1305 seal (256 KiB, aead_seal)", rate_text(xc), "limit ≈1.1 GB/s/core", xc / DESIGN_XCHACHA)
    xf = m("BM_XChaChaSeal/64", "cpu_time")
    table.add("XChaCha20-Poly1305 field box (64 B)", f"{xf:.0f} ns", "")
    sha = m("BM_Sha256", "bytes_per_second")
    sha_ossl = m("BM_Sha256OpenSSL", "bytes_per_second")
    table.add("SHA-256 upload digest (crypto::Sha256, OpenSSL EVP)", rate_text(sha), "OpenSSL SHA-256, same run", sha / sha_ossl)
    table.add("SHA-256, OpenSSL EVP (comparison)", rate_text(sha_ossl), "")
    b2 = m("BM_Blake2b/262144", "bytes_per_second")
    table.add("BLAKE2b-256 (256 KiB)", rate_text(b2), "limit ≈0.95 GB/s", b2 / DESIGN_BLAKE2B)
    ed = m("BM_Ed25519Sign", "items_per_second")
    table.add("Ed25519 sign", f"{ed / 1e3:.1f}k/s", "limit ≈43k/s", ed / DESIGN_ED25519)

    # 100 MiB through both servers.
    ngx = size / med("nginx_download_s")
    dl = size / med("download_s")
    ul = size / med("upload_s")
    table.add(f"nginx static {mib} MiB download, TLS 1.3 (peer)", rate_text(ngx), "DESIGN.md ≈700 MB/s", ngx / DESIGN_NGINX_100MB)
    table.add(f"Baomi encrypted {mib} MiB download", rate_text(dl), "≥ 0.8 × nginx", dl / ngx, verdict(dl >= 0.8 * ngx))
    table.add(f"Baomi encrypted {mib} MiB upload", rate_text(ul), "≥ 0.5 × nginx download", ul / ngx, verdict(ul >= 0.5 * ngx))
    table.add("Baomi download vs raw AES-GCM open", rate_text(dl), "AES-GCM open, 1 core", dl / open_)
    details.append(f"- {mib} MiB transfers, MB/s per repetition: Baomi upload {runs('upload_s')}; "
                   f"Baomi download {runs('download_s')}; nginx download {runs('nginx_download_s')} "
                   f"(the table shows the medians).")
    ngx_cpu = med("nginx_download_s_cpu")
    for what, key, rate in (("download", "download_s", dl), ("upload", "upload_s", ul)):
        wall, cpu = size / rate, med(f"{key}_cpu")
        line = (f"the server used {cpu:.2f} s CPU over {wall:.2f} s wall ({cpu / wall:.0%} of one core) "
                f"where nginx used {ngx_cpu:.2f} s to send the same bytes")
        busy = cpu / wall
        waits = "storage writes and syncs, or the client" if what == "upload" else "storage reads, or the client"
        if busy >= 0.8:
            line += ": CPU-bound"
        elif busy >= 0.5:
            line += f": partly CPU-bound, idle {1 - busy:.0%} of the time ({waits})"
        else:
            line += f": not CPU-bound, idle {1 - busy:.0%} of the time ({waits})"
        line += f"; {cpu / max(ngx_cpu, 0.01):.0f}× nginx's CPU for the same bytes"
        if what == "upload":
            line += (f"; the SHA-256 upload digest alone ({rate_text(sha)}) costs "
                     f"{size / sha:.2f} s of that CPU, OpenSSL's would cost {size / sha_ossl:.2f} s")
            disk = 100 * 1024 * 1024 / float(results["disk_write_100mib_seconds"][0])
            line += (f"; every byte is also written durably (once, into its version's chunk file, synced "
                     f"before the commit that indexes it), and this disk writes {rate_text(disk)} synced, so "
                     f"the store alone caps a durable upload near {rate_text(disk)} "
                     f"({disk / ngx:.2f} × nginx's download)")
        causes[f"Baomi encrypted {mib} MiB {what}"] = line + "."
    details.append(f"- Server CPU seconds per {mib} MiB (median): Baomi upload {med('upload_s_cpu'):.2f}, "
                   f"Baomi download {med('download_s_cpu'):.2f}, nginx download {med('nginx_download_s_cpu'):.2f}.")
    if all(f"{k}_client_cpu" in results for k in ("upload_s", "download_s", "nginx_download_s")):
        details.append(f"- Client (curl) CPU seconds per {mib} MiB (median; curl shares the "
                       f"{os.cpu_count() or 1} cores with the server): Baomi upload "
                       f"{med('upload_s_client_cpu'):.2f}, Baomi download {med('download_s_client_cpu'):.2f}, "
                       f"nginx download {med('nginx_download_s_client_cpu'):.2f}.")

    # Small authorised reads against nginx's small file.
    w_ngx = read_wrk(results["wrk_file_nginx_small"][0])
    w_api = read_wrk(results["wrk_file_api_metadata"][0])
    table.add("nginx small file, wrk -c64 (peer)", f"{w_ngx['rps']:,.0f} req/s", "DESIGN.md ≈44k req/s", w_ngx["rps"] / DESIGN_NGINX_SMALL)
    table.add("Baomi GET /documents/{id} (audited), wrk -c64", f"{w_api['rps']:,.0f} req/s", "≥ 0.5 × nginx",
              w_api["rps"] / w_ngx["rps"], verdict(w_api["rps"] >= 0.5 * w_ngx["rps"] and w_api["non2xx"] == 0))
    table.add("Baomi GET /documents/{id} p99 latency", f"{w_api['p99'] * 1e3:.1f} ms", "< 20 ms", None, verdict(w_api["p99"] < 0.020))
    table.add("nginx small file p99 latency (peer)", f"{w_ngx['p99'] * 1e3:.1f} ms", "")
    api_us = float(results["wrk_file_api_metadata_cpu"][0]) / w_api["requests"] * 1e6
    ngx_us = float(results["wrk_file_nginx_small_cpu"][0]) / w_ngx["requests"] * 1e6
    cores = os.cpu_count() or 1
    busy = api_us * 1e-6 * w_api["rps"]
    ceiling = cores / (api_us * 1e-6)
    line = (f"{api_us:.0f} µs server CPU per request against nginx's {ngx_us:.0f} µs; the server kept "
            f"{busy:.2f} of {cores} cores busy (wrk shares them)")
    if ceiling < 0.5 * w_ngx["rps"]:
        line += (f": at that cost {cores} cores serve at most {ceiling:,.0f} req/s, below the "
                 f"{0.5 * w_ngx['rps']:,.0f} req/s target, so CPU per request is the limit")
    else:
        line += (f": the CPU would allow {ceiling:,.0f} req/s, so the server waits (a durable audit "
                 f"entry per request) rather than computes")
    wrk_us = {}  # wrk's own CPU per request in each run: it shares the cores with the server
    for key, w in (("wrk_file_nginx_small", w_ngx), ("wrk_file_api_metadata", w_api)):
        if f"{key}_client_cpu" in results:
            wrk_us[key] = float(results[f"{key}_client_cpu"][0]) / w["requests"] * 1e6
    if len(wrk_us) == 2:
        c_api, c_ngx = wrk_us["wrk_file_api_metadata"], wrk_us["wrk_file_nginx_small"]
        line += (f"; wrk itself took {c_api:.0f} µs per request here ({c_ngx:.0f} µs in the nginx run), "
                 f"so server and client together kept {(api_us + c_api) * 1e-6 * w_api['rps']:.2f} of "
                 f"{cores} cores busy")
        details.append(
            f"- Client (wrk) CPU per request: nginx run {c_ngx:.0f} µs, Baomi run {c_api:.0f} µs. Server + "
            f"client CPU per request bound what {cores} cores can do: nginx at most "
            f"{cores / ((ngx_us + c_ngx) * 1e-6):,.0f} req/s (measured {w_ngx['rps']:,.0f}), Baomi at most "
            f"{cores / ((api_us + c_api) * 1e-6):,.0f} req/s (measured {w_api['rps']:,.0f}); when both are "
            f"bound by the machine, the ratio is that of their CPU per request, "
            f"{(ngx_us + c_ngx) / (api_us + c_api):.2f}, on any number of cores.")
    causes["Baomi GET /documents/{id} (audited), wrk -c64"] = line + "."
    causes["Baomi GET /documents/{id} p99 latency"] = (
        f"64 connections at {w_api['rps']:,.0f} req/s make {64 / w_api['rps'] * 1e3:.0f} ms per request "
        f"on average (Little's law; p50 {w_api['p50'] * 1e3:.1f} ms): the latency follows from the throughput.")
    for name, w, key in (("nginx small file", w_ngx, "wrk_file_nginx_small_cpu"),
                         ("Baomi metadata", w_api, "wrk_file_api_metadata_cpu")):
        cpu_us = float(results[key][0]) / w["requests"] * 1e6
        details.append(f"- wrk {name}: {w['requests']:,} requests, p50 {w['p50'] * 1e3:.2f} ms, "
                       f"p99 {w['p99'] * 1e3:.2f} ms, non-2xx {w['non2xx']}, socket errors: {w['socket_errors']}; "
                       f"server CPU {cpu_us:.0f} µs per request.")

    # Policy and audit.
    pol = m("BM_PolicyDecideAllow", "cpu_time")
    pol_deny = m("BM_PolicyDecideDeny", "cpu_time")
    table.add("policy decide() (allow)", f"{pol:.1f} ns", "< 500 ns median", pol / 500, verdict(pol < 500))
    table.add("policy decide() (deny, need_to_know)", f"{pol_deny:.1f} ns", "< 500 ns median", pol_deny / 500, verdict(pol_deny < 500))
    av = m("BM_AuditChainVerify/100000", "items_per_second")
    table.add("audit ChainVerifier (100k entries, in memory)", f"{av / 1e6:.2f}M entries/s", "≥ 1M entries/s", av / 1e6, verdict(av >= 1e6))
    entries, secs, cpu = verify_run(results, "audit_verify")
    entries0, secs0, cpu0 = verify_run(results, "audit_verify_empty")
    table.add(f"`baomi audit verify`, whole command ({entries:,} entries)", f"{entries / secs / 1e3:,.0f}k entries/s",
              "≥ 1M entries/s", entries / secs / 1e6, verdict(entries / secs >= 1e6))
    marginal = (entries - entries0) / max(secs - secs0, 1e-6)
    table.add("`baomi audit verify`, less start-up cost", f"{marginal / 1e3:,.0f}k entries/s",
              "≥ 1M entries/s", marginal / 1e6, verdict(marginal >= 1e6))
    causes[f"`baomi audit verify`, whole command ({entries:,} entries)"] = (
        f"start-up (keys, SQLite) takes {secs0:.3f} s of the {secs:.3f} s on a fresh instance, "
        f"{secs0 / secs:.0%} of the whole command on this {entries:,}-entry trail; the rest is the "
        f"per-entry cost (next line).")
    causes["`baomi audit verify`, less start-up cost"] = (
        f"the in-memory ChainVerifier checks {av / 1e6:.2f}M entries/s in this run, so the rest of "
        f"the per-entry cost ({1e6 / marginal - 1e6 / av:.1f} of {1e6 / marginal:.1f} µs) is reading "
        f"and decoding entries from storage, not hashing; CPU {cpu:.3f} s of {secs:.3f} s wall.")
    details.append(f"- `baomi audit verify` at the end: {entries:,} entries in {secs:.3f} s wall, {cpu:.3f} s CPU; "
                   f"on the fresh instance ({entries0} entries): {secs0:.3f} s wall, {cpu0:.3f} s CPU. "
                   "\"Less start-up cost\" is (entries − entries₀) / (wall − wall₀).")
    seal_entry = m("BM_AuditSealEntry", "cpu_time")
    table.add("audit entry hash (seal_entry)", f"{seal_entry:.0f} ns", "")
    causes["Baomi GET /documents/{id} (audited), wrk -c64"] += (
        f" The policy decision ({pol:.0f} ns) and the audit entry hash ({seal_entry:.0f} ns) are "
        f"{(pol + seal_entry) / (api_us * 1e3):.1%} of that CPU; the rest is in what no micro-benchmark "
        f"here isolates (the storage transaction and its sync, the token check, JSON, TLS records).")

    # Customer search (C3): the whole service path, whose p99 is the audit entry's fdatasync.
    n_cust = int(results["customer_records"][0])
    c50 = float(results["customer_search_service_p50_us"][0])
    c99 = float(results["customer_search_service_p99_us"][0])
    r99 = float(results["customer_search_read_path_p99_us"][0])
    f50 = float(results["fdatasync_p50_us"][0])
    f99 = float(results["fdatasync_p99_us"][0])
    disk = 100 * 1024 * 1024 / float(results["disk_write_100mib_seconds"][0])
    table.add("disk: 100 MiB written and fdatasync'd (the bound on a durable upload)", rate_text(disk), "")
    search = f"customer search by phone over {n_cust:,} records, with its audit entry, p99"
    table.add(search, f"{c99 / 1e3:.1f} ms", "< 5 ms", c99 / 5e3, verdict(c99 < 5e3))
    table.add("customer search, p50", f"{c50 / 1e3:.2f} ms", "")
    table.add("fdatasync of a 4 KiB write on this disk, p99 (the limit under an audited search)",
              f"{f99 / 1e3:.1f} ms", "")
    causes[search] = (
        f"without the audit write the read path's p99 is {r99 / 1e3:.2f} ms; the rest is the durable "
        f"audit entry: this disk's own fdatasync takes {f50 / 1e3:.1f} ms at p50 and {f99 / 1e3:.1f} ms "
        f"at p99 (500 synced 4 KiB writes in this run).")
    details.append(f"- Customer search: {n_cust:,} sealed, blind-indexed records loaded in "
                   f"{float(results['customer_insert_seconds'][0]):.0f} s, then "
                   f"{results['customer_searches'][0]} searches by phone through `Customers::search` "
                   f"(policy, lookup, unseal, mask, durable audit entry): p50 {c50:.0f} µs, p99 {c99:.0f} µs; "
                   f"read path alone p99 {r99:.0f} µs; fdatasync p50 {f50:.0f} µs, p99 {f99:.0f} µs.")

    # Copies: marked prints and text fingerprints. DESIGN.md sets no target for them; the
    # expectations are the product's (a print issued well under a second, a text copy in a few
    # ms); ratio = time / expectation, so below 1 is within it. Verdict "info": no target.
    details += copies(table, m)

    # Peak memory.
    big = int(results["big_mib"][0])
    for key, what in (("big_upload", "upload"), ("big_download", "download")):
        hwm = int(results[f"{key}_hwm_kb"][0]) * 1024
        sampled = int(results[f"{key}_rss_kb"][0]) * 1024
        table.add(f"peak RSS, {big} MiB {what} (VmHWM)", f"{hwm / MB:.0f} MB", "< 100 MB", hwm / 100e6, verdict(hwm < 100e6))
        details.append(f"- {big} MiB {what}: VmHWM {hwm / MB:.1f} MB; largest VmRSS sampled every 50 ms "
                       f"{sampled / MB:.1f} MB; RSS before the big transfers "
                       f"{int(results['rss_before_kb'][0]) * 1024 / MB:.1f} MB.")
    details.append(f"- TLS negotiated: Baomi {results['tls_baomi'][0].replace('_', ' ')}; "
                   f"nginx {results['tls_nginx'][0].replace('_', ' ')}.")
    details.append(f"- Small file: {results['small_bytes'][0]} bytes (the metadata JSON Baomi returned).")
    return table, details, causes


def copies(table, m):
    details = []
    for name, what, src in (("BM_TypesetPrint20Pages", "typeset from text", "text"),
                            ("BM_StampPdf20Pages", "stamped onto a PDF", "source PDF")):
        cpu, real = m(name, "cpu_time"), m(name, "real_time")  # ms (Unit kMillisecond)
        pages = int(m(name, "pages"))
        table.add(f"marked print, {pages} A4 pages {what}", f"{cpu:.0f} ms",
                  "no target (expect < 1 s)", cpu / 1000)
        details.append(f"- Marked print {what} ({pages} pages, {m(name, 'text_chars_per_page'):,.0f} "
                       f"mixed characters a page; {src} {m(name, 'source_bytes') / 1e3:,.0f} kB -> PDF "
                       f"{m(name, 'pdf_bytes') / 1e3:,.0f} kB): {cpu:.0f} ms CPU, {real:.0f} ms wall "
                       f"(median); {cpu / pages:.1f} ms CPU per page.")
    details.append(f"- First print in a fresh process (fonts loaded, caches cold): "
                   f"{m('BM_TypesetPrint20Pages', 'first_print_ms'):.0f} ms wall for the same 20 pages.")
    emb = m("BM_FingerprintEmbed100K", "cpu_time") / 1e3  # ms (Unit kMicrosecond)
    kb = m("BM_FingerprintEmbed100K", "text_bytes") / 1e3
    table.add(f"fingerprint a text copy ({kb:.0f} kB, embed_fingerprint)", f"{emb:.2f} ms",
              "no target (expect < 10 ms)", emb / 10)
    ex = m("BM_FingerprintDecodeExcerpt200", "items_per_second")
    table.add("decode_fingerprint, 200-character excerpts", f"{ex / 1e3:,.0f}k excerpts/s", "no target")
    whole = m("BM_FingerprintDecodeWhole100K", "bytes_per_second")
    table.add("decode_fingerprint, whole marked text", rate_text(whole), "no target")
    details.append(f"- Fingerprints: embedding runs at {rate_text(m('BM_FingerprintEmbed100K', 'bytes_per_second'))} "
                   f"of input text; one 200-character excerpt decodes in {1e6 / ex:.1f} µs; the whole marked "
                   f"text ({m('BM_FingerprintDecodeWhole100K', 'marked_bytes') / 1e3:,.0f} kB with its symbols) "
                   f"in {m('BM_FingerprintDecodeWhole100K', 'cpu_time'):,.0f} µs.")
    return details


def kept_analysis(path):
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return None
    start, end = text.find(ANALYSIS_BEGIN), text.find(ANALYSIS_END)
    if start < 0 or end < start:
        return None
    return text[start + len(ANALYSIS_BEGIN):end].strip("\n")


def missed(table, causes):
    """One line per figure that misses its target: value, target, and the likely cause."""
    out = []
    for figure, value, target, _, v in table.rows:
        if v == MISSED:
            why = causes.get(figure, "the run's data does not show why")
            out.append(f"- {figure}: {value}, target {target}. Likely cause: {why}")
    return out


def markdown(table, details, results, mach, command, analysis, misses):
    loads = (f"before {results['load_before'][0]}, after the load tests {results['load_after_load'][0]}, "
             f"at the end {results['load_after'][0]} (1/5/15-minute)")
    lines = [
        "# Benchmarks",
        "",
        "The latest figures from the benchmark harness, measured in one run, side by side on one",
        "machine (DESIGN.md \"Performance targets\"). Regenerate with the command below; the table",
        "and the details are rewritten, the analysis section is kept.",
        "",
        f"- command: `{command}`" + (" (quick mode: smaller files, shorter runs)" if results["mode"][0] == "quick" else ""),
        f"- date: {results['date'][0] if 'date' in results else datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {mach['nproc']} cores ({mach['cpu']}), {mach['memory']}, {mach['os']}, Linux {mach['kernel']}",
        f"- load average: {loads}",
        f"- software: {mach['nginx']}, {mach['openssl']}, {mach['curl']}, {mach['wrk']}; "
        f"Baomi at {mach['commit']}"
        f"{' with uncommitted changes in ' + ', '.join(mach['dirty']) if mach['dirty'] else ''}, Release build",
        "",
        table.markdown(),
        "",
        "Verdicts compare with DESIGN.md's targets. Ratios against a DESIGN.md figure (\"limit\",",
        "\"≈\") are for orientation only: those were measured on another day; the targets that",
        "name nginx are judged against nginx measured in this same run. Rows marked \"info\" have",
        "no DESIGN.md target; where a product expectation is named instead, the ratio is",
        "time / expectation (below 1 is within it).",
        "",
        "## Not met yet",
        "",
        *(misses or ["- Every target is met."]),
        "",
        "## Details",
        "",
        *details,
        "",
        "## Method",
        "",
        "- Micro-benchmarks: Google Benchmark (`build/bench/bench/baomi_microbench`), median of",
        "  the repetitions, CPU time per iteration (so other processes on the machine distort it",
        "  less than wall time would). A policy decision is the median of per-repetition means.",
        "  Debian's libbenchmark calls itself a DEBUG build; the timed loop is inlined into the",
        "  Release-built benchmarks, so that does not slow the figures.",
        "- Transfers: curl over HTTPS/1.1 on 127.0.0.1 (`-k`, same options for both servers), a",
        "  file of random bytes; upload `curl -T` (PUT, streamed, with Content-Length), download",
        "  `-o /dev/null`; rate = bytes / curl's `time_total`; Baomi and nginx runs interleaved,",
        "  median of the repetitions. The content downloaded is checked against the upload (SHA-256).",
        "- nginx: its own config in a scratch directory (`bench/nginx.conf.in`), TLS 1.3 only,",
        "  Baomi's certificate and key, access log on (Baomi logs every request too).",
        "- Small reads: `wrk -t2 -c64 -d10s --latency`; Baomi with the reader's bearer token on",
        "  `GET /api/v1/documents/{id}` (policy decision + a durable audit entry per request),",
        "  nginx on a static file holding the same JSON bytes.",
        "- Peak memory: `VmHWM` of `baomi serve` reset (`/proc/PID/clear_refs` = 5) just before the",
        "  big transfer, read just after; a 50 ms VmRSS sampler cross-checks it.",
        "- Copies (no DESIGN.md target): `marking::typeset_text_pdf` on deterministic mixed",
        "  Chinese/ASCII text (`bench/sample_text.h`) sized to fill exactly 20 A4 pages (checked);",
        "  `marking::stamp_pdf` on a 20-page PDF made by the typesetter; `embed_fingerprint` on",
        "  ~100 kB of that text; `decode_fingerprint` on 256 random 200-character excerpts (each",
        "  checked to decode) and on the whole marked text. Ratios there are time / expectation.",
        "- wrk, curl and the servers share the machine's cores, for Baomi and nginx alike.",
        "",
        "## Analysis",
        "",
        ANALYSIS_BEGIN,
        analysis if analysis is not None else "(No analysis written yet for these figures.)",
        ANALYSIS_END,
        "",
    ]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--results", required=True)
    ap.add_argument("--micro", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--command", default="bench/run.sh")
    args = ap.parse_args()
    results = read_results(args.results)
    table, details, causes = build(results, read_micro(args.micro))
    misses = missed(table, causes)
    print(table.text())
    print()
    if misses:
        print("Not met yet:")
        print("\n".join(misses))
        print()
    print("\n".join(details))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    text = markdown(table, details, results, machine(), args.command, kept_analysis(args.out), misses)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
