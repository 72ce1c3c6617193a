"""The house rules that import-linter cannot see: transactions, module sizes, e2e test imports."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
E2E = ROOT / "tests" / "e2e"
PACKAGES = ("bot", "config", "council", "handlers", "reports", "sandbox", "services", "storage")
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
    "insight",
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


def imported_test_modules(source: str, package: str) -> list[str]:
    """Return the imports in a module of `package` that reach a test module of tests/e2e."""

    def is_test_module(name: str) -> bool:
        parts = name.split(".")
        return parts[:2] == ["tests", "e2e"] and len(parts) > 2 and parts[2].startswith("test_")

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                parents = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parents, base] if base else parents)
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        if any(is_test_module(name) for name in names):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "from tests.e2e.test_chain import Chain",
        "import tests.e2e.test_chain",
        "from tests.e2e import harness, test_chain",
        "from .test_chain import Chain",
        "from . import test_chain",
        "from ..test_chain import Chain",  # from tests/e2e/steps/
    ],
)
def test_the_e2e_import_rule_sees_every_way_to_import_a_test_module(source: str) -> None:
    package = "tests.e2e.steps" if source.startswith("from ..") else "tests.e2e"
    assert imported_test_modules(source, package) == [f"line 1: {source}"]


@pytest.mark.parametrize("path", sorted(E2E.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_e2e_module_imports_a_test_module(path: Path) -> None:
    package = ".".join(path.relative_to(ROOT).parent.parts)
    found = imported_test_modules(path.read_text(encoding="utf-8"), package)
    assert not found, (
        "e2e test modules share steps through tests/e2e/steps/ and fixtures through "
        f"tests/e2e/conftest.py, never by importing each other: {found}"
    )


def test_every_package_is_in_the_distribution() -> None:
    """A package missing from [tool.setuptools] works in an editable install, not in a wheel."""
    import tomllib

    declared = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for package in PACKAGES
        for init in (ROOT / package).rglob("__init__.py")
    }
    assert found <= declared, f"add to [tool.setuptools] packages: {sorted(found - declared)}"
