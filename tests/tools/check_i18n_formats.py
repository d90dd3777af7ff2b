#!/usr/bin/env python3
"""The compiler's printf check, for texts the compiler cannot see.

Feature texts are I18N() pairs and MSG_* table entries, passed to variadic
functions (i18n_appendp, reply_text, reply_msg, i18n_append, ...) as a pair
or an enum, so gcc's format attribute has no literal to read and a %lld fed
an int goes unnoticed. This script has clang parse every file of src/ (the
same flags as the build), finds each call to a variadic function whose last
named parameter is `const struct i18n_pair *` or `enum i18n_msg`, looks up
the text the call names and checks, as -Wformat does, the number of
arguments and each argument's type (after the default promotions) against
the conversions of both translations.

A call that passes a pair through a variable (`why`, `usage`) cannot be
resolved here; those are counted and listed with -v, and the texts they may
carry are checked where the pointer is chosen only by the unit test that
compares the two translations.

Usage: check_i18n_formats.py [-v] [--cc clang] [FILE.c ...]
                             [-- extra clang flags]
(FILEs: only these, relative to the repository; default every file of src/
that mentions a feature text)
Exit status 0 when every resolved call matches, 1 otherwise.
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# printf conversions: flags, width, precision, length, conversion.
SPEC = re.compile(r"%(?:%|([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?"
                  r"(hh|h|ll|l|z|j|t|L)?([diouxXcsfFeEgGaAp]))")

# What each conversion takes after the default argument promotions, as
# (kind, rank): rank names the C type with signedness dropped, the way gcc's
# -Wformat (without -Wformat-signedness) compares.
INT_RANKS = {
    None: "int", "hh": "int", "h": "int", "l": "long", "ll": "long long",
    "z": "long", "j": "long", "t": "long",
}


def expected(length, conv):
    if conv in "diouxXc":
        if conv == "c" and length is None:
            return ("int", "int")
        return ("int", INT_RANKS[length])
    if conv == "s":
        return ("string", None)
    if conv == "p":
        return ("pointer", None)
    return ("double", "long double" if length == "L" else "double")


def conversions(fmt):
    """The argument each conversion consumes, in order ('*' widths too)."""
    out = []
    for m in SPEC.finditer(fmt):
        if m.group(0) == "%%":
            continue
        _flags, width, prec, length, conv = m.groups()
        if width == "*":
            out.append(("int", "int"))
        if prec == "*":
            out.append(("int", "int"))
        out.append(expected(length, conv))
    return out


INT_NAMES = {
    "char": "int", "signed char": "int", "unsigned char": "int",
    "short": "int", "unsigned short": "int", "_Bool": "int", "bool": "int",
    "int": "int", "unsigned int": "int",
    "long": "long", "unsigned long": "long",
    "long long": "long long", "unsigned long long": "long long",
}


def actual(node):
    """(kind, rank) of an argument expression from its clang type."""
    t = node.get("type", {})
    q = t.get("desugaredQualType", t.get("qualType", ""))
    q = re.sub(r"\b(const|volatile|restrict)\b", "", q).strip()
    q = re.sub(r"\s+", " ", q)
    if q.startswith("enum "):
        return ("int", "int")
    if q in INT_NAMES:
        return ("int", INT_NAMES[q])
    if q in ("double", "float"):
        return ("double", "double")
    if q == "long double":
        return ("double", "long double")
    if q.endswith("*") or q.endswith("]"):
        base = q.rstrip("*[]0123456789 ").strip()
        if base in ("char", "unsigned char", "signed char") and \
                q.count("*") + q.count("[") == 1:
            return ("string", None)
        return ("pointer", None)
    return ("other", q)


def compatible(want, got):
    if want[0] == "string":
        return got[0] == "string"
    if want[0] == "pointer":
        return got[0] in ("pointer", "string")
    return want == got


def c_string(lit):
    """The text of a clang StringLiteral "value" (escapes only matter for
    the '%' we look for, so an approximate decoding is enough)."""
    s = lit[1:-1] if lit.startswith('"') else lit
    return s.replace("\\\\", "\x00").replace("\\%", "%").replace("\x00", "\\")


def walk(node, visit):
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            visit(n)
            stack.extend(reversed(n.get("inner", [])))
        elif isinstance(n, list):
            stack.extend(reversed(n))


def strings_in(node):
    found = []
    walk(node, lambda n: found.append(c_string(n["value"]))
         if n.get("kind") == "StringLiteral" else None)
    return found


def strip_casts(n):
    while n.get("kind") in ("ImplicitCastExpr", "ParenExpr", "CStyleCastExpr") \
            and n.get("inner") and n.get("kind") != "CStyleCastExpr":
        n = n["inner"][0]
    return n


def callee_name(call):
    c = call["inner"][0]
    while c.get("kind") in ("ImplicitCastExpr", "ParenExpr") and c.get("inner"):
        c = c["inner"][0]
    if c.get("kind") == "DeclRefExpr":
        d = c.get("referencedDecl", {})
        return d.get("name"), d.get("type", {}).get("qualType", "")
    return None, ""


def text_param(ftype):
    """Index of the text parameter and its sort ('pair' or 'msg') when the
    function type is variadic with that as its last named parameter."""
    m = re.match(r"^[^(]*\((.*), \.\.\.\)$", ftype)
    if not m:
        return None
    params = [p.strip() for p in m.group(1).split(",")]
    last = params[-1]
    if last == "const struct i18n_pair *":
        return len(params) - 1, "pair"
    if last == "enum i18n_msg":
        return len(params) - 1, "msg"
    return None


def clang_ast(path, cc, flags):
    cmd = [cc, "-fsyntax-only", "-Xclang", "-ast-dump=json"] + flags + [path]
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit("clang failed on %s:\n%s" % (path, r.stderr.decode()))
    return json.loads(r.stdout)


def msg_texts(ast):
    """MSG_* name -> [ru, en] from i18n.c's `texts` table, whose array
    initializer clang lists in index order, and the enum's order."""
    names, table = [], None

    def visit(n):
        nonlocal table
        if n.get("kind") == "EnumConstantDecl" and \
                n.get("name", "").startswith("MSG_") and n["name"] != "MSG_COUNT":
            names.append(n["name"])
        if n.get("kind") == "VarDecl" and n.get("name") == "texts":
            table = n
    walk(ast, visit)
    if table is None:
        sys.exit("check_i18n_formats: no `texts` table in src/text/i18n.c")
    init = [x for x in table["inner"] if x.get("kind") == "InitListExpr"][0]
    rows = [x for x in init.get("inner", []) if x.get("kind") == "InitListExpr"]
    return {name: strings_in(row) for name, row in zip(names, rows)}


