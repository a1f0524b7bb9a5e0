"""« À propos » and the line under the title: what the assistant does, which model answers, how
it is supervised (EU AI Act, article 50) and that nothing leaves the machine."""
from __future__ import annotations

from assistant import Assistant
from assistant.components.llm.catalogue import FAST, describe, model_choices
from assistant.render.documents import about_line as _about_line
from assistant.services.access import ANONYMOUS, User


def about_line(assistant: Assistant, model: str | None = None, user: User = ANONYMOUS) -> str:
    """The line under the title, counting only the documents `user` may read (public ones before
    the page knows who is there)."""
    settings = assistant.settings
    return _about_line(assistant.corpus.list(user), model or settings.llm.model, settings.llm.backend != "openai")


def about_page(assistant: Assistant) -> str:
    settings = assistant.settings
    default = model_choices(settings.llm.model)[0][1]
    return (
        "### Ce que fait cet assistant\n"
        "Il répond en français à des questions sur les documents indexés (onglet *Documents*), "
        "et seulement à partir d’eux : chaque affirmation renvoie par un numéro entre crochets au "
        "passage qui la justifie. Quand les documents ne contiennent pas l’information, il le dit "
        "(« L’information ne figure pas dans les documents. »).\n\n"
        "### Système d’IA (règlement européen sur l’IA, article 50)\n"
        "Les réponses sont générées par un modèle de langage exécuté sur cette machine "
        f"({describe(default)} par défaut, {describe(FAST)} en mode "
        "rapide). Elles peuvent contenir des erreurs : une phrase que les passages ne soutiennent "
        "pas est soulignée en pointillés et marquée d’un **?**. Les passages affichés sont ceux "
        "que le modèle a lus.\n\n"
        "### Supervision humaine\n"
        f"Chaque échange (question, réponse, sources, modèle, heure) et chaque avis "
        f"« utile / pas utile » est ajouté au journal `{settings.audit.path}` "
        "(une ligne JSON par enregistrement, jamais réécrit).\n\n"
        "### Confidentialité\n"
        "Documents, index, modèles et journal restent sur cette machine ; l’application n’envoie "
        "rien à l’extérieur.")
