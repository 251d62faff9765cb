"""`make demo`: serve the bundled sample portal on 127.0.0.1, run `notices nightly` against it
and print what landed in the database.

The sample portal is the mock portal of the tests: the markup of the real site (as far as it is
known) with the seed notice and the dev corpus as articles, and a register of directives.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
from pathlib import Path

from tests.portal import MockPortal
from tests.portal_files import add_attachment_notices

DEMO_KINDS = ("pdf", "docx", "docx-tcvn3")
DEMO_PORT = 8765  # fixed, so a second `make demo` is an incremental run of the same portal


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", default="data/db/notices.db")
    ap.add_argument("--raw-dir", default="data/raw")
    a = ap.parse_args()
    notices = str(Path(sys.executable).with_name("notices"))
    portal = MockPortal.from_fixtures(per_page=3)
    # Notices that are only their attached file: a text PDF, a DOCX, a DOCX in the TCVN3 font (the
    # scans and the DOC, which need OCR and LibreOffice, would make the demo slow: see the tests).
    files = add_attachment_notices(portal, DEMO_KINDS)
    portal.start(port=DEMO_PORT if _free(DEMO_PORT) else 0)
    try:
        print(f"sample portal: {portal.base_url} ({len(portal.articles)} articles, {len(files)} of them only an "
              f"attached file, {len(portal.categories)} categories, a register of {len(portal.register)} directives)")
        print(f"$ notices nightly --base-url {portal.base_url} --delay 0")
        subprocess.run([notices, "nightly", "--base-url", portal.base_url, "--delay", "0", "--db", a.db,
                        "--raw-dir", a.raw_dir, "--quiet"], check=True)
    finally:
        portal.stop()
    print(f"\n$ notices summary --db {a.db}")
    subprocess.run([notices, "summary", "--db", a.db], check=True)
    print(f"""
Open it in Datasette:   .venv/bin/notices serve --db {a.db}     (then http://127.0.0.1:8001/)
Trail of a directive:   .venv/bin/notices audit 97/KH-SKHCN --db {a.db}
Cited in an attachment: .venv/bin/notices audit 3157/QĐ-UBND --db {a.db}
Runs and fetch errors:  .venv/bin/notices status --db {a.db}""")


if __name__ == "__main__":
    main()
