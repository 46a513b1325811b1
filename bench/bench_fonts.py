"""What each language's home page makes a phone download in fonts (issue 10).

Every declared script has a served Noto font whose @font-face rules carry unicode-range, so
a browser fetches only the subsets for the characters on the page (the switcher's names
included), once: the files are hashed and cached. Prints files and KiB per language.

    .venv/bin/python manage.py runserver 127.0.0.1:8123 &   # a seeded database
    .venv/bin/python bench/bench_fonts.py --base-url http://127.0.0.1:8123

Needs Chromium (/usr/bin/chromium) and Playwright. A machine with the fonts installed
downloads less: the system's font is used where the stack names it first.
"""

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from languages.registry import LANGUAGES  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-url", default="http://127.0.0.1:8123")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    a = ap.parse_args()
    print(f"{'language':10} {'font files':>10} {'KiB':>6}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=a.chromium)
        for lang in LANGUAGES:
            context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
            page = context.new_page()
            fonts = []
            page.on("response", lambda r, fonts=fonts: fonts.append(r) if r.url.endswith(".woff2") else None)
            page.goto(f"{a.base_url}/{lang.code}/", wait_until="networkidle")
            size = sum(len(r.body()) for r in fonts)
            print(f"{lang.code:10} {len(fonts):>10} {size // 1024:>6}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
