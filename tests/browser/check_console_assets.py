#!/usr/bin/env python3
"""Static checks of the web console's sources (console/), run by ctest as console_assets.

- every catalogue key the code uses exists in both zh-CN.js and en.js, and both hold the
  same keys (one catalogue per language, nothing shown untranslated);
- nothing that breaks the CSP or the session rules: no inline <script>/<style>/style=/on*=
  in HTML, no innerHTML-style sinks, eval, localStorage, sessionStorage or document.cookie
  in the code, no URL of another origin anywhere.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2] / "console")
failures = []


def fail(msg):
    failures.append(msg)


def catalogue(name):
    text = (root / "i18n" / name).read_text(encoding="utf-8")
    return set(re.findall(r"^  '([^']+)':", text, re.M))


zh, en = catalogue("zh-CN.js"), catalogue("en.js")
for key in sorted(zh ^ en):
    fail(f"catalogue key {key!r} is in only one of zh-CN.js / en.js")



def without_comments(text):
    # Comments may name what the code must not use; only the code itself is checked.
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(^|\s)//[^\n]*", r"\1", text)


code = {p: without_comments(p.read_text(encoding="utf-8"))
        for p in sorted(root.rglob("*.js")) if "i18n" not in p.parts}
for path, text in code.items():
    rel = path.relative_to(root)
    for key in re.findall(r"\bt\('([^']+)'", text):
        if key not in zh:
            fail(f"{rel}: t('{key}') has no catalogue entry")
    for prefix in re.findall(r"\bt\(`([a-z_.]+)\.\$\{", text) + re.findall(r"\blabel\('([a-z_.]+)'", text):
        if not any(k.startswith(prefix + ".") for k in zh):
            fail(f"{rel}: no catalogue keys under '{prefix}.'")
    for code_name in re.findall(r"\{code: '([a-z_]+)'\}", text):
        if f"err.{code_name}" not in zh:
            fail(f"{rel}: error code {code_name} has no err.{code_name} text")
    for sink in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "localStorage", "sessionStorage", "document.cookie",
                 "setAttribute('style'", ".style."]:
        if sink in text:
            fail(f"{rel}: uses {sink}")

for path in sorted(root.rglob("*")):
    if path.is_dir():
        continue
    rel = path.relative_to(root)
    if path.suffix in {".html", ".js", ".css"}:
        text = path.read_text(encoding="utf-8")
        if re.search(r"https?://", text):
            fail(f"{rel}: names another origin (the console loads nothing from outside)")
    if path.suffix == ".html":
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in m.group(1):
                fail(f"{rel}: inline <script>")
        if re.search(r"<style\b", text) or re.search(r"\sstyle=", text):
            fail(f"{rel}: inline style")
        if re.search(r"\son[a-z]+=", text):
            fail(f"{rel}: inline event handler")

for f in failures:
    print("FAIL:", f)
print(f"console assets: {len(code)} modules, {len(zh)} catalogue keys, {len(failures)} problems")
sys.exit(1 if failures else 0)
