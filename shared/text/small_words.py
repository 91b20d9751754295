"""The words and phrases of a support conversation that say nothing about the customer's problem.

Function words, the courtesy around a request (greetings, thanks, yeses), and the phrases a bot or an
agent wraps an answer in (offers of a colleague, sign-offs, introductions), in the languages customers
write in: English, French, Spanish, German, Italian, Portuguese and Dutch.
"""

from __future__ import annotations

import re


def _words(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


FUNCTION_WORDS = _words(
    # English
    "a an the and or but so if then than that this these those there here it its it's i i'm i've i'll i'd me my",
    "mine we we're we've we'll us our you you're you've you'll your yours he she they they're them their his her",
    "is are was were be been being am do does did doing have has had having will would shall should can could may",
    "might must to of in on at by for with from about into over after before up down out off as just also too",
    "very really what which who whom whose when where why how all any some each both either one ones other such",
    "own same only not no nor don't doesn't didn't can't won't isn't aren't wasn't haven't hasn't couldn't",
    "wouldn't there's that's what's let's get got go going went im dont cant its ive btw tbh pls plz u ur",
    # French
    "le la les un une des du de au aux et ou mais donc que qui quoi ce cet cette ces il elle ils elles on je tu",
    "nous vous me te se mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs est sont suis es était",
    "être avoir ai as avez avons ont a en dans sur sous pour par avec sans pas ne plus très aussi y",
    # Spanish
    "el los las una unos unas del al y o pero que quien qué este esta estos estas ese esa eso yo tú usted ustedes",
    "mi mis tu tus su sus nuestro nuestra es son soy está están estoy ha he han hay por para con sin muy también",
    "lo le les se ya sí",
    # German
    "der die das den dem des ein eine einen einem einer und oder aber dass ich du er sie es wir ihr mein meine",
    "dein ihre unser ist sind bin war hat habe haben wird werden zu von mit bei auf für aus im am um an auch",
    "sehr schon mir mich dir dich uns euch ihnen",
    # Italian
    "il lo gli della di da dei delle e è ho hai ha abbiamo sono per con su tra anche mio mia miei tuo tua suo",
    "sua che chi",
    # Portuguese
    "o os as um uma uns umas do da dos das no na nos nas em e é eu ele ela você meu minha seu sua foi tem tenho",
    "com sem para por que",
    # Dutch
    "de het een en of maar dat die dit deze ik je jij u hij zij ze wij we jullie mijn mij me jouw uw zijn",
    "is ben was waren heb hebt heeft hebben kan kunt kunnen wil wilt willen moet moeten met voor van op aan",
    "in bij naar om te tot niet geen wat hoe wie wanneer waar waarom ook er al dan nog",
)

# Words that place or colour a request without naming what it is about: when, how much, who else,
# and chat filler. A message's word that the knowledge base never uses says the topic may not be
# covered only when it is not one of these ("still", "my dad", "lol" leave the topic as it was).
VAGUE = _words(
    # English
    "still already yet ago today tonight tomorrow yesterday now soon later earlier last next since until",
    "week weeks month months day days year years hour hours minute minutes time times monday tuesday",
    "wednesday thursday friday saturday sunday weekend morning afternoon evening night",
    "actually basically literally honestly seriously anyway anyways like stuff thing things something",
    "anything everything someone somebody anyone anybody everyone nothing way lot lots bit kind sort maybe",
    "perhaps probably even instead else again ever never always usually quite pretty",
    "two three four five six seven eight nine ten few couple several half",
    "dad mom mum mother father sister brother wife husband friend friends son daughter kids family",
    "yo lol lmao omg ugh oops hey btw gonna wanna kinda gotta u r ya b4 thx guys folks y'all",
    "realise realised realize realized notice noticed wonder wondering want wanted wants rather mind",
    # the verbs of asking itself ("can't find", "need to know", "could you check")
    "find found need needs needed know see look looking try trying help tell check ask asking",
    # what is left of a contraction written without its apostrophe or split at it ("doesn't" -> "doesn")
    "whats thats theres youre theyre hasnt doesnt isnt didnt wasnt arent havent couldnt wouldnt shouldnt",
    "doesn hasn isn didn wasn aren haven couldn wouldn shouldn ll ve re",
    # French
    "encore déjà hier aujourd'hui demain maintenant bientôt semaine semaines mois jour jours an ans année",
    "heure heures fois vraiment truc chose choses quelqu'un quelque rien toujours jamais souvent peut-être",
    "même autre autres deux trois",
    # Spanish
    "todavía aún hoy ayer mañana ahora pronto semana semanas mes meses día días año años hora horas vez",
    "veces realmente cosa cosas alguien algo siempre nunca quizás quizá otro otra otros dos tres",
    # German
    "noch bereits heute gestern jetzt bald woche wochen monat monate tag tage jahr jahre stunde stunden",
    "mal wirklich sache sachen jemand etwas immer nie vielleicht andere anderen zwei drei",
    # Italian
    "ancora già oggi ieri domani adesso ora presto settimana settimane mese mesi giorno giorni anno anni",
    "volta cosa qualcuno qualcosa niente sempre mai forse altro altra due tre",
    # Portuguese
    "ainda já hoje ontem amanhã agora logo semana semanas mês meses dia dias ano anos hora horas vez coisa",
    "alguém algo nada sempre nunca talvez outro outra dois três",
    # Dutch
    "nog al vandaag gisteren morgen nu straks week weken maand maanden dag dagen jaar jaren uur keer echt",
    "ding iets iemand niets altijd nooit misschien ander andere twee drie",
)

COURTESY = _words(
    "hi hello hey hiya heya morning afternoon evening good there thanks thank thx ty cheers appreciate",
    "appreciated much many lot welcome ok okay k kk yes yeah yep yup sure no nope cool great perfect nice fine",
    "awesome alright right done please sorry apologies apologise apologize hear dear regards bye kind lol haha",
    "wow oh ah hmm hm again anyway well understood understand got it's gotcha else nah",
    "bonjour bonsoir salut merci beaucoup oui non accord parfait désolé désolée rien",
    "hola buenos buenas días tardes noches gracias muchas vale bueno perfecto porfa favor lo siento nada más",
    "lamento lamentamos",
    "hallo guten tag morgen abend danke vielen dank schön ja nein gut super prima bitte tut leid nichts",
    "ciao buongiorno buonasera grazie mille perfetto va bene scusa",
    "olá ola oi bom dia boa tarde obrigado obrigada sim não certo",
)

# A customer asking for a person says how to help, not what the problem is.
ASKS_FOR_PERSON = re.compile(
    r"\b(talk|speak|chat)\s+(to|with)\s+(a|an|some|some\s?one|any\s?one|a\s+real|a\s+human|human|person|agent)"
    r"|\b(someone|a person|a human|an agent|real person)\b.*\?$"
    r"|parler à (quelqu'un|un humain|une personne)|hablar con (alguien|una persona|un humano)"
    r"|(mit )?(einem menschen|jemandem) sprechen|parlare con (qualcuno|un operatore)|falar com (alguém|um atendente)",
    re.IGNORECASE,
)

# The bot's or an agent's words about handing over, not answering: offers, queues, opening hours.
HANDOVER = re.compile(
    r"colleague|pass (you|this|that|it|your)|passing you|passed (this|that|it|your)|hand (you )?over"
    r"|handed over|in the queue|monday to friday|lundi au vendredi|lunes a viernes|montag bis freitag"
    r"|(will|to) (reply|answer) (here|in this chat)|reply (here|in this chat)"
    r"|available monday|(can't|cannot|can not|unable to) [\w ]{0,40}from here|don't have (any )?information"
    r"|couldn't find (an answer|that|anything)|not (in|covered by) our help cent"
    r"|added (that|this|it|order [\w-]+) to your request"
    r"|collègue|transmis|je vous passe|compañer|te paso|le paso|kollege|weiterleiten|weitergegeben"
    r"|leider (keine|nichts|nicht)|colleg[ae]|colega|vou passar"
    # the bot's own handover sentences (shared/handover/reply.py) and their like
    r"|take over|teammate|member of (our|the)( [\w-]+)? team|in line for|closed right now|leave your email"
    r"|come back here|conversation is saved|passed your conversation|prendre le relais|membre de (notre|l')"
    r"|sommes fermés"
    r"|laissez votre adresse|revenez ici|est enregistrée|miembro (de nuestro|del) equipo|continúe la conversación"
    r"|en la cola|estamos cerrados|deje su dirección|vuelva aquí|queda guardada|mitglied (unseres|des)|zu übernehmen"
    r"|warteschlange|sind gerade geschlossen|hinterlassen sie|ist gespeichert",
    re.IGNORECASE,
)

# The bot's or an agent's sign-offs and small talk around an answer.
CLOSING = re.compile(
    r"anything else|you're welcome|you are welcome|(have|enjoy) (a|the rest of your) (good|great|nice|lovely)? ?"
    r"(day|evening|weekend)|let (us|me) know (if|how)|happy to help|glad to help|how can (i|we) help|what can (i|we) do"
    r"|(are|you're) all set|other questions|algo más|autre chose|noch etwas|qualcos'altro|altre domande"
    r"|mais alguma coisa|puis-je vous aider|puedo ayudar|kann ich (ihnen )?helfen|posso aiutar",
    re.IGNORECASE,
)

# What a sentence may open with before it says anything ("Hi Jess,", "Hola,", "Thanks, ", "I'm sorry, "):
# the summary leaves it out.
OPENING = re.compile(
    r"^((hi|hey|hello|dear|good (morning|afternoon|evening)|hola|buenos días|buenas( tardes)?|bonjour|bonsoir|salut"
    r"|hallo|guten (tag|morgen|abend)|ciao|buongiorno|olá|oi|bom dia)\b[^,.!?]{0,25}?[,.!]+\s*"
    r"|((i'm|i am|we're|we are) )?((so|really|very|truly) )?(thanks|thank you|sorry|no problem|ok|okay|great|perfect"
    r"|merci|gracias|danke|grazie|obrigad[oa]|désolée?|lo siento)\b[^,.!?]{0,25}?[,!]+\s+)+",
    re.IGNORECASE,
)

# A sentence that only thanks or apologises: "We're so sorry to hear that!", "Thanks for the detail."
THANKS_OR_SORRY = re.compile(
    r"^((we're|we are|i'm|i am|we|so|really|very|truly|many|again)\s+)*(sorry|thanks|thank you|thx|ty|apologies"
    r"|appreciate|merci|gracias|danke|grazie|obrigad[oa]|désolée?|lo siento|perdón|entschuldigung)\b",
    re.IGNORECASE,
)

# An agent introducing themselves: "Hi, I'm Dana from InnovateTech", "Tom here", "soy Marco".
INTRODUCTION = re.compile(
    r"^\W*(\w+\W+)?(?i:i'm|i am|this is|my name is|soy|je suis|c'est|ich bin|hier ist|sono|sou a|sou o|sou)\s+[A-Z]\w*"
    r"(\s+(?i:from|de|von|da)\s+\w+)?\W*$|^\W*(\w+\W+)?[A-Z]\w+ (?i:here)\W*$"
)

# Asking the customer for something (a question, "DM us", "send a photo"): the team then waits for them.
REQUEST = re.compile(
    r"\?\s*$|\b(could|can|would) you\b|\b(dm|send|message|email|share|tell|give|provide|show) (us|me)\b"
    r"|\bsend (them|it|a|the|your|some) [^.]{0,30}\b(here|to us|photos?|pictures?|screenshots?|videos?)\b"
    r"|\bsend them\b|\blet (us|me) know\b|\breply (here|to this)\b|répondez|envoyez|envoyer|envíe|envía|envíanos"
    r"|senden sie|schicken sie|invia|envie|mande",
    re.IGNORECASE,
)

# A customer's sentence that still wants something: a question, a refusal, a "still", a need.
WANTS_SOMETHING = re.compile(
    r"\?|\b(not|no|never|nobody|nothing|still|again|need|want|wanna|help|why|how|when|where|didn't|doesn't|"
    r"don't|won't|can't|cannot|isn't|hasn't|haven't|wasn't|broken|wrong|missing|lost|late)\b|'d like|would like"
    r"|\b(pas|jamais|toujours|besoin|voudrais|veux|pourquoi|quand|nunca|todavía|necesito|quiero|nicht|kein\w*|"
    r"nie|immer noch|brauche|möchte|ich will|warum|wann|ancora|mai|voglio|vorrei|perché|ainda|preciso|quero)\b",
    re.IGNORECASE,
)


def says_little(word: str) -> bool:
    """Whether `word` (lower case) says nothing about what a request is about."""
    return word in FUNCTION_WORDS or word in COURTESY or word in VAGUE


# A customer saying the answer did it: "thanks, that worked", "perfect, solved", "ça marche", "hat funktioniert".
HELPED = re.compile(
    r"\b(that|it|this)('s| is)? (worked|works|helped|did it|did the trick)|\bwork(s|ing) now\b|\bhelpful\b"
    r"|\b(solved|fixed|resolved|sorted)\b|\bperfect\b|\ball (good|set|sorted)\b|\bthat'?s (it|what i needed)\b"
    r"|\b(ça|ca) (marche|fonctionne|a marché|a fonctionné|m'a aidée?)|\bc'est (réglé|résolu|bon)|\brésolu|\bparfait"
    r"|\bfuncion(ó|a)\b|\bresuelto|\bsolucionado|\bperfect[oa]\b|\bme (sirvió|ayudó)"
    r"|\bfunktioniert|\bgelöst|\berledigt|\bperfekt|\bhat geholfen"
    r"|\bha funzionato|\bfunziona\b|\brisolto|\bperfett[oa]|\bmi ha aiutat[oa]"
    r"|\bfuncionou|\bresolvid[oa]|\bresolveu|\bperfeit[oa]|\bajudou"
    r"|\bhet werkt|\bwerkt( nu)?\b|\bopgelost|\bgeholpen|\bdat hielp",
    re.IGNORECASE,
)

# What takes it back: a question, a negation, a "still", a "but" ("thanks but it still doesn't work", "no thanks").
NOT_YET = re.compile(
    r"\?|n't\b|\b(not|no|never|nothing|nope|still|yet|again|but|however|cannot|wrong"
    r"|ne|n'|pas|jamais|toujours|encore|mais|rien|nunca|todavía|aún|pero|sigue|sin|nada"
    r"|nicht|kein\w*|nie|noch|aber|trotzdem|non|mai|ancora|però|não|nao|ainda|mas|niet|geen|nooit|nog|maar)\b",
    re.IGNORECASE,
)
HELPED_WORDS = 12  # a longer message says more than that it helped


def says_it_helped(text: str) -> bool:
    """Whether a customer's message says the answer helped, and nothing that takes it back."""
    return len(text.split()) <= HELPED_WORDS and bool(HELPED.search(text)) and not NOT_YET.search(text)
