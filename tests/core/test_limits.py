"""The card builder's guarantee: whatever the review says, the message fits Discord's limits."""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from bot import limits
from bot.message import Button, Embed, Field, Message

words = st.text(alphabet=st.sampled_from("abcdefghij *|_ é漢\n"), min_size=0, max_size=6000)


def assert_within_limits(data: dict) -> None:
    assert len(data["content"]) <= limits.CONTENT
    assert len(data["embeds"]) <= limits.EMBEDS
    total = 0
    for embed in data["embeds"]:
        assert 0 < len(embed["title"]) <= limits.TITLE
        assert len(embed.get("description", "")) <= limits.DESCRIPTION
        assert len(embed.get("fields", [])) <= limits.FIELDS
        for field in embed.get("fields", []):
            assert 0 < len(field["name"]) <= limits.FIELD_NAME
            assert 0 < len(field["value"]) <= limits.FIELD_VALUE
        assert len(embed.get("footer", {}).get("text", "")) <= limits.FOOTER
        total += (
            len(embed["title"])
            + len(embed.get("description", ""))
            + len(embed.get("footer", {}).get("text", ""))
            + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        )
    assert total <= limits.EMBED_TOTAL
    assert len(data["components"]) <= limits.BUTTON_ROWS
    for row in data["components"]:
        assert len(row["components"]) <= limits.BUTTONS_PER_ROW
        for button in row["components"]:
            assert len(button["label"]) <= limits.BUTTON_LABEL
    assert data["allowed_mentions"] == {"parse": []}


@settings(max_examples=150, deadline=None)
@given(
    content=words,
    embeds=st.lists(
        st.builds(
            Embed,
            title=words.filter(lambda t: t.strip()),
            description=words,
            fields=st.lists(
                st.builds(Field, name=words, value=words, keep=st.booleans()), max_size=30
            ),
            footer=words,
        ),
        min_size=1,
        max_size=12,
    ),
)
def test_any_message_fits_discord_limits(content, embeds):
    assert_within_limits(Message(content=content, embeds=embeds).to_discord())


def test_kept_field_and_title_survive_an_oversized_card():
    reason = "You love **running** films: " + "a reason " * 50
    embed = Embed(
        title="A" * 300,
        description="synopsis " * 1000,
        fields=[Field(f"field {i}", "filler " * 300) for i in range(30)]
        + [Field("Why it matched", reason, keep=True)],
        footer="footer " * 400,
    )
    data = Message(embeds=[embed]).to_discord()
    assert_within_limits(data)
    fitted = data["embeds"][0]
    assert fitted["title"].startswith("AAAA") and fitted["title"].endswith("…")
    why = [f for f in fitted["fields"] if f["name"] == "Why it matched"]
    assert why and why[0]["value"].startswith("You love **running** films")


def test_shorten_cuts_at_a_word_boundary_with_an_ellipsis():
    assert limits.shorten("one two three four", 12) == "one two…"
    assert limits.shorten("short", 10) == "short"


def test_shorten_closes_a_bold_or_spoiler_it_cut_open():
    cut = limits.shorten("plain words then **bold words that go on and on**", 30)
    assert cut == "plain words then **bold…**"
    cut = limits.shorten("||a spoiler that is far too long to keep||", 20)
    assert cut == "||a spoiler that…||"
    nested = limits.shorten("||hidden **very loud words** and more hidden words||", 30)
    assert nested.endswith("…**||") and len(nested) <= 30


def test_a_long_memorable_scene_stays_a_readable_spoiler():
    from bot.cards import film_card
    from bot.review import parse
    from bot.store import StoredReview
    from tests.conftest import FIXTURE_REVIEWS, FakeClock

    review = parse((FIXTURE_REVIEWS / "finish-line-2011.txt").read_text(encoding="utf-8"))
    scene = "Nadia runs in the dark. " * 160  # about 3,800 characters: the form allows 4,000
    stored = StoredReview(
        1, 0, replace(review, memorable_scene=scene.strip()), None, FakeClock().now, None
    )
    embed = film_card(stored).to_discord()["embeds"][0]
    value = next(f["value"] for f in embed["fields"] if f["name"] == "Most memorable scene")
    assert value.startswith("||Nadia runs in the dark.") and value.endswith("…||")
    assert 900 < len(value) <= limits.FIELD_VALUE


def test_buttons_render_as_discord_components():
    message = Message(
        content="hi",
        buttons=[[Button("a", "Previous"), Button("b", "Next", style="primary", disabled=True)]],
        ephemeral=True,
    )
    data = message.to_discord()
    assert data["flags"] == 64
    assert data["components"] == [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 2, "label": "Previous", "custom_id": "a", "disabled": False},
                {"type": 2, "style": 1, "label": "Next", "custom_id": "b", "disabled": True},
            ],
        }
    ]
