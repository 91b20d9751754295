"""The offline provider's own sentences, in each language it answers in.

`only_in_english` comes before an entry's text when the entry has no version in the customer's
language: they read what the help center has, told why it is not in theirs. `glad_it_helped`
replies to a customer who says the last answer helped, instead of repeating it.
"""

from __future__ import annotations

PHRASES = {
    "en": {
        "lead_in": "Here's what I found about “{question}”:\n\n",
        "from_page": "From our help center, “{question}”:\n\n",
        "about": "About “{question}”:",
        "suggest": "I'm not sure I understood. Do you mean one of these?",
        "clarify": "Which of these do you mean?",
        "not_covered": "I'm sorry, I couldn't find an answer to that in our help center. "
        "I can pass your question to a member of the {company} team: just tap “{human}” or say so.",
        "only_in_english": "",
        "glad_it_helped": "Glad that helped! Is there anything else I can do for you?",
    },
    "fr": {
        "lead_in": "Voici ce que j'ai trouvé sur « {question} » :\n\n",
        "from_page": "D'après notre centre d'aide, « {question} » :\n\n",
        "about": "À propos de « {question} » :",
        "suggest": "Je ne suis pas sûr d'avoir bien compris. Voulez-vous parler de l'un de ces sujets ?",
        "clarify": "Duquel de ces sujets voulez-vous parler ?",
        "not_covered": "Désolé, je n'ai pas trouvé de réponse à cette question dans notre centre d'aide. "
        "Je peux la transmettre à un membre de l'équipe {company} : touchez « {human} » ou dites-le-moi.",
        "only_in_english": "(Cette réponse n'existe qu'en anglais :)\n",
        "glad_it_helped": "Ravi d'avoir pu vous aider ! Puis-je faire autre chose pour vous ?",
    },
    "es": {
        "lead_in": "Esto es lo que encontré sobre «{question}»:\n\n",
        "from_page": "Según nuestro centro de ayuda, «{question}»:\n\n",
        "about": "Sobre «{question}»:",
        "suggest": "No estoy seguro de haberle entendido. ¿Se refiere a alguno de estos temas?",
        "clarify": "¿A cuál de estos temas se refiere?",
        "not_covered": "Lo siento, no encontré una respuesta a eso en nuestro centro de ayuda. "
        "Puedo pasar su pregunta a un miembro del equipo de {company}: pulse «{human}» o dígamelo.",
        "only_in_english": "(Esta respuesta solo está disponible en inglés:)\n",
        "glad_it_helped": "¡Me alegra haberle ayudado! ¿Puedo ayudarle con algo más?",
    },
    "de": {
        "lead_in": "Das habe ich zu „{question}“ gefunden:\n\n",
        "from_page": "Aus unserem Hilfe-Center, „{question}“:\n\n",
        "about": "Zu „{question}“:",
        "suggest": "Ich bin nicht sicher, ob ich Sie richtig verstanden habe. Meinen Sie eines dieser Themen?",
        "clarify": "Welches dieser Themen meinen Sie?",
        "not_covered": "Leider habe ich dazu in unserem Hilfe-Center keine Antwort gefunden. "
        "Ich kann Ihre Frage an jemanden aus dem {company}-Team weitergeben: Tippen Sie auf „{human}“ "
        "oder sagen Sie es einfach.",
        "only_in_english": "(Diese Antwort gibt es nur auf Englisch:)\n",
        "glad_it_helped": "Schön, dass ich helfen konnte! Kann ich sonst noch etwas für Sie tun?",
    },
    "it": {
        "lead_in": "Ecco che cosa ho trovato su «{question}»:\n\n",
        "from_page": "Dal nostro centro assistenza, «{question}»:\n\n",
        "about": "Su «{question}»:",
        "suggest": "Non sono sicuro di aver capito bene. Intende uno di questi argomenti?",
        "clarify": "Quale di questi argomenti intende?",
        "not_covered": "Mi dispiace, non ho trovato una risposta a questa domanda nel nostro centro assistenza. "
        "Posso inoltrarla a un membro del team di {company}: tocchi «{human}» o me lo dica.",
        "only_in_english": "(Questa risposta è disponibile solo in inglese:)\n",
        "glad_it_helped": "Sono contento di esserle stato utile! Posso fare altro per lei?",
    },
    "pt": {
        "lead_in": "Isto é o que encontrei sobre «{question}»:\n\n",
        "from_page": "Da nossa central de ajuda, «{question}»:\n\n",
        "about": "Sobre «{question}»:",
        "suggest": "Não tenho a certeza de ter percebido. Refere-se a um destes temas?",
        "clarify": "A qual destes temas se refere?",
        "not_covered": "Lamento, não encontrei uma resposta para isso no nosso centro de ajuda. "
        "Posso passar a sua pergunta a um membro da equipa da {company}: toque em «{human}» ou diga-me.",
        "only_in_english": "(Esta resposta só está disponível em inglês:)\n",
        "glad_it_helped": "Ainda bem que ajudou! Posso ajudar em mais alguma coisa?",
    },
    "nl": {
        "lead_in": "Dit heb ik gevonden over ‘{question}’:\n\n",
        "from_page": "Uit ons helpcentrum, ‘{question}’:\n\n",
        "about": "Over ‘{question}’:",
        "suggest": "Ik weet niet zeker of ik u goed begrijp. Bedoelt u een van deze onderwerpen?",
        "clarify": "Welk van deze onderwerpen bedoelt u?",
        "not_covered": "Het spijt me, ik heb daar geen antwoord op gevonden in ons helpcentrum. "
        "Ik kan uw vraag doorgeven aan iemand van het {company}-team: tik op ‘{human}’ of laat het me weten.",
        "only_in_english": "(Dit antwoord is alleen in het Engels beschikbaar:)\n",
        "glad_it_helped": "Fijn dat ik u kon helpen! Kan ik nog iets anders voor u doen?",
    },
}
