from bot.thesaurus import Thesaurus


def test_file_entries_are_folded_and_merged(tmp_path):
    path = tmp_path / "thesaurus.txt"
    path.write_text(
        "# comment\nSad: grief, Loss  # trailing comment\nsad: tearjerker\n"
        "funny: comedy\nnot an entry\nempty:\n",
        encoding="utf-8",
    )
    thesaurus = Thesaurus.load(path)
    assert thesaurus.expand("sad") == ("grief", "loss", "tearjerker")
    assert thesaurus.expand("funny") == ("comedy",)
    assert thesaurus.expand("empty") == ()
    assert thesaurus.words() == ["funny", "sad"]


def test_missing_file_gives_an_empty_thesaurus(tmp_path, caplog):
    thesaurus = Thesaurus.load(tmp_path / "nope.txt")
    assert thesaurus.expand("sad") == ()
    assert "No thesaurus" in caplog.text


def test_shipped_thesaurus_has_the_mood_words_the_readme_promises():
    from bot.settings import DEFAULT_THESAURUS

    thesaurus = Thesaurus.load(DEFAULT_THESAURUS)
    assert "grief" in thesaurus.expand("sad")
    assert "comedy" in thesaurus.expand("funny")
    assert "horror" in thesaurus.expand("scary")
