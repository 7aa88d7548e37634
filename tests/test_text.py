"""drstui.text: outside text made visible one for one, never markup; JSON faithful but escaped."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from drstui.text import clean, json_dumps, plain, visible, visible_tree

CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")
any_text = st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Lo", "Ll", "Ps", "Pe", "Po"]))


def test_controls_become_pictures() -> None:
    assert visible("\x1b]2;pwned\x07") == "␛]2;pwned␇"
    assert visible("a\x00b\x7f") == "a␀b␡"
    assert visible("\x9b2J \u202eevil\u202c") == "\ufffd2J \ufffdevil\ufffd"
    assert visible("line\nbreak") == "line␊break"
    assert visible("line\nbreak", newlines=True) == "line\nbreak"
    assert visible(None) == "" and visible(42) == "42"
    assert visible("订单 ok [/]") == "订单 ok [/]"  # nothing to do: same object back


@given(any_text)
def test_visible_keeps_the_length_and_leaves_no_control(text: str) -> None:
    shown = visible(text)
    assert len(shown) == len(text)
    assert not CONTROL.search(shown)
    shown.encode("utf-8")  # lone surrogates are gone: a terminal can take it


def test_plain_never_parses_markup() -> None:
    text = plain("[@click=app.quit]X[/] a[/]b", "bold")
    assert text.plain == "[@click=app.quit]X[/] a[/]b"
    assert text.spans == [] and str(text.style) == "bold"


def test_clean_keeps_styles_where_they_were() -> None:
    text = Text("job ")
    text.append("\x1b[2Jname", "bold")
    text.append(" ok", "green")
    shown = clean(text)
    assert shown.plain == "job ␛[2Jname ok"
    assert [(s.start, s.end, s.style) for s in shown.spans] == [(4, 12, "bold"), (12, 15, "green")]
    assert text.plain == "job \x1b[2Jname ok"  # the original is untouched


def test_visible_tree_changes_only_strings_and_keeps_the_rest() -> None:
    @dataclass(frozen=True)
    class Row:
        name: str
        count: int
        tags: tuple[str, ...]

    row = Row("a\x1bb", 3, ("ok", "\u202ex"))
    shown = visible_tree(row)
    assert shown == Row("a␛b", 3, ("ok", "\ufffdx"))
    same = Row("fine", 1, ("ok",))
    assert visible_tree(same) is same


@given(st.recursive(st.none() | st.integers() | any_text,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
                    max_leaves=8))
def test_json_dumps_round_trips_and_escapes_what_a_terminal_obeys(value: object) -> None:
    raw = json_dumps(value)
    assert not CONTROL.search(raw)
    assert json.loads(raw) == value


def test_json_dumps_keeps_cjk_readable() -> None:
    assert json_dumps({"name": "订单\x9b"}) == '{"name": "订单\\u009b"}'
