"""The store's SQL as PostgreSQL reads it (bot/store/postgres.py): no server needed."""

from __future__ import annotations

import pytest

from bot.store.base import LATEST_VERSION, _migrations
from bot.store.pg_store import pg_migrations
from bot.store.postgres import translate


@pytest.mark.parametrize(
    ("sqlite", "postgres"),
    [
        ("SELECT 1 FROM seen WHERE guild_id = ?", "SELECT 1 FROM seen WHERE guild_id = %s"),
        (
            "WHERE r.guild_id = :guild AND o.x = :guild",
            "WHERE r.guild_id = %(guild)s AND o.x = %(guild)s",
        ),
        ("SELECT x::bigint, ?::oid", "SELECT x::bigint, %s::oid"),
        ("SELECT '50%' || ?", "SELECT '50%%' || %s"),
        ("SELECT 'a ? :b' , ?", "SELECT 'a ? :b' , %s"),
        ("SELECT 'it''s :x', :y", "SELECT 'it''s :x', %(y)s"),
        ("x % 2", "x %% 2"),
        (
            "film_key IN (SELECT value FROM json_each(?))",
            "film_key IN (SELECT json_array_elements_text(CAST(%s AS json)))",
        ),
        (
            "o.kind IN (SELECT value FROM json_each(:kinds))",
            "o.kind IN (SELECT json_array_elements_text(CAST(%(kinds)s AS json)))",
        ),
        (
            "SELECT group_concat(user_id) FROM b",
            "SELECT string_agg(CAST(user_id AS text), ',') FROM b",
        ),
    ],
)
def test_the_store_sql_becomes_postgres_sql(sqlite, postgres):
    assert translate(sqlite) == postgres


def test_time_of_day_literals_are_not_parameters():
    assert (
        translate("SELECT '19:30' WHERE at_time = :at") == "SELECT '19:30' WHERE at_time = %(at)s"
    )


def test_both_backends_number_their_migrations_alike():
    """PostgreSQL starts at SQLite's version 15; every later migration comes for both, under
    one number and name, so a database of either kind is at the same version."""
    sqlite = {number: name for number, name, _ in _migrations()}
    postgres = {number: name for number, name, _ in pg_migrations()}
    assert min(postgres) == 15 and max(postgres) == max(sqlite) == LATEST_VERSION
    assert {n: sqlite[n] for n in sqlite if n > 15} == {n: postgres[n] for n in postgres if n > 15}
