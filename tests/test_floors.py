"""The floors (STYLE.md's layout): an app imports `core` and the apps below it, never one above.

Every module under gaoxin/ is parsed with `ast`, so an import written inside a function counts
as much as one at the top, and so does a model named by string: `apps.get_model("app", ...)`,
`get_model("app.Model")` and a relation field's `"app.Model"` target. Migrations are left out:
they record the history of the tables, not today's dependencies. An import under `if
TYPE_CHECKING:` never runs, but it still says what a module knows about, so it counts too, with
one named exception (`TYPE_ONLY_EXEMPT`): core's access rules, zones, inbox and navigation take
the signed-in user, and name `accounts.User` and `accounts.Zone` for the type checker only;
at run time core reaches them through `settings.AUTH_USER_MODEL` (`core.access.zone_model`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import gaoxin

PACKAGE = Path(gaoxin.__file__).parent

# Lowest first. An app may use the apps before it in this list and never one after it. Within
# the middle floor: spaces are rented by projects, investment leads become projects, policies
# (and their briefings) sit above the project pipeline, campaigns above the policies they
# carry out.
ORDER = [
    "core",
    "accounts",
    "jobs",
    "industries",
    "enterprises",
    "spaces",
    "investment",
    "projects",
    "policies",
    "campaigns",
    "economy",
    "cultivation",
    "dashboard",
    "factcheck",
    "api",
    "demo",
]
# Modules directly under gaoxin/ (settings, urls, cli, wsgi) wire the apps together: the top.
TOP = "<gaoxin>"
# gaoxin/env.py reads the environment for settings and knows no app: below everything.
BOTTOM_MODULES = {"gaoxin.env", "gaoxin"}

# Known violations, each named as (module, app it reaches, how); the aim is an empty set.
ALLOWED: set[tuple[str, str, str]] = {
    # An enterprise user is bound to one enterprise by a column of the user table, while the
    # enterprise belongs to a zone of the accounts app. Turning it round (a membership table
    # in the enterprises app) changes the user table and its check constraint: left to a
    # change of its own.
    ("gaoxin.accounts.models", "enterprises", "ForeignKey"),
    # ... and the service that creates such a user names the enterprise's type.
    ("gaoxin.accounts.services", "enterprises", "type-only import"),
}

# The only names a module may import upward for the type checker alone: the user model (which
# Django lets any app name through settings.AUTH_USER_MODEL) and its zones.
TYPE_ONLY_EXEMPT = {"gaoxin.accounts.models": {"User", "Zone"}}

RELATION_FIELDS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


@dataclass(frozen=True)
class Reference:
    module: str  # the dotted module that holds it
    line: int
    target: str  # the app referred to
    how: str


def _rank(app: str) -> int:
    if app == TOP:
        return len(ORDER)
    return ORDER.index(app)


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent)
        if "migrations" in relative.parts:
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


def app_of(module: str) -> str | None:
    """The app a dotted module belongs to; TOP for gaoxin's own top-level modules; None for
    modules outside gaoxin or below every app."""
    parts = module.split(".")
    if parts[0] != "gaoxin" or module in BOTTOM_MODULES:
        return None
    if len(parts) == 2 and not (PACKAGE / parts[1]).is_dir():
        return TOP
    return parts[1]


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def _string_app(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of the nodes inside an `if TYPE_CHECKING:` block (not its else)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and (
            (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
            or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
        ):
            inside.update(id(n) for child in node.body for n in ast.walk(child))
    return inside


def references(module: str, path: Path) -> Iterator[Reference]:
    """Every app this module refers to, by import or by a model's name in a string."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    type_only = _type_checking_only(tree)
    for node in ast.walk(tree):
        how = "type-only import" if id(node) in type_only else "import"
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Reference(module, node.lineno, alias.name, how)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, path, node)
            names = {alias.name for alias in node.names}
            if how != "import" and base in TYPE_ONLY_EXEMPT and names <= TYPE_ONLY_EXEMPT[base]:
                continue
            for alias in node.names:
                # `from gaoxin import projects` names an app through the package.
                target = f"{base}.{alias.name}" if base == "gaoxin" else base
                yield Reference(module, node.lineno, target, how)
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            args = [_string_app(a) for a in node.args]
            if name == "get_model" and args and args[0]:
                # get_model("app", "Model") or get_model("app.Model")
                label = args[0].split(".")[0]
                yield Reference(module, node.lineno, f"gaoxin.{label}", "get_model")
            elif name == "import_module" and args and args[0]:
                yield Reference(module, node.lineno, args[0], "import_module")
            elif name in RELATION_FIELDS:
                targets = [node.args[0]] if node.args else []
                targets += [k.value for k in node.keywords if k.arg == "to"]
                for target in targets:
                    text = _string_app(target)
                    if text and "." in text:
                        label = text.split(".")[0]
                        yield Reference(module, node.lineno, f"gaoxin.{label}", name)


