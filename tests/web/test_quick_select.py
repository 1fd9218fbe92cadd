"""QuickSelect writes the markup Django's Select template writes, without the templates."""

from __future__ import annotations

from django import forms

from samvirke.web.forms import QuickSelect

CHOICES = [
    ("", "All <kinds>"),
    ("1", 'Kurs "A" & co'),
    ("Group & more", [("2", "two"), ("3", "three")]),
]


def _rendered(widget: type[forms.Select], data: dict[str, str]) -> str:
    class Filter(forms.Form):
        kind = forms.ChoiceField(
            choices=CHOICES,
            required=False,
            widget=widget(attrs={"class": "narrow", "disabled": True, "data-n": 3}),
        )

    return str(Filter(data)["kind"])


def test_a_quick_select_is_the_same_markup_as_django_s_select() -> None:
    for data in ({}, {"kind": "1"}, {"kind": "3"}):
        assert _rendered(QuickSelect, data) == _rendered(forms.Select, data)


def test_a_quick_select_escapes_labels_and_marks_the_chosen_option() -> None:
    html = _rendered(QuickSelect, {"kind": "1"})
    assert '<option value="1" selected>Kurs &quot;A&quot; &amp; co</option>' in html
    assert '<optgroup label="Group &amp; more">' in html


def test_a_quick_select_marks_only_the_first_of_two_equal_values_as_django_does() -> None:
    class Filter(forms.Form):
        kind = forms.ChoiceField(
            choices=[("1", "one"), ("1", "one again"), (None, "none")],
            required=False,
            widget=QuickSelect,
        )

    class DjangoFilter(Filter):
        kind = forms.ChoiceField(
            choices=[("1", "one"), ("1", "one again"), (None, "none")],
            required=False,
            widget=forms.Select,
        )

    for data in ({"kind": "1"}, {"kind": ""}, {}):
        assert str(Filter(data)["kind"]) == str(DjangoFilter(data)["kind"])
        assert str(Filter(data)["kind"]).count(" selected") <= 1
