"""The one typed settings object, read from the environment and a ``.env`` file."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot.shards import ShardPlan, parse_shard_ids


def _data_dir() -> Path:
    """The top-level data/ folder, installed as the package bot.data (pyproject.toml maps it).

    Found through the import system, so it is the same in an editable install and a wheel. A
    checkout run without an install, or an editable install made before the mapping, has no
    bot.data: there the folder is beside the package, where it lives in the repository.
    """
    try:
        return Path(str(resources.files("bot.data")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "data"


DATA_DIR = _data_dir()
DEFAULT_STARTER = DATA_DIR / "reviews"
DEFAULT_THESAURUS = DATA_DIR / "thesaurus.txt"
DEFAULT_MODEL = Path("movienight-model")
"""Where ``movienight model fetch`` puts the sentence-embedding model, and where it is looked
for: beside the database, like it, relative to the working directory."""
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_TMDB_URL = "https://api.themoviedb.org/3"


class SettingsError(ValueError):
    """A setting has a value movienight cannot use; the message names the variable."""


class Secret:
    """A string that never shows itself in a repr, a log line or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__


def is_postgres(setting: Path | str) -> bool:
    """Whether a database setting names PostgreSQL (a URL) rather than a SQLite file."""
    return str(setting).startswith(("postgresql://", "postgres://"))


def database_at(setting: Path | str) -> Path | str:
    """A database setting: a PostgreSQL URL as given, anything else a SQLite file's path."""
    return str(setting) if is_postgres(setting) else Path(setting)


def database_shown(setting: Path | str) -> str:
    """A database setting as it may be printed or logged: a URL's password hidden (also one
    holding an ``@``, or given as ``?password=``)."""
    return _PASSWORD_PARAMETER.sub(r"\1***", _PASSWORD.sub(r"\1***@", str(setting)))


_PASSWORD = re.compile(r"^(postgres(?:ql)?://[^:/@]*:).*@")
_PASSWORD_PARAMETER = re.compile(r"([?&]password=)[^&]*")


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: Secret = field(default_factory=lambda: Secret(""))
    database: Path | str = Path("movienight.db")
    """A SQLite file, or a ``postgresql://`` URL (see :func:`database_at`)."""
    starter: Path | None = DEFAULT_STARTER
    thesaurus: Path = DEFAULT_THESAURUS
    model: Path | None = None
    dev_guild: int | None = None
    log_level: str = "INFO"
    search_cooldown_uses: int = 5
    search_cooldown_seconds: float = 30.0
    tmdb_token: Secret = field(default_factory=lambda: Secret(""))
    tmdb_key: Secret = field(default_factory=lambda: Secret(""))
    tmdb_url: str = DEFAULT_TMDB_URL
    shards: ShardPlan = field(default_factory=ShardPlan)

    @property
    def has_tmdb(self) -> bool:
        """Whether film data can be fetched: a TMDB read access token or API key is set."""
        return bool(self.tmdb_token or self.tmdb_key)

    def with_database(self, database: Path | str) -> Settings:
        return replace(self, database=database_at(database))

    @property
    def database_shown(self) -> str:
        return database_shown(self.database)

    def with_shards(self, ids: str | None, count: str | None) -> Settings:
        """These settings with ``movienight run --shards ... --shard-count ...`` over them."""
        plan = _shards("--shards/--shard-count", ids, count, base=self.shards)
        return replace(self, shards=plan)

    @classmethod
    def load(
        cls, env_file: str | Path | None = ".env", environ: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from ``env_file`` (if it exists) overridden by the process environment."""
        values: dict[str, str | None] = {}
        if env_file is not None and Path(env_file).is_file():
            values.update(dotenv_values(env_file))
        values.update(os.environ if environ is None else environ)

        def get(name: str) -> str | None:
            value = values.get(name)
            return value.strip() if value is not None else None

        starter = get("MOVIENIGHT_STARTER")
        model = get("MOVIENIGHT_MODEL")
        level = (get("MOVIENIGHT_LOG_LEVEL") or "INFO").upper()
        if level not in LOG_LEVELS:
            raise SettingsError(
                f"MOVIENIGHT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}"
            )
        return cls(
            discord_token=Secret(get("DISCORD_TOKEN") or ""),
            database=database_at(get("MOVIENIGHT_DATABASE") or "movienight.db"),
            starter=DEFAULT_STARTER if starter is None else (Path(starter) if starter else None),
            thesaurus=Path(get("MOVIENIGHT_THESAURUS") or DEFAULT_THESAURUS),
            model=DEFAULT_MODEL if model is None else (Path(model) if model else None),
            dev_guild=_optional_int("MOVIENIGHT_DEV_GUILD", get("MOVIENIGHT_DEV_GUILD")),
            log_level=level,
            search_cooldown_uses=_int(
                "MOVIENIGHT_SEARCH_COOLDOWN_USES", get("MOVIENIGHT_SEARCH_COOLDOWN_USES"), 5
            ),
            search_cooldown_seconds=_float(
                "MOVIENIGHT_SEARCH_COOLDOWN_SECONDS",
                get("MOVIENIGHT_SEARCH_COOLDOWN_SECONDS"),
                30.0,
            ),
            tmdb_token=Secret(get("TMDB_API_TOKEN") or ""),
            tmdb_key=Secret(get("TMDB_API_KEY") or ""),
            tmdb_url=_url("MOVIENIGHT_TMDB_URL", get("MOVIENIGHT_TMDB_URL"), DEFAULT_TMDB_URL),
            shards=_shards(
                "MOVIENIGHT_SHARDS/MOVIENIGHT_SHARD_COUNT",
                get("MOVIENIGHT_SHARDS"),
                get("MOVIENIGHT_SHARD_COUNT"),
            ),
        )


def _optional_int(name: str, value: str | None) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise SettingsError(f"{name} must be a server (guild) id made of digits, not {value!r}")
    return int(value)


def _int(name: str, value: str | None, default: int) -> int:
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _float(name: str, value: str | None, default: float) -> float:
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number <= 0:
        raise SettingsError(f"{name} must be a positive number of seconds, not {value!r}")
    return number


def _url(name: str, value: str | None, default: str) -> str:
    if not value:
        return default
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name} must be an http:// or https:// address, not {value!r}")
    return value.rstrip("/")


def _shards(
    name: str, ids: str | None, count: str | None, base: ShardPlan | None = None
) -> ShardPlan:
    """The shards to hold: ``ids`` like ``0-3`` (needs a count), ``count`` a whole number; what
    is not given stays as in ``base``."""
    base = base or ShardPlan()
    try:
        if count and (not count.isdigit() or int(count) < 1):
            raise ValueError(f"the shard count must be a whole number of at least 1, not {count!r}")
        return ShardPlan(
            parse_shard_ids(ids) if ids else base.ids, int(count) if count else base.count
        )
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from error
