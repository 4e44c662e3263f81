#!/usr/bin/env python3
"""Finds file-local names that would collide in a unity (jumbo) build.

CI compiles each target as a unity build (CMAKE_UNITY_BUILD): several .cc files of one target
become one translation unit, so two files of a target may not both define the same name in an
anonymous namespace or as a `static` at namespace scope, nor the same class at namespace scope,
and a .cc file may not leave a file-scope `using namespace` behind for the next file. (A source
that #defines a macro before its includes is kept out of batches by CMakeLists.txt instead.) Which files
share a unity batch depends on their order and the batch size, so this check looks at every
pair of files in a target, not just the batches of today's build.

Usage: scripts/unity-names.py [ROOT]   (exit 1 and a list when a name collides)

The parse is line-based and relies on the tree being clang-formatted (namespace-scope
declarations start in column 0, namespaces close with `}  // namespace`).
"""
import os
import re
import sys
from collections import defaultdict

DECL_PATTERNS = [
    # struct/class/enum/union definitions (not forward declarations)
    re.compile(r"^(?:template\s*<.*>\s*)?(?:struct|class|union|enum(?:\s+class)?)\s+(?:\[\[[^\]]*\]\]\s*)?(\w+)\b(?!\s*;)"),
    re.compile(r"^using\s+(\w+)\s*="),
    re.compile(r"^(?:typedef\s+.*\b)(\w+)\s*;"),
    # variables: `[static] [constexpr|const|inline] type name = / { / [ / ;`
    re.compile(r"^(?:static\s+|inline\s+|constexpr\s+|const\s+|thread_local\s+)*[\w:<>,\s\*&]+?[\s\*&](\w+)\s*(?:=|\{|\[|;)"),
    # functions: `... name(`
    re.compile(r"^(?!return\b)(?:[\w:<>,\s\*&\[\]]+?[\s\*&])?(\w+)\s*\("),
]
KEYWORDS = {"if", "for", "while", "switch", "return", "namespace", "operator", "sizeof",
            "static_assert", "TEST", "TEST_F", "TEST_P", "INSTANTIATE_TEST_SUITE_P",
            "TYPED_TEST", "TYPED_TEST_SUITE", "MATCHER", "MATCHER_P", "MATCHER_P2", "decltype"}


def local_names(path):
    """(file-local names, namespace-scope class names, file-scope `using namespace`) of one file."""
    local, classes, leaks = set(), set(), []
    enum_open, enum_scope = None, ""  # inside an unscoped enum's braces: where its names go
    stack = []  # the open namespaces' names, "" for an anonymous one
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            opened = re.match(r"^(?:inline\s+)?namespace\s*([\w:]*)\s*\{\s*(//.*)?$", line)
            if opened:
                stack.append(opened.group(1))  # "" for an anonymous namespace
                continue
            if re.match(r"^\}\s*//\s*namespace", line):
                if stack:
                    stack.pop()
                continue
            if line.startswith("using namespace"):
                if not stack:
                    leaks.append(line.strip())
                continue
            if enum_open is not None:
                # an unscoped enum's enumerators belong to the enclosing namespace
                for name in re.findall(r"^\s*(\w+)\s*(?:=[^,]*)?,?", line.split("//")[0]):
                    enum_open.add(enum_scope + name)
                if "}" in line:
                    enum_open = None
                continue
            if not line or line[0] in " \t}#/)" or line.startswith("  "):
                continue
            if line.startswith("template"):
                # a template header: the declaration is on the same or the next line
                rest = re.sub(r"^template\s*<[^>]*(>[^>]*)*>\s*", "", line)
                if not rest:
                    continue
                line = rest
            in_anon = "" in stack
            # Names in different named namespaces do not collide: key them by the path.
            scope = "::".join(n for n in stack if n)
            scope = scope + "::" if scope else ""
            alias = re.match(r"^(?:namespace|using)\s+(\w+)\s*=\s*(.*?)\s*;", line)
            declared = re.match(r"^using\s+((?:[\w]+::)+(\w+))\s*;", line)
            if declared:
                # `using ns::Name;` puts Name here: a clash with another file's own Name
                if in_anon:
                    local.add(scope + declared.group(2) + " = " + declared.group(1))
                continue
            if alias:
                # the same alias for the same thing may be declared again; only a clash matters
                if in_anon:
                    local.add(scope + alias.group(1) + " = " + alias.group(2))
                continue
            is_static = line.startswith("static ")
            unscoped = re.match(r"^enum\s+(?!class\b|struct\b)\w*[^{]*\{(.*)", line)
            if unscoped and (in_anon or is_static):
                inline_body = unscoped.group(1)
                for name in re.findall(r"(\w+)\s*(?:=[^,}]*)?[,}]", inline_body.split("//")[0]):
                    local.add(scope + name)
                if "}" not in inline_body:
                    enum_open, enum_scope = local, scope
            for pattern in DECL_PATTERNS:
                m = pattern.match(line)
                # ALL_CAPS at namespace scope is a macro call (TEST, BENCHMARK), not a definition
                if m and m.group(1) not in KEYWORDS and not re.fullmatch(r"[A-Z][A-Z0-9_]+", m.group(1)):
                    name = scope + m.group(1)
                    if in_anon or is_static:
                        local.add(name)
                    elif pattern is DECL_PATTERNS[0]:
                        classes.add(name)
                    break
    return local, classes, leaks


