"""The house's shape, asserted from the code (docs/architecture.md).

- The import contracts of ``pyproject.toml`` ([tool.importlinter]), run by import-linter:
  the layers core <- centres <- accounts <- cqpm <- candidates | documents <- evaluations
  <- juries (an import only goes down; candidates and documents do not import each other),
  no product code importing ``bench``, and no circle of imports inside an app.
- No Python file over 600 lines (migrations aside): split by domain before it grows.
"""

import io
from contextlib import redirect_stdout
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = [
    "parchemin", "core", "centres", "accounts", "cqpm", "candidates", "documents",
    "evaluations", "juries", "accrochage", "bench", "tests",
]  # fmt: skip
MAX_LINES = 600


def test_the_import_contracts_are_kept(monkeypatch):
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with redirect_stdout(out):
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert code == 0, out.getvalue()


def test_no_file_is_over_600_lines():
    long_files = {
        str(path.relative_to(ROOT)): lines
        for folder in PRODUCT
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long_files, long_files
