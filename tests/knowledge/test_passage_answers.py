"""Answers from help-center passages: found beside the entries, quoted by their sentences, cited to the section."""

from __future__ import annotations

import pytest

from devtools.fake_help_center import FakeHelpCenter
from shared.answering.providers.offline import OfflineProvider
from shared.answering.types import AnswerRequest
from shared.knowledge import excerpts, lookup, passages
from shared.knowledge.documents.sync import remove_source, sync_sources
from shared.knowledge.retrieval import ScoredEntry

BIKES = """# Bicycle care guide

How to look after a Trailmaster bicycle bought from us, season by season.

## Tyre pressure

Road tyres want 80 to 100 psi; the gravel tyres that come with the Trailmaster want 35 to 45 psi.
Check the pressure every two weeks, and before any ride longer than 50 kilometres.

## Chain lubrication {#chain}

Clean the chain with a dry rag after every wet ride. Apply two drops of the wax lubricant to each
link every 300 kilometres, then wipe off what is left after ten minutes.

## Shipping a bicycle abroad

Carriers refuse parcels of a bicycle's size to Iceland and Malta, so we cannot send a Trailmaster
there; everywhere else in Europe it travels in its own box for a flat fee of $89.

## Winter storage

Store the bicycle indoors between 5 and 25 degrees. Take the battery of an e-bike out and keep it
charged between 40% and 60% through the winter.
"""

TABLE = """## Lights

| Model | Battery life | Charging time |
|---|---|---|
| Beam 200 | 6 hours | 2 hours |
| Beam 800 | 3 hours | 4 hours |
"""


