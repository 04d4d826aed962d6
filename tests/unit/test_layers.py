"""The dependency rules of docs/architecture.md, read from the source (each module's
imports, relative ones resolved): the web layer talks to the core only; the domain
imports nothing of I/O."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import wwe_host

PACKAGE = Path(wwe_host.__file__).parent

# What web/ must not import: the core's insides and the adapters behind it.
WEB_FORBIDDEN = (
    "wwe_host.domain",
    "wwe_host.api",
    "wwe_host.simulator",
    "wwe_host.contact_center",
)
# What the domain may import: pure standard modules, msgspec, itself and the error codes.
DOMAIN_ALLOWED = (
    "__future__",
    "collections",
    "dataclasses",
    "enum",
    "functools",
    "itertools",
    "math",
    "re",
    "typing",
    "msgspec",
    "wwe_host.domain",
    "wwe_host.errors",
)
IO_MODULES = ("asyncio", "sqlite3", "socket", "starlette", "uvicorn", "httpx", "smtplib", "os")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, wherever it is written
    (under ``TYPE_CHECKING`` and inside functions too)."""
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            yield node.lineno, name
            if node.module is None or node.level:
                # ``from . import x`` and ``from .pkg import mod`` may name modules.
                for alias in node.names:
                    yield node.lineno, f"{name}.{alias.name}"


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def violations(folder: str, bad: Callable[[str], bool]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for line, name in imports(path):
            if bad(name):
                found.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
    return found


def test_the_import_reader_resolves_relative_imports() -> None:
    assert module_name(PACKAGE / "web" / "rest" / "admin.py") == "wwe_host.web.rest.admin"
    names = {name for _, name in imports(PACKAGE / "web" / "rest" / "admin.py")}
    assert "wwe_host.engine" in names
    assert "wwe_host.core.views" in names


def test_the_web_layer_imports_only_the_core() -> None:
    assert violations("web", lambda name: within(name, WEB_FORBIDDEN)) == []


def test_the_domain_imports_nothing_of_io() -> None:
    assert violations("domain", lambda name: within(name, IO_MODULES)) == []
    assert violations("domain", lambda name: not within(name, DOMAIN_ALLOWED)) == []
