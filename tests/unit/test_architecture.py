"""The house rules that import-linter cannot see: who opens transactions, and module sizes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "config", "handlers", "reports", "services", "storage")
REPOSITORIES = {
    "uow",
    "drafts",
    "reports",
    "residents",
    "privacy",
    "cases",
    "outbox",
    "followups",
    "surveys",
    "digests",
}
MAX_LINES = 300
REASON = re.compile(r"longer than 300 lines", re.IGNORECASE)


def modules(*packages: str) -> list[Path]:
    """Return the Python modules of the given packages."""
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def _repository(node: ast.expr) -> bool:
    """Return whether an expression is `<services>.<repository>` (not `config.reports`)."""
    if not isinstance(node, ast.Attribute) or node.attr not in REPOSITORIES:
        return False
    owner = node.value
    return not (isinstance(owner, ast.Attribute) and owner.attr == "config")


@pytest.mark.parametrize("path", modules("handlers"), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_handler_opens_a_transaction_or_reaches_a_repository(path: Path) -> None:
    touched = [
        f"line {node.lineno}: .{node.value.attr}.{node.attr}"
        if isinstance(node.value, ast.Attribute)
        else f"line {node.lineno}: .{node.attr}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and (node.attr == "uow" or _repository(node.value))
    ]
    assert not touched, "handlers call use cases in services/, not repositories"


@pytest.mark.parametrize("path", modules(*PACKAGES), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_fits_on_two_screens_or_says_why_not(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert lines <= MAX_LINES or REASON.search(docstring), (
        f"{lines} lines: split the module, or say in its docstring why it is longer than 300 lines"
    )
