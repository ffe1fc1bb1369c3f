"""`make run` installs what the product needs to run and links to where it serves; `make test`
adds the test tools. Read from `make -n` (what make would run), in a copy of the build files."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_TOOLS = {
    "pytest",
    "pytest-django",
    "schemathesis",
    "hypothesis",
    "playwright",
    "locust",
    "mypy",
    "ruff",
    "factory_boy",
}
BUILD_FILES = [
    "Makefile",
    "requirements.txt",
    "requirements-dev.txt",
    "frontend/package.json",
    "frontend/package-lock.json",
]


def dry_run(directory: Path, *args: str, **env: str) -> str:
    environment = {
        k: v for k, v in os.environ.items() if k not in {"PUBLIC_BASE_URL", "HOST", "PORT", "MAKEFLAGS", "MAKELEVEL"}
    }
    done = subprocess.run(
        ["make", "-n", *args], cwd=directory, env={**environment, **env}, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in BUILD_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def stamp(checkout: Path, *names: str) -> None:
    """Mark installs as done, after the files they were made from."""
    later = max((checkout / name).stat().st_mtime for name in BUILD_FILES) + 10
    for name in names:
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        (checkout / name).touch()
        os.utime(checkout / name, (later, later))


def requirement_names(path: Path) -> set[str]:
    lines = (line.split("#")[0].strip() for line in path.read_text().splitlines())
    return {re.split(r"[=<>~\[ ]", line)[0].lower() for line in lines if line and not line.startswith("-")}


def test_make_run_installs_the_runtime_packages_only(checkout):
    commands = dry_run(checkout, "-B", "run")
    assert "pip install --quiet --disable-pip-version-check --no-compile -r requirements.txt" in commands
    assert "requirements-dev.txt" not in commands
    assert "npm ci --omit=dev" in commands
    assert not requirement_names(ROOT / "requirements.txt") & TEST_TOOLS


def test_make_test_adds_the_test_tools(checkout):
    commands = dry_run(checkout, "-B", "test")
    assert "-r requirements-dev.txt" in commands
    assert re.search(r"npm ci --no-audit", commands)
    assert (ROOT / "requirements-dev.txt").read_text().splitlines()[0] == "-r requirements.txt"
    package = json.loads((ROOT / "frontend/package.json").read_text())
    assert {"vite", "react", "@vitejs/plugin-react"} <= set(package["dependencies"])  # the build
    assert {"vitest", "jsdom"} <= set(package["devDependencies"])  # the tests only


def test_after_make_test_make_run_installs_nothing(checkout):
    stamp(
        checkout,
        ".venv/.installed-dev",
        ".venv/.installed-run",
        "frontend/node_modules/.installed-dev",
        "frontend/node_modules/.installed-run",
    )
    commands = dry_run(checkout, ".venv/.installed-run", "frontend/node_modules/.installed-run")
    assert "pip install" not in commands and "npm ci" not in commands


def test_after_make_run_make_test_adds_the_test_tools_and_make_run_again_installs_nothing(checkout):
    stamp(checkout, ".venv/.installed-run", "frontend/node_modules/.installed-run")
    assert "pip install" not in dry_run(checkout, ".venv/.installed-run", "frontend/node_modules/.installed-run")
    commands = dry_run(checkout, ".venv/.installed-dev", "frontend/node_modules/.installed-dev")
    assert "-r requirements-dev.txt" in commands
    assert "npm ci --no-audit" in commands


@pytest.mark.parametrize(
    ("variables", "link"),
    [
        ({"PORT": "8765"}, "http://127.0.0.1:8765"),
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        # Bound to every interface: the links use an address a browser can open.
        ({"HOST": "0.0.0.0", "PORT": "8765"}, "http://127.0.0.1:8765"),
        ({"PORT": "8765", "PUBLIC_BASE_URL": "https://pay.example.com"}, "https://pay.example.com"),
    ],
)
def test_make_run_links_to_where_it_serves(checkout, variables, link):
    commands = dry_run(checkout, "-B", "run", **variables)
    (serve,) = [line for line in commands.splitlines() if "manage.py runserver" in line]
    assert f"PUBLIC_BASE_URL={link} " in serve
    assert serve.endswith(f"runserver {variables.get('HOST', '127.0.0.1')}:{variables['PORT']}")
    assert f"PUBLIC_BASE_URL={link} " in next(line for line in commands.splitlines() if "seed_demo" in line)
