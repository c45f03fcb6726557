"""The core, assembled: one object that the bot and the offline console both hold."""

from __future__ import annotations

from dataclasses import dataclass

from bot.embeddings import Model, open_model, review_vectors
from bot.films import Films
from bot.i18n import Texts, texts
from bot.search import PickIf
from bot.settings import DATA_DIR, Settings
from bot.store import Clock, Store, utcnow
from bot.thesaurus import Thesaurus
from bot.titles import TitleIndex
from bot.tmdb import TmdbClient


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking, and where: every core action is done on behalf of one member.

    ``guild_id`` is the server whose catalog and lists apply, or :data:`~bot.store.SHARED`
    where there is none (a DM, or the app installed on the member's own account): the shared
    catalog, with no seen list. ``locale`` is the member's Discord language code (``de``,
    ``es-ES``): what the answers are written in (:func:`bot.i18n.texts`); ``guild_locale`` the
    server's, what a post for everyone there is written in.
    """

    guild_id: int
    user_id: int
    is_moderator: bool = False
    locale: str | None = None
    guild_locale: str | None = None

    @property
    def texts(self) -> Texts:
        """The member's language: answers to them."""
        return texts(self.locale)

    @property
    def server_texts(self) -> Texts:
        """The server's language, for what the bot posts for everyone (the member's language
        where there is no server, as in a DM)."""
        return texts(self.guild_locale or self.locale)


@dataclass(slots=True)
class Core:
    store: Store
    pickif: PickIf
    titles: TitleIndex
    settings: Settings
    clock: Clock
    films: Films

    @classmethod
    async def open(cls, settings: Settings, *, clock: Clock = utcnow) -> Core:
        """The core over the database; with the model, when one is installed, every review
        it has not embedded yet is embedded first."""
        store = await Store.open(settings.database, starter=settings.starter, clock=clock)
        try:
            await store.prepare_search()
            model = open_model(settings.model)
            if model is not None:
                store.use_model(model.name, review_vectors(model))
                await store.embed_missing()
        except BaseException:
            await store.close()
            raise
        return cls.over(store, settings, clock=clock, model=model)

    @classmethod
    def over(
        cls, store: Store, settings: Settings, *, clock: Clock = utcnow, model: Model | None = None
    ) -> Core:
        """A core around an already open store (tests, benchmarks)."""
        thesaurus = Thesaurus.load(settings.thesaurus)
        pickif = PickIf(store, thesaurus, data=DATA_DIR, clock=clock, model=model)
        films = Films(store, TmdbClient.from_settings(settings), clock)
        return cls(store, pickif, TitleIndex(store), settings, clock, films)

    async def close(self) -> None:
        await self.films.close()
        await self.store.close()
