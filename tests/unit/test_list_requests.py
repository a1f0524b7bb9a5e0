"""A question asking for several things, however it asks (« Quelles … ? », « Donnez les quatre
objectifs. »), is shown the whole list and may answer it whole."""
from __future__ import annotations

from dataclasses import replace

from assistant import Assistant

# The lead-in and two items end the first passage (90 words at most); the chunker puts the last two
# items in the next one.
LIST = ("# Les métiers de la donnée\n\nLes usines recrutent davantage de cadres dans les métiers de la donnée, "
        "surtout des data engineers et des data scientists, pour analyser les nombreuses mesures issues des "
        "capteurs connectés sur leurs lignes de production et pour suivre leurs machines au quotidien dans "
        "chaque atelier du site. Le recrutement de ces profils progresse chaque année dans toutes les régions "
        "industrielles du pays, en particulier dans les grandes entreprises. Ces profils data sont essentiels "
        "aux usines afin :\n\n- d'optimiser leur processus de production,\n\n- d'améliorer la qualité de leurs "
        "produits,\n\n- de réduire leurs coûts de maintenance,\n\n- d'améliorer leurs stratégies d'entreprise.\n")
OBJECTIVES = ("processus de production", "qualité de leurs produits", "coûts de maintenance", "stratégies")


def _listed(settings, fake_llm) -> Assistant:
    (settings.corpus_dir / "donnees.md").write_text(LIST, encoding="utf-8")
    assistant = Assistant(settings, llm=fake_llm)
    assert not assistant.index().errors
    return assistant


def test_a_list_asked_for_after_the_question_is_read_on_into_the_passage_that_ends_it(settings, fake_llm):
    """« À quoi servent … ? Donnez les quatre objectifs. » was not taken for a list question: shown
    the passage cut after the second objective, the model gave two of four (tuning e013)."""
    assistant = _listed(settings, fake_llm)
    question = "À quoi servent les profils data dans les usines ? Donnez les quatre objectifs."
    retrieval, follow_up = assistant.chat.retrieve(question)
    lead_in = [found for found in retrieval.passages if "afin :" in found.passage.text]
    assert lead_in and "stratégies" not in lead_in[0].passage.text  # the list is cut where the test needs it
    evidence = assistant.chat.evidence(assistant.chat.question(question), replace(retrieval, passages=lead_in))
    shown = " ".join(item.excerpt for item in evidence)
    assert all(objective in shown for objective in OBJECTIVES)


def test_a_reply_listing_long_items_is_not_cut_at_an_ordinary_reply_s_length(settings, fake_llm):
    """The cadres' five concerns, copied whole, stopped at the fourth at 220 tokens (tuning h016)."""
    short = settings.model_copy(update={"llm": settings.llm.model_copy(update={"max_tokens": 8,
                                                                              "list_max_tokens": 40})})
    assistant = _listed(short, fake_llm)
    reply = ("Les profils data servent à optimiser leur processus de production, à améliorer la qualité de "
             "leurs produits et à réduire leurs coûts de maintenance [1].")
    fake_llm.say(reply, reply)
    listed = assistant.ask("Quels objectifs rendent les profils data essentiels aux usines ?")
    assert "coûts de maintenance" in listed.text and not listed.abstained
    single = assistant.ask("À quoi servent les profils data dans les usines ?")
    assert "coûts de maintenance" not in single.text  # an ordinary reply keeps its shorter budget


