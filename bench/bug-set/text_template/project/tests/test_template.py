import pytest

from expr import lookup
from filters import Markup
from lexer import TemplateSyntaxError
from template import Template, render_string


def test_variables_and_dotted_lookup():
    ctx = {"user": {"name": "Ada", "langs": ["en", "fr"]}}
    assert render_string("{{ user.name }} speaks {{ user.langs.1 }}", ctx) == "Ada speaks fr"


def test_missing_values_render_empty():
    assert render_string("[{{ nobody.name }}]") == "[]"
    assert lookup({"a": [1]}, "a.5") is None


def test_autoescape():
    assert render_string("{{ x }}", x="<script>") == "&lt;script&gt;"
    assert Template("{{ x }}", autoescape=False).render(x="<b>") == "<b>"


def test_safe_filter_disables_escaping():
    assert render_string("{{ html | safe }}", html="<em>hi</em>") == "<em>hi</em>"


def test_explicit_escape_is_not_doubled():
    assert render_string("{{ q | escape }}", q="Q&A") == "Q&amp;A"


def test_filter_pipeline_with_arguments():
    src = "{{ name | default:'anonymous' | upper }} / {{ text | truncate:9 }}"
    assert render_string(src, name=None, text="hello big world") == "ANONYMOUS / hello..."


def test_custom_filter():
    tpl = Template("{{ n | double }}", filters={"double": lambda v: v * 2})
    assert tpl.render(n=21) == "42"


def test_if_elif_else():
    tpl = Template("{% if n > 10 %}big{% elif n > 0 and not zero %}small{% else %}none{% endif %}")
    assert [tpl.render(n=n, zero=False) for n in (20, 5, 0)] == ["big", "small", "none"]


def test_in_operator_and_literals():
    tpl = Template("{% if 'admin' in roles %}yes{% else %}no{% endif %}")
    assert tpl.render(roles=["user", "admin"]) == "yes"
    assert tpl.render(roles=[]) == "no"


def test_for_loop_with_loop_variables():
    tpl = Template("{% for x in xs %}{{ loop.index }}:{{ x }}{% if not loop.last %}, {% endif %}{% endfor %}")
    assert tpl.render(xs=["a", "b", "c"]) == "1:a, 2:b, 3:c"


def test_for_else_and_pairs():
    tpl = Template("{% for k, v in items %}{{ k }}={{ v }};{% else %}empty{% endfor %}")
    assert tpl.render(items=[("a", 1), ("b", 2)]) == "a=1;b=2;"
    assert tpl.render(items=[]) == "empty"


def test_loop_variable_does_not_leak():
    assert render_string("{% for x in xs %}{% endfor %}[{{ x }}]", xs=[1, 2], x="outer") == "[outer]"


def test_set_and_whitespace_control():
    src = "{% set total = n | length -%}\n  {{ total }} item{{ total | pluralize }}"
    assert render_string(src, n=[1, 2]) == "2 items"


def test_escaped_list_items():
    src = "<ul>{% for i in items %}<li>{{ i }}</li>{% endfor %}</ul>"
    assert render_string(src, items=["a&b", Markup("<b>c</b>")]) == (
        "<ul><li>a&amp;b</li><li><b>c</b></li></ul>")


@pytest.mark.parametrize("source", [
    "{% if x %}no end",
    "{% for x of xs %}{% endfor %}",
    "{% endif %}",
    "{{ x | nosuchfilter }}",
    "{{ (a }}",
])
def test_template_syntax_errors(source):
    with pytest.raises(TemplateSyntaxError):
        Template(source)
