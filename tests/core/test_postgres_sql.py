"""The store's SQL as PostgreSQL reads it (bot/store/postgres.py): no server needed."""

from __future__ import annotations

import pytest

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
