"""The benchmark's scoring, on hand-made results."""
from __future__ import annotations

from eval.metrics import citation_precision, score_question, summarise, summarise_by_kind, supports

QUESTION = {"id": "q1", "kind": "figure",
            "turns": [{"q": "Quelle part ?", "expect": [["2,2 %", "2,2%"]]}],
            "gold": [{"doc": "etude", "quote": "Ce pourcentage est de seulement 2,2 %"}]}
ABSTAIN = {"id": "q2", "kind": "abstain", "abstain": True, "turns": [{"q": "Airbus ?", "expect": [[]]}],
           "gold": []}
CONVERSATION = {"id": "q3", "kind": "multiturn",
                "turns": [{"q": "Quelle part ?", "expect": [["2,2 %"]]},
                          {"q": "Et en 2019 ?", "expect": [["65 %"]]}],
                "gold": [{"doc": "etude", "quote": "Ce pourcentage est de seulement 2,2 %"}]}
GOLD_PASSAGE = {"document": "etude.pdf", "page": 7,
                "text": "Note : ce pourcentage est de seulement 2,2 % pour tous."}
OTHER_PASSAGE = {"document": "etude.pdf", "page": 8, "text": "La part passe de 65 % à 73 %."}
REFUSAL = "L'information ne figure pas dans les documents."


def _cite(*passages):
    return [{"marker": n, **p} for n, p in enumerate(passages, start=1)]


def _turn(answer: str, abstained: bool = False, citations=(), retrieved=(GOLD_PASSAGE, OTHER_PASSAGE),
          first_token_s: float | None = 1.0, total_s: float = 2.0):
    timings = {"total_s": total_s} | ({"first_token_s": first_token_s} if first_token_s is not None else {})
    return {"q": "Quelle part ?", "answer": answer, "abstained": abstained, "citations": list(citations),
            "retrieved": list(retrieved), "timings": timings}


def _result(answer: str, abstained: bool = False, citations=(), **kwargs):
    return {"id": "x", "turns": [_turn(answer, abstained, citations, **kwargs)]}


def test_right_answer_with_the_gold_passage_cited() -> None:
    score = score_question(QUESTION, _result("Seulement 2,2 % [1].", citations=_cite(GOLD_PASSAGE)))
    assert score["correct"] and score["citation_hit"] and score["retrieval_hit"]
    assert score["retrieval_rank"] == 1 and score["citation_precision"] == 1.0
    assert score["markers_valid"] == [True]


def test_wrong_figure_is_not_correct_and_its_citation_does_not_support_it() -> None:
    score = score_question(QUESTION, _result("65 % [1].", citations=_cite(GOLD_PASSAGE)))
    assert not score["correct"]
    assert score["citation_precision"] == 0.0  # 65 is nowhere in the cited passage


def test_citation_to_the_wrong_passage_misses() -> None:
    score = score_question(QUESTION, _result("2,2 % [1].", citations=_cite(OTHER_PASSAGE)))
    assert score["correct"] and score["citation_hit"] is False
    assert score["citation_precision"] == 0.0


def test_abstentions_right_and_false() -> None:
    right = score_question(ABSTAIN, _result(REFUSAL, True))
    false = score_question(QUESTION, _result(REFUSAL, True))
    summary = summarise([right, false])
    assert summary["abstention_accuracy"] == 1.0
    assert summary["false_abstention_rate"] == 1.0
    assert summary["answer_accuracy"] == 0.0
    assert summary["accuracy"] == 0.5


def test_marker_without_citation_breaks_validity_and_precision() -> None:
    broken = score_question(QUESTION, _result("Ce pourcentage est de seulement 2,2 % [1][3].",
                                              citations=_cite(GOLD_PASSAGE, OTHER_PASSAGE)))
    fine = score_question(QUESTION, _result("Seulement 2,2 % [1].", citations=_cite(GOLD_PASSAGE)))
    assert broken["markers_valid"] == [False]
    assert broken["citation_precision"] == 0.5  # [1] supports, [3] points to nothing
    assert summarise([broken, fine])["marker_validity"] == 0.5


def test_unrelated_citation_next_to_a_supporting_one_is_imprecise() -> None:
    score = score_question(QUESTION, _result("Ce pourcentage est de seulement 2,2 % [1][2].",
                                             citations=_cite(GOLD_PASSAGE, OTHER_PASSAGE)))
    assert score["citation_precision"] == 0.5
    assert summarise([score])["citation_recall"] == 1.0  # the sentence itself is supported


def test_citations_that_are_needed_together_are_both_precise() -> None:
    answer = "Ce pourcentage est de seulement 2,2 %, et la part passe de 65 % à 73 % [1][2]."
    citations = _cite(GOLD_PASSAGE, OTHER_PASSAGE)
    assert citation_precision(answer, citations) == (2, 2, 1, 1)  # neither alone holds every figure
    assert citation_precision(answer.replace("[1][2]", "[1]"), citations) == (0, 1, 0, 1)


