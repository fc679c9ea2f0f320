import pytest

from translit import expand_symbols, fold, prepare, split_camel, strip_apostrophes, to_ascii


@pytest.mark.parametrize("text, expected", [
    ("Crème Brûlée", "Creme Brulee"),
    ("Straße", "Strasse"),
    ("Łódź", "Lodz"),
    ("Ærøskøbing", "AEroskobing"),
    ("ﬁne", "fine"),
])
def test_fold(text, expected):
    assert fold(text) == expected


def test_to_ascii_replaces_leftovers():
    assert to_ascii("東京 tower", replacement="?") == "?? tower"


def test_apostrophes_inside_words_only():
    assert strip_apostrophes("don't 'quote' l’été") == "dont 'quote' lété"


def test_expand_symbols():
    assert expand_symbols("R&D").split() == ["R", "and", "D"]


def test_split_camel():
    assert split_camel("parseHTTPResponse2xx") == "parse HTTP Response2xx"


def test_prepare_pipeline():
    assert prepare("Tom's Café & Bar").split() == ["Toms", "Cafe", "and", "Bar"]
