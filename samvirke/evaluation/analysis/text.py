"""Plain-language sentences for the engine's results, in the reader's language (nb/sv/en).

The only module of the engine that touches Django, and only ``django.utils.translation``.
Numbers are written with the language's decimal separator (a comma in nb and sv).
"""

from __future__ import annotations

import math

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from .causal import Effect
from .flow import Flow
from .mixed import Skipped
from .prepost import PrePost


def number(value: float, decimals: int = 1) -> str:
    """``-9.25`` → "−9.3" (en) or "−9,3" (nb, sv); NaN → "–"."""
    if not math.isfinite(value):
        return "–"
    text = f"{abs(value):.{decimals}f}"
    if (get_language() or "en").split("-")[0] in ("nb", "nn", "no", "sv"):
        text = text.replace(".", ",")
    return ("−" if value < 0 and float(text.replace(",", ".")) != 0 else "") + text


def prepost_sentence(*, instrument: str, result: PrePost) -> str:
    """What happened between the baseline and the last follow-up on one instrument."""
    if "too_few" in result.flags:
        return _(
            "Too few people answered %(instrument)s both at baseline and at follow-up to say "
            "how they changed."
        ) % {"instrument": instrument}
    sentence = ngettext(
        "On %(instrument)s, the %(n)s person with both scores changed by %(change)s points "
        "on average (95%% CI %(low)s to %(high)s; d_av %(d)s).",
        "On %(instrument)s, the %(n)s people with both scores changed by %(change)s points "
        "on average (95%% CI %(low)s to %(high)s; d_av %(d)s).",
        result.n,
    ) % {
        "instrument": instrument,
        "n": result.n,
        "change": number(result.mean_change.value),
        "low": number(result.mean_change.low),
        "high": number(result.mean_change.high),
        "d": number(result.d_av.value, 2),
    }
    if result.reliable is not None:
        counts = result.reliable
        sentence += " " + _(
            "%(improved)s improved reliably (%(recovered)s of them into the healthy range), "
            "%(unchanged)s did not change reliably and %(deteriorated)s deteriorated."
        ) % {
            "improved": counts["improved"] + counts["recovered"],
            "recovered": counts["recovered"],
            "unchanged": counts["unchanged"],
            "deteriorated": counts["deteriorated"],
        }
    return sentence


def effect_sentence(*, effect: Effect, instrument: str, labels: dict[str, str]) -> str:
    """The headline (causal) estimate of a measure or a combination, with its caveat."""
    if effect.kind == "combination":
        first, second = effect.name.split("+", 1)
        who = _("People who took part in both %(first)s and %(second)s") % {
            "first": labels.get(first, first),
            "second": labels.get(second, second),
        }
    else:
        who = _("People who took part in %(measure)s") % {
            "measure": labels.get(effect.name, effect.name)
        }
    values = {
        "who": who,
        "points": number(abs(effect.estimate)),
        "instrument": instrument,
        "low": number(effect.low),
        "high": number(effect.high),
    }
    if effect.estimate >= 0:
        text = (
            _(
                "%(who)s scored about %(points)s points higher on %(instrument)s than they would "
                "have without it (95%% CI %(low)s to %(high)s)."
            )
            % values
        )
    else:
        text = (
            _(
                "%(who)s scored about %(points)s points lower on %(instrument)s than they would "
                "have without it (95%% CI %(low)s to %(high)s)."
            )
            % values
        )
    caveat = _(
        "This is an observational estimate, not a trial; it would take a hidden factor "
        "associated with both taking part and the score by a risk ratio of %(evalue)s to "
        "explain it away."
    ) % {"evalue": number(effect.evalue.point)}
    return f"{text} {caveat}"


def skipped_sentence(*, skipped: Skipped, labels: dict[str, str]) -> str:
    """Why a measure, combination or adjustment has no estimate."""
    name = " + ".join(labels.get(part, part) for part in skipped.name.split("+"))
    if skipped.flag == "no_variation":
        return _("%(name)s: no estimate, because everyone or no one took part.") % {"name": name}
    if skipped.flag == "too_few":
        return ngettext(
            "%(name)s: no estimate, because only %(n)s person took part.",
            "%(name)s: no estimate, because only %(n)s people took part.",
            skipped.participants,
        ) % {"name": name, "n": skipped.participants}
    return _("%(name)s: not in the data, so not adjusted for.") % {"name": name}


def flag_sentence(flag: str) -> str:
    """A model-level warning in plain words."""
    messages = {
        "not_converged": _("The model did not converge; its estimates are not reliable."),
        "singular": _(
            "The model could not separate the differences between people from the noise "
            "(a variance estimated at zero or a perfect correlation)."
        ),
        "too_few": _("Too few people or answers for this model."),
        "failed": _("The model could not be fitted."),
        "se_undefined": _("Some standard errors could not be estimated."),
        "extreme_weights": _(
            "Some people have very large weights; the causal estimates lean on few people."
        ),
        "nothing_to_estimate": _("No measure or combination had enough people to estimate."),
        "without_baseline": _(
            "People who did not answer at baseline are left out of the causal estimates: they "
            "cannot be compared from the same starting point."
        ),
    }
    return messages.get(flag, flag)


def flow_sentence(flow: Flow) -> str:
    """The flow of one group in a sentence (suppressed cells read as "fewer than a few")."""

    def count(value: int | None) -> str:
        return str(value) if value is not None else _("a few")

    last = flow.followups[-1] if flow.followups else flow.baseline
    return _(
        "%(enrolled)s enrolled, %(baseline)s answered at baseline, %(last)s at the last "
        "follow-up; %(lost)s lost to follow-up."
    ) % {
        "enrolled": count(flow.enrolled),
        "baseline": count(flow.baseline),
        "last": count(last),
        "lost": count(flow.lost),
    }
