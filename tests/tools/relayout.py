#!/usr/bin/env python3
"""Headers by layer (issue 22 item 5): moves the headers and rewrites includes.

The headers of include/dobrobot/ go into one folder per layer of src/:
include/dobrobot/{core,text,tg,store,doc,site,handlers,bot,cli}/, where the
layer is the folder of the .c files that define what the header declares.
The handlers' own headers (what only handler files share) live beside their
files in src/handlers/; include/dobrobot/handlers/ holds only what the layers
above use of them (handler.h, the contract with the router; menus.h). Two
.c files move to their layer too (MOVED_SOURCES).

Run from anywhere inside the repository:

  tests/tools/relayout.py           move, rewrite, check (the default)
  tests/tools/relayout.py --check   change nothing; exit 1 when a run would
                                    change something or finds a problem

It is idempotent: a second run changes nothing. It
  1. `git mv`s every file of the tables that is still at its old path;
  2. rewrites every `#include "..."` of src/, include/, tests/unit,
     tests/fuzz and tests/fake to the header's new path: "dobrobot/<layer>/
     x.h" for a public header, "x.h" for a private one beside the including
     file, a relative path ("../handlers/x.h") otherwise; and the include
     guard of every moved header to its path (DOBROBOT_<LAYER>_<NAME>_H);
  3. fails loudly, changing nothing, on a header left at the top of
     include/dobrobot/ or an include it cannot resolve (a header that a
     branch merged later added or renamed): add it to HEADERS and run again.
"""

import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
INC = "include/dobrobot"

# Old header path -> new path, relative to the repository.
HEADERS = {}


def _layer(layer, *names, rename=None):
    for n in names:
        HEADERS["%s/%s" % (INC, n)] = "%s/%s/%s" % (INC, layer, n)
    for old, new in (rename or {}).items():
        HEADERS["%s/%s" % (INC, old)] = "%s/%s/%s" % (INC, layer, new)


# core: src/core, and the two headers the Makefile force-includes in every
# file (prelude.h, banned.h): they are the base every layer stands on.
_layer("core", "buf.h", "clock.h", "config.h", "log.h", "xalloc.h",
       "prelude.h", "banned.h", "utf8.h")
# text: what users type and what the bot writes, no I/O. command.h follows
# its parser (src/bot/command.c -> src/text/command.c), so that handler.h
# does not reach up into bot/ for struct command.
_layer("text", "base64.h", "command.h", "csv.h", "goods.h", "html.h",
       "i18n.h", "money.h", "plural.h", "progress.h", "split.h", "when.h",
       "words.h")
# view: how the domain's records look to people (actions, pledges, an
# organisation's fields), shared by the site and the handlers; above store,
# whose records it renders.
_layer("view", "view.h", "orgfields.h")
# tg: the Bot API client (tg/client.c, tg/download.c, tg/response.c).
_layer("tg", "tg.h")
# store: one header per table group, named as its src/store/*.c file.
_layer("store", "actions.h", "broadcasts.h", "conversations.h", "digest.h",
       "budget.h", "documents.h", "expiry.h", "export.h", "orgs.h", "outbox.h",
       "pledges.h", "privacy.h", "reminders.h", "roles.h", "store.h",
       "subscriptions.h", "users.h",
       rename={"updates_store.h": "updates.h"})
# doc: the PDF typesetter, named as its file (src/doc/pdf.c), so that it no
# longer reads as a twin of store/documents.h.
_layer("doc", rename={"document.h": "pdf.h"})
# site: the public website and the verify pages of documents.
_layer("site", "site.h", "verify.h")
# handlers, public: what the layers above use of the handlers — the contract
# of a handler with the router and its tables (handler.h, defined in
# handlers/reply.c and commands.c), and the command menus (handlers/menus.c),
# which the loop refreshes at start.
_layer("handlers", "handler.h", "menus.h")
# bot: the loop, batches, router, sender, rate limiter.
_layer("bot", "bot.h", "router.h", "sender.h", "ratelimit.h")
# cli: the operator's commands.
_layer("cli", "cli.h")

# handlers, private: what only handler files share lives beside them.
HEADERS.update({
    INC + "/handlers_actions.h": "src/handlers/actions.h",
    INC + "/handlers_broadcast.h": "src/handlers/broadcast.h",
    INC + "/handlers_documents.h": "src/handlers/documents.h",
    INC + "/handlers_orgs.h": "src/handlers/orgs.h",
    INC + "/handlers_pledges.h": "src/handlers/pledges.h",
    INC + "/handlers_trust.h": "src/handlers/trust.h",
    # already beside their files; listed so that their includes resolve
    "src/handlers/privacy.h": "src/handlers/privacy.h",
    "src/handlers/roles.h": "src/handlers/roles.h",
})

# Source files in the wrong layer: menus.c is feature code (the command
# lists per role, refreshed by /start, /grant, /setgroup); command.c parses
# text and calls nothing.
MOVED_SOURCES = {
    "src/bot/menus.c": "src/handlers/menus.c",
    "src/bot/command.c": "src/text/command.c",
    # utf8 is the base of every layer's text handling (the configuration's
    # direction names too), like buf and xalloc.
    "src/text/utf8.c": "src/core/utf8.c",
    "src/text/view.c": "src/view/view.c",
    "src/text/orgfields.c": "src/view/orgfields.c",
}

# Headers that an earlier run of this script put in another layer's folder.
HEADERS.update({
    INC + "/text/utf8.h": INC + "/core/utf8.h",
    INC + "/text/view.h": INC + "/view/view.h",
    INC + "/text/orgfields.h": INC + "/view/orgfields.h",
})

