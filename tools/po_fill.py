#!/usr/bin/env python
"""Write translations into one catalogue, each marked machine-assisted for review.

    .venv/bin/python tools/po_fill.py LOCALE FILE.json [--issue 10]

FILE.json is a list of {"msgid": ..., "msgstr": "..."} or, for a plural entry,
{"msgid": ..., "msgstr_plural": ["form 0", "form 1", ...]} (as many forms as the
catalogue's nplurals), plus "context" when the entry has one. The fuzzy flag is removed.
Placeholders (%(name)s, {name}, %s, %d) and HTML tags must match the msgid: an entry that
does not is refused and printed, the rest are written.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}|</?[a-z]+[^>]*>", re.I)


def shape(text):
    return sorted(PLACEHOLDER.findall(text))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("locale")
    ap.add_argument("file")
    ap.add_argument("--issue", default="10")
    a = ap.parse_args()
    path = ROOT / "locale" / a.locale / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(path), wrapwidth=79)
    nplurals = int(re.search(r"nplurals=(\d+)", po.metadata.get("Plural-Forms", "nplurals=2")).group(1))
    index = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    items = json.loads(Path(a.file).read_text(encoding="utf-8"))
    note = f"machine-assisted (issue {a.issue}): awaiting review by a native speaker"
    done, refused = 0, []
    for item in items:
        e = index.get((item.get("context"), item["msgid"]))
        if e is None:
            refused.append((item["msgid"], "no such msgid"))
            continue
        if e.msgid_plural:
            forms = item.get("msgstr_plural")
            if not isinstance(forms, list) or len(forms) != nplurals or not all(forms):
                refused.append((e.msgid, f"needs msgstr_plural with {nplurals} non-empty forms"))
                continue
            allowed = set(shape(e.msgid)) | set(shape(e.msgid_plural))
            if any(set(shape(f)) - allowed for f in forms):
                refused.append((e.msgid, "placeholders or tags differ"))
                continue
            e.msgstr_plural = dict(enumerate(forms))
        else:
            text = item.get("msgstr", "")
            if not text:
                refused.append((e.msgid, "empty msgstr"))
                continue
            if shape(text) != shape(e.msgid):
                refused.append((e.msgid, f"placeholders or tags differ: {shape(e.msgid)} vs {shape(text)}"))
                continue
            e.msgstr = text
        if "fuzzy" in e.flags:
            e.flags.remove("fuzzy")
        e.previous_msgid = e.previous_msgid_plural = e.previous_msgctxt = None
        lines = [c for c in (e.tcomment or "").splitlines() if not c.startswith("machine-assisted")]
        e.tcomment = "\n".join([*lines, note])
        done += 1
    po.save(str(path))
    print(f"{a.locale}: wrote {done}, refused {len(refused)}")
    for msgid, why in refused:
        print(f"  REFUSED {msgid[:70]!r}: {why}", file=sys.stderr)


if __name__ == "__main__":
    main()
