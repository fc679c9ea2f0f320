"""Replacing one TypeScript or JavaScript definition by the Coder's text: the rest of the file
byte for byte, `export` kept, methods re-indented, and None for anything not fully understood."""

from microagent.languages.typescript.splice import definitions, replace_definition

MODULE = """\
// ÆØÅ: math helpers 🎉
import { round } from "./round";

/** Adds two numbers. */
export function sum(a: number, b: number): number {
  return a - b;
}

export default class Calc<T> {
  private total = 0;

  /** Adds n. */
  @log
  add(n: number): this {
    throw new Error("not implemented");
  }

  get value(): number { return this.total; }
  set value(v: number) { this.total = v; }
}

export const twice = (n: number): number => n * 3;
"""


def around(text, old, new):
    """`text` with one `old` replaced: what the file must become."""
    assert text.count(old) == 1
    return text.replace(old, new)


def test_definitions_lists_the_top_level_names():
    assert definitions(MODULE, path="math.ts") == ["sum", "Calc", "twice"]
    assert definitions("exports.f = () => 1;\nfunction g() {}\nfunction g() {}\n", path="m.js") == ["f", "g"]


def test_a_function_is_replaced_and_its_export_kept_when_the_answer_drops_it():
    result = replace_definition(MODULE, "sum", "function sum(a: number, b: number): number {\n"
                                               "  return a + b;\n}\n", path="math.ts")
    assert result == around(MODULE, "return a - b;", "return a + b;")


def test_the_old_export_form_wins_and_a_new_export_is_allowed():
    result = replace_definition(MODULE, "Calc", "export class Calc {}", path="math.ts")
    assert "export default class Calc {}\n\nexport const twice" in result
    plain = "function helper() {\n  return 1;\n}\n"
    assert replace_definition(plain, "helper", "export function helper() {\n  return 2;\n}",
                              path="h.js") == "export function helper() {\n  return 2;\n}\n"


def test_an_arrow_function_bound_to_a_const_is_replaced():
    result = replace_definition(MODULE, "twice", "const twice = (n: number): number => n * 2;",
                                path="math.ts")
    assert result == around(MODULE, "n * 3", "n * 2")


def test_a_bare_method_is_put_in_its_class_at_the_class_indentation():
    answer = "add(n: number): this {\n  this.total += n;\n  return this;\n}"
    expected = around(MODULE, '  @log\n  add(n: number): this {\n    throw new Error("not implemented");\n  }',
                      "  add(n: number): this {\n    this.total += n;\n    return this;\n  }")
    assert replace_definition(MODULE, "Calc.add", answer, path="math.ts") == expected
    assert replace_definition(MODULE, "Calc::add", "    " + answer.replace("\n", "\n    "),
                              path="math.ts") == expected
    # the method alone in its class, as a model often answers
    whole = "class Calc<T> {\n  add(n: number): this {\n    this.total += n;\n    return this;\n  }\n}"
    assert replace_definition(MODULE, "Calc.add", whole, path="math.ts") == expected


def test_the_setter_answer_replaces_the_setter_not_the_getter_of_the_same_name():
    result = replace_definition(MODULE, "Calc.value", "set value(v: number) {\n  this.total = v * 1;\n}",
                                path="math.ts")
    assert result == around(MODULE, "set value(v: number) { this.total = v; }",
                            "set value(v: number) {\n    this.total = v * 1;\n  }")


def test_comments_above_are_replaced_only_when_the_answer_brings_its_own():
    with_doc = "/** Adds n, and says so. */\nadd(n: number): this {\n  return this;\n}"
    result = replace_definition(MODULE, "Calc.add", with_doc, path="math.ts")
    assert "  /** Adds n, and says so. */\n  add(n: number): this {\n    return this;\n  }\n" in result
    assert "Adds n." not in result and "@log" not in result
    result = replace_definition(MODULE, "sum", "/** Sums. */\nfunction sum(a, b) { return a + b; }",
                                path="math.ts")
    assert around(MODULE, "/** Adds two numbers. */\nexport function sum(a: number, b: number): number {\n"
                  "  return a - b;\n}", "/** Sums. */\nexport function sum(a, b) { return a + b; }") == result


