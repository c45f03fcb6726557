import pytest

from bot.settings import DEFAULT_STARTER, Secret, Settings, SettingsError
from bot.shards import ShardPlan, shard_of


def test_defaults_without_any_environment(tmp_path):
    settings = Settings.load(env_file=None, environ={})
    assert not settings.discord_token
    assert settings.database.name == "movienight.db"
    assert settings.starter == DEFAULT_STARTER
    assert settings.dev_guild is None
    assert settings.log_level == "INFO"


def test_env_file_is_read_and_the_environment_wins(tmp_path):
    env = tmp_path / ".env"
    env.write_text(
        "DISCORD_TOKEN=from-file\nMOVIENIGHT_DATABASE=file.db\nMOVIENIGHT_DEV_GUILD=42\n"
    )
    settings = Settings.load(env_file=env, environ={"MOVIENIGHT_DATABASE": "env.db"})
    assert settings.discord_token.reveal() == "from-file"
    assert str(settings.database) == "env.db"
    assert settings.dev_guild == 42


def test_empty_starter_means_an_empty_catalog():
    assert Settings.load(env_file=None, environ={"MOVIENIGHT_STARTER": ""}).starter is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MOVIENIGHT_DEV_GUILD", "my-server"),
        ("MOVIENIGHT_LOG_LEVEL", "LOUD"),
        ("MOVIENIGHT_SEARCH_COOLDOWN_USES", "0"),
        ("MOVIENIGHT_SEARCH_COOLDOWN_SECONDS", "soon"),
        ("MOVIENIGHT_TMDB_URL", "api.themoviedb.org/3"),
        ("MOVIENIGHT_TMDB_URL", "ftp://example.org"),
    ],
)
def test_bad_values_name_the_variable(name, value):
    with pytest.raises(SettingsError, match=name):
        Settings.load(env_file=None, environ={name: value})


def test_the_token_never_shows_in_a_repr():
    settings = Settings.load(env_file=None, environ={"DISCORD_TOKEN": "sekrit.token.value"})
    assert "sekrit" not in repr(settings)
    assert "sekrit" not in str(settings.discord_token)
    assert repr(Secret("")) == "Secret('')"


def test_tmdb_is_off_without_a_token_or_key_and_the_secrets_stay_hidden():
    assert not Settings.load(env_file=None, environ={}).has_tmdb
    settings = Settings.load(
        env_file=None,
        environ={"TMDB_API_TOKEN": "eyJsecret.token", "MOVIENIGHT_TMDB_URL": "http://x:1/3/"},
    )
    assert settings.has_tmdb and settings.tmdb_url == "http://x:1/3"
    assert "eyJsecret" not in repr(settings)
    keyed = Settings.load(env_file=None, environ={"TMDB_API_KEY": "0123abcd" * 4})
    assert keyed.has_tmdb and "0123abcd" not in repr(keyed)


# --- shards ------------------------------------------------------------------------------------


def test_shards_default_to_one_process_holding_all():
    plan = Settings.load(env_file=None, environ={}).shards
    assert plan == ShardPlan() and plan.holds(123 << 22) and plan.holds_shard_zero


def test_a_process_holds_a_range_of_shards():
    plan = Settings.load(
        env_file=None, environ={"MOVIENIGHT_SHARDS": "2-3", "MOVIENIGHT_SHARD_COUNT": "4"}
    ).shards
    assert plan == ShardPlan((2, 3), 4)
    assert [plan.holds(n << 22) for n in range(4)] == [False, False, True, True]
    assert not plan.holds_shard_zero
    assert plan.describe() == "shards 2, 3 of 4"


def test_run_options_override_the_settings():
    base = Settings.load(env_file=None, environ={"MOVIENIGHT_SHARD_COUNT": "8"})
    assert base.with_shards("0-1,6", None).shards == ShardPlan((0, 1, 6), 8)
    assert base.with_shards(None, "2").shards == ShardPlan(None, 2)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"MOVIENIGHT_SHARDS": "0-3"}, "needs the total shard count"),
        ({"MOVIENIGHT_SHARDS": "0-8", "MOVIENIGHT_SHARD_COUNT": "8"}, "from 0 to 7"),
        ({"MOVIENIGHT_SHARDS": "3-1", "MOVIENIGHT_SHARD_COUNT": "8"}, "runs backwards"),
        ({"MOVIENIGHT_SHARDS": "0,0", "MOVIENIGHT_SHARD_COUNT": "8"}, "named twice"),
        ({"MOVIENIGHT_SHARDS": "one", "MOVIENIGHT_SHARD_COUNT": "8"}, "not a shard id"),
        ({"MOVIENIGHT_SHARD_COUNT": "0"}, "at least 1"),
    ],
)
def test_bad_shard_settings_are_named(environ, named):
    with pytest.raises(SettingsError, match=named) as raised:
        Settings.load(env_file=None, environ=environ)
    assert "MOVIENIGHT_SHARD" in str(raised.value)


@pytest.mark.parametrize("shard_count", [1, 2, 7, 16])
def test_every_server_is_held_by_exactly_one_process(shard_count):
    plans = [ShardPlan((shard,), shard_count) for shard in range(shard_count)]
    for guild_id in (0, 1 << 22, 81384788765712384, 2**63 - 1):
        assert sum(plan.holds(guild_id) for plan in plans) == 1
        assert plans[shard_of(guild_id, shard_count)].holds(guild_id)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://bot:s3cret@db:5432/mn", "postgresql://bot:***@db:5432/mn"),
        ("postgresql://bot:p@ss@db/mn", "postgresql://bot:***@db/mn"),
        (
            "postgres://db/mn?user=bot&password=s3cret&sslmode=require",
            "postgres://db/mn?user=bot&password=***&sslmode=require",
        ),
        ("postgresql://bot@db/mn", "postgresql://bot@db/mn"),
        ("movienight.db", "movienight.db"),
    ],
)
def test_a_database_url_is_shown_without_its_password(url, shown):
    assert Settings.load(environ={"MOVIENIGHT_DATABASE": url}).database_shown == shown