def _edges() -> list[tuple[str, str, Reference]]:
    edges = []
    for module, path in _modules():
        source = app_of(module)
        if source is None:
            continue
        for ref in references(module, path):
            target = app_of(ref.target)
            if target is None or target == source:
                continue
            edges.append((source, target, ref))
    return edges


@pytest.fixture(scope="module")
def edges() -> list[tuple[str, str, Reference]]:
    """Every module parsed once, when a test here runs: not at collection, which every xdist
    worker of both CI runs repeats (the PostgreSQL run deselects these tests after collecting)."""
    return _edges()


def test_every_app_has_a_floor():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    unplaced = sorted(apps - set(ORDER))
    assert not unplaced, f"add these apps to ORDER in {__file__}: {unplaced}"


def test_no_app_reaches_a_higher_one(edges):
    upward = [
        f"{ref.module}:{ref.line} ({source}) -> {target} by {ref.how}"
        for source, target, ref in edges
        if _rank(target) > _rank(source) and (ref.module, target, ref.how) not in ALLOWED
    ]
    assert not upward, "imports from a lower app to a higher one:\n" + "\n".join(upward)


def test_the_allow_list_holds_only_live_violations(edges):
    """An allowed violation that is gone must leave the list, so it cannot hide a new one."""
    live = {(ref.module, target, ref.how) for _, target, ref in edges}
    assert live >= ALLOWED, f"fixed, remove from ALLOWED: {sorted(ALLOWED - live)}"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, as a path that ends where it starts; None when it has none."""
    state: dict[str, int] = {}  # 1 while on the path, 2 when done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_apps(edges):
    graph: dict[str, set[str]] = {}
    for source, target, ref in edges:
        if (ref.module, target, ref.how) not in ALLOWED:
            graph.setdefault(source, set()).add(target)
    cycle = _cycle(graph)
    assert cycle is None, "apps import each other: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("graph", "has_cycle"),
    [
        ({"a": {"b"}, "b": {"c"}}, False),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
        ({"a": {"b", "c"}, "c": {"b"}}, False),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, has_cycle):
    assert (_cycle(graph) is not None) == has_cycle


def test_the_scanner_sees_hidden_references(tmp_path):
    """Imports inside functions, relative imports, models named by string and imports for the
    type checker only (under `if TYPE_CHECKING:`) all count; only the user model may be named
    for the type checker alone."""
    source = tmp_path / "services.py"
    source.write_text(
        "def f():\n"
        "    from gaoxin.projects.models import Project\n"
        "    from ..dashboard import views\n"
        "    apps.get_model('policies', 'Policy')\n"
        "    django_apps.get_model('demo.Thing')\n"
        "    models.ForeignKey('investment.Lead', on_delete=None)\n"
        "if TYPE_CHECKING:\n"
        "    from gaoxin.campaigns.models import Campaign\n"
        "    from gaoxin.accounts.models import User\n"
        "else:\n"
        "    from gaoxin.api.schema import Schema\n",
        encoding="utf-8",
    )
    found = {(app_of(ref.target), ref.how) for ref in references("gaoxin.spaces.services", source)}
    assert found == {
        ("projects", "import"),
        ("dashboard", "import"),
        ("policies", "get_model"),
        ("demo", "get_model"),
        ("investment", "ForeignKey"),
        ("campaigns", "type-only import"),
        ("api", "import"),
    }
