#!/usr/bin/env python
"""Untranslated entries of one catalogue as JSON, for translating in batches.

    .venv/bin/python tools/po_todo.py LOCALE [--offset N] [--limit M] [--count]

Each item: {"msgid": ..., "msgid_plural": ... (if plural), "flags": [...], "context": ...,
"comment": extracted comment, "where": first source reference}.
"""

import argparse
import json
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def todo(po):
    out = []
    for e in po:
        if e.obsolete:
            continue
        missing = (
            (not e.msgstr)
            if not e.msgid_plural
            else (not e.msgstr_plural or any(not v for v in e.msgstr_plural.values()))
        )
        if missing or "fuzzy" in e.flags:
            item = {"msgid": e.msgid}
            if e.msgid_plural:
                item["msgid_plural"] = e.msgid_plural
            if e.msgctxt:
                item["context"] = e.msgctxt
            if e.flags:
                item["flags"] = [f for f in e.flags if f != "fuzzy"]
            if e.comment:
                item["comment"] = e.comment
            if e.occurrences:
                item["where"] = e.occurrences[0][0]
            out.append(item)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("locale")
    ap.add_argument("--offset", type=int, default=0)
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--count", action="store_true")
    a = ap.parse_args()
    po = polib.pofile(str(ROOT / "locale" / a.locale / "LC_MESSAGES" / "django.po"))
    items = todo(po)
    if a.count:
        print(len(items))
        return
    print(json.dumps(items[a.offset : a.offset + a.limit], ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
