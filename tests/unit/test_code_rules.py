"""The code's own rules, checked on every run of the fast tier: the lint (ruff), the import
contracts between the packages (import-linter) and the types of the entity rules and the search
package (mypy), all configured in pyproject.toml."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def run(*command):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsarchive.settings"}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_code_passes_the_lint():
    result = run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_packages_keep_their_import_contracts():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr


def test_the_entities_and_search_packages_type_check():
    result = run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
