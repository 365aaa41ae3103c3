#!/usr/bin/env python3
"""The crate's module graph from its source text: which module imports which.

A module is a file (`src/a/b.rs` is `a::b`, `src/a/mod.rs` is `a`). An edge A -> B is
any `crate::B...` or `super::...` path in A outside comments (in `use` lines and
inline), and in a `mod.rs` any path through a declared child (`child::...`). Each path
is resolved to the longest module it names. Printed:

- every pair of modules that import each other (parent <-> own child listed apart:
  a `mod.rs` that declares children which use its types is the usual Rust shape);
- every strongly connected set of more than one module (cycles of any length);
- every upward import: from a module to one of a higher layer (LAYERS below, lowest
  first), with `sink::sanitize` a leaf any layer may use.

Usage: .ci/modgraph.py [SRC_DIR]  (default: src). `-v` lists the edges per file.
Exit status 0; the counts are on the last line.
"""

import os
import re
import sys

# Pipeline layers, lowest first. A module belongs to the layer of its longest listed
# prefix.
LAYERS = [
    ["sink::sanitize", "error"],
    ["entry", "format", "outfile", "store"],
    ["input"],
    ["query"],
    ["sink"],
    ["scan"],
    ["index"],
    ["stats"],
    ["cli"],
    ["config"],
    ["engine"],
    ["cluster"],
    ["commands"],
    ["serve"],
    ["gen", "lib", "main", "app", "properties"],
]

PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
BRACES = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^{}]*)\}")


def modules(src):
    mods = {}
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(root, f), src)[:-3].split(os.sep)
            if rel[-1] == "mod":
                rel = rel[:-1]
            mods["::".join(rel)] = os.path.join(root, f)
    return mods


def strip_comments(text):
    # Inline `#[cfg(test)] mod tests` blocks (at the end of a file by convention) are
    # left out: their `super::` is the file itself, and tests import freely.
    text = re.split(r"#\[cfg\(test\)\]\s*mod\s+\w+\s*\{", text)[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line.split("//")[0] for line in text.splitlines())


def resolve(parts, mods):
    for n in range(len(parts), 0, -1):
        name = "::".join(parts[:n])
        if name in mods:
            return name
    return None


def edges_of(name, path, mods):
    text = strip_comments(open(path, encoding="utf-8").read())
    is_dir_mod = path.endswith("mod.rs") or name in ("lib", "main")
    base = [] if name in ("lib", "main") else name.split("::")
    parent = base if is_dir_mod else base[:-1]
    found = set()

    def add(anchor, rest):
        if anchor == "crate":
            start = []
        else:  # super: the module's parent
            start = base[:-1]
        parts = start + [p for p in rest.split("::") if p]
        target = resolve(parts, mods)
        if target and target != name:
            found.add(target)

    for m in BRACES.finditer(text):
        for item in m.group(3).split(","):
            item = item.strip().split(" as ")[0].strip()
            if item and item != "self":
                add(m.group(1), m.group(2) + "::" + item)
            elif item == "self":
                add(m.group(1), m.group(2))
    for m in PATH.finditer(text):
        # `crate::a::{b, c}` imports `a::b` and `a::c` (BRACES above), not `a` itself.
        if text.startswith("::{", m.end()):
            continue
        add(m.group(1), m.group(2))
    if is_dir_mod:
        children = re.findall(r"^\s*(?:pub(?:\([a-z]+\))?\s+)?mod\s+([a-z_0-9]+)\s*;", text, re.M)
        for child in children:
            if re.search(r"(?<![:\w])" + child + r"::", text):
                target = resolve(parent + [child], mods)
                if target and target != name:
                    found.add(target)
    return found


def layer(name):
    best, rank = -1, None
    for i, names in enumerate(LAYERS):
        for prefix in names:
            if name == prefix or name.startswith(prefix + "::"):
                if len(prefix) > best:
                    best, rank = len(prefix), i
    return rank


def sccs(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def is_parent(a, b):
    return b.startswith(a + "::") and "::" not in b[len(a) + 2:]


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    verbose = "-v" in sys.argv[1:]
    src = args[0] if args else "src"
    mods = modules(src)
    graph = {n: edges_of(n, p, mods) for n, p in mods.items()}
    if verbose:
        for n in sorted(graph):
            print(f"{n} -> {', '.join(sorted(graph[n]))}")
    mutual, family = [], []
    for a in sorted(graph):
        for b in sorted(graph[a]):
            if a < b and a in graph.get(b, ()):
                (family if is_parent(a, b) or is_parent(b, a) else mutual).append((a, b))
    for a, b in mutual:
        print(f"mutual: {a} <-> {b}")
    for a, b in family:
        print(f"mutual (parent/child): {a} <-> {b}")
    cycles = sccs(graph)
    for comp in cycles:
        print(f"cycle: {' '.join(comp)}")
    upward = []
    for a in sorted(graph):
        for b in sorted(graph[a]):
            la, lb = layer(a), layer(b)
            if la is not None and lb is not None and lb > la:
                upward.append((a, b))
                print(f"upward: {a} -> {b}")
    print(
        f"modules {len(mods)}, edges {sum(len(v) for v in graph.values())}, "
        f"mutual pairs {len(mutual)} (+{len(family)} parent/child), "
        f"cyclic sets {len(cycles)}, upward imports {len(upward)}"
    )


if __name__ == "__main__":
    main()