SCAN_DIRS = ["src", "include", "tests/unit", "tests/fuzz", "tests/fake"]
INCLUDE_RE = re.compile(r'^(\s*#\s*include\s+)"([^"]+)"(.*)$')


def rel(path):
    return os.path.relpath(path, ROOT).replace(os.sep, "/")


def exists(path):
    return os.path.exists(os.path.join(ROOT, path))


def git(*args):
    subprocess.run(["git", "-C", ROOT] + list(args), check=True)


def moves():
    """The (old, new) pairs still to move; fails when both paths exist."""
    todo, errors = [], []
    for old, new in sorted(list(HEADERS.items()) + list(MOVED_SOURCES.items())):
        if old == new:
            continue
        if exists(old) and exists(new):
            errors.append("both %s and %s exist: merge them by hand" %
                          (old, new))
        elif exists(old):
            todo.append((old, new))
    return todo, errors


def spelling(target, includer):
    """How `includer` names the header at repository path `target`."""
    if target.startswith("include/"):
        return target[len("include/"):]
    d = os.path.dirname(includer)
    if os.path.dirname(target) == d:
        return os.path.basename(target)
    return os.path.relpath(target, d).replace(os.sep, "/")


def resolve(name, includer, pending):
    """The repository path an include names, after the moves: (path, None),
    or (None, reason). `pending` maps old paths not yet moved to new ones."""
    d = os.path.dirname(includer)
    if name.startswith("dobrobot/"):
        cands = ["include/" + name]
    else:
        cands = [os.path.normpath(os.path.join(d, name)).replace(os.sep, "/")]
        # as the compiler does, also -Iinclude for a quoted name
        cands.append("include/" + name)
    for c in cands:
        if c in HEADERS:
            return HEADERS[c], None
        if c in pending.values():
            return c, None
        if c.startswith(INC + "/") and c.count("/") == 2 and exists(c):
            return None, "%s is not in relayout.py's table" % c
        if exists(c) and c not in pending:
            return c, None
    return None, "no such header"


def guard(path):
    base = path[len(INC) + 1:] if path.startswith(INC + "/") else \
        path[len("src/"):]
    return "DOBROBOT_" + re.sub(r"[^A-Za-z0-9]", "_", base[:-2]).upper() + "_H"


def files_to_scan(pending):
    out = []
    for top in SCAN_DIRS:
        for d, _, fs in os.walk(os.path.join(ROOT, top)):
            for f in fs:
                if f.endswith((".c", ".h")):
                    out.append(rel(os.path.join(d, f)))
    # a file still to move is read at its old path, written at its new one
    return sorted(out)


def plan():
    """Everything a run would do: (moves, {path after moves: new text},
    errors)."""
    todo, errors = moves()
    pending = dict(todo)
    for d, _, fs in os.walk(os.path.join(ROOT, INC)):
        if rel(d) != INC:
            continue
        for f in sorted(fs):
            p = INC + "/" + f
            if p not in HEADERS:
                errors.append("%s: a header at the top of %s/ that "
                              "relayout.py does not know: add it to HEADERS "
                              "(its layer is the folder of the .c files that "
                              "define what it declares)" % (p, INC))
    guards = {}
    for new in set(HEADERS.values()):
        g = guard(new)
        if g in guards:
            errors.append("%s and %s would share the guard %s" %
                          (guards[g], new, g))
        guards[g] = new
    rewrites = {}
    for path in files_to_scan(pending):
        after = pending.get(path, path)
        with open(os.path.join(ROOT, path), encoding="utf-8") as fh:
            text = fh.read()
        lines = text.split("\n")
        for i, line in enumerate(lines):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            # resolve against the place the file is read from
            target, why = resolve(m.group(2), path, pending)
            if target is None:
                errors.append("%s:%d: #include \"%s\": %s" %
                              (path, i + 1, m.group(2), why))
                continue
            want = spelling(target, after)
            if want != m.group(2):
                lines[i] = m.group(1) + '"' + want + '"' + m.group(3)
        if after in HEADERS.values():
            want = guard(after)
            for i, line in enumerate(lines[:40]):
                m = re.match(r"#ifndef (DOBROBOT_\w+_H)\s*$", line)
                if m and m.group(1) != want:
                    old = m.group(1)
                    lines = [re.sub(r"\b%s\b" % old, want, l) for l in lines]
                    break
        new_text = "\n".join(lines)
        if new_text != text:
            rewrites[after] = new_text
    return todo, rewrites, errors


def main():
    check = "--check" in sys.argv[1:]
    todo, rewrites, errors = plan()
    if errors:
        for e in errors:
            print("relayout: " + e, file=sys.stderr)
        print("relayout: %d problem(s); nothing changed" % len(errors),
              file=sys.stderr)
        return 1
    if check:
        for old, new in todo:
            print("would move %s -> %s" % (old, new))
        for p in sorted(rewrites):
            print("would rewrite %s" % p)
        return 1 if todo or rewrites else 0
    for old, new in todo:
        os.makedirs(os.path.join(ROOT, os.path.dirname(new)), exist_ok=True)
        git("mv", old, new)
    for p, text in sorted(rewrites.items()):
        with open(os.path.join(ROOT, p), "w", encoding="utf-8") as fh:
            fh.write(text)
    print("relayout: moved %d files, rewrote %d" % (len(todo), len(rewrites)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
