"""The ``movienight`` command: run the bot, try it offline, and look after the catalog.

Exit codes: 0 all went well, 1 some input was rejected, 2 wrong usage or settings.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import re
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from bot.catalog_files import ReviewFile, read_review, read_reviews, review_paths
from bot.embeddings import DEFAULT_SOURCE, MODEL_FILES, fetch_model, open_model, review_vectors
from bot.fact_check import differences
from bot.film_bulk import link_all, refresh_all
from bot.films import Films
from bot.importing import import_files
from bot.review import latest_year, render, to_json
from bot.settings import Settings, SettingsError, database_at, database_shown
from bot.store import SHARED, Store, StoreError, restore_database, utcnow
from bot.store.copying import copy_database
from bot.text import fold
from bot.tmdb import TmdbClient, TmdbError, TmdbRefused

OK, REJECTED, USAGE = 0, 1, 2
_WORD = re.compile(r"\w+")

out = Console()
err = Console(stderr=True)


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.load()
    if getattr(args, "db", None):
        settings = settings.with_database(args.db)
    return settings


async def _open(settings: Settings) -> Store:
    """The store; when a model is installed, reviews saved through it get their vectors."""
    store = await Store.open(settings.database, starter=settings.starter)
    model = open_model(settings.model)
    if model is not None:
        store.use_model(model.name, review_vectors(model))
    return store


# --- parse and check ---------------------------------------------------------------------------


def _newest() -> int:
    """The latest plausible release year by the machine's clock (the CLI is the edge)."""
    return latest_year(utcnow().date())


def cmd_parse(args: argparse.Namespace) -> int:
    item = read_review(Path(args.file), newest=_newest())
    if item.review is None:
        err.print(f"[red]{escape(args.file)}[/]: {escape(str(item.error))}", highlight=False)
        return REJECTED
    print(json.dumps(to_json(item.review), ensure_ascii=False, indent=2))
    return OK


def _report_rejected(items: list[ReviewFile]) -> None:
    """One line a rejected file, with the reason (and line) the parser gave."""
    for item in items:
        out.print(
            f"[red]✗[/] {item.path}: {item.error}", markup=True, highlight=False, soft_wrap=True
        )


def cmd_check(args: argparse.Namespace) -> int:
    items = list(read_reviews((Path(p) for p in args.paths), newest=_newest()))
    if not items:
        err.print("No review files (.txt or .md) found there.")
        return USAGE
    bad = [item for item in items if item.review is None]
    _report_rejected(bad)
    out.print(f"{len(items) - len(bad)} of {len(items)} files are valid reviews.")
    checked = OK
    if args.tmdb:
        good = [item for item in items if item.review is not None]
        checked = asyncio.run(_check_with_tmdb(_settings(args), good))
    return REJECTED if bad else checked


async def _check_with_tmdb(settings: Settings, items: list[ReviewFile]) -> int:
    """Each review's credits against TMDB's; 1 when any differ (or TMDB could not say)."""
    status = OK
    async with _film_data(settings) as films:
        if films is None:
            return USAGE
        for item in items:
            review = item.review
            assert review is not None
            try:
                cached = await films.update(SHARED, review.title, review.year)
            except TmdbRefused as error:
                _refused(error)
                return USAGE
            except TmdbError as error:
                out.print(f"[red]✗[/] {item.path}: {escape(str(error))}", highlight=False)
                status = REJECTED
                continue
            if cached.film is None:
                out.print(f"[yellow]?[/] {item.path}: TMDB has no film that is clearly this one")
                status = REJECTED
                continue
            found = differences(review, cached.film)
            name = escape(cached.film.label)
            if not found:
                out.print(f"[green]✓[/] {item.path}: agrees with {name} on TMDB", highlight=False)
                continue
            status = REJECTED
            out.print(f"[red]![/] {item.path}: differs from {name} on TMDB:", highlight=False)
            for line in found:
                out.print(f"    {escape(line)}", highlight=False, soft_wrap=True)
    return status


# --- import and export -------------------------------------------------------------------------


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=out,
        transient=True,
        disable=not out.is_terminal,
    )