def test_support_requires_every_figure_and_article_number() -> None:
    assert supports("La part est de 2.2% [1].", "La part est de 2,2\u00a0% en 2024.")
    assert not supports("La part est de 2,3 % [1].", "La part est de 2,2 % en 2024.")
    assert supports("Les obligations figurent à l'article 5.", "L'article 5 fixe les obligations.")
    assert not supports("Les obligations figurent à l'article 5.", "L'article 6 fixe les obligations.")


def test_words_echoing_the_question_do_not_support_the_claim() -> None:
    question = "À quelle technologie les offres d'emploi IA de l'industrie sont-elles souvent associées ?"
    passage = "Dans l'industrie, les offres d'emploi IA sont souvent publiées par les grandes entreprises."
    claim = "Les offres d'emploi IA de l'industrie sont le plus souvent associées à la métallurgie."
    assert supports(claim, passage)  # most words are there...
    assert not supports(claim, passage, question)  # ...but not the one the answer adds


def test_retrieval_rank_gives_hit_at_k_and_mrr() -> None:
    second = score_question(QUESTION, _result("2,2 %", retrieved=(OTHER_PASSAGE, GOLD_PASSAGE)))
    absent = score_question(QUESTION, _result("2,2 %", retrieved=(OTHER_PASSAGE,)))
    summary = summarise([second, absent])
    assert second["retrieval_rank"] == 2 and absent["retrieval_rank"] is None
    assert summary["retrieval_hit@1"] == 0.0 and summary["retrieval_hit@3"] == 0.5
    assert summary["retrieval_mrr"] == 0.25


def test_a_conversation_is_correct_only_when_every_turn_is() -> None:
    one_wrong = {"id": "q3", "turns": [_turn("2,2 % [1]", citations=_cite(GOLD_PASSAGE)), _turn("73 %")]}
    cut_short = {"id": "q3", "turns": [_turn("2,2 % [1]", citations=_cite(GOLD_PASSAGE))]}
    scores = [score_question(CONVERSATION, one_wrong), score_question(CONVERSATION, cut_short)]
    assert [s["correct"] for s in scores] == [False, False]
    assert scores[0]["turn_correct"] == [True, False]
    summary = summarise(scores)
    assert summary["turn_accuracy"] == 0.5  # 2 right turns out of 4 asked
    assert summary["uncited_answer_rate"] == round(1 / 3, 3)  # "73 %" has no marker


def test_per_kind_summaries() -> None:
    scores = [score_question(QUESTION, _result("2,2 % [1]", citations=_cite(GOLD_PASSAGE))),
              score_question(QUESTION, _result("65 % [1]", citations=_cite(OTHER_PASSAGE))),
              score_question(ABSTAIN, _result(REFUSAL, True))]
    by_kind = summarise_by_kind(scores)
    assert list(by_kind) == ["figure", "abstain"]
    assert by_kind["figure"]["answer_accuracy"] == 0.5 and by_kind["figure"]["citation_hit"] == 0.5
    assert by_kind["abstain"]["abstention_accuracy"] == 1.0
    assert by_kind["abstain"]["answer_accuracy"] is None


def test_latency_median_and_p90_over_turns_without_missing_timings() -> None:
    scores = [score_question(QUESTION, _result("2,2 %", first_token_s=float(s), total_s=float(2 * s)))
              for s in range(1, 11)]
    scores.append(score_question(QUESTION, _result("2,2 %", first_token_s=None, total_s=1.0)))
    summary = summarise(scores)
    assert summary["first_token_median_s"] == 5.5 and summary["first_token_p90_s"] == 9.0
    assert summary["total_median_s"] == 10.0


def test_answers_with_a_figure_or_name_absent_from_their_cited_passages_are_counted() -> None:
    sourced = score_question(QUESTION, _result("Seulement 2,2 % [1].", citations=_cite(GOLD_PASSAGE)))
    wrong_figure = score_question(QUESTION, _result("65 % [1].", citations=_cite(GOLD_PASSAGE)))
    no_marker = score_question(QUESTION, _result("Seulement 2,2 %.", citations=_cite(GOLD_PASSAGE)))
    named = score_question(QUESTION, _result("Selon Renault, 2,2 % [1].", citations=_cite(GOLD_PASSAGE)))
    refusal = score_question(ABSTAIN, _result(REFUSAL, abstained=True))
    assert sourced["unsourced_facts"] == [] and wrong_figure["unsourced_facts"] == ["65"]
    assert no_marker["unsourced_facts"] == ["2,2"] and named["unsourced_facts"] == ["renault"]
    summary = summarise([sourced, wrong_figure, no_marker, named, refusal])
    assert summary["unsourced_fact_answers"] == 3 and summary["answered"] == 4


