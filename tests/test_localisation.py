"""Command localisation: the catalogues are complete and alike, and Discord would accept every
localised name and description the bot registers."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bot import i18n, limits
from bot.discord_bot import EXTENSIONS, MovieNightBot
from bot.discord_translator import CatalogTranslator
from bot.moderation_fields import ADD_FORM_TITLE, ADD_PARTS, FIELDS

ROOT = Path(__file__).parent.parent
NAME = re.compile(r"^[-_\w]{1,32}$")  # Python's \w: \p{L}, \p{N} and _, as Discord's rule
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdr]|%[sdr]")
DISCORD_LOCALES = {"de": "de", "fr": "fr", "es": "es-ES"}
MEMBER_COMMANDS = {"pickif", "movie", "whereto", "surprise", "seen", "watchlist", "help"}


def read(path):
    with path.open("rb") as source:
        return read_po(source)


@pytest.fixture
async def payloads(fixture_core):
    bot = MovieNightBot(fixture_core, fixture_core.settings)
    await bot.tree.set_translator(CatalogTranslator())
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    commands = bot.tree.get_commands(type=None)
    yield [
        await command.get_translated_payload(bot.tree, bot.tree.translator) for command in commands
    ]
    for extension in EXTENSIONS:
        await bot.unload_extension(extension)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(lang):
    template = read(i18n.LOCALES / f"{i18n.DOMAIN}.pot")
    catalog = read(i18n.catalogue_path(lang))
    wanted = {(m.context, m.id) for m in template if m.id}
    assert {(m.context, m.id) for m in catalog if m.id} == wanted, "catalogue and template differ"
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"{lang}: {message.id!r} untranslated"
        if message.pluralizable:
            assert len(strings) == catalog.num_plurals, f"{lang}: {message.id!r} plural forms"
        wanted = {tuple(sorted(PLACEHOLDER.findall(text))) for text in ids}
        for text in strings:
            found = tuple(sorted(PLACEHOLDER.findall(text)))
            assert found in wanted, f"{lang}: {text!r} has other placeholders than {ids!r}"


def check_localised(data, siblings):
    """Discord's rules for one command or option and its localisations, recursively."""
    context_menu = data.get("type") in (2, 3) and "options" not in data
    for locale, name in data.get("name_localizations", {}).items():
        if context_menu:
            assert 1 <= len(name) <= 32, name
        else:
            assert NAME.match(name) and name == name.lower(), f"{locale}: {name!r}"
        assert name not in siblings.setdefault(locale, set()), f"{locale}: {name} twice"
        siblings[locale].add(name)
    for locale, text in data.get("description_localizations", {}).items():
        assert 1 <= len(text) <= 100, f"{locale}: {text!r}"
    children: dict[str, set[str]] = {}
    for option in data.get("options", []):
        check_localised(option, children)
    for choice in data.get("choices", []):
        for text in choice.get("name_localizations", {}).values():
            assert 1 <= len(text) <= 100


async def test_every_localisation_follows_discords_rules(payloads):
    siblings: dict[str, set[str]] = {}
    for data in payloads:
        check_localised(data, siblings)


def descriptions(data):
    """A command's description localisations and its options', all the way down."""
    yield data["name"], data.get("description_localizations", {})
    for option in data.get("options", []):
        yield from descriptions(option)


async def test_every_command_is_localised_in_german_french_and_spanish(payloads):
    localised = {d["name"]: d for d in payloads}
    assert MEMBER_COMMANDS | {"review", "config", "weekly", "suggestion", "stats"} <= set(localised)
    for data in localised.values():
        if data["type"] != 1:  # a context menu has no description
            continue
        for name, texts in descriptions(data):
            for code in DISCORD_LOCALES.values():
                assert code in texts, (data["name"], name, code)
    weekly = localised["weekly"]
    assert weekly["name_localizations"]["es-ES"] == "semanal"
    [set_] = [o for o in weekly["options"] if o["name"] == "set"]
    [day] = [o for o in set_["options"] if o["name"] == "day"]
    assert day["choices"][4]["name_localizations"]["fr"] == "vendredi"
    movie = localised["movie"]
    assert movie["name_localizations"]["de"] == "film"
    assert movie["options"][0]["name_localizations"]["es-ES"] == "título"
    [menu] = [d for d in payloads if d["name"] == "Find this film"]
    assert menu["name_localizations"]["fr"] == "Trouver ce film"


def test_answers_have_plural_forms_and_local_numbers():
    german, french = i18n.texts("de"), i18n.texts("fr")
    one, many = "matches {matched} of {count} word", "matches {matched} of {count} words"
    assert german.ngettext(one, many, 1) == "passt zu {matched} von {count} Wort"
    assert german.ngettext(one, many, 3) == "passt zu {matched} von {count} Wörtern"
    assert german.number(12345) == "12.345" and french.number(1.5) == "1,5"
    assert i18n.texts("en-GB").gettext("Previous") == "Previous"


def test_other_locales_fall_back_to_english():
    assert i18n.command_text("ja", "Only you see the results") is None
    assert i18n.command_text("es-419", "Only you see the results") == "Solo tú ves los resultados"


def test_the_template_is_what_pybabel_extracts():
    """``movienight.pot`` holds exactly what ``pybabel extract -F babel.cfg`` finds: the
    answers' messages in bot/ (``gettext``, ``ngettext`` and ``N_`` calls) and every command's
    texts (bot/discord_texts.py), none missing and none left over."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {
        (context, message)
        for _, _, message, _, context in extract_from_dir(ROOT, method_map, options_map)
    }
    template = {(m.context, m.id) for m in read(i18n.LOCALES / f"{i18n.DOMAIN}.pot") if m.id}
    assert len(found) > 200
    assert not found - template, sorted(map(str, found - template))
    assert not template - found, sorted(map(str, template - found))


@pytest.mark.parametrize("lang", (None, *i18n.LANGUAGES))
def test_the_review_forms_fit_discord_in_every_language(lang):
    """A form's title and each input's label are at most 45 characters, hints and example
    placeholders at most 100, whatever the language."""
    t = i18n.Texts(lang)
    for part in ADD_PARTS:
        assert len(t.gettext(ADD_FORM_TITLE).format(part=part)) <= limits.MODAL_TITLE
    for field in FIELDS.values():
        assert len(t.gettext(field.label)) <= limits.MODAL_LABEL, field.label
        assert len(t.gettext(field.hint)) <= 100, field.hint
        assert len(t.gettext(field.placeholder)) <= 100, field.placeholder
