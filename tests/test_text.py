from geo.text.sentences import split_sentences


def texts(s):
    return [x.text for x in split_sentences(s)]


def test_splits_on_terminal_punctuation():
    assert texts("Troops left. Guards stayed! Why? Nobody knows.") == ["Troops left.", "Guards stayed!", "Why?", "Nobody knows."]


def test_abbreviations_and_initials_do_not_split():
    assert texts("Gen. Smith met Mr. Jones in the U.S. capital. Then he left.") == [
        "Gen. Smith met Mr. Jones in the U.S. capital.", "Then he left."]


def test_line_breaks_end_headlines():
    assert texts("Russia Agrees to Remove Troops\nMoscow said so.") == ["Russia Agrees to Remove Troops", "Moscow said so."]


def test_quotes_close_sentences():
    assert texts("\u201cWe will stay,\u201d he said. \u201cNo.\u201d She left.") == [
        "\u201cWe will stay,\u201d he said.", "\u201cNo.\u201d", "She left."]


def test_offsets_index_into_text():
    text = "  A troop left.\n\nB stays.  "
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text
