"""Server-rendered SVG charts, each with the data table a screen reader reads instead.

Pure functions: data and already-translated labels in, a :class:`Chart` (SVG text and an HTML
table) out. No script, no external resources, no inline event handlers; colours come from CSS
classes (``chart-line``, ``chart-mean``, ``chart-ci``, ``chart-naive``, …) with plain
fall-back attributes so a downloaded SVG still prints. Every text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .flow import Flow

WIDTH, HEIGHT = 640, 360
MARGIN = {"left": 56, "right": 16, "top": 32, "bottom": 44}


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its data table (both HTML-safe strings)."""

    svg: str
    table: str


@dataclass(frozen=True)
class ForestRow:
    """One line of a forest plot: label, estimate and CI, and optionally the naive estimate and
    the mixed-model estimate with its CI."""

    label: str
    estimate: float
    low: float
    high: float
    naive: float | None = None
    mixed: float | None = None
    mixed_low: float | None = None
    mixed_high: float | None = None


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _fmt(value: float | None, decimals: int = 1) -> str:
    if value is None or not np.isfinite(value):
        return "–"
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None or not (np.isfinite(low) and np.isfinite(high)):
        return "–"
    return f"{_fmt(low)} – {_fmt(high)}"


def _table(caption: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{_e(row[0])}</th>'
        + "".join(f"<td>{_e(c)}</td>" for c in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="chart-data"><caption>{_e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _open(title: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_e(title)}" '
        f'class="chart"><title>{_e(title)}</title>'
        f'<rect width="{width}" height="{height}" fill="#fff"/>'
        f'<text x="{MARGIN["left"]}" y="20" font-size="14" font-family="sans-serif" '
        f'fill="#222">{_e(title)}</text>'
    )


def _scale(lo: float, hi: float, out_lo: float, out_hi: float) -> tuple[float, float]:
    span = hi - lo or 1.0
    k = (out_hi - out_lo) / span
    return k, out_lo - lo * k


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    return [float(t) for t in np.linspace(lo, hi, n)]


def trajectories(
    frame: pd.DataFrame,
    *,
    instrument: str,
    title: str,
    x_label: str,
    y_label: str,
    caption: str,
    header: tuple[str, str, str, str, str],
    max_lines: int = 60,
    seed: int = 0,
) -> Chart:
    """Spaghetti (a seeded sample of ``max_lines`` people) and the mean with its 95 % CI per
    time point. The table holds the means (never individuals): time point, months, n, mean, CI.
    """
    rows = frame[frame["instrument"] == instrument]
    people = np.array(sorted(rows["participant"].unique()))
    rng = np.random.default_rng(seed)
    shown = set(rng.choice(people, size=min(max_lines, len(people)), replace=False))
    stats = rows.groupby("time").agg(
        months=("months", "mean"), n=("score", "size"), mean=("score", "mean"), sd=("score", "std")
    )
    stats["half"] = 1.96 * stats["sd"].fillna(0) / np.sqrt(stats["n"])
    x_hi = float(rows["months"].max()) if len(rows) else 1.0
    y_lo = float(rows["score"].min()) if len(rows) else 0.0
    y_hi = float(rows["score"].max()) if len(rows) else 1.0
    left, right = MARGIN["left"], WIDTH - MARGIN["right"]
    top, bottom = MARGIN["top"], HEIGHT - MARGIN["bottom"]
    kx, bx = _scale(0.0, x_hi, left, right)
    ky, by = _scale(y_lo, y_hi, bottom, top)
    parts = [_open(title)]
    parts.append(_axes(left, right, top, bottom, 0.0, x_hi, y_lo, y_hi, x_label, y_label))
    for _who, person in rows[rows["participant"].isin(shown)].groupby("participant"):
        person = person.sort_values("time")
        points = " ".join(
            f"{kx * m + bx:.1f},{ky * s + by:.1f}"
            for m, s in zip(person["months"], person["score"], strict=True)
        )
        parts.append(
            f'<polyline class="chart-line" points="{points}" fill="none" stroke="#9aa5b1" '
            'stroke-width="1" stroke-opacity="0.6"/>'
        )
    for t, row in stats.iterrows():
        x = kx * row["months"] + bx
        parts.append(
            f'<line class="chart-ci" x1="{x:.1f}" x2="{x:.1f}" '
            f'y1="{ky * (row["mean"] - row["half"]) + by:.1f}" '
            f'y2="{ky * (row["mean"] + row["half"]) + by:.1f}" stroke="#123c69" stroke-width="3">'
            f"<title>{_e(t)}</title></line>"
        )
    mean_points = " ".join(
        f"{kx * m + bx:.1f},{ky * s + by:.1f}"
        for m, s in zip(stats["months"], stats["mean"], strict=True)
    )
    parts.append(
        f'<polyline class="chart-mean" points="{mean_points}" fill="none" stroke="#123c69" '
        'stroke-width="3"/>'
    )
    parts.append("</svg>")
    table = _table(
        caption,
        header,
        [
            (
                int(t),
                _fmt(r["months"]),
                int(r["n"]),
                _fmt(r["mean"]),
                f"{_fmt(r['mean'] - r['half'])} – {_fmt(r['mean'] + r['half'])}",
            )
            for t, r in stats.iterrows()
        ],
    )
    return Chart("".join(parts), table)


def _axes(
    left: float,
    right: float,
    top: float,
    bottom: float,
    x_lo: float,
    x_hi: float,
    y_lo: float,
    y_hi: float,
    x_label: str,
    y_label: str,
) -> str:
    kx, bx = _scale(x_lo, x_hi, left, right)
    ky, by = _scale(y_lo, y_hi, bottom, top)
    out = [
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#444"/>',
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#444"/>',
    ]
    for t in _ticks(x_lo, x_hi):
        x = kx * t + bx
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" '
            f'font-family="sans-serif" fill="#333">{_fmt(t, 0)}</text>'
        )
    for t in _ticks(y_lo, y_hi):
        y = ky * t + by
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'font-family="sans-serif" fill="#333">{_fmt(t, 0)}</text>'
        )
    out.append(
        f'<text x="{(left + right) / 2:.1f}" y="{bottom + 34}" font-size="12" '
        f'text-anchor="middle" font-family="sans-serif" fill="#222">{_e(x_label)}</text>'
    )
    out.append(
        f'<text x="14" y="{(top + bottom) / 2:.1f}" font-size="12" text-anchor="middle" '
        f'font-family="sans-serif" fill="#222" transform="rotate(-90 14 {(top + bottom) / 2:.1f})"'
        f">{_e(y_label)}</text>"
    )
    return "".join(out)


