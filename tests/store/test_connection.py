"""DuckDB's parameter style turned into psycopg's, written out by hand."""

from __future__ import annotations

from smmkpi.store.pg_connection import psycopg_query


def test_parameters_become_psycopg_ones_outside_quotes() -> None:
    assert psycopg_query("SELECT * FROM t WHERE a = ? AND b = ?") == (
        "SELECT * FROM t WHERE a = %s AND b = %s"
    )
    assert psycopg_query("WHERE client_id = $client AND d BETWEEN $first AND $last") == (
        "WHERE client_id = %(client)s AND d BETWEEN %(first)s AND %(last)s"
    )
    # a ? or $ inside quoted text or a quoted name is data; a % anywhere is escaped
    assert psycopg_query("SELECT 'why?', \"col?\" FROM t WHERE x LIKE '5%' AND y = ?") == (
        "SELECT 'why?', \"col?\" FROM t WHERE x LIKE '5%%' AND y = %s"
    )
    assert psycopg_query("SELECT '$5', 10 % 3") == "SELECT '$5', 10 %% 3"
    assert psycopg_query("SELECT $ + 1") == "SELECT $ + 1"  # no name after $: left alone
