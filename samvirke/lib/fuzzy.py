"""Text normalisation and similarity for matching free-text job titles. No Django here.

Similarity is the mean of :class:`difflib.SequenceMatcher`'s ratio and the Dice overlap of
character pairs. The ratio alone is generous to shared prefixes with scattered letters after them
("programerer" scores 0.77 against "programdirektør"); the pairs keep the order of letters in
view (0.58 there, against 0.84 for "programmer").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

MAX_QUERY_LENGTH = 100

_WORD_RE = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Lower-case, NFC, control and other unprintable characters removed, whitespace folded.

    Accents are kept: "städare" and "stadare" are different words in Swedish.
    """
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in text)
    return " ".join(text.lower().split())


def words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _pairs(text: str) -> Counter[str]:
    padded = f" {text} "
    return Counter(padded[i : i + 2] for i in range(len(padded) - 1))


def similarity(a: str, b: str) -> float:
    """How alike two normalised strings are, from 0 to 1."""
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    pairs_a, pairs_b = _pairs(a), _pairs(b)
    dice = 2 * sum((pairs_a & pairs_b).values()) / (pairs_a.total() + pairs_b.total())
    return (ratio + dice) / 2


def title_similarity(query: str, title: str) -> float:
    """How well a normalised query matches a normalised title, from 0 to 1.

    The whole title counts, and so does the best run of as many words as the query has, so that
    "sykepleier" finds "psykiatrisk sykepleier" — discounted when the title says much more.
    """
    whole = similarity(query, title)
    title_words = words(title)
    width = max(1, len(words(query)))
    best_run = 0.0
    for start in range(max(1, len(title_words) - width + 1)):
        run = " ".join(title_words[start : start + width])
        best_run = max(best_run, similarity(query, run))
    return max(whole, best_run * (0.6 + 0.4 * whole))
