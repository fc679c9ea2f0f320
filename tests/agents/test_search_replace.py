"""SEARCH/REPLACE edits as a small model writes them: read from a reply, placed in a file by an
exact, an indentation-blind or a clearly likeliest match, and refused with a reason otherwise."""

from microagent.agents.search_replace import EditBlock, apply_block, edit_blocks, has_edit_blocks
from microagent.languages.python.replies import named_path

SOURCE = '''\
def total(items, discount=0.0):
    amount = 0.0
    for quantity, price in items:
        amount += quantity * price
    return amount * discount


def count(items):
    return len(items)
'''


def block(search: str, replace: str, path: str | None = None) -> EditBlock:
    return EditBlock(path, search, replace)


def test_an_exact_quote_is_replaced_and_nothing_else_moves():
    edited, why = apply_block(SOURCE, block("    return amount * discount\n",
                                            "    return amount * (1 - discount)\n"))
    assert why == ""
    assert edited == SOURCE.replace("amount * discount", "amount * (1 - discount)")


def test_a_quote_without_its_indentation_is_placed_and_the_replacement_reindented():
    edited, _ = apply_block(SOURCE, block("for quantity, price in items:\n    amount += quantity * price\n",
                                          "for quantity, price in items:\n    amount += price\n"))
    assert "    for quantity, price in items:\n        amount += price\n" in edited
    assert edited.count("\n") == SOURCE.count("\n")


def test_a_quote_that_already_holds_the_fix_finds_the_line_it_fixes():
    edited, why = apply_block(SOURCE, block("    return amount * (1 - discount)\n",
                                            "    return amount * (1 - discount)\n"))
    assert why == ""
    assert "return amount * (1 - discount)" in edited and "amount * discount" not in edited


def test_a_quote_found_twice_or_nowhere_is_refused_with_the_reason():
    twice = "x = 1\ny = 2\nx = 1\n"
    edited, why = apply_block(twice, block("x = 1\n", "x = 3\n"))
    assert edited is None and "2 times" in why
    edited, why = apply_block(SOURCE, block("while queue:\n    queue.pop()\n", "pass\n"))
    assert edited is None and "not in the file" in why
    edited, why = apply_block(SOURCE, block("", "x = 1\n"))
    assert edited is None and "empty" in why


def test_an_unplaced_quote_is_answered_with_the_lines_most_like_it():
    source = "def area(w, h):\n    size = w * h\n    return size\n"
    edited, why = apply_block(source, block("    area = w * h\n", "    area = w * h * 2\n"))
    assert edited is None and why.endswith("the lines most like them are:\n    size = w * h")
    edited, why = apply_block(source, block("while queue:\n    queue.pop()\n", "pass\n"))
    assert edited is None and "most like" not in why  # nothing like it: no hint


def test_a_loose_match_between_two_like_windows_is_no_guess():
    like = "a = compute(1)\nb = compute(2)\n"
    edited, why = apply_block(like, block("c = compute(3)\n", "c = 0\n"))
    assert edited is None and "not in the file" in why


def test_a_likely_window_must_open_each_line_with_the_quoted_word():
    source = ("function slugify(title) {\n  let slug = title.toLowerCase();\n"
              "  slug = slug.replace(/ +/g, '-');\n  return slug;\n}\n")
    # The quote misremembers the first line's declaration: placing it would drop the `let`.
    edited, why = apply_block(source, block("  slug = title.toLowerCase();\n  slug = slug.replace(/ +/g, '-');\n",
                                            "  slug = title.trim();\n"))
    assert edited is None and "not in the file" in why
    # The same quote with the fix inside a line still finds its place.
    edited, why = apply_block(source, block("  slug = slug.replace(/ +/g, '_');\n  return slug;\n",
                                            "  slug = slug.replace(/ +/g, '_');\n  return slug;\n"))
    assert why == "" and "/ +/g, '_'" in edited and "let slug" in edited


def test_blocks_are_read_with_the_file_named_above_them_and_a_cut_one_counted():
    reply = ("Here is the fix.\n\n# file: shop/cart.py\n```python\n<<<<<<< SEARCH\n"
             "    return amount * discount\n=======\n    return amount * (1 - discount)\n"
             ">>>>>>> REPLACE\n```\n\nshop/count.py\n<<<<<<< SEARCH\n    return len(items)\n"
             "=======\n    return sum(q for q, _ in items)\n>>>>>>> REPLACE\n"
             "shop/more.py\n<<<<<<< SEARCH\n    x = 1\n=======\n    x =")
    assert has_edit_blocks(reply)
    blocks, cut = edit_blocks(reply, named_path)
    assert [b.path for b in blocks] == ["shop/cart.py", "shop/count.py"]
    assert blocks[0].search == "    return amount * discount\n"
    assert blocks[1].replace == "    return sum(q for q, _ in items)\n"
    assert cut == 1


def test_a_block_without_its_divider_holds_the_lines_as_they_should_be():
    reply = ("shop/cart.py\n<<<<<<< SEARCH\n    return amount * (1 - discount)\n"
             ">>>>>>> REPLACE\n")
    blocks, cut = edit_blocks(reply, named_path)
    assert cut == 0 and len(blocks) == 1 and not blocks[0].divided
    assert blocks[0].search == blocks[0].replace == "    return amount * (1 - discount)\n"
    edited, why = apply_block(SOURCE, blocks[0])  # placed over the line it fixes
    assert why == "" and "return amount * (1 - discount)" in edited and "* discount\n" not in edited


def test_a_fence_naming_its_file_names_the_blocks_inside_it():
    reply = "```python file=shop/cart.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n```\n"
    blocks, _ = edit_blocks(reply, named_path)
    assert blocks == [EditBlock("shop/cart.py", "x = 1\n", "x = 2\n")]


def test_a_reply_without_markers_holds_no_edits():
    assert not has_edit_blocks("```python\ndef f():\n    return 1\n```\n")
    assert edit_blocks("no code at all", named_path) == ([], 0)