def test_the_list_a_paragraph_announces_is_read_from_the_next_passage():
    """Article 6: « 3. Par dérogation … n'est pas considéré comme à haut risque … » ends a passage;
    « Le premier alinéa s'applique lorsqu'une des conditions suivantes est remplie: a) … » opens the
    next, which shares few of the question's words and was never retrieved: asked for the conditions,
    the model gave the paragraph's general rule, or the one condition a later passage held."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    def passage(key: str, text: str, position: int) -> Passage:
        return Passage(key, text, "article-06.md", "Article 6", None, position=position)

    rule = passage("a", "2. Les systèmes visés à l'annexe III sont à haut risque.\n3. Par dérogation, un système "
                        "visé à l'annexe III n'est pas considéré comme à haut risque lorsqu'il ne présente pas "
                        "de risque.", 1)
    conditions = passage("b", "Le premier alinéa s'applique lorsqu'une des conditions suivantes est remplie:\n"
                              "- a) le système accomplit une tâche procédurale étroite;\n"
                              "- b) le système améliore le résultat d'une activité humaine.", 2)
    after = passage("c", "4. Un fournisseur documente son évaluation.", 3)
    following = {"a": conditions, "b": after}.get
    question = "Dans quels cas un système visé à l'annexe III n'est-il pas considéré comme à haut risque ?"
    evidence = build_evidence(question, [RetrievedPassage(rule, 1.0)], RetrievalSettings(),
                              following=lambda p: following(p.id))
    shown = " | ".join(f"{e.passage.id}: {e.excerpt}" for e in evidence)
    assert "b: Le premier alinéa s'applique" in shown
    assert "procédurale étroite" in shown and "activité humaine" in shown
    assert shown.index("a: ") < shown.index("b: ") and "fournisseur" not in shown


CONCERNS = ("Apparaissent en creux des inquiétudes des cadres, notamment :\n- Une menace pour certains emplois, "
            "la disparition de certains métiers.\n- Une perte de compétences et d'expertise des salariés.",
            "- Une déshumanisation croissante des processus et des relations de travail.\n"
            "- Des risques d'exclusion et de conflits entre les salariés.",
            "- Un défi pour la sécurité des données : des fuites de données sensibles.\nUne citation suit.")
REPLY = ("Les inquiétudes des cadres sont :\n"
         "- Une menace pour certains emplois, la disparition de certains métiers.\n"
         "- Une perte de compétences et d'expertise des salariés.\n"
         "- Une déshumanisation croissante des processus et des relations de travail.\n"
         "- Des risques d'exclusion et de conflits entre les salariés.\n"
         "- Un défi pour la sécurité des données : des fuites de données sensibles.")


def _concerns() -> list:
    from assistant.domain import Evidence, Passage

    return [Evidence(n, Passage(f"p{n}", text, "etude.pdf", title="Étude", page=16), text)
            for n, text in enumerate(CONCERNS, start=1)]


def test_a_whole_list_drawn_from_three_passages_is_shown_each_item_cited_by_its_own():
    """Given room to finish, the model listed the five concerns whole, from three passages; read as one
    sentence, the list matched none of them and the answer became « ne figure pas » (tuning t013, p14)."""
    from assistant.rag.answering import check_answer
    from assistant.rag.question import Question

    answer = check_answer(Question.parse("Quelles inquiétudes des cadres l'étude énumère-t-elle ?", 500),
                          REPLY, _concerns(), alone=True)
    assert not answer.abstained
    lines = answer.text.split("\n")
    assert lines[0] == "Les inquiétudes des cadres sont :"  # the lead-in, its items cited below
    assert [line[:12] for line in lines[1:6]] == ["- Une menace", "- Une perte ", "- Une déshum", "- Des risque",
                                                  "- Un défi po"]
    pages = {c.marker: c.passage.id for c in answer.citations}
    assert [pages[int(line.rsplit("[", 1)[1].rstrip("]."))] for line in lines[1:6]] == ["p1", "p1", "p2", "p2", "p3"]


def test_a_list_item_no_passage_holds_is_removed_and_the_others_stay():
    """An offer's languages « Python, Spark, Rust » where the offer names two: the invented one went
    out with the whole list, or stayed in with it."""
    from assistant.rag.answering import check_answer
    from assistant.rag.question import Question

    reply = REPLY.replace("- Des risques d'exclusion et de conflits entre les salariés.",
                          "- Une hausse des salaires de 12 % dans les usines bretonnes.")
    answer = check_answer(Question.parse("Quelles inquiétudes des cadres l'étude énumère-t-elle ?", 500),
                          reply, _concerns(), alone=True)
    assert not answer.abstained and "12 %" not in answer.text and "bretonnes" not in answer.text
    assert "déshumanisation" in answer.text and "sécurité des données" in answer.text
    assert any("12 %" in removed for removed in answer.removed)


def test_an_item_ending_on_a_semicolon_keeps_its_marker_before_it():
    """« • a) … tâche procédurale étroite; [1] » as the law writes its items: the marker after the
    semicolon read as the next item's."""
    from assistant.rag.citations import cite

    evidence = _concerns()
    reply = ("Les inquiétudes sont :\n- Une perte de compétences et d'expertise des salariés;\n"
             "- Des risques d'exclusion.")
    text = cite(reply, evidence, drop_unsupported=True).text
    assert "- Une perte de compétences et d'expertise des salariés [1];" in text.split("\n")


def test_a_lead_in_naming_someone_no_passage_names_is_removed_with_its_name():
    """A lead-in passes unchecked only when it says nothing of its own: « Selon Safran, … sont : »
    names a company the cited passages never name, an unsourced name shown above sourced items."""
    from assistant.rag.answering import check_answer
    from assistant.rag.question import Question
    from eval.metrics import unsourced_facts

    reply = REPLY.replace("Les inquiétudes des cadres sont :", "Selon Safran, les inquiétudes des cadres sont :")
    answer = check_answer(Question.parse("Quelles inquiétudes des cadres l'étude énumère-t-elle ?", 500),
                          reply, _concerns(), alone=True)
    assert not answer.abstained and "Safran" not in answer.text and "déshumanisation" in answer.text
    citations = [{"marker": c.marker, "title": c.passage.title, "text": c.passage.text} for c in answer.citations]
    assert unsourced_facts(answer.text, citations) == []


def test_an_announced_list_with_no_budget_left_leaves_the_evidence_as_chosen():
    """The page's slider gives each added passage a share of the word budget, which can be a few
    words: the announced list's passage then gets nothing, and the evidence is still built."""
    from assistant.config import RetrievalSettings
    from assistant.domain import Passage, RetrievedPassage
    from assistant.rag.evidence import build_evidence

    rule = Passage("a", "3. Par dérogation, un système visé à l'annexe III n'est pas considéré comme à haut "
                        "risque lorsqu'il ne présente pas de risque important.", "article-06.md", "Article 6",
                   None, position=1)
    conditions = Passage("b", "Le premier alinéa s'applique lorsqu'une des conditions suivantes est remplie:\n"
                              "- a) le système accomplit une tâche procédurale étroite;\n"
                              "- b) il améliore un résultat.", "article-06.md", "Article 6", None, position=2)
    evidence = build_evidence("Dans quels cas un système visé à l'annexe III n'est-il pas à haut risque ?",
                              [RetrievedPassage(rule, 1.0)], RetrievalSettings(evidence_words=10),
                              following=lambda p: conditions if p.id == "a" else None)
    assert [e.passage.id for e in evidence] == ["a"] and "Par dérogation" in evidence[0].excerpt