async def _import(settings: Settings, paths: list[Path], guild_id: int) -> int:
    files = list(review_paths(paths))
    if not files:
        err.print("No review files (.txt or .md) found there.")
        return USAGE
    store = await _open(settings)
    try:
        with _progress() as progress:
            task = progress.add_task("Importing", total=len(files))
            done = await import_files(
                store,
                files,
                newest=_newest(),
                guild_id=guild_id,
                advance=lambda count: progress.advance(task, count),
            )
        if done.counts["added"] or done.counts["updated"]:
            await store.terms()  # saves the search vocabulary now rather than at the next start
    finally:
        await store.close()
    table = Table(title=f"Imported into {settings.database_shown}")
    for column in ("added", "updated", "unchanged", "rejected"):
        table.add_column(column, justify="right")
    counts = [str(done.counts[k]) for k in ("added", "updated", "unchanged")]
    table.add_row(*counts, str(len(done.rejected)))
    out.print(table)
    _report_rejected(done.rejected)
    return REJECTED if done.rejected else OK


def cmd_import(args: argparse.Namespace) -> int:
    paths = [Path(p) for p in args.paths]
    missing = [str(path) for path in paths if not path.exists()]
    if missing:  # before the database is opened (or created)
        err.print(f"No such file or folder: {escape(', '.join(missing))}", highlight=False)
        return USAGE
    return asyncio.run(_import(_settings(args), paths, args.guild))


def export_name(title: str, year: int | None) -> str:
    """A file name for a review: the words of its folded title, and its year.

    A title of symbols or punctuation ("🎬🍿", "?!") has none of the word characters every file
    system takes; a digest of its folded form stands in, so no two films share a file.
    """
    folded = fold(title)
    words = _WORD.findall(folded)
    slug = "-".join(words)[:80]
    if words != folded.split():
        digest = hashlib.blake2b(folded.encode(), digest_size=4).hexdigest()
        slug = f"{slug}-{digest}" if slug else digest
    return f"{slug}-{year}" if year else slug


async def _export(settings: Settings, folder: Path, fmt: str, guild_id: int) -> int:
    store = await _open(settings)
    try:
        reviews = await store.reviews_in_scope(guild_id)
    finally:
        await store.close()
    folder.mkdir(parents=True, exist_ok=True)
    for stored in reviews:
        review = stored.review
        name = export_name(review.title, review.year)
        if fmt == "json":
            text = json.dumps(to_json(review), ensure_ascii=False, indent=2) + "\n"
            (folder / f"{name}.json").write_text(text, encoding="utf-8")
        else:
            (folder / f"{name}.txt").write_text(render(review), encoding="utf-8")
    out.print(f"Exported {len(reviews)} reviews to {folder} as {fmt}.")
    return OK


def cmd_export(args: argparse.Namespace) -> int:
    return asyncio.run(_export(_settings(args), Path(args.dir), args.format, args.guild))


# --- backups -------------------------------------------------------------------------------------


async def _backup(settings: Settings, target: Path) -> int:
    store = await Store.open(settings.database, starter=None)
    try:
        await store.backup(target)
    except StoreError as error:
        err.print(f"[red]Not backed up:[/] {escape(str(error))}", highlight=False)
        return REJECTED
    finally:
        await store.close()
    out.print(f"Backed up {settings.database_shown} to {target}.")
    return OK


def cmd_backup(args: argparse.Namespace) -> int:
    return asyncio.run(_backup(_settings(args), Path(args.path)))