@pytest.fixture
def bicycle_site(tmp_path, settings_env):
    """Our own small help center, served over HTTP, synced for the test and removed after it."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "bicycle-care.md").write_text(BIKES, encoding="utf-8")
    site = FakeHelpCenter(folder).start()
    settings_env(KNOWLEDGE_ALLOWED_PRIVATE_HOSTS=site.host_port, KNOWLEDGE_FETCH_TIMEOUT_SECONDS="2")
    page = f"{site.url}/bicycle-care.md"
    sync_sources([page])
    passages.passages_present.forget()
    yield page
    site.stop()
    remove_source(page)
    passages.passages_present.forget()


def test_a_question_only_a_page_answers_is_answered_from_its_section(bicycle_site):
    found = lookup.find_answers("How often should I put lubricant on the chain of my Trailmaster?", [])
    assert found.outcome == "answered"
    [page] = found.entries[:1]
    assert page.kind == "passage"
    assert page.url == f"{bicycle_site}#chain"
    assert (page.title, page.section) == ("Bicycle care guide", "Chain lubrication")
    assert "300 kilometres" in (page.excerpt or "")


def test_the_offline_reply_quotes_the_answering_sentences_not_the_whole_page(bicycle_site):
    found = lookup.find_answers("what tyre pressure for the gravel tyres on the trailmaster?", [])
    reply = OfflineProvider().answer(AnswerRequest.of(found))
    assert reply.source_ids == [found.entries[0].id]
    assert "35 to 45 psi" in reply.text
    assert "Winter storage" not in reply.text and "wax lubricant" not in reply.text
    assert "Bicycle care guide › Tyre pressure" in reply.text


def test_an_entry_keeps_its_question_when_a_page_is_there_too(bicycle_site):
    found = lookup.find_answers("How do I reset my password?", [])
    assert [e.id for e in found.entries[:1]] == ["password-reset"]


def test_a_page_naming_what_no_entry_mentions_answers_in_place_of_a_general_entry(bicycle_site):
    found = lookup.find_answers("Do you ship to Iceland?", [])
    assert found.outcome == "answered"
    assert found.entries[0].kind == "passage" and found.entries[0].anchor == "shipping-a-bicycle-abroad"
    assert "Iceland and Malta" in (found.entries[0].excerpt or "")


def test_a_question_neither_the_entries_nor_the_pages_cover_is_not_answered_from_a_page(bicycle_site):
    found = lookup.find_answers("Who painted the ceiling of the Sistine Chapel?", [])
    assert not any(e.kind == "passage" for e in found.entries)


def test_a_reply_from_a_page_cites_its_title_section_and_anchor(function_client, chat_session, bicycle_site):
    body = {"session_id": str(chat_session.id), "content": "how warm should I store my trailmaster bicycle in winter?"}
    reply = function_client("post_message").post("/", json=body, headers=chat_session.auth).json["reply"]
    [source] = reply["sources"]
    assert source["id"].startswith(passages.ID_PREFIX)
    assert source["url"] == f"{bicycle_site}#winter-storage"
    assert (source["title"], source["section"]) == ("Bicycle care guide", "Winter storage")
    assert "between 5 and 25 degrees" in reply["content"]


def test_a_table_row_is_quoted_with_its_column_names():
    found = excerpts.excerpt(TABLE, "how long does the beam 800 battery last?")
    assert found.text == "Model: Beam 800; Battery life: 3 hours; Charging time: 4 hours"


def test_the_section_cited_is_the_one_holding_the_best_sentence():
    sections = [{"offset": 0, "anchor": "a"}, {"offset": 120, "anchor": "b"}]
    assert excerpts.section_at(sections, 150)["anchor"] == "b"
    assert excerpts.section_at(sections, 10)["anchor"] == "a"


def test_word_forms_meet_whatever_their_ending():
    assert excerpts.stem("addresses") == excerpts.stem("address")
    assert excerpts.stem("passed") == excerpts.stem("pass")
    assert excerpts.stem("shipped") == excerpts.stem("shipping") == excerpts.stem("ships")


def test_the_heading_of_a_passage_s_first_section_counts_though_it_is_not_in_its_text():
    content = (
        "It takes 10 days.\n\n## Japan\n\n"
        "Standard delivery takes 7 days. Express delivery takes 3 days. Tracked delivery takes 5 days."
    )
    sections = [
        {"anchor": "australia", "offset": 0, "heading_path": ["Shipping", "Australia"]},
        {"anchor": "japan", "offset": content.index("## Japan"), "heading_path": ["Shipping", "Japan"]},
    ]
    found = excerpts.excerpt(content, "delivery time to australia", sections=sections)
    assert found.text == "It takes 10 days." and excerpts.section_at(sections, found.offset)["anchor"] == "australia"


def test_the_steps_after_the_best_matching_step_are_quoted_with_it():
    steps = (
        "## Pairing\n\n1. Open the case.\n2. Hold the button on the case for three seconds.\n"
        "3. Pick the buds on your phone.\n"
    )
    found = excerpts.excerpt(steps, "the case light does not blink when I open the case")
    assert found.text.splitlines() == [
        "1. Open the case.",
        "2. Hold the button on the case for three seconds.",
        "3. Pick the buds on your phone.",
    ]


def test_a_section_of_the_same_page_whose_sentences_say_more_of_the_question_is_quoted_first():
    def section(name: str, score: float, text: str, document: str = "volt.md") -> ScoredEntry:
        return ScoredEntry(
            f"passage:{name}", name, text, None, score, kind="passage", document=document, section=name, excerpt=text
        )

    pages = [
        section("Getting started", 9.0, "The charger has three ports."),
        section("Sharing power", 8.0, "With a laptop and a phone, the laptop port gets 45 W and the phone port 20 W."),
        section("Returns", 8.9, "Return the laptop power supply within 30 days.", document="returns.html"),
    ]
    ranked = lookup._best_section_first(pages, "how much power does each port give my laptop and phone?")
    assert [p.id for p in ranked] == ["passage:Sharing power", "passage:Getting started", "passage:Returns"]


def test_a_message_sharing_no_word_with_the_passage_gets_its_opening():
    found = excerpts.excerpt(BIKES, "zzz qqq")
    assert found.text.startswith("How to look after a Trailmaster bicycle")


def test_a_model_gets_the_passage_as_delimited_data_and_its_citation_is_kept(
    function_client, chat_session, fake_openai, bicycle_site
):
    from devtools.fake_gemini import knowledge_entries

    body = {"session_id": str(chat_session.id), "content": "How often should I put lubricant on my Trailmaster chain?"}
    reply = function_client("post_message").post("/", json=body, headers=chat_session.auth).json["reply"]
    [sent] = fake_openai.requests
    [first, *_] = knowledge_entries(sent)
    assert first["id"].startswith(passages.ID_PREFIX) and first["kind"] == "help_center_passage"
    assert "300 kilometres" in first["answer"]
    assert [s["id"] for s in reply["sources"]] == [first["id"]]
    assert reply["sources"][0]["url"] == f"{bicycle_site}#chain"
