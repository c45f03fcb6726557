import pytest

from bot.settings import DEFAULT_STARTER, Secret, Settings, SettingsError


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
