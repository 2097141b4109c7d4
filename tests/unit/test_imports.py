"""The import graph of the source packages: no cycles, and the layers point one way.

Built with grimp (the graph behind import-linter) from every ``import`` in
the source, including those inside functions: an import hidden in a function
still makes a cycle, it only moves the failure from start-up to some later
call. Imports under ``if TYPE_CHECKING:`` are left out (they never run).
"""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ("app", "workflows", "forms", "worker", "config")

#: Cycles that other work removes. An entry is allowed only while its cycle exists,
#: so it must be deleted here when that work lands (``test_the_allowances_are_still_needed``).
ALLOWED_CYCLES: dict[frozenset[str], str] = {
}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=True,
                             exclude_type_checking_imports=True)


def cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    modules = sorted(m for m in graph.modules if m.split(".")[0] in PACKAGES)
    edges = {m: sorted(i for i in graph.find_modules_directly_imported_by(m)
                       if i.split(".")[0] in PACKAGES) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def chains(graph: grimp.ImportGraph, importer: str, imported: str) -> list[str]:
    return [" -> ".join(chain) for chain in graph.find_shortest_chains(importer=importer,
                                                                       imported=imported)]


class TestCycles:
    def test_no_import_cycle_between_source_modules(self, graph):
        found = [c for c in cycles(graph) if c not in ALLOWED_CYCLES]
        assert found == [], "import cycles: " + "; ".join(" <-> ".join(sorted(c)) for c in found)

    def test_the_allowances_are_still_needed(self, graph):
        stale = set(ALLOWED_CYCLES) - set(cycles(graph))
        assert not stale, f"these cycles are gone; delete them from ALLOWED_CYCLES: {stale}"

    def test_the_cycle_finder_finds_a_cycle(self):
        made = grimp.ImportGraph()
        for a, b in (("app.a", "app.b"), ("app.b", "app.c"), ("app.c", "app.a"), ("app.c", "app.d")):
            made.add_import(importer=a, imported=b)
        assert cycles(made) == [frozenset({"app.a", "app.b", "app.c"})]


class TestLayers:
    def test_app_never_imports_worker(self, graph):
        assert chains(graph, "app", "worker") == []

    @pytest.mark.parametrize("outside", ["flask", "sqlalchemy", "app", "forms", "worker"])
    def test_workflows_stay_pure(self, graph, outside):
        assert chains(graph, "workflows", outside) == []
