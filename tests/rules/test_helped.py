"""A customer's message that says the answer helped, in the seven languages; and the ones that only look like it."""

from __future__ import annotations

import pytest

from shared.text.small_words import says_it_helped

HELPED = [
    "thanks, that worked", "Perfect, solved!", "It works now, thank you!", "Thanks, that helped a lot",
    "great, that did the trick", "problem solved, thanks", "that's what I needed, thanks",
    "Merci, ça marche !", "Parfait, c'est réglé", "¡Gracias, funcionó!", "Perfecto, ya funciona",
    "Danke, hat funktioniert", "Super, gelöst!", "Grazie, ha funzionato", "Perfetto, risolto",
    "Obrigado, funcionou!", "Perfeito, resolvido", "Bedankt, het werkt!", "Top, opgelost",
]  # fmt: skip

NOT_HELPED = [
    "thanks but it still doesn't work", "no thanks", "thanks", "thank you!", "merci beaucoup", "ok",
    "that didn't work", "not solved", "is it solved?", "Thanks! How long does shipping take?",
    "It worked yesterday but not today", "I fixed the cable but the earbuds still do not charge",
    "merci, mais ça ne marche pas", "ça ne marche plus", "gracias, pero no funcionó", "todavía no funciona",
    "danke, funktioniert aber nicht", "immer noch nicht gelöst", "grazie, ma non funziona", "non è risolto",
    "obrigado, mas não funcionou", "ainda não resolveu", "bedankt, maar het werkt niet", "nog niet opgelost",
    "Perfect. Now I also need to change the delivery address on my order and add a gift note to it please",
]  # fmt: skip


@pytest.mark.parametrize("text", HELPED)
def test_a_message_saying_the_answer_helped_is_read_so(text):
    assert says_it_helped(text)


@pytest.mark.parametrize("text", NOT_HELPED)
def test_thanks_that_take_it_back_or_say_nothing_more_are_not(text):
    assert not says_it_helped(text)
