"""Name search that ignores case, accents and punctuation the same way on
SQLite and PostgreSQL: the service stores a folded copy of each name
(`search_key`) and folds the query the same way (`search_terms`), so the
database only has to do a plain substring match."""
from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans({"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "þ": "th",
                               "æ": "ae", "œ": "oe"})
# Hyphens and the like separate words ("Smith-Jones" is found by "jones");
# apostrophes and other marks are dropped ("O'Brien" is found by "obrien").
_SEPARATORS = set("-‐‑‒–—_/.,")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        if char in _SEPARATORS or char.isspace():
            letters.append(" ")
        elif char.isalnum():
            letters.append(char)
    return " ".join("".join(letters).translate(_UNDECOMPOSED).split())


def search_key(*names: str | None) -> str:
    """The folded form of all of a person's names, stored for searching."""
    return fold(" ".join(name for name in names if name))


def search_terms(query: str) -> list[str]:
    """The words of a query; a person matches when each word appears in their
    search key (so "ana gar" finds "Ana María García")."""
    return fold(query).split()