def test_a_count_written_in_words_absent_from_the_cited_passage_is_unsourced() -> None:
    delay = {"document": "ai-act.md", "page": None, "text": "La notification intervient dans les 30 jours."}
    words = score_question(QUESTION, _result("La notification intervient dans les deux mois [1].",
                                             citations=_cite(delay)))
    same = score_question(QUESTION, _result("Elle intervient dans les trente jours [1].", citations=_cite(delay)))
    urgent = {"document": "ai-act.md", "page": None, "text": "L'autorisation est demandée dans les 24 heures."}
    compound = score_question(QUESTION, _result("Elle est demandée dans les vingt-quatre heures [1].",
                                                citations=_cite(urgent)))
    assert words["unsourced_facts"] == ["2"] and same["unsourced_facts"] == [] and compound["unsourced_facts"] == []
    english = score_question(QUESTION, _result("It is notified within two months [1].", citations=_cite(delay)))
    thirty = score_question(QUESTION, _result("It is notified within thirty days [1].", citations=_cite(delay)))
    assert english["unsourced_facts"] == ["2"] and thirty["unsourced_facts"] == []


def test_an_english_thousands_separator_is_read_as_the_passage_s_figure() -> None:
    """Tuning g018's right English answer (« 90,000 companies ») was counted as an unsourced figure."""
    scope = {"document": "etude.pdf", "page": 3,
             "text": "représentant 90 000 entreprises et 2,9 millions de salariés"}
    right = score_question(QUESTION, _result("It covers 90,000 companies and 2.9 million employees [1].",
                                             citations=_cite(scope)))
    wrong = score_question(QUESTION, _result("It covers 80,000 companies [1].", citations=_cite(scope)))
    assert "90,000" not in right["unsourced_facts"] and wrong["unsourced_facts"] == ["80,000"]


def test_stability_counts_questions_whose_verdict_moves_in_either_run() -> None:
    from eval.stability import changed
    reference = {"a": True, "b": False, "c": True}
    assert changed(reference, {"a": True, "b": False, "c": True}) == []
    assert changed(reference, {"a": True, "b": True, "c": True}, {"a": False, "b": False, "c": True}) == ["a", "b"]


def test_a_name_from_the_cited_passage_s_title_is_sourced() -> None:
    offer = {"document": "offres/rd.md", "title": "Responsable Digital", "page": None,
             "text": "Vous pilotez la feuille de route numérique des usines."}
    score = score_question(QUESTION, _result("Le poste de Responsable Digital pilote la feuille de route [1].",
                                             citations=_cite(offer)))
    assert score["unsourced_facts"] == []


def test_a_table_quote_matches_the_row_sentence_of_its_leading_row() -> None:
    """Gold quotes copy a table's cells in reading order; the reader writes each row as a sentence."""
    from eval.metrics import holds_quote

    row = ("région : normandie — sites (en %) : 30,2 ; salariés (en %) : 41,0. "
           "région : occitanie — sites (en %) : 57,3 ; salariés (en %) : 49,9.")
    assert holds_quote(row, "normandie 30,2 41,0 occitanie 57,3 49,9")
    assert holds_quote(row.split(". ")[0], "normandie 30,2 41,0 occitanie")  # runs on into a row of another passage
    assert not holds_quote(row, "normandie 41,0 30,2")  # the figures of another column order
    assert not holds_quote(row, "bretagne 12,5 9,1")


def test_a_verdict_counts_only_as_the_answer_s_first_word() -> None:
    closed = {"id": "q4", "kind": "yesno", "turns": [{"q": "Peut-il y échapper ?", "expect": [["non"], ["toujours"]]}],
              "gold": []}
    wrong = "Oui. Texte : « Nonobstant ce qui précède, il est toujours considéré à haut risque » [1]."
    right = "Non. Texte : « Nonobstant ce qui précède, il est toujours considéré à haut risque » [1]."
    assert not score_question(closed, {"id": "q4", "turns": [_turn(wrong)]})["correct"]
    assert score_question(closed, {"id": "q4", "turns": [_turn(right)]})["correct"]


def test_a_conversation_whose_last_turn_is_unanswerable_needs_the_first_answer_then_the_refusal() -> None:
    """« Quelle part ? » is answerable, « Et le salaire ? » is not: the first turn must give its
    figure, the second must abstain (a refusal of both is not the right behaviour)."""
    question = {"id": "q4", "kind": "multiturn", "abstain": True, "gold": [],
                "turns": [{"q": "Quelle part ?", "expect": [["2,2 %"]]}, {"q": "Et le salaire ?", "expect": []}]}
    answered = {"id": "q4", "turns": [_turn("Seulement 2,2 % [1].", citations=_cite(GOLD_PASSAGE)),
                                      _turn(REFUSAL, abstained=True)]}
    refused = {"id": "q4", "turns": [_turn(REFUSAL, abstained=True), _turn(REFUSAL, abstained=True)]}
    invented = {"id": "q4", "turns": [answered["turns"][0], _turn("3 000 euros [1].", citations=_cite(GOLD_PASSAGE))]}
    assert score_question(question, answered)["correct"]
    assert not score_question(question, refused)["correct"]
    assert not score_question(question, invented)["correct"]