def forest(
    rows: Sequence[ForestRow],
    *,
    title: str,
    x_label: str,
    caption: str,
    header: Sequence[str],
) -> Chart:
    """Effects with their CIs on one axis (a zero line; naive estimates as hollow circles,
    mixed-model estimates as diamonds with a thinner CI just below). Table: label, estimate,
    CI, naive estimate and, when ``header`` has six columns, the mixed-model estimate and CI."""
    label_w = 200
    height = MARGIN["top"] + 28 * max(len(rows), 1) + MARGIN["bottom"]
    left, right = label_w, WIDTH - MARGIN["right"]
    values = [0.0] + [
        v
        for r in rows
        for v in (r.low, r.high, r.naive, r.mixed, r.mixed_low, r.mixed_high)
        if v is not None
    ]
    finite = [v for v in values if np.isfinite(v)]
    lo, hi = min(finite), max(finite)
    pad = (hi - lo) * 0.05 or 1.0
    lo, hi = lo - pad, hi + pad
    kx, bx = _scale(lo, hi, left, right)
    bottom = height - MARGIN["bottom"]
    parts = [_open(title, WIDTH, height)]
    zero = kx * 0 + bx
    parts.append(
        f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{MARGIN["top"]}" y2="{bottom}" '
        'stroke="#888" stroke-dasharray="4 3"/>'
    )
    for i, r in enumerate(rows):
        y = MARGIN["top"] + 28 * i + 14
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 4}" font-size="12" text-anchor="end" '
            f'font-family="sans-serif" fill="#222">{_e(r.label)}</text>'
        )
        if np.isfinite(r.low) and np.isfinite(r.high):
            parts.append(
                f'<line class="chart-ci" x1="{kx * r.low + bx:.1f}" x2="{kx * r.high + bx:.1f}" '
                f'y1="{y}" y2="{y}" stroke="#123c69" stroke-width="2"/>'
            )
        if np.isfinite(r.estimate):
            parts.append(
                f'<rect class="chart-mean" x="{kx * r.estimate + bx - 5:.1f}" y="{y - 5}" '
                'width="10" height="10" fill="#123c69"/>'
            )
        if r.naive is not None and np.isfinite(r.naive):
            parts.append(
                f'<circle class="chart-naive" cx="{kx * r.naive + bx:.1f}" cy="{y}" r="5" '
                'fill="none" stroke="#b3541e" stroke-width="2"/>'
            )
        m_low, m_high = r.mixed_low, r.mixed_high
        if m_low is not None and m_high is not None and np.isfinite(m_low) and np.isfinite(m_high):
            parts.append(
                f'<line class="chart-mixed-ci" x1="{kx * m_low + bx:.1f}" '
                f'x2="{kx * m_high + bx:.1f}" y1="{y + 9}" y2="{y + 9}" '
                'stroke="#4a7c59" stroke-width="1.5"/>'
            )
        if r.mixed is not None and np.isfinite(r.mixed):
            cx = kx * r.mixed + bx
            parts.append(
                f'<path class="chart-mixed" d="M{cx:.1f} {y + 4} l5 5 l-5 5 l-5 -5 z" '
                'fill="#4a7c59"/>'
            )
    parts.append(f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#444"/>')
    for t in _ticks(lo, hi):
        parts.append(
            f'<text x="{kx * t + bx:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle" '
            f'font-family="sans-serif" fill="#333">{_fmt(t)}</text>'
        )
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="{bottom + 34}" font-size="12" '
        f'text-anchor="middle" font-family="sans-serif" fill="#222">{_e(x_label)}</text></svg>'
    )
    table = _table(
        caption,
        header,
        [
            (
                r.label,
                _fmt(r.estimate),
                f"{_fmt(r.low)} – {_fmt(r.high)}",
                _fmt(r.naive),
                *(
                    (_fmt(r.mixed), _interval(r.mixed_low, r.mixed_high))
                    if len(header) == 6
                    else ()
                ),
            )  # fmt: skip
            for r in rows
        ],
    )
    return Chart("".join(parts), table)


