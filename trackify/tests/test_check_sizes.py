"""The size budget `make lint` enforces (scripts/check_sizes.py): what it counts and what it skips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "check_sizes.py"


def check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True, timeout=60)


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def function(name: str, body_lines: int) -> str:
    return f"def {name}():\n" + "    x = 1\n" * body_lines


def test_a_tree_within_budget_passes(tmp_path):
    write(tmp_path, "app/services.py", function("short", 59) + "\n" * 300)
    write(tmp_path, "frontend/src/features/x/Page.jsx", "//\n" * 200)

    result = check(tmp_path)

    assert result.returncode == 0, result.stdout
    assert "within budget" in result.stdout


def test_long_modules_functions_and_components_fail(tmp_path):
    write(tmp_path, "app/big.py", "x = 1\n" * 401)
    write(tmp_path, "app/services.py", "\n" + function("refund", 60))
    write(tmp_path, "frontend/src/features/x/Page.jsx", "//\n" * 201)

    result = check(tmp_path)

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "app/big.py: module has 401 lines (at most 400)",
        "app/services.py:2: function refund has 61 lines (at most 60)",
        "frontend/src/features/x/Page.jsx: component file has 201 lines (at most 200)",
    ]


def test_tests_migrations_and_installed_code_are_outside_the_budget(tmp_path):
    long_module = "x = 1\n" * 500
    for name in (
        "app/tests/test_big.py",
        "app/test_big.py",
        "conftest.py",
        "app/migrations/0001_initial.py",
        ".venv/lib/site.py",
        "frontend/node_modules/react/index.jsx",
        "frontend/src/features/x/__tests__/Page.test.jsx",
        "frontend/src/features/x/Page.test.jsx",
    ):
        write(tmp_path, name, long_module)

    assert check(tmp_path).returncode == 0
