"""Each supported language's words for the handover rules, one compact lexicon a language.

Every entry is a regular expression over folded text: lower case, accents stripped, curly
apostrophes straight (`_words.fold`). The rules run every language's lexicon on every message:
short messages defeat language detection, and a request for a person in Dutch should not wait
for the widget's locale to say Dutch. A new language is one more module listed in `LEXICONS`.
"""

from __future__ import annotations

from shared.handover.lexicons import de, en, es, fr, it, nl, pt
from shared.handover.lexicons.lexicon import Lexicon

LEXICONS: tuple[Lexicon, ...] = (en.LEXICON, fr.LEXICON, es.LEXICON, de.LEXICON, it.LEXICON, pt.LEXICON, nl.LEXICON)
