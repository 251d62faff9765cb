"""The extractor's one outside input, underthesea's word list, is pinned by its hash: a missing
or different file stops every extracting command at start-up with one line (exit 78), never a
silent change of what the rules find. Real `notices` processes, with a stand-in underthesea
package put first on PYTHONPATH."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors import EXTRACTOR_VERSION
from extractors.gazetteer import WORD_LIST, WORD_LIST_SHA256, vietnamese_words, word_list_path

NOTICES = str(Path(sys.executable).with_name("notices"))
SEED = Path(__file__).parent / "fixtures" / "sokhcn-2024-08-22-cchc-ket-luan.txt"


def test_the_installed_word_list_is_the_pinned_one():
    path = word_list_path()
    assert path is not None and path.as_posix().endswith(WORD_LIST)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == WORD_LIST_SHA256
    assert ("khoa học" in vietnamese_words()) and ("trồng trọt" in vietnamese_words())


def test_the_word_list_is_part_of_the_extractor_version():
    assert EXTRACTOR_VERSION.endswith("+words." + WORD_LIST_SHA256[:12])


def _stand_in(tmp_path: Path, words: str | None) -> dict[str, str]:
    """An ``underthesea`` package that shadows the installed one, with ``words`` as its word list
    (None: no word list at all)."""
    pkg = tmp_path / "underthesea"
    (pkg / "corpus" / "data").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    if words is not None:
        (pkg / "corpus" / "data" / "Viet74K.txt").write_text(words, encoding="utf-8")
    return dict(os.environ, PYTHONPATH=str(tmp_path))


@pytest.mark.parametrize("words,says", [
    ("khoa học\ntrồng trọt\n", "has sha256"),   # another list (an upgrade of underthesea)
    ("", "has sha256"),                          # an empty one
    (None, "cannot read"),                       # none at all
])
@pytest.mark.parametrize("args", [
    ["extract", str(SEED)],
    ["eval", str(Path(__file__).parent / "fixtures" / "dev")],
    ["reparse", "--db", "{tmp}/x.db", "--raw-dir", "{tmp}"],
])
def test_a_missing_or_different_word_list_stops_at_start_up(tmp_path, words, says, args):
    env = _stand_in(tmp_path, words)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    r = subprocess.run([NOTICES, *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert r.returncode == 78, (r.returncode, r.stderr)
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and "Viet74K.txt" in lines[0], r.stderr
    assert not (tmp_path / "x.db").exists()


def test_help_needs_no_word_list(tmp_path):
    r = subprocess.run([NOTICES, "extract", "-h"], capture_output=True, text=True,
                       env=_stand_in(tmp_path, None), cwd=tmp_path, timeout=60)
    assert r.returncode == 0 and "Usage" in r.stdout
