#!/usr/bin/env python3
"""Who depends on whom, measured from the objects the build made.

For every object of build/src (nm: the symbols each file defines and the
ones it uses) this draws an edge from file A to file B when A uses a symbol B
defines: the real dependency graph, whatever the headers say. It then
checks the picture of docs/ARCHITECTURE.md:

- no circle between handler files (src/handlers/*.c): a feature file may use
  another, never both ways round, directly or through others (the router's
  tables, src/handlers/commands.c, name every handler and /help reads them:
  they are left out of this check);
- no layer calls up. The layers, bottom up: core; text, tg and doc; store;
  view; site; handlers; bot; cli and main.c on top. A file may use its own
  layer and those below, except that text, tg and doc do not use each other,
  and bot uses handlers only through their contract: the router's tables
  (src/handlers/commands.c) and what include/dobrobot/handlers/*.h
  declares;
- the headers say the same (read from the #include lines of src/ and
  include/): a file includes headers of its own layer and those below —
  include/dobrobot/<layer>/ for a layer's public headers, src/<layer>/*.h
  for what only that layer's files share, which no other layer includes —
  and no header sits at the top of include/dobrobot/ (tests/tools/
  relayout.py puts each in its layer's folder).

Usage: include_graph.py [--build DIR] [--report] [--dot]
  --report  print every circle and upward edge, and the figures, and exit 0
  --dot     print the file graph in Graphviz form
Exit status 1 when a check fails (without --report).
"""

import os
import re
import subprocess
import sys
from collections import defaultdict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

LEVEL = {"core": 0, "text": 1, "tg": 1, "doc": 1, "store": 2, "view": 3,
         "site": 4, "handlers": 5, "bot": 6, "cli": 7, "main": 7}
# Layers of one level that must not use each other.
APART = ("text", "tg", "doc")
ROUTER_TABLES = "src/handlers/commands.c"


def layer(src):
    parts = src.split("/")
    return "main" if len(parts) == 2 else parts[1]


def symbols(obj):
    out = subprocess.run(["nm", "--defined-only", "-g", obj],
                         stdout=subprocess.PIPE, universal_newlines=True,
                         check=True).stdout
    defined = {l.split()[-1] for l in out.splitlines() if len(l.split()) == 3}
    out = subprocess.run(["nm", "-u", obj], stdout=subprocess.PIPE,
                         universal_newlines=True, check=True).stdout
    used = {l.split()[-1] for l in out.splitlines() if l.strip()}
    return defined, used


def graph(build):
    objs = {}
    base = os.path.join(build, "src")
    for d, _, fs in os.walk(base):
        for f in fs:
            if f.endswith(".o"):
                obj = os.path.join(d, f)
                src = "src/" + os.path.relpath(obj, base)[:-2] + ".c"
                if os.path.exists(os.path.join(ROOT, src)):
                    objs[src] = obj
    if not objs:
        sys.exit("include_graph: no objects under %s (run make first)" % base)
    owner, uses = {}, {}
    for src, obj in objs.items():
        defined, used = symbols(obj)
        for s in defined:
            owner[s] = src
        uses[src] = used
    edges = defaultdict(set)  # (a, b) -> symbols
    for a, used in uses.items():
        for s in used:
            b = owner.get(s)
            if b is not None and b != a:
                edges[(a, b)].add(s)
    return sorted(objs), edges


def circles(nodes, edges):
    """Strongly connected components of more than one file (Tarjan)."""
    succ = defaultdict(list)
    for (a, b) in edges:
        succ[a].append(b)
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in succ[v]:
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
    for v in nodes:
        if v not in index:
            visit(v)
    return out


HANDLERS_PUBLIC = os.path.join("include", "dobrobot", "handlers")


def handlers_public_names():
    """The names the handlers' public headers declare (include/dobrobot/
    handlers/*.h): the handlers' contract with the bot layer above them."""
    names = set()
    d = os.path.join(ROOT, HANDLERS_PUBLIC)
    for f in sorted(os.listdir(d)):
        if f.endswith(".h"):
            with open(os.path.join(d, f), encoding="utf-8") as fh:
                names |= set(re.findall(r"\b([A-Za-z_]\w*)\s*(?:\(|\[|;)",
                                        fh.read()))
    return names