async def _copy_db(source_at: str, target_at: str) -> int:
    source = await Store.open(database_at(source_at), starter=None)
    try:
        target = await Store.open(database_at(target_at), starter=None)
        try:
            with _progress() as progress:
                tasks: dict[str, TaskID] = {}

                def advance(table: str, rows: int) -> None:
                    if table not in tasks:
                        tasks[table] = progress.add_task(f"Copying {table}", total=None)
                    progress.advance(tasks[table], rows)

                copied = await copy_database(source, target, advance)
        except StoreError as error:
            err.print(f"[red]Not copied:[/] {escape(str(error))}", highlight=False)
            return REJECTED
        finally:
            await target.close()
    finally:
        await source.close()
    table = Table(title=f"Copied {database_shown(source_at)} to {database_shown(target_at)}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("checksum")
    for done in copied:
        table.add_row(done.table, str(done.rows), done.checksum[:16])
    out.print(table)
    out.print("Every table holds the same rows on both sides.")
    return OK


def cmd_copy_db(args: argparse.Namespace) -> int:
    return asyncio.run(_copy_db(args.source, args.target))


def cmd_restore(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not isinstance(settings.database, Path):
        err.print(
            "[red]Not restored:[/] a PostgreSQL database is restored with PostgreSQL's own "
            f"tools: pg_restore --clean --if-exists --dbname <database URL> {escape(args.path)}",
            highlight=False,
        )
        return REJECTED
    try:
        version = restore_database(Path(args.path), settings.database)
    except StoreError as error:
        err.print(f"[red]Not restored:[/] {escape(str(error))}", highlight=False)
        return REJECTED
    out.print(
        f"Restored {settings.database_shown} from {args.path} (schema version {version}). "
        "Start the bot again; an older backup is migrated on start."
    )
    return OK


# --- film data from TMDB ------------------------------------------------------------------------

NO_TMDB = (
    "Set TMDB_API_TOKEN (or TMDB_API_KEY) first: the README's section 'Film data from TMDB' "
    "says how to get one."
)


def _refused(error: TmdbRefused) -> None:
    err.print(f"[red]TMDB refused the key:[/] {escape(str(error))}", highlight=False)


@contextlib.asynccontextmanager
async def _film_data(settings: Settings) -> AsyncIterator[Films | None]:
    """Film data over the database's cache; None (and how to get a key) without a key."""
    client = TmdbClient.from_settings(settings)
    if client is None:
        err.print(NO_TMDB, highlight=False)
        yield None
        return
    store = await _open(settings)
    films = Films(store, client, utcnow)
    try:
        yield films
    finally:
        await films.close()
        await store.close()


async def _tmdb(settings: Settings, args: argparse.Namespace) -> int:
    async with _film_data(settings) as films:
        return USAGE if films is None else await _bulk(films, settings, args)


async def _bulk(films: Films, settings: Settings, args: argparse.Namespace) -> int:
    linking = args.action == "link"
    try:
        with _progress() as progress:
            task = progress.add_task("Linking" if linking else "Refreshing", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            if linking:
                result = await link_all(films, again=args.again, progress=advance)
            else:
                result = await refresh_all(films, stale_only=args.stale, progress=advance)
    except TmdbRefused as error:
        _refused(error)
        return USAGE
    columns = ("linked", "unclear", "not found") if linking else ("refreshed",)
    table = Table(title=f"TMDB {args.action} in {settings.database_shown}")
    for column in (*columns, "failed"):
        table.add_column(column, justify="right")
    table.add_row(*(str(result.counts[column]) for column in (*columns, "failed")))
    out.print(table)
    if result.unclear:
        out.print("Not clearly one film; choose with /review link in Discord:")
    for line in result.unclear:
        out.print(f"  [yellow]?[/] {escape(line)}", highlight=False, soft_wrap=True)
    for line in result.failed:
        out.print(f"  [red]✗[/] {escape(line)}", highlight=False, soft_wrap=True)
    return REJECTED if result.failed else OK


def cmd_tmdb(args: argparse.Namespace) -> int:
    return asyncio.run(_tmdb(_settings(args), args))


# --- the offline console -------------------------------------------------------------------------


async def _try(settings: Settings, args: argparse.Namespace) -> int:
    from bot.console import Session  # readline and rich markdown only here
    from bot.core import Caller, Core

    core = await Core.open(settings)
    try:
        caller = Caller(args.guild, args.user, args.moderator, args.locale)
        session = Session(core, caller, out, as_json=args.json)
        if args.line:
            return OK if await session.run(args.line) else REJECTED
        await session.interact()
        return OK
    finally:
        await core.close()


def cmd_try(args: argparse.Namespace) -> int:
    return asyncio.run(_try(_settings(args), args))


# --- the bot --------------------------------------------------------------------------------------

SETUP_HELP = """\
DISCORD_TOKEN is not set, so the bot cannot log in to Discord.

  1. Create an application and its bot at https://discord.com/developers/applications
     (Bot -> Reset Token), and invite it with the scopes "bot" and "applications.commands".
  2. cp .env.example .env   and put the token after DISCORD_TOKEN=
  3. movienight run

No token yet? Try every member command offline with the same catalog:
  movienight try "/pickif grief sports"
"""


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args).with_shards(args.shards, args.shard_count)
    if not settings.discord_token:
        err.print(SETUP_HELP, markup=False, highlight=False, soft_wrap=True)
        return USAGE
    from bot.discord_bot import run_bot  # discord.py only when it is needed

    asyncio.run(run_bot(settings))
    return OK


def cmd_sync(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.discord_token:
        err.print(SETUP_HELP, markup=False, highlight=False, soft_wrap=True)
        return USAGE
    from bot.discord_bot import run_bot

    asyncio.run(run_bot(settings, sync_only=True))
    return OK


# --- the sentence-embedding model ------------------------------------------------------------


def cmd_model(args: argparse.Namespace) -> int:
    """``model fetch``: download the model where MOVIENIGHT_MODEL (or --to) says."""
    settings = _settings(args)
    target = Path(args.to) if args.to else settings.model
    if target is None:
        err.print("MOVIENIGHT_MODEL is empty: say where with --to DIR.")
        return USAGE
    out.print(f"Fetching {', '.join(MODEL_FILES)} from {args.source} into {target} …")
    fetch_model(args.source, target)
    out.print(
        f"Done. /pickif matches meaning once the bot starts with MOVIENIGHT_MODEL={target}"
        " (the first start embeds the catalog)."
    )
    return OK


# --- wiring ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="movienight",
        description="A Discord bot that helps a server decide what to watch on movie night.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, help_text: str, handler: object, *, db: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if db:
            sub.add_argument(
                "--db",
                help="SQLite database file or postgresql:// URL (default: MOVIENIGHT_DATABASE)",
            )
        sub.set_defaults(handler=handler)
        return sub

    sub = command("run", "start the bot (needs DISCORD_TOKEN)", cmd_run)
    sub.add_argument(
        "--shards", metavar="IDS", help="hold only these shards, e.g. 0-3 (default: all)"
    )
    sub.add_argument(
        "--shard-count", metavar="N", help="the bot's shards in all (default: Discord's advice)"
    )
    command("sync", "register the slash commands with Discord now", cmd_sync)

    sub = command("try", "run member commands offline, without Discord", cmd_try)
    sub.add_argument("line", nargs="?", help='one command, e.g. "/pickif grief sports"')
    sub.add_argument("--json", action="store_true", help="print Discord's message JSON")
    sub.add_argument("--guild", type=int, default=1, help="act in this server id (default 1)")
    sub.add_argument("--user", type=int, default=1, help="act as this user id (default 1)")
    sub.add_argument("--moderator", action="store_true", help="act as a moderator")
    sub.add_argument("--locale", help="answer in this Discord locale, e.g. de, fr, es-ES")

    sub = command("import", "add or update reviews from files or folders", cmd_import)
    sub.add_argument("paths", nargs="+", metavar="PATH")
    sub.add_argument("--guild", type=int, default=SHARED, help="a server's own catalog")

    sub = command("export", "write the catalog out as review files", cmd_export)
    sub.add_argument("dir", metavar="DIR")
    sub.add_argument("--format", choices=("text", "json"), default="text")
    sub.add_argument("--guild", type=int, default=SHARED, help="a server's own catalog")

    sub = command("check", "parse review files and report every problem", cmd_check)
    sub.add_argument("paths", nargs="+", metavar="PATH")
    sub.add_argument("--tmdb", action="store_true", help="also check the credits against TMDB")

    sub = command("backup", "copy the database safely, even while the bot runs", cmd_backup)
    sub.add_argument("path", metavar="PATH")

    sub = command("restore", "replace the database with a backup (stop the bot first)", cmd_restore)
    sub.add_argument("path", metavar="PATH")

    sub = command(
        "copy-db",
        "copy everything into an empty database, SQLite or PostgreSQL (stop the bot first)",
        cmd_copy_db,
        db=False,
    )
    sub.add_argument("source", metavar="FROM", help="SQLite database file or postgresql:// URL")
    sub.add_argument("target", metavar="TO", help="an empty one (made when missing)")

    sub = command("tmdb", "link every film to TMDB, or refresh its data (needs a key)", cmd_tmdb)
    sub.add_argument("action", choices=("link", "refresh"))
    sub.add_argument("--again", action="store_true", help="link: search again for unlinked films")
    sub.add_argument("--stale", action="store_true", help="refresh: only data over 30 days old")

    sub = command("parse", "print one review file as JSON", cmd_parse)
    sub.add_argument("file", metavar="FILE")

    sub = command("model", "install the sentence-embedding model /pickif can use", cmd_model)
    sub.add_argument("action", choices=("fetch",))
    sub.add_argument("--to", metavar="DIR", help="where (default: MOVIENIGHT_MODEL)")
    sub.add_argument("--source", default=DEFAULT_SOURCE, metavar="URL", help="download from")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except SettingsError as error:
        err.print(f"[red]Setting problem:[/] {escape(str(error))}", highlight=False)
        return USAGE
    except StoreError as error:
        err.print(f"[red]Database problem:[/] {escape(str(error))}", highlight=False)
        return USAGE
    except OSError as error:
        err.print(f"[red]File problem:[/] {escape(str(error))}", highlight=False)
        return USAGE
    except KeyboardInterrupt:
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
