"""One system prompt for every model call of the workshop, each task's instructions and examples in
it, the request naming its task. llama.cpp keeps the KV state of the previous prompt and reads again
only what follows the longest shared prefix: with one prompt per call type, every call re-read its
whole prompt (100 to 200 s per call under load); with this one, it is read once per session and a
call reads only its short request."""
from __future__ import annotations

from llama_index.core.base.llms.types import ChatMessage, MessageRole

from assistant.components.llm.base import ChatModel
from assistant.text.words import tokens
from assistant.workshop.theme import stem

# Task names, as the requests write them.
QUESTION, FORBIDDEN, REQUIRED, PART, FIGURE = "QUESTION", "INTERDIT", "OBLIGATION", "PARTIE", "CHIFFRE"
# Far from any document, like the situations' examples: a copy is easy to tell (`copied`).
PART_EXAMPLE = "TITRE: Les horaires d'ouverture des crèches d'entreprise"

# Short: on one core llama.cpp reads some 30 tokens a second, and this prompt is read once per
# session before the first call (about 800 tokens and 25-30 s when it held two quiz examples, the
# outline's discussion line and the key figures' task; now about 400). A task's format is repeated
# after its request (`REMINDERS`), so each task needs only a line here.
SYSTEM = (
    "Tu aides un formateur à préparer une session de formation pour des cadres à partir de documents. "
    "Appuie-toi uniquement sur le texte donné. Chaque demande commence par « Tâche : » et le nom de "
    "sa tâche ; réponds exactement dans son format, sans rien ajouter.\n\n"
    f"Tâche {QUESTION} : une question à choix multiple dont la réponse est dans la phrase donnée, et "
    "trois mauvaises réponses plausibles mais fausses, qui ne reprennent pas la phrase. Exemple :\n"
    "Phrase : Les rançongiciels sont la menace la plus redoutée par les responsables d'usine.\n"
    "Q: Quelle menace les responsables d'usine redoutent-ils le plus ?\n"
    "R: Les rançongiciels\n"
    "F: Les pannes d'électricité ; Les inondations ; Les grèves\n\n"
    f"Tâche {FORBIDDEN} : une question courte et concrète, sans négation, sur une situation en "
    "entreprise où l'on ferait ce que la règle donnée interdit. Exemple : Q: Une entreprise peut-elle "
    "vendre des jouets qui exploitent la vulnérabilité des enfants ?\n\n"
    f"Tâche {REQUIRED} : une question courte et concrète, sans négation, qui demande si l'entreprise "
    "doit faire ce que la règle donnée exige. Exemple : Q: Un employeur doit-il fournir des chaussures "
    "de sécurité aux soudeurs ?\n\n"
    f"Tâche {PART} : le titre d'une partie de la session, 3 à 8 mots, propre aux extraits donnés. "
    f"Exemple : {PART_EXAMPLE}\n\n"
    f"Tâche {FIGURE} : une phrase courte (moins de 20 mots) qui dit ce que mesure le chiffre donné, "
    "recopié exactement, sans rien ajouter."
)


# Repeated after the request: a 1.5B model given several tasks follows the format it reads last
# (without it, most situations opened on « Quelle obligation… » and were turned down).
REMINDERS = {
    QUESTION: "Réponds en trois lignes : Q: la question ; R: la bonne réponse, recopiée de la phrase, en "
              "quelques mots ; F: trois mauvaises réponses séparées par des points-virgules.",
    FORBIDDEN: "Réponds sur une ligne : Q: Une entreprise peut-elle … ? (ou Q: Un employeur peut-il … ?)",
    REQUIRED: "Réponds sur une ligne : Q: Une entreprise doit-elle … ? (ou Q: Un employeur doit-il … ?)",
    PART: "Réponds sur une ligne : TITRE: un titre propre à ces extraits (pas à l'exemple).",
    FIGURE: "Réponds par une seule phrase courte qui recopie le chiffre.",
}


def messages(task: str, request: str) -> list[ChatMessage]:
    """The shared system prompt, then the task's name, its text and its format."""
    return [ChatMessage(role=MessageRole.SYSTEM, content=SYSTEM),
            ChatMessage(role=MessageRole.USER, content=f"Tâche : {task}\n{request}\n{REMINDERS[task]}")]


def ask(llm: ChatModel, task: str, request: str, max_tokens: int) -> str:
    return llm.chat(messages(task, request), max_tokens=max_tokens).message.content or ""


def copied(line: str, example: str, source: str) -> bool:
    """A line with a word of the task's example that its source lacks (« La maintenance prédictive
    des systèmes d'IA » for a part on transparency): the model copied the example."""
    said = {stem(w) for w in tokens(source)}
    return any(stem(w) not in said for w in set(tokens(line)) & set(tokens(example)))