def targets(root):
    """The source files of each target, as tests/CMakeLists.txt and CMakeLists.txt group them."""
    groups = defaultdict(list)
    for dirpath, _, files in os.walk(os.path.join(root, "src")):
        for name in files:
            if not name.endswith(".cc"):
                continue
            rel = os.path.relpath(os.path.join(dirpath, name), os.path.join(root, "src"))
            parts = rel.split(os.sep)
            layer = "/".join(parts[:2]) if parts[0] == "http" else parts[0]
            if len(parts) == 1:
                layer = "main"
            groups["src/" + layer].append(os.path.join(dirpath, name))
    unit = os.path.join(root, "tests", "unit")
    for layer in sorted(os.listdir(unit)):
        d = os.path.join(unit, layer)
        if os.path.isdir(d):
            groups["tests/unit/" + layer] = [os.path.join(d, n) for n in os.listdir(d) if n.endswith(".cc")]
    integ = os.path.join(root, "tests", "integration")
    groups["tests/integration"] = [os.path.join(integ, n) for n in os.listdir(integ) if n.endswith(".cc")]
    # tests/multi is one binary; bench/*.cc is baomi_microbench (bench's subfolders and fuzz/
    # targets are one source per binary, or sources with their own definitions).
    for group in ("tests/multi", "bench"):
        d = os.path.join(root, group)
        groups[group] = [os.path.join(d, n) for n in os.listdir(d) if n.endswith(".cc")]
    return groups


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    problems = 0
    for target, files in sorted(targets(root).items()):
        where_local = defaultdict(list)
        where_class = defaultdict(list)
        for path in sorted(files):
            local, classes, leaks = local_names(path)
            rel = os.path.relpath(path, root)
            for name in local:
                where_local[name].append(rel)
            for name in classes:
                where_class[name].append(rel)
            for leak in leaks:
                print(f"{target}: {rel}: leaks into the next file of a unity batch: {leak}")
                problems += 1
        aliases = defaultdict(set)
        for name in where_local:
            if " = " in name:
                aliases[name.split(" = ")[0]].add(name)
        for name, paths in sorted(where_local.items()):
            if " = " in name:
                short = name.split(" = ")[0]
                if len(aliases[short]) > 1 or short in where_local:
                    print(f"{target}: alias `{name}` in {', '.join(paths)} clashes with another `{short}`")
                    problems += 1
                continue
            others = paths + where_class.get(name, [])
            if len(others) > 1:
                print(f"{target}: file-local `{name}` defined in {', '.join(others)}")
                problems += 1
        for name, paths in sorted(where_class.items()):
            if len(paths) > 1:
                print(f"{target}: class `{name}` defined in {', '.join(paths)}")
                problems += 1
    if problems:
        print(f"{problems} name(s) would collide in a unity build; rename or share them")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