def flow_diagram(
    flows: Sequence[Flow],
    *,
    title: str,
    stage_labels: Sequence[str],
    group_labels: dict[str, str],
    caption: str,
    suppressed_mark: str = "<5",
    group_header: str = "",
) -> Chart:
    """One column of boxes per group (programme, each measure): enrolled → baseline →
    follow-ups → lost. ``stage_labels`` names the rows; suppressed cells show ``suppressed_mark``.
    """
    cols = max(len(flows), 1)
    box_w = min(150, (WIDTH - 40) // cols - 10)
    n_stages = len(stage_labels)
    height = MARGIN["top"] + 18 + 56 * n_stages + 16
    width = max(WIDTH, 20 + cols * (box_w + 10) + 110)
    parts = [_open(title, width, height)]
    for s, label in enumerate(stage_labels):
        y = MARGIN["top"] + 18 + 56 * s
        parts.append(
            f'<text x="8" y="{y + 26}" font-size="11" font-family="sans-serif" '
            f'fill="#333">{_e(label)}</text>'
        )
    rows = []
    for c, f in enumerate(flows):
        x = 110 + c * (box_w + 10)
        cells = [f.enrolled, f.baseline, *f.followups, f.lost]
        shown = [str(v) if v is not None else suppressed_mark for v in cells]
        rows.append([group_labels.get(f.group, f.group), *shown])
        for s, value in enumerate(shown[:n_stages]):
            y = MARGIN["top"] + 18 + 56 * s
            parts.append(
                f'<rect x="{x}" y="{y}" width="{box_w}" height="40" rx="4" fill="#eef2f7" '
                f'stroke="#123c69"/><text x="{x + box_w / 2:.1f}" y="{y + 25}" font-size="13" '
                f'text-anchor="middle" font-family="sans-serif" fill="#111">{_e(value)}</text>'
            )
            if s == 0:
                parts.append(
                    f'<text x="{x + box_w / 2:.1f}" y="{y - 4}" font-size="11" '
                    f'text-anchor="middle" font-family="sans-serif" fill="#222">'
                    f"{_e(group_labels.get(f.group, f.group))}</text>"
                )
            if s < n_stages - 2:
                parts.append(
                    f'<line x1="{x + box_w / 2:.1f}" x2="{x + box_w / 2:.1f}" y1="{y + 40}" '
                    f'y2="{y + 56}" stroke="#123c69"/>'
                )
    parts.append("</svg>")
    return Chart("".join(parts), _table(caption, [group_header, *stage_labels], rows))


def summary_trajectories(
    stats: Sequence[dict[str, float]],
    lines: Sequence[Sequence[Sequence[float]]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    caption: str,
    header: tuple[str, str, str, str, str],
) -> Chart:
    """:func:`trajectories` drawn from stored aggregates: the mean and 95 % CI per time point
    (``time``, ``months``, ``n``, ``mean``, ``sd``) and optional anonymous lines of
    (months, score). With no lines (the view beyond research) only the means are drawn."""
    half = [1.96 * (s.get("sd") or 0.0) / np.sqrt(max(s["n"], 1)) for s in stats]
    xs = [s["months"] for s in stats] + [p[0] for line in lines for p in line]
    ys = [s["mean"] - h for s, h in zip(stats, half, strict=True)]
    ys += [s["mean"] + h for s, h in zip(stats, half, strict=True)]
    ys += [p[1] for line in lines for p in line]
    x_hi = max(xs) if xs else 1.0
    y_lo, y_hi = (min(ys), max(ys)) if ys else (0.0, 1.0)
    left, right = MARGIN["left"], WIDTH - MARGIN["right"]
    top, bottom = MARGIN["top"], HEIGHT - MARGIN["bottom"]
    kx, bx = _scale(0.0, x_hi, left, right)
    ky, by = _scale(y_lo, y_hi, bottom, top)
    parts = [_open(title)]
    parts.append(_axes(left, right, top, bottom, 0.0, x_hi, y_lo, y_hi, x_label, y_label))
    for line in lines:
        points = " ".join(f"{kx * m + bx:.1f},{ky * s + by:.1f}" for m, s in line)
        parts.append(
            f'<polyline class="chart-line" points="{points}" fill="none" stroke="#9aa5b1" '
            'stroke-width="1" stroke-opacity="0.6"/>'
        )
    for s, h in zip(stats, half, strict=True):
        x = kx * s["months"] + bx
        parts.append(
            f'<line class="chart-ci" x1="{x:.1f}" x2="{x:.1f}" '
            f'y1="{ky * (s["mean"] - h) + by:.1f}" y2="{ky * (s["mean"] + h) + by:.1f}" '
            'stroke="#123c69" stroke-width="3"/>'
        )
    mean_points = " ".join(f"{kx * s['months'] + bx:.1f},{ky * s['mean'] + by:.1f}" for s in stats)
    parts.append(
        f'<polyline class="chart-mean" points="{mean_points}" fill="none" stroke="#123c69" '
        'stroke-width="3"/></svg>'
    )
    table = _table(
        caption,
        header,
        [
            (
                int(s["time"]),
                _fmt(s["months"]),
                int(s["n"]),
                _fmt(s["mean"]),
                f"{_fmt(s['mean'] - h)} – {_fmt(s['mean'] + h)}",
            )
            for s, h in zip(stats, half, strict=True)
        ],
    )
    return Chart("".join(parts), table)
