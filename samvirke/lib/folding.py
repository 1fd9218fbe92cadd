"""Search across the border: fold diacritics, and know the domain's nb ↔ sv words. No Django here.

"arbetstraning" (typed on a Norwegian keyboard, which has no ä) must find "arbetsträning", and
"arbeidstrening" the Swedish "arbetsträning". :func:`fold` maps letters with diacritics to their
base letter, the same way in Python and in SQL (PostgreSQL ``TRANSLATE``; SQLite calls
:func:`fold` itself), and :func:`alternatives` gives each query word its synonyms in the other
language, folded.
"""

from __future__ import annotations

import unicodedata

# One letter for one letter, so that PostgreSQL's TRANSLATE() does exactly what fold() does.
# Lower-case letters only: both sides are lower-cased first.
_LETTERS = "àáâãäåāăąçćčďèéêëēėęěìíîïīįñńňòóôõöōőřśšşťùúûüūůűųýÿźżž"
_OWN_LETTERS = {"æ": "a", "ø": "o", "œ": "o", "ł": "l", "ı": "i", "ð": "d", "þ": "t", "ß": "s"}


def _base_letter(letter: str) -> str:
    return _OWN_LETTERS.get(letter) or unicodedata.normalize("NFKD", letter)[0]


FOLD_FROM = _LETTERS + "".join(_OWN_LETTERS)
FOLD_TO = "".join(_base_letter(letter) for letter in FOLD_FROM)
_TABLE = str.maketrans(FOLD_FROM, FOLD_TO)

# Words of the domain that differ between Norwegian and Swedish (and English), as groups of
# words meaning the same. Compare docs/domain.md's glossary.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("arbeidstrening", "arbetsträning", "work training"),
    ("arbeid", "arbete", "work"),
    ("arbeidsledig", "arbetslös", "unemployed"),
    ("arbeidsgiver", "arbetsgivare", "employer"),
    ("praksisplass", "praktikplats", "work placement"),
    ("lønnstilskudd", "lönebidrag", "wage subsidy"),
    ("sysselsetting", "sysselsättning", "employment"),
    ("møteplass", "mötesplats", "meeting place"),
    ("treffpunkt", "träffpunkt"),
    ("studiesirkel", "studiecirkel", "study circle"),
    ("likepersonsstøtte", "likemannsarbeid", "kamratstöd", "peer support"),
    ("veileder", "handledare", "guide"),
    ("deltaker", "deltagare", "participant"),
    ("tiltak", "insats", "åtgärd", "measure"),
    ("kartlegging", "kartläggning", "mapping"),
    ("entreprenørskap", "entreprenörskap", "entrepreneurship"),
    ("foretak", "bedrift", "företag", "enterprise"),
    ("utdanning", "opplæring", "utbildning", "education"),
    ("helse", "hälsa", "health"),
    ("psykisk", "psykisk", "mental"),
    ("bolig", "bostad", "housing"),
    ("ungdom", "unga", "youth"),
    ("rus", "missbruk", "substance"),
    ("brukertreff", "brukarträff", "user meeting"),
    ("brukermedvirkning", "brukarinflytande", "user influence"),
    ("kommune", "kommun", "municipality"),
)


def fold(text: str) -> str:
    """Lower case with diacritics removed: "Arbetsträning" → "arbetstraning", "Ø" → "o"."""
    return text.lower().translate(_TABLE)


def _synonyms() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        folded = tuple(dict.fromkeys(fold(word) for word in group if " " not in word))
        for word in folded:
            found[word] = tuple(dict.fromkeys(found.get(word, ()) + folded))
    return found


_SYNONYMS = _synonyms()


def alternatives(word: str) -> tuple[str, ...]:
    """The folded word and, for a word of the domain, its folded synonyms; the word first.

    A word that starts with a known word keeps its ending: "arbeidstreningsplass" also looks for
    "arbetstraningsplass".
    """
    folded = fold(word)
    if folded in _SYNONYMS:
        return (folded, *(s for s in _SYNONYMS[folded] if s != folded))
    for known in sorted(_SYNONYMS, key=len, reverse=True):
        if len(known) >= 5 and folded.startswith(known):
            rest = folded[len(known) :]
            return (folded, *(s + rest for s in _SYNONYMS[known] if s != known))
    return (folded,)
