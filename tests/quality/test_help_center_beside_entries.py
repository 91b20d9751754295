"""With the demo help center ingested, the InnovateTech messages are answered about as well as without it.

A page may answer in an entry's place where it says more (the labelled set names such sections
as `also_right`), but the passages must not take over what the entries answer. The floors are the
figures measured with the help center (README, "Help center"); `python -m devtools.evaluate
--help-center` prints them.
"""

from __future__ import annotations

import pytest

from devtools.evaluate import CONVERSATION_SET
from shared.core.settings import PROJECT_ROOT
from shared.embeddings import get_embedder
from shared.knowledge import conversation_eval, passages
from shared.knowledge.documents.sync import remove_source, sync_sources
from shared.knowledge.sync import sync_file

HELP_CENTER = str(PROJECT_ROOT / "helpcenter")
FLOORS = {"in_scope_answered_right": 0.759, "out_of_scope_refused": 0.859}
CONFIDENTLY_WRONG_CEILING = 0.054
# Countries the shipping guide names as not served; no entry names them.
NOT_SHIPPED = ("Do you ship to Russia?", "Can you deliver to Iran?", "do you ship to belarus")


@pytest.fixture(scope="module")
def outcomes():
    if get_embedder() is None:
        pytest.skip("the default mode's encoders are not installed")
    sync_file()
    sync_sources([HELP_CENTER])
    passages.passages_present.forget()
    try:
        yield conversation_eval.run(conversation_eval.load_cases(CONVERSATION_SET))
    finally:
        remove_source(HELP_CENTER)
        passages.passages_present.forget()


def test_the_entries_keep_answering_what_they_answer_when_a_help_center_is_beside_them(outcomes):
    figures = conversation_eval.scope_figures(outcomes)
    for name, floor in FLOORS.items():
        assert figures[name] >= floor, (name, figures)
    assert figures["confidently_wrong"] <= CONFIDENTLY_WRONG_CEILING, figures


def test_a_page_sharing_only_the_verbs_of_asking_with_a_message_does_not_take_the_entrys_place(outcomes):
    [tracking] = [o for o in outcomes if o.case.query == "wheres my oder i cant find the trackign number"]
    assert tracking.answered[:1] == ("order-tracking",)


def test_a_page_naming_what_no_entry_mentions_answers_in_the_entrys_place(outcomes):
    found = conversation_eval.run(
        [conversation_eval.Case(q, ("doc:shipping-guide.md#where-we-do-not-ship",)) for q in NOT_SHIPPED]
    )
    assert all(outcome.right for outcome in found), [(o.case.query, o.answered) for o in found]
