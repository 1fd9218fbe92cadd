"""What the evaluation page and report show of a run, in the reader's language and role.

Reads the stored JSON (``analysis/results.py``) and renders the charts (``analysis/svg.py``)
and plain-language sentences (``analysis/text.py``). ``full=False`` is the view beyond the
research role: counts suppressed and rounded, no individual score lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samvirke.evaluation.analysis import compare, raster, results, svg, text
from samvirke.lib import disclosure


def _language() -> str:
    code = (get_language() or "en").split("-")[0]
    return code if code in ("nb", "sv", "en") else "en"


_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_TEXT = re.compile(r">([^<]+)<")


def localised_numbers(markup: str, language: str) -> str:
    """Numbers in the text of a chart or table written as the reader's language writes them
    (a decimal comma and a true minus in nb and sv), leaving attributes and coordinates alone."""
    if language not in ("nb", "sv"):
        return markup

    def text(match: re.Match[str]) -> str:
        words = _DECIMAL.sub(",", match.group(1))
        return ">" + re.sub(r"(?<![\w\d])-(?=\d)", "−", words) + "<"

    return _TEXT.sub(text, markup)


def _chart(chart: svg.Chart) -> dict[str, Any]:
    language = _language()
    return {
        "svg": mark_safe(localised_numbers(chart.svg, language)),  # noqa: S308 - escaped by svg.py
        "table": mark_safe(localised_numbers(chart.table, language)),  # noqa: S308
    }


def _interval(low: float | None, high: float | None) -> str:
    return f"{text.number(_nan(low))} – {text.number(_nan(high))}"


def _nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def _count(value: int | None, full: bool) -> str:
    if value is None:
        return _("fewer than 5") if not full else "–"
    return str(value)


def comparison_tables(
    data: dict[str, Any], run: dict[str, Any], *, full: bool, title: str
) -> list[dict[str, Any]]:
    """The pre–post change by country, region, subproject and measure: one table each, the
    programme first (suppressed beyond the research role, see ``analysis/compare.py``)."""
    stored = data.get("comparisons")
    if not stored:
        return []
    language = _language()
    names = {
        **{f"measure:{k}": v.get(language, k) for k, v in run["labels"].items()},
        **{k: v.get(language, k) for k, v in run.get("scope_labels", {}).items()},
    }
    captions = {
        "country": _("Change on %(instrument)s by country"),
        "region": _("Change on %(instrument)s by region (county or län)"),
        "subproject": _("Change on %(instrument)s by subproject"),
        "measure": _("Change on %(instrument)s by measure taken"),
    }
    rows = compare.shown_rows(stored, full=full)
    programme = next(r for r in rows if r["scope"] == compare.PROGRAMME)

    def line(row: Mapping[str, Any], label: str) -> dict[str, str]:
        if row["n"] is None:
            return {"label": label, "n": _count(None, full), "change": "–", "change_ci": "–",
                    "d_z": "–", "d_z_ci": "–"}  # fmt: skip
        change, d_z = row["change"], row["d_z"]
        return {
            "label": label,
            "n": str(row["n"]) if full else _("about %(n)s") % {"n": row["n"]},
            "change": text.number(_nan(change["value"])),
            "change_ci": _interval(change["low"], change["high"]),
            "d_z": text.number(_nan(d_z["value"]), 2),
            "d_z_ci": _interval(d_z["low"], d_z["high"]),
        }

    tables = []
    for dimension in compare.DIMENSIONS if full else compare.SHOWN_BEYOND_RESEARCH:
        group = [r for r in rows if compare.dimension_of(r["scope"]) == dimension]
        if not group:
            continue
        group.sort(key=lambda r: names.get(r["scope"], r["scope"]))
        tables.append(
            {
                "dimension": dimension,
                "caption": captions[dimension] % {"instrument": title},
                "rows": [
                    line(programme, _("Everyone")),
                    *(line(r, names.get(r["scope"], r["scope"])) for r in group),
                ],
            }
        )
    return tables


def instrument_context(data: dict[str, Any], run: dict[str, Any], *, full: bool) -> dict[str, Any]:
    """One instrument's flow, trajectories, pre–post change and effects, ready for a template."""
    language = _language()
    code = data["instrument"]
    title = run["titles"].get(code, {}).get(language, code)
    labels = {name: names.get(language, name) for name, names in run["labels"].items()}
    group_labels = {"programme": _("Everyone"), **labels}
    flows = [results.flow_from(f) for f in (data["flow"] if full else data["disclosed"]["flow"])]
    k = len(flows[0].followups) if flows else 0
    stages = [_("Enrolled"), _("Baseline"), *[_("Follow-up %(number)s") % {"number": i + 1}
              for i in range(k)], _("Lost")]  # fmt: skip
    flow_chart = svg.flow_diagram(
        flows,
        title=_("Flow of participants: %(instrument)s") % {"instrument": title},
        stage_labels=stages,
        group_labels=group_labels,
        caption=_("Participants at each stage, by measure"),
        suppressed_mark=_("<5"),
        group_header=_("Group"),
    )
    trajectory = data["trajectories"]
    stats = trajectory["stats"] if full else data["disclosed"]["trajectories"]
    trajectories = svg.summary_trajectories(
        stats,
        trajectory["lines"] if full else [],
        title=_("Scores over time: %(instrument)s") % {"instrument": title},
        x_label=_("Months since baseline"),
        y_label=_("Score"),
        caption=_("Mean score per time point with its 95 % confidence interval"),
        header=(_("Time point"), _("Months"), _("People"), _("Mean"), _("95 % CI")),
    )
    pre_post = results.prepost_from(data["prepost"])
    reliable = pre_post.reliable
    n_shown: int | None = pre_post.n
    if not full:
        disclosed = data["disclosed"]["prepost"]
        n_shown = disclosed["n"]
        reliable = disclosed["reliable"]
    prepost_rows = []
    if n_shown is not None and "too_few" not in pre_post.flags:
        prepost_rows = [
            (_("Mean at baseline"), text.number(pre_post.mean_pre), ""),
            (_("Mean at the last follow-up"), text.number(pre_post.mean_post), ""),
            (_("Mean change"), text.number(pre_post.mean_change.value),
             _interval(pre_post.mean_change.low, pre_post.mean_change.high)),
            ("d_z", text.number(pre_post.d_z.value, 2),
             _interval(pre_post.d_z.low, pre_post.d_z.high)),
            ("g_z", text.number(pre_post.g_z.value, 2),
             _interval(pre_post.g_z.low, pre_post.g_z.high)),
            ("d_av", text.number(pre_post.d_av.value, 2),
             _interval(pre_post.d_av.low, pre_post.d_av.high)),
            ("g_av", text.number(pre_post.g_av.value, 2),
             _interval(pre_post.g_av.low, pre_post.g_av.high)),
        ]  # fmt: skip
    reliable_labels = {
        "recovered": _("improved reliably and into the healthy range"),
        "improved": _("improved reliably"),
        "unchanged": _("no reliable change"),
        "deteriorated": _("deteriorated reliably"),
    }
    reliable_rows = (
        [(reliable_labels.get(k, k), _count(v, full)) for k, v in reliable.items()]
        if reliable
        else []
    )
    sentence_input = pre_post
    if full:
        prepost_sentence = text.prepost_sentence(instrument=title, result=sentence_input)
    elif n_shown is None:
        prepost_sentence = _("Too few people to show how they changed on %(instrument)s.") % {
            "instrument": title
        }
    else:
        prepost_sentence = _(
            "On %(instrument)s, about %(n)s people with both scores changed by %(change)s "
            "points on average (95%% CI %(low)s to %(high)s; d_av %(d)s)."
        ) % {
            "instrument": title,
            "n": n_shown,
            "change": text.number(pre_post.mean_change.value),
            "low": text.number(pre_post.mean_change.low),
            "high": text.number(pre_post.mean_change.high),
            "d": text.number(pre_post.d_av.value, 2),
        }
    causal = data["causal"]
    mixed = data["mixed"]
    mixed_terms = {t["name"]: t for t in mixed.get("terms", [])}
    mixed_together = {t["name"]: t for t in mixed.get("together", [])}
    msm = [results.effect_from(e) for e in causal["msm"]]
    naive = {e["name"]: results.effect_from(e) for e in causal["naive"]}

    def effect_label(name: str) -> str:
        return " + ".join(labels.get(part, part) for part in name.split("+"))

    def mixed_for(effect: Any) -> dict[str, Any] | None:
        """The mixed model's estimate of the same effect (a pair: together, with its CI)."""
        if effect.kind == "combination":
            return mixed_together.get(effect.name)
        return mixed_terms.get(effect.name)

    effect_rows = []
    for effect in msm:
        other = naive.get(effect.name)
        term = mixed_for(effect)
        mixed_value, mixed_ci = (
            (text.number(_nan(term["estimate"])), _interval(term["low"], term["high"]))
            if term
            else ("–", "–")
        )
        if effect.kind == "combination" and not term:
            # Runs stored before the model gave the pair's effect together: the sum, no CI.
            parts = [mixed_terms.get(part) for part in [*effect.name.split("+"), effect.name]]
            if all(parts):
                mixed_value = text.number(sum(_nan(part["estimate"]) for part in parts if part))
        people = effect.participants if full else disclosure.rounded_total(effect.participants)
        effect_rows.append(
            {
                "label": effect_label(effect.name),
                "people": people,
                "msm": text.number(effect.estimate),
                "msm_ci": _interval(effect.low, effect.high),
                "naive": text.number(other.estimate) if other else "–",
                "naive_ci": _interval(other.low, other.high) if other else "–",
                "mixed": mixed_value,
                "mixed_ci": mixed_ci,
                "evalue": text.number(effect.evalue.point),
                "evalue_limit": text.number(effect.evalue.limit),
                "sentence": text.effect_sentence(effect=effect, instrument=title, labels=labels),
            }
        )
    forest = None
    if msm:
        forest = _chart(
            svg.forest(
                [
                    svg.ForestRow(
                        effect_label(e.name),
                        e.estimate,
                        e.low,
                        e.high,
                        naive[e.name].estimate if e.name in naive else None,
                        *(
                            (_nan(m["estimate"]), _nan(m["low"]), _nan(m["high"]))
                            if (m := mixed_for(e))
                            else ()
                        ),
                    )
                    for e in msm
                ],  # fmt: skip
                title=_("Effects of measures and combinations: %(instrument)s")
                % {"instrument": title},
                x_label=_(
                    "Points on the instrument (squares: causal estimate; circles: naive; "
                    "diamonds: mixed model)"
                ),
                caption=_(
                    "Causal (weighted) estimates with 95 % CI, the naive estimate and the "
                    "mixed-model estimate with 95 % CI"
                ),
                header=(
                    _("Measure"),
                    _("Causal estimate"),
                    _("95 % CI"),
                    _("Naive estimate"),
                    _("Mixed-model estimate"),
                    _("95 % CI"),
                ),  # fmt: skip
            )
        )
    skipped = []
    for name, flag, people in causal.get("skipped", []):
        if not full and disclosure.is_small(int(people)):
            skipped.append(_("%(name)s: no estimate, because too few people took part.")
                           % {"name": effect_label(name)})  # fmt: skip
        else:
            skipped.append(text.skipped_sentence(
                skipped=results.skipped_from(
                    {"name": name, "kind": "measure", "flag": flag, "participants": people}),
                labels=labels))  # fmt: skip
    weights = causal["weights"]
    return {
        "code": code,
        "title": title,
        "flow_chart": _chart(flow_chart),
        "flow_sentences": [
            f"{group_labels.get(f.group, f.group)}: {text.flow_sentence(f)}" for f in flows
        ],
        "trajectories": _chart(trajectories),
        "prepost_n": n_shown,
        "prepost_rows": prepost_rows,
        "reliable_rows": reliable_rows,
        "prepost_sentence": prepost_sentence,
        "comparisons": comparison_tables(data, run, full=full, title=title),
        "effects": effect_rows,
        "forest": forest,
        "skipped": skipped,
        "flags": [
            text.flag_sentence(f) for f in [*causal.get("flags", []), *mixed.get("flags", [])]
        ],  # fmt: skip
        "weights": {
            key: text.number(_nan(weights.get(key)), 2)
            for key in ("mean", "sd", "minimum", "median", "p99", "maximum", "truncated_max")
        },
        "weights_truncated": weights.get("truncated"),
        "mixed": {
            "n": mixed.get("n_participants") if full else None,
            "loglik": text.number(_nan(mixed.get("loglik")), 2),
            "method": mixed.get("method"),
            "converged": mixed.get("converged"),
        },
    }


def run_context(result: dict[str, Any], *, full: bool) -> dict[str, Any]:
    """Every instrument of a finished run, and the facts a report repeats."""
    return {
        "instruments": [instrument_context(i, result, full=full) for i in result["instruments"]],
        "spec": result["spec"],
        "versions": result["versions"],
        "checksum": result["checksum"],
        "participants": result["participants"]
        if full
        else disclosure.rounded_total(result["participants"]),
        "full": full,
        "png": raster.available(),
        # Runs since the stacked-sandwich MSM (with the baseline score) record its variance.
        "causal_stacked": any(
            i["causal"].get("variance") == "stacked" for i in result["instruments"]
        ),
        "skipped_instruments": [
            _("Too few people answered %(instrument)s at baseline to analyse it.")
            % {"instrument": result["titles"].get(code, {}).get(_language(), code)}
            for code in result.get("skipped_instruments", [])
        ],
    }
