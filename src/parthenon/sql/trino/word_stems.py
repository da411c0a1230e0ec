"""Trino's word_stem in plain Python (both engines call it): the Snowball stemmers Trino
takes from Lucene, by the language codes Trino accepts; another code is
INVALID_FUNCTION_ARGUMENT."""
from __future__ import annotations

import functools

import snowballstemmer

# Trino's language codes -> the Snowball algorithm (Lucene's DutchStemmer is the original
# Dutch one, 'dutch_porter' since Snowball 3)
STEMMERS = {"ca": "catalan", "da": "danish", "de": "german", "en": "english", "es": "spanish",
            "eu": "basque", "fi": "finnish", "fr": "french", "hu": "hungarian", "hy": "armenian",
            "ir": "irish", "it": "italian", "lt": "lithuanian", "no": "norwegian", "pt": "portuguese",
            "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
            "nl": "dutch_porter" if "dutch_porter" in snowballstemmer.algorithms() else "dutch"}


@functools.lru_cache(maxsize=None)
def _stemmer(language: str):
    if language not in STEMMERS:
        raise ValueError(f"INVALID_FUNCTION_ARGUMENT: Unknown stemmer language: {language}")
    return snowballstemmer.stemmer(STEMMERS[language])


def word_stem(word: str, language: str = "en") -> str:
    return _stemmer(language).stemWord(word)
