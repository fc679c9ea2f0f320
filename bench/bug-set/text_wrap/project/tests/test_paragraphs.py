from paragraphs import fill_paragraphs, format_list, reflow, shorten, split_paragraphs


def test_split_paragraphs():
    text = "\n\nfirst para\nstill first\n\n  \n\nsecond\n\n"
    assert split_paragraphs(text) == ["first para\nstill first", "second"]


def test_fill_paragraphs_with_indent():
    text = "one two three four\n\nfive six"
    assert fill_paragraphs(text, 12, indent="> ") == "> one two\n> three four\n\n> five six"


def test_bulleted_list_hanging_indent():
    items = ["alpha beta gamma delta", "epsilon"]
    assert format_list(items, 14) == "- alpha beta\n  gamma delta\n- epsilon"


def test_numbered_list_aligns_markers():
    items = [f"item {i}" for i in range(1, 11)]
    lines = format_list(items, 20, numbered=True).splitlines()
    assert lines[0] == " 1. item 1"
    assert lines[9] == "10. item 10"


def test_reflow_mixed_prose_and_list():
    text = ("Intro text that is long enough to wrap.\n\n"
            "- first item\n  continues here\n* second item is a bit longer\n")
    assert reflow(text, 20) == (
        "Intro text that is\nlong enough to wrap.\n\n"
        "- first item\n  continues here\n"
        "* second item is a\n  bit longer")


def test_shorten():
    assert shorten("Hello   world, this is long", 20) == "Hello world, [...]"
    assert shorten("fits fine", 20) == "fits fine"
    assert shorten("unbreakable", 8) == "[...]"
