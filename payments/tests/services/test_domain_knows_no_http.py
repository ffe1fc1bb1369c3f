"""The domain raises core.errors.NotFound; only the API layer knows HTTP."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOMAIN = [
    "payments/selectors.py",
    *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "payments/services").glob("*.py")),
    "invoices/selectors.py",
    "invoices/services.py",
]


@pytest.mark.parametrize("path", DOMAIN)
def test_no_django_http_in_the_domain(path):
    imported = set()
    for node in ast.walk(ast.parse((ROOT / path).read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not {name for name in imported if name == "django.http" or name.startswith("django.http.")}