def test_decorators_come_before_the_kept_export():
    source = "@Component({ selector: 'x' })\nexport class Widget {\n  render() {}\n}\n"
    result = replace_definition(source, "Widget", "@Component({ selector: 'y' })\nclass Widget {\n"
                                                  "  render() { return 1; }\n}", path="w.ts")
    assert result == "@Component({ selector: 'y' })\nexport class Widget {\n  render() { return 1; }\n}\n"


def test_lines_inside_a_template_literal_keep_their_spaces():
    source = "class Page {\n  html() {\n    return '';\n  }\n}\n"
    answer = "html() {\n  return `<ul>\n<li>${this.x}</li>\n</ul>`;\n}"
    assert replace_definition(source, "Page.html", answer, path="page.js") == \
        "class Page {\n  html() {\n    return `<ul>\n<li>${this.x}</li>\n</ul>`;\n  }\n}\n"


def test_crlf_files_stay_crlf_and_unchanged_outside_the_definition():
    source = MODULE.replace("\n", "\r\n")
    result = replace_definition(source, "Calc.add", "add(n: number): this {\n  return this;\n}",
                                path="math.ts")
    assert "\n" not in result.replace("\r\n", "")
    assert result.startswith(source[:source.index("  /** Adds n. */")])
    assert result.endswith(source[source.index("\r\n\r\n  get value()"):])
    assert "  add(n: number): this {\r\n    return this;\r\n  }" in result


def test_non_ascii_text_before_a_definition_does_not_shift_the_splice():
    source = "const greeting = \"grüß dich 👋\"; // ✓\nexport const greet = (name) => greeting;\n"
    result = replace_definition(source, "greet", "const greet = (name) => `${greeting}, ${name}`;",
                                path="greet.mjs")
    assert result == "const greeting = \"grüß dich 👋\"; // ✓\n" \
                     "export const greet = (name) => `${greeting}, ${name}`;\n"


def test_commonjs_exports_and_jsx_components_are_replaced_in_their_grammar():
    cjs = "'use strict';\nexports.sum = function (a, b) {\n  return a - b;\n};\n"
    assert replace_definition(cjs, "sum", "exports.sum = (a, b) => a + b;", path="sum.cjs") == \
        "'use strict';\nexports.sum = (a, b) => a + b;\n"
    jsx = "export function App() {\n  return <div />;\n}\n"
    answer = "function App() {\n  return <main><h1>Hi</h1></main>;\n}"
    assert replace_definition(jsx, "App", answer, path="App.jsx") == "export " + answer + "\n"
    tsx = "export const Item = ({ label }: { label: string }) => <li />;\n"
    assert replace_definition(tsx, "Item", "const Item = ({ label }: { label: string }) => <li>{label}</li>;",
                              path="Item.tsx") == \
        "export const Item = ({ label }: { label: string }) => <li>{label}</li>;\n"


def test_a_definition_with_a_syntax_error_can_be_replaced_by_a_correct_one():
    source = "function ok() { return 1; }\nfunction broken() { return (1 + ; }\n"
    assert replace_definition(source, "broken", "function broken() { return 1 + 1; }", path="b.js") == \
        "function ok() { return 1; }\nfunction broken() { return 1 + 1; }\n"


def test_answers_not_fully_understood_give_none():
    def replace(name, text, source=MODULE):
        return replace_definition(source, name, text, path="math.ts")

    assert replace("missing", "function missing() {}") is None  # not in the file
    assert replace("sum", "function add(a, b) { return a + b; }") is None  # another name
    assert replace("sum", "function sum(a, b) { return a + ; }") is None  # does not parse
    assert replace("sum", "import { x } from './x';\nfunction sum() {}") is None  # more than it
    assert replace("Calc.add", "add() {}\nreset() {}") is None  # two methods for one
    assert replace("Calc.add", "add() {}\n}\nfunction more() {}\nclass Rest {") is None  # breaks out
    assert replace("Calc.missing", "missing() {}") is None
    assert replace("Calc.add", "class Other {\n  add() {}\n}") is None
    broken_elsewhere = MODULE + "function other( {\n"
    assert replace("sum", "function sum(a, b) { return a + b; }", broken_elsewhere) is None
