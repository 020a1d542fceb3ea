"""The layout holds: no import cycle in the package, modules under the size limit, thin pages that do no
arithmetic on results, and no parameter default written outside the parameter model."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "lillegeo"
#: Lines a module may have (the string table is a table, not code).
MAX_LINES = 500
EXEMPT = {"lillegeo/i18n.py"}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        rel = p.relative_to(ROOT).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _resolve(module: str, node: ast.ImportFrom | ast.Import, is_pkg: bool) -> list[str]:
    """Absolute names a statement imports (``from . import x`` may name a submodule)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level:
        base = module.split(".") if is_pkg else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    return [prefix] + [f"{prefix}.{a.name}" for a in node.names]


def import_graph(*, top_level_only: bool = False) -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if top_level_only else ast.walk(tree)
        for node in nodes:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _resolve(name, node, path.name == "__init__.py"):
                    if target in mods and target != name:
                        graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            # a package importing its own submodules (its __init__ re-exporting them) is not a cycle
            if m.startswith(n + "."):
                continue
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def _edges_without_parent_packages(graph):
    """A submodule importing a sibling through its package's __init__ resolves to the package; count the
    edge to the package itself only when the package is not an ancestor of the importer."""
    return {n: {m for m in targets if not n.startswith(m + ".")} for n, targets in graph.items()}


def test_no_import_cycle_anywhere_in_the_package():
    # every import counts, also one written inside a function: an import moved into a function to dodge
    # a cycle is still a cycle
    graph = _edges_without_parent_packages(import_graph())
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in PKG.rglob("*.py")))
def test_module_is_under_the_size_limit(path):
    if path in EXEMPT:
        return
    n = len((ROOT / path).read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path} has {n} lines (limit {MAX_LINES}): split it by concern"


_ARITH = (ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.Sub, ast.MatMult)
_REDUCE = {"sum", "mean", "median", "round", "value_counts", "std", "var", "cumsum", "groupby", "pivot_table",
           "quantile", "count", "nunique", "describe"}


def arithmetic_in(source: str) -> list[str]:
    """Arithmetic on values in a page: binary operators other than text joining, and reductions."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BinOp) and isinstance(node.op, _ARITH):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            sides = (node.left, node.right)
            if not any(isinstance(s, (ast.JoinedStr, ast.List, ast.Tuple)) or
                       (isinstance(s, ast.Constant) and isinstance(s.value, str)) for s in sides):
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _REDUCE:
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_pages_do_no_arithmetic_on_results(page):
    found = arithmetic_in((ROOT / "pages" / page).read_text(encoding="utf-8"))
    assert not found, f"{page} computes on results (move it into lillegeo): " + "; ".join(found)


def test_the_arithmetic_check_catches_what_it_should():
    assert arithmetic_in("x = (res.share * 100).round(0)")
    assert arithmetic_in("n = int((frame['bin'] != 0).sum())")
    assert arithmetic_in("a = b + c")
    assert not arithmetic_in("s = f'{a}' + 'b'; opts = ('',) + counts")


#: Defaults of the parameter model that once were written as literals in pages, the command line and
#: the pipeline (DBSCAN 150/30, 120/60, 120/40; 999 permutations; the threshold 11; alpha 0.05 …).
KNOWN_DEFAULTS = {11, 999, 199, 1999, 9999, 0.05, 0.01, 0.1, 150, 120, 60, 40, 30, 250, 100, 0.8, 1.25, 2**31 - 1}
#: Where parameters are used, not declared.
CONSUMERS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), PKG / "cli.py", PKG / "commands.py",
             PKG / "pipeline.py", PKG / "outputs.py", PKG / "choices.py", *sorted((PKG / "app").glob("*.py"))]


def default_literals(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and not isinstance(node.value, bool) and \
                isinstance(node.value, (int, float)) and node.value in KNOWN_DEFAULTS:
            found.append(f"line {node.lineno}: {node.value!r}")
    return found


@pytest.mark.parametrize("path", [p.relative_to(ROOT).as_posix() for p in CONSUMERS])
def test_no_parameter_default_outside_the_parameter_model(path):
    found = default_literals((ROOT / path).read_text(encoding="utf-8"))
    assert not found, f"{path} writes parameter defaults (take them from lillegeo.params): " + "; ".join(found)


def test_the_default_check_catches_a_literal():
    assert default_literals("point_clusters(p, eps_m=120, min_samples=60)") == ["line 1: 120", "line 1: 60"]
    assert default_literals("threshold = 11")
    assert not default_literals("k = p.k; x = 2")


def test_public_api_keeps_working():
    import lillegeo
    import lillegeo.equity

    for name in ("read_units", "read_table", "join_table", "compute_indicator", "choropleth_map", "to_offline_html"):
        assert callable(getattr(lillegeo, name)), name
    assert callable(lillegeo.equity.benchmark_model)


def test_only_the_app_package_imports_streamlit():
    for path in PKG.rglob("*.py"):
        if "app" in path.relative_to(PKG).parts[:1]:
            continue
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(encoding="utf-8"), re.M), path
