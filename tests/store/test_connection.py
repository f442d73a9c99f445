"""The store's SQL numbers its parameters (``$1``, ``$2``), which DuckDB and PostgreSQL both read
as they are: no query is rewritten on its way to either engine."""

from __future__ import annotations

from smmkpi.workspace import Workspace


def test_numbered_parameters_reach_both_engines_unchanged(workspace: Workspace) -> None:
    with workspace.open_store() as store:
        row = store.con.execute(
            "SELECT $1 || ' 5% why? $2', $2 + 1, $1, 10 % 3, '$1'", ["a", 1]
        ).fetchone()
    # a parameter is used twice; % ? and $1 inside quotes are text, % outside is modulo
    assert row == ("a 5% why? $2", 2, "a", 1, "$1")


def test_a_list_parameter_is_an_array_on_both_engines(workspace: Workspace) -> None:
    with workspace.open_store() as store:
        row = store.con.execute(
            "SELECT 'b' = ANY($1::VARCHAR[]), 'z' = ANY($1::VARCHAR[])", [["a", "b"]]
        ).fetchone()
    assert row == (True, False)