def upward(edges):
    """Edges to a layer above; and edges from bot to handlers that go around
    the handlers' public headers (bot may use only the contract)."""
    bad = []
    public = handlers_public_names()
    for (a, b), syms in sorted(edges.items()):
        la, lb = layer(a), layer(b)
        if la == "bot" and lb == "handlers":
            hidden = sorted(x for x in syms if x not in public)
            if b != ROUTER_TABLES and hidden:
                bad.append((a, b, hidden))
            continue
        if calls_up(la, lb):
            bad.append((a, b, sorted(syms)))
    return bad


def calls_up(la, lb):
    if la not in LEVEL or lb not in LEVEL:
        return True  # a folder this script does not know: say so
    return LEVEL[lb] > LEVEL[la] or (
        LEVEL[la] == LEVEL[lb] and la != lb and la in APART)


INCLUDE_LINE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def header_layer(path):
    """(layer, private) of a header's repository path, or (None, False)."""
    parts = path.split("/")
    if parts[:2] == ["include", "dobrobot"]:
        return (parts[2], False) if len(parts) == 4 else ("top", False)
    if parts[0] == "src" and len(parts) == 3:
        return parts[1], True
    return None, False


def header_problems():
    """Upward includes, other layers' private headers, and headers at the
    top of include/dobrobot/, from the #include lines."""
    bad = []
    top = os.path.join(ROOT, "include", "dobrobot")
    for f in sorted(os.listdir(top)):
        if os.path.isfile(os.path.join(top, f)):
            bad.append("header at the top of include/dobrobot/: %s (give it "
                       "its layer's folder: tests/tools/relayout.py)" % f)
    files = []
    for base in ("src", os.path.join("include", "dobrobot")):
        for d, _, fs in os.walk(os.path.join(ROOT, base)):
            files += [os.path.relpath(os.path.join(d, f), ROOT)
                      for f in fs if f.endswith((".c", ".h"))]
    for f in sorted(files):
        la = header_layer(f)[0] if f.endswith(".h") else layer(f)
        if la == "top":
            continue
        with open(os.path.join(ROOT, f), encoding="utf-8") as fh:
            text = fh.read()
        for name in INCLUDE_LINE.findall(text):
            if name.startswith("dobrobot/"):
                path = "include/" + name
            else:
                path = os.path.normpath(os.path.join(os.path.dirname(f),
                                                     name))
            if not os.path.exists(os.path.join(ROOT, path)):
                continue  # the compiler says so
            lb, private = header_layer(path)
            if lb is None or lb == la:
                continue
            if lb == "top":
                bad.append("%s includes %s, at the top of include/dobrobot/"
                           % (f, name))
            elif private:
                bad.append("%s (%s) includes %s, private to src/%s/" %
                           (f, la, name, lb))
            elif calls_up(la, lb):
                bad.append("%s (%s) includes %s (%s): a layer above" %
                           (f, la, name, lb))
    return bad


def main():
    args = sys.argv[1:]
    build = os.path.join(ROOT, "build")
    if "--build" in args:
        build = args[args.index("--build") + 1]
    nodes, edges = graph(build)
    if "--dot" in args:
        print("digraph dobrobot {")
        for (a, b) in sorted(edges):
            print('  "%s" -> "%s";' % (a, b))
        print("}")
        return 0
    # The router's tables name every handler, and /help reads them: by
    # design, not a circle to break.
    handler_nodes = [n for n in nodes
                     if layer(n) == "handlers" and n != ROUTER_TABLES]
    handler_edges = {k: v for k, v in edges.items()
                     if k[0] in handler_nodes and k[1] in handler_nodes}
    loops = circles(handler_nodes, handler_edges)
    up = upward(edges)
    headers = header_problems()
    for comp in loops:
        print("circle of %d handler files: %s" % (len(comp), " ".join(comp)))
        for (a, b), syms in sorted(handler_edges.items()):
            if a in comp and b in comp:
                print("    %s -> %s: %s" % (a, b, ", ".join(sorted(syms))))
    for a, b, syms in up:
        print("upward: %s (%s) -> %s (%s): %s" % (a, layer(a), b, layer(b),
                                                  ", ".join(syms)))
    for h in headers:
        print("header: " + h)
    print("include graph: %d files, %d edges, %d handler files in circles "
          "(%d circles), %d upward edges, %d header problems" % (
              len(nodes), len(edges), sum(len(c) for c in loops), len(loops),
              len(up), len(headers)))
    if "--report" in args:
        return 0
    return 1 if loops or up or headers else 0


if __name__ == "__main__":
    sys.exit(main())
