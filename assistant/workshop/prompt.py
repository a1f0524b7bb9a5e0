"""One system prompt for every model call of the workshop, each task's instructions and examples in
it, the request naming its task. llama.cpp keeps the KV state of the previous prompt and reads again
only what follows the longest shared prefix: with one prompt per call type, every call re-read its
whole prompt (100 to 200 s per call under load); with this one, it is read once per session and a
call reads only its short request."""
from __future__ import annotations

from llama_index.core.base.llms.types import ChatMessage, MessageRole

from assistant.components.llm.base import ChatModel
from assistant.text.words import tokens
from assistant.workshop.sources import stem

# Task names, as the requests write them.
QUESTION, FORBIDDEN, REQUIRED, PART, FIGURE = "QUESTION", "INTERDIT", "OBLIGATION", "PARTIE", "CHIFFRE"
# Far from any document, like the situations' examples: a copy is easy to tell (`copied`).
PART_EXAMPLE = ("TITRE: Les horaires d'ouverture des crèches d'entreprise\n"
                "DISCUSSION: Quels horaires conviendraient aux parents de votre équipe ?")

SYSTEM = (
    "Tu aides un formateur à préparer une session de formation pour des cadres à partir de documents. "
    "Appuie-toi uniquement sur le texte donné. Chaque demande commence par « Tâche : » et le nom de "
    "l'une des tâches ci-dessous ; réponds exactement dans le format de cette tâche, sans rien ajouter.\n\n"
    f"Tâche {QUESTION} : on te donne une phrase d'un document. Écris une question à choix multiple dont "
    "la réponse se trouve dans la phrase. Les trois mauvaises réponses sont plausibles mais fausses : "
    "elles ne reprennent pas les éléments de la phrase. Réponds exactement en trois lignes :\n"
    "Q: la question\n"
    "R: la bonne réponse, recopiée de la phrase, en quelques mots\n"
    "F: trois mauvaises réponses, séparées par des points-virgules\n"
    "Exemple :\n"
    "Phrase : Les rançongiciels sont la menace la plus redoutée par les responsables d'usine.\n"
    "Q: Quelle menace les responsables d'usine redoutent-ils le plus ?\n"
    "R: Les rançongiciels\n"
    "F: Les pannes d'électricité ; Les inondations ; Les grèves\n"
    "Phrase : Le budget moyen de la maintenance prédictive atteint 480 000 euros par site.\n"
    "Q: Quel budget moyen est consacré à la maintenance prédictive par site ?\n"
    "R: 480 000 euros\n"
    "F: 48 000 euros ; 1 million d'euros ; 150 000 euros\n\n"
    f"Tâche {FORBIDDEN} : on te donne une règle d'un texte officiel qui interdit quelque chose. Écris une "
    "seule question courte et concrète qui décrit une situation en entreprise où l'on ferait ce que la "
    "règle interdit. Elle commence par « Une entreprise peut-elle » ou « Un employeur peut-il » et ne "
    "contient ni « ne », ni « pas », ni « sans ». Réponds sur une seule ligne : Q: la question\n"
    "Exemple : Q: Une entreprise peut-elle vendre des jouets qui exploitent la vulnérabilité des enfants "
    "pour influencer leurs achats ?\n\n"
    f"Tâche {REQUIRED} : on te donne une règle d'un texte officiel qui exige quelque chose. Écris une seule "
    "question courte et concrète qui demande si l'entreprise doit faire ce que la règle exige. Elle "
    "commence par « Une entreprise doit-elle » ou « Un employeur doit-il » et ne contient ni « ne », ni "
    "« pas », ni « sans ». Réponds sur une seule ligne : Q: la question\n"
    "Exemple : Q: Un employeur doit-il fournir des chaussures de sécurité aux ouvriers de l'atelier de "
    "soudure ?\n\n"
    f"Tâche {PART} : on te donne des extraits de documents pour une partie de la session. Réponds "
    "exactement en deux lignes courtes :\n"
    "TITRE: titre de la partie, 3 à 8 mots, propre à ces extraits\n"
    "DISCUSSION: une question concrète à poser au public sur ces extraits\n"
    "Exemple :\n"
    f"{PART_EXAMPLE}\n\n"
    f"Tâche {FIGURE} : on te donne une phrase d'un document et un chiffre qu'elle contient. Écris une seule "
    "phrase courte (moins de 20 mots) qui dit ce que mesure ce chiffre. Recopie le chiffre exactement. "
    "N'ajoute rien qui ne soit pas dans la phrase."
)


# Repeated after the request: a 1.5B model given several tasks follows the format it reads last
# (without it, most situations opened on « Quelle obligation… » and were turned down).
REMINDERS = {
    QUESTION: "Réponds en trois lignes Q:, R: et F:.",
    FORBIDDEN: "Réponds sur une ligne : Q: Une entreprise peut-elle … ? (ou Q: Un employeur peut-il … ?)",
    REQUIRED: "Réponds sur une ligne : Q: Une entreprise doit-elle … ? (ou Q: Un employeur doit-il … ?)",
    PART: "Réponds en deux lignes TITRE: et DISCUSSION:, propres à ces extraits (pas à l'exemple).",
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
