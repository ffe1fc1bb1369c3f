"""Size budget, checked by `make lint`: small modules, short functions, small components.

Fails (exit 1) and lists each breach when, outside migrations and tests,
- a Python module is over 400 lines,
- a Python function or method is over 60 lines (from its ``def`` to its last line),
- a React component file under frontend/src (.jsx, .tsx) is over 200 lines.

Usage: python scripts/check_sizes.py [ROOT]   (ROOT defaults to the repository).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_COMPONENT_LINES = 200

# Never ours to size (installed, built or cached), or outside the budget (tests, migrations).
SKIPPED_DIRS = {
    ".git", ".venv", "venv", "node_modules", "dist", "staticfiles", "__pycache__",
    ".hypothesis", ".mypy_cache", ".ruff_cache", ".pytest_cache",
    "migrations", "tests", "__tests__", "e2e",
}  # fmt: skip


def _files(root: Path, suffixes: tuple[str, ...]) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in SKIPPED_DIRS for part in relative.parts[:-1]):
            continue
        if path.is_file() and path.suffix in suffixes and not _is_test_file(path.name):
            yield path


def _is_test_file(name: str) -> bool:
    return name.startswith("test_") or name == "conftest.py" or ".test." in name or ".spec." in name


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def python_breaches(root: Path) -> list[str]:
    found = []
    for path in _files(root, (".py",)):
        name = path.relative_to(root).as_posix()
        lines = _line_count(path)
        if lines > MAX_MODULE_LINES:
            found.append(f"{name}: module has {lines} lines (at most {MAX_MODULE_LINES})")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=name)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    found.append(
                        f"{name}:{node.lineno}: function {node.name} has {length} lines (at most {MAX_FUNCTION_LINES})"
                    )
    return found


def component_breaches(root: Path) -> list[str]:
    source = root / "frontend" / "src"
    if not source.is_dir():
        return []
    found = []
    for path in _files(source, (".jsx", ".tsx")):
        lines = _line_count(path)
        if lines > MAX_COMPONENT_LINES:
            name = path.relative_to(root).as_posix()
            found.append(f"{name}: component file has {lines} lines (at most {MAX_COMPONENT_LINES})")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]).resolve() if len(argv) > 1 else Path(__file__).resolve().parent.parent
    breaches = python_breaches(root) + component_breaches(root)
    for breach in breaches:
        print(breach)
    if breaches:
        print(f"{len(breaches)} over the size budget: split them (see docs/architecture.md).", file=sys.stderr)
        return 1
    print("Sizes: every module, function and component is within budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