def main():
    args = sys.argv[1:]
    verbose = "-v" in args
    cc = "clang"
    if "--cc" in args:
        cc = args[args.index("--cc") + 1]
    extra = args[args.index("--") + 1:] if "--" in args else []
    mine = args[:args.index("--")] if "--" in args else args
    only = [a for i, a in enumerate(mine) if a.endswith(".c") and
            (i == 0 or mine[i - 1] != "--cc")]
    pkg = subprocess.run(["pkg-config", "--cflags", "libcurl", "jansson",
                          "sqlite3"], stdout=subprocess.PIPE,
                         universal_newlines=True).stdout.split()
    flags = ["-std=c11", "-D_GNU_SOURCE", "-Iinclude", "-include",
             "dobrobot/core/prelude.h"] + pkg + extra

    if only:
        files = [os.path.join(ROOT, f) for f in only]
    else:
        # Parsing is the slow part: only files that name a text (a pair
        # defined with I18N or a MSG_ constant) can hold a call to check.
        files = []
        for d, _, fs in os.walk(os.path.join(ROOT, "src")):
            for f in fs:
                p = os.path.join(d, f)
                if f.endswith(".c"):
                    with open(p, encoding="utf-8") as fh:
                        body = fh.read()
                    if "I18N(" in body or "MSG_" in body:
                        files.append(p)
        files.sort()
    msgs = msg_texts(clang_ast(os.path.join(ROOT, "src/text/i18n.c"), cc, flags))
    errors, checked, unresolved = [], 0, []
    for path in files:
        rel = os.path.relpath(path, ROOT)
        ast = clang_ast(path, cc, flags)
        with open(path, "rb") as fh:
            source = fh.read()
        pairs = {}

        def collect(n):
            if n.get("kind") == "VarDecl" and \
                    n.get("type", {}).get("qualType") == "const struct i18n_pair":
                strs = strings_in(n)
                if len(strs) >= 2:
                    pairs[n["name"]] = strs[:2]
        walk(ast, collect)

        def check(n):
            nonlocal checked
            if n.get("kind") != "CallExpr":
                return
            name, ftype = callee_name(n)
            if name is None:
                return
            tp = text_param(ftype)
            if tp is None:
                return
            idx, sort = tp
            args_ = n["inner"][1:]
            if len(args_) <= idx:
                return
            begin = n.get("range", {}).get("begin", {})
            begin = begin.get("expansionLoc", begin)
            # clang's JSON omits a line equal to the previous node's: count
            # it from the byte offset instead.
            off = begin.get("offset")
            line = source.count(b"\n", 0, off) + 1 if off is not None else "?"
            where = "%s:%s" % (rel, line)
            text = strip_casts(args_[idx])
            # `cond ? &T_A : &T_B` names two texts: both are checked.
            choices = [text]
            if text.get("kind") == "ConditionalOperator":
                choices = [strip_casts(x) for x in text["inner"][1:]]
            found = []
            for t in choices:
                tname, texts = None, None
                if sort == "pair" and t.get("kind") == "UnaryOperator" and \
                        t.get("opcode") == "&":
                    ref = strip_casts(t["inner"][0])
                    tname = ref.get("referencedDecl", {}).get("name")
                    texts = pairs.get(tname)
                elif sort == "msg" and t.get("kind") == "DeclRefExpr":
                    tname = t.get("referencedDecl", {}).get("name")
                    texts = msgs.get(tname)
                found.append((tname, texts))
            if any(texts is None for _, texts in found):
                unresolved.append("%s: %s(...) with a text chosen at run "
                                  "time" % (where, name))
                return
            checked += 1
            rest = args_[idx + 1:]
            for tname, texts in found:
                check_texts(where, name, tname, texts, rest)

        def check_texts(where, name, tname, texts, rest):
            for lang, fmt in zip(("ru", "en"), texts):
                want = conversions(fmt)
                if len(want) != len(rest):
                    errors.append("%s: %s(%s): the %s text takes %d "
                                  "argument(s), the call passes %d" %
                                  (where, name, tname, lang, len(want),
                                   len(rest)))
                    continue
                for i, (w, a) in enumerate(zip(want, rest)):
                    got = actual(a)
                    if not compatible(w, got):
                        errors.append("%s: %s(%s): argument %d is %s, the %s "
                                      "text wants %s" %
                                      (where, name, tname, i + 1,
                                       got[1] or got[0], lang, w[1] or w[0]))
        walk(ast, check)

    for e in errors:
        print(e)
    if verbose:
        for u in unresolved:
            print(u)
    print("i18n formats: %d calls checked, %d with a text chosen at run "
          "time, %d mismatches" % (checked, len(unresolved), len(errors)))
    if checked == 0:
        print("no calls found: the check itself is broken")
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
