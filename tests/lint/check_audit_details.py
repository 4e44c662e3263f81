#!/usr/bin/env python3
"""Audit details are typed values serialised in one place (audit::Detail, src/audit/detail.*),
never JSON text built by hand: run by ctest as audit_details_typed.

An entry's detail is hashed into the signed chain and read by auditors' tools
(docs/audit-format.md); one serialiser keeps every detail a well-formed object whatever its
values hold (I1). This check fails on, under src/:

- a JSON serialisation (`serialize(`) or a hand-written JSON object literal (`"{\\"`, `R"({`)
  in a file that writes audit entries (calls `audit.append`/`audit.record` or builds an
  `AuditEvent`), or
- a JSON serialisation inside a function whose name says it makes a detail
  (`to_audit_detail`, `refusal_detail`, ...), wherever it is.

A serialisation in such a file that is not an audit detail (a stored record, a signed
statement) is listed in ALLOWED below, by file and the exact text of its line, with the reason.

Usage: check_audit_details.py [SRC_DIR]   (default: src/ beside tests/)
"""
import pathlib
import re
import sys

# (file relative to src/, text the line contains): why it is not an audit detail.
ALLOWED = {
    ("services/retention/retention.cc", "return boost::json::serialize(s);"):
        "the tombstone statement: stored sealed and signed, never put in the trail",
    ("audit/audit_log.cc", "to_bytes(boost::json::serialize(list))"):
        "the meta copy of the key transitions (a stored record, not an entry)",
}

WRITES_AUDIT = re.compile(r"\b(audit|log)\s*(\.|->)\s*(append|record)\s*\(|\bAuditEvent\s*[{(]")
SERIALISES = re.compile(r"\bserialize\s*\(")
JSON_LITERAL = re.compile(r'"\{\\"|R"\(\{')
# A function definition's first line: starts at column 0 (namespace bodies are not indented,
# STYLE.md / .clang-format), names a function, is not a comment, directive or closing brace.
FUNCTION_HEAD = re.compile(r"^(?![\s}#/])[^;=]*?\b(\w+)\s*\(")
DETAIL_FUNCTION = re.compile(r"detail", re.I)


def strip_comment(line):
    # Good enough for this tree: no `//` inside the string literals the patterns look at.
    at = line.find("//")
    return line if at < 0 else line[:at]


def findings_in(rel, text):
    out = []
    writes_audit = WRITES_AUDIT.search(text) is not None
    function = None
    for number, raw in enumerate(text.splitlines(), 1):
        if raw.startswith("}"):
            function = None
        head = FUNCTION_HEAD.match(raw)
        if head:
            function = head.group(1)
        line = strip_comment(raw)
        if any(rel == f and allowed in line for f, allowed in ALLOWED):
            continue
        where = f"src/{rel}:{number}: "
        if SERIALISES.search(line):
            if function and DETAIL_FUNCTION.search(function):
                out.append(where + f"{function}() serialises JSON itself")
            elif writes_audit:
                out.append(where + "JSON serialised in a file that writes audit entries")
        if writes_audit and JSON_LITERAL.search(line):
            out.append(where + "a JSON object written by hand in a file that writes audit entries")
    return out


def self_test():
    bad = (
        "Result<void> f(Tx& tx) {\n"
        "  boost::json::object detail{{\"n\", 1}};\n"
        "  return rt_.audit.append(tx, {a, b, c, \"allow\", \"\", "
        "boost::json::serialize(detail)}, now);\n"
        "}\n"
        "std::string to_audit_detail(const D& d) {\n"
        "  return json::serialize(json::object{{\"k\", d.k}});\n"
        "}\n")
    hand = "void g() { log.record(store, {a, b, c, \"deny\", \"\", \"{\\\"k\\\":1}\"}, now); }\n"
    good = (
        "Result<void> f(Tx& tx) {\n"
        "  return rt_.audit.append(tx, {a, b, c, \"allow\", \"\", "
        "audit::Detail{}.add(\"n\", 1)}, now);\n"
        "}\n"
        "std::string body(const B& b) { return json::serialize(b.o); }  // a response body\n")
    elsewhere = "std::string body(const B& b) {\n  return json::serialize(b.o);\n}\n"
    assert len(findings_in("x.cc", bad)) == 2, findings_in("x.cc", bad)
    assert len(findings_in("x.cc", hand)) == 1, findings_in("x.cc", hand)
    assert findings_in("y.cc", elsewhere) == []
    # The same response body in a file that audits is flagged unless listed.
    assert len(findings_in("z.cc", good)) == 1, findings_in("z.cc", good)
    assert findings_in("z.cc", good.split("std::string body")[0]) == []


def main():
    self_test()
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else \
        pathlib.Path(__file__).resolve().parents[2] / "src"
    if not root.is_dir():
        print(f"check_audit_details: no source directory {root}", file=sys.stderr)
        return 2
    failures = []
    seen_allowed = set()
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".cc", ".h") or not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        if rel.startswith("audit/detail.") or rel.startswith("client/"):
            continue  # the one serialiser; the client writes no audit entries
        text = path.read_text(encoding="utf-8")
        for f, allowed in ALLOWED:
            if f == rel and allowed in text:
                seen_allowed.add((f, allowed))
        failures += findings_in(rel, text)
    for stale in sorted(set(ALLOWED) - seen_allowed):
        failures.append(f"src/{stale[0]}: ALLOWED entry {stale[1]!r} matches nothing; remove it")
    for f in failures:
        print(f, file=sys.stderr)
    if failures:
        print(f"\n{len(failures)} place(s) where an audit detail may be built without "
              "audit::Detail.\nThe rule: audit details are typed values serialised in one place. "
              "Build the detail with audit::Detail (src/audit/detail.h; extend it, with tests, if "
              "it lacks a type).\nA serialisation that is not an audit detail (a stored record, "
              "a response body) goes in ALLOWED in tests/lint/check_audit_details.py, with the "
              "reason.", file=sys.stderr)
        return 1
    print("audit details: every one is an audit::Detail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
