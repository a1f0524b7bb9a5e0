"""Where a sentence belongs in a session as it runs: context (why it matters, what the figures
say), rules (what the texts require or forbid), cases (examples, situations), practice (skills,
what to put in place). Recognised by the wording, which is enough for reports and regulations and
costs no model call; the outline orders its parts by stage."""
from __future__ import annotations

import re

from assistant.text.normalise import fold

STAGES = ("contexte", "règles", "cas", "pratique")
TITLES = {"contexte": "Contexte", "règles": "Les règles", "cas": "Des cas concrets", "pratique": "En pratique"}

# Folded wording (accents removed, lower case).
_RULES = re.compile(r"\b(?:interdit\w*|oblig\w+|sont tenus|est tenu|veillent|veille a|doivent|doit|informent|"
                    r"prennent des mesures|assurent|garantissent|amendes?|sanctions?|"
                    r"respectent|conformement|conformite|exigences?|autorisation|article \d+)\b")
_CASES = re.compile(r"\b(?:par exemple|notamment|cas|exemples?|utilis\w+ pour|sert a|servent a|permet\w* de|"
                    r"detection|recrutement|selection|evaluation|surveillance|maintenance predictive|"
                    r"controle qualite|annexe iii)\b")
_PRACTICE = re.compile(r"\b(?:competences?|formations?|former|maitrise|recommand\w+|mettre en place|mise en place|"
                       r"mettre en oeuvre|bonnes pratiques|accompagn\w+|sensibilis\w+|profils?|"
                       r"postes?|metiers?)\b")


# A share (« Seules 3% des offres … requièrent des compétences … »): what the figures say, whatever it
# is about; two blind raters found « pratique » wrong for such a part. Not a fine (« 7 % de son chiffre
# d'affaires »), a rule.
_SHARE = re.compile(r"\d\s?%|\b\d+ \w+ sur \d+\b")


def stage_of(sentence: str, heading: str = "") -> str:
    """The stage a sentence serves best, from its own wording, else its heading's; context when
    nothing shows."""
    if _SHARE.search(sentence) and not _RULES.search(fold(sentence)):
        return "contexte"
    for text in (fold(sentence), fold(heading)):
        for stage, pattern in (("pratique", _PRACTICE), ("règles", _RULES), ("cas", _CASES)):
            if pattern.search(text):
                return stage
    return "contexte"


def order(stage: str) -> int:
    return STAGES.index(stage) if stage in STAGES else len(STAGES)
