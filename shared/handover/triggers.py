"""Whether one customer message should hand the conversation over to a person.

Two kinds of trigger: the customer asks for a person (English, French, Spanish or German), or the
customer is frustrated (repeated contact, long waits, compensation demands, threats, insults toward
the bot, angry wording, shouting). Questions *about* support ("when is support open?") and negated
requests ("no need for a human") are not triggers: the knowledge base answers them.
All patterns run on lower-cased text without accents; only shouting looks at the original case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

UNANSWERED_IN_A_ROW = 2  # the bot could not answer this many questions in a row: hand over


@dataclass(frozen=True)
class Trigger:
    """Why a person should take over: the kind of trigger and a short reason for the agent."""

    kind: Literal["person", "frustration"]
    reason: str


def _any_of(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives))


# --- asking for a person ---
_PERSON = (
    r"(?:hu+m[ae]ns?|hooman|person|some ?(?:one|body)|any ?(?:one|body)|agents?|reps?|repres\w+|operators?"
    r"|(?:support )?staff|(?:team|staff) members?|members? of (?:the |your |our )?(?:\w+ )?(?:staff|team)|colleagues?"
    r"|employees?|managers?|supervisors?|boss|whoever|adult|customer (?:service|support|care))"
    r"(?! (?:account|dashboard|role|feature|mode|view|app|access|permission))"  # product words: "manager account"
)
_A = r"(?:(?:an?|the|your|some|one of your) )?(?:(?:real|actual|live|human) )?"
_ASK_TO_TALK = _any_of(
    rf"\b(?:talk|tlak|tak|speak|speek|chat|discuss|deal|sort|complain|explain)\w*(?: \S+){{0,4}}? (?:to|with|2) "
    rf"{_A}{_PERSON}\b",
    rf"\b{_PERSON} (?:i can |to )(?:talk|speak|chat)|\b{_PERSON} (?:to )?take over\b",
)
_ASK_TO_CONNECT = _any_of(
    rf"\btransfer\w* (?:me|us)\b|\bbe transferred\b|\btransfer\w* to {_A}{_PERSON}",
    rf"\bbe (?:connected|put through|passed on) (?:to|with) {_A}{_PERSON}",
    rf"\b(?:connect|forward) (?:me|us)(?:\W*(?:please|pls|now)?\W*$| (?:to|with) {_A}(?:{_PERSON}|support|\w+ team))",
    rf"\b(?:forward|pass|send|refer|hand|escalat)\w* (?:my|this|the) (?:case|ticket|chat|issue|complaint|request|query)"
    rf" (?:on |over )?to {_A}(?:{_PERSON}|support|\w+ team)",
    r"\bput me (?:through|in touch)\b",
    r"\b(?:pass|hand) me (?:on|over|off|along|through)\b",
    r"\bescalat\w*",
)
_ASK_FOR_CALLBACK = _any_of(
    r"\b(?:call|ring|phone) ?-?(?:me |us )?back\b|\bcall-?backs?\b|\bbe (?:called|contacted)\b",
    r"\b(?:can|could|would|please) (?:you )?(?:call|phone|ring) (?:me|us)\b",
    r"\b(?:call|phone|ring|contact) me (?:at|on|asap|today|tomorrow|please|now|urgently|as soon as)\b",
    rf"\b(?:get|have|receive|request|arrange|book) (?:a )?(?:phone )?call(?: back)? from "
    rf"(?:{_A}{_PERSON}|you|(?:your|the) (?:\w+ )?team)\b",
    rf"\b{_PERSON}(?: \S+){{0,3}}? (?:call|phone|ring|contact|get in touch with|reach out to) (?:me|us)\b",
)
_ASK_FOR_PERSON = _any_of(
    rf"\b(?:want|need|get|give me|gimme|wanna|prefer|like|request|demand|require) (?:me )?{_A}{_PERSON}\b",
    rf"\b(?:i (?:want|need|would like|'d like|wanna)|let me|can i|could i|may i) (?:to )?"
    rf"(?:contact|reach|call|phone|get hold of|get in touch with|see|have) {_A}{_PERSON}\b",
    rf"\b(?:help|assistance) from {_A}{_PERSON}\b",
    rf"\b{_PERSON} (?:\S+ ){{0,2}}?(?:look|check|review|handle|deal|help|sort|investigate)\w* (?:\S+ ){{0,2}}?"
    r"(?:my|this|it|me|our)\b",
    r"\b(?:real|actual|live|living) (?:human|person|people|agent|being|rep\w*|operator)s?\b|\bhuman being\b",
    r"\b(?:any|some) ?(?:one|body|humans?) (?:real|(?:actually )?(?:there|here|around|reading|listening|alive)\b)",
    rf"^\W*{_A}(?:humans?|agent|rep\w*|operator|person|manager|supervisor|customer service)"
    r"\W*(?:please|pls|plz|now)?\W*$",  # the whole message: "agent pls"
)
_FRENCH = _any_of(
    r"\b(?:parler|discuter|echanger|joindre|contacter|avoir|veux|voudrais|souhaite)\b[^.?!]{0,20}?(?:quelqu'?un"
    r"|(?:un|une|le|la) (?:vraie? )?(?:humain|personne|conseill\w+|agent|operat\w+|responsable|employe\w*"
    r"|interlocut\w+|service client|superviseur))",
    r"\b(?:mett\w*|mets)-? ?moi en (?:relation|contact)|\bme mettre en (?:relation|contact)",
    r"\brappel\w*-? ?moi\b|\bme rappeler\b|\betre rappele\w*|\btransfer\w*-? ?moi\b",
    r"\bun (?:etre )?humain\b|\bun conseiller\b|\bune (?:vraie personne|personne reelle)\b",
)
_SPANISH = _any_of(
    r"\b(?:hablar|comunicarme|contactar|pasar|pasame|paseme|comuniqueme|quiero|necesito)\b[^.?!]{0,20}?(?:alguien"
    r"|(?:un|una|el|la) (?:persona|humano|agente|asesor\w*|representante|operador\w*|empleado\w*|encargad\w+"
    r"|supervisor\w*|gerente)|persona real|atencion al cliente|servicio al cliente)",
    r"\bllam(?:enme|arme)\b|\bme llamen\b|\bhay alguien\b|\b(?:alguien|persona) real\b",
)
_GERMAN_PERSON = (
    r"mit (?:jemand\w*|(?:(?:einem|einer|dem|der|ihrem|ihrer) )?(?:echten |richtigen )?"
    r"(?:mitarbeiter\w*|mensch\w*|person|berater\w*|kundenberater\w*|vorgesetzt\w*|kundendienst|kundenservice))\b"
)
_GERMAN_VERB = r"\b(?:sprechen|reden|verbinden|verbunden|telefonieren|weiterleiten)\b"
_GERMAN = _any_of(
    rf"\b{_GERMAN_PERSON}.*{_GERMAN_VERB}",  # "mit einem Mitarbeiter sprechen"
    rf"{_GERMAN_VERB}.*\b{_GERMAN_PERSON}",  # "verbinden Sie mich mit einem Mitarbeiter"
    r"\b(?:will|mochte|brauche) (?:einen|eine) (?:mitarbeiter|menschen|berater\w*)",
    r"\b(?:zuruck ?|ruck)ruf\w*|\bruf\w* sie mich\b|\banrufen\b",
)
_PERSON_REQUESTS = (_ASK_TO_TALK, _ASK_TO_CONNECT, _ASK_FOR_CALLBACK, _ASK_FOR_PERSON, _FRENCH, _SPANISH, _GERMAN)

_NEGATION = _any_of(
    r"\bno need\b|\bneedn'?t\b|\bnot (?:necessary|needed)\b|\bwithout\b|\bnever ?mind\b",
    r"\bno (?:human|agent|person)s?\b",
    r"\b(?:do ?n'?t|do not) (?:need|want|have to|transfer|connect|escalate|put|bother)\b",
)
_GREETING = r"^\W*(?:(?:hi|hello|hey)\W+)?"
_INFO_OPENER = _any_of(  # asks what the service offers, never a request to be served
    rf"{_GREETING}(?:do (?:you|u)(?: guys)? (?:have|offer|provide)|do your|does (?:your|a|the)|are (?:your|there)"
    r"|is your|(?:do|would|will) i (?:need|have) to|are you (?:an? )?(?:real|human|bot|robot|ai|person))\b",
)
_WH_OPENER = re.compile(rf"{_GREETING}(?:how|when|what|what'?s|where|which|at what)\b")
_SUPPORT_DETAIL = _any_of(
    r"\b(?:when|hours?|open|opening|closed?|weekends?|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|holidays?|nights?"
    r"|evenings?|mornings?|schedule|phone number|e-?mail address|languages?|french|spanish|german|english|based"
    r"|located|time ?zone|online|in my account|required|necessary|cost|charge|fee|free|price)\b",
    r"\b(?:24/7|after \d|before \d|\d ?(?:am|pm)\b|or (?:can|do) i\b|how (?:fast|long|quickly|soon)\b)",
)
_CHANNEL = re.compile(
    r"\b(?:support|customer (?:service|care)|help ?desk|helpline|hotline|\w+ team|call cent(?:er|re))\b"
)
_NAMES_A_PERSON = re.compile(rf"\b{_PERSON}\b")
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_CLAUSE_BREAK = re.compile(r"[,;:]|\bbut\b|\brather than\b")
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain).lower()


def _is_question_about_support(sentence: str) -> bool:
    if _INFO_OPENER.search(sentence):
        return True
    if sentence.rstrip().endswith("?") and _SUPPORT_DETAIL.search(sentence):
        return True
    return bool(_WH_OPENER.search(sentence) and (_CHANNEL.search(sentence) or not _NAMES_A_PERSON.search(sentence)))


def _requests_person(clause: str) -> bool:
    for pattern in _PERSON_REQUESTS:
        match = pattern.search(clause)
        if match and not _NEGATION.search(clause, 0, match.end()):
            return True
    return False


def _asks_for_person(folded: str) -> bool:
    return any(
        not _is_question_about_support(sentence) and any(map(_requests_person, _CLAUSE_BREAK.split(sentence)))
        for sentence in _SENTENCE.findall(folded)
    )


# --- frustration ---
_CONTACTED = r"(?:ask|writ|wrote|e-?mail|call|phon|contact|messag|chat|explain|told|tell|complain|repeat|reach|sent)\w*"
_NTH = r"(?:second|2nd|third|3rd|fourth|4th|fifth|5th|\d+th|umpteenth|nth)"
_REPEATED_CONTACT = _any_of(
    rf"\b{_NTH} time\b(?=.*\b(?:{_CONTACTED}|broke\w*|wrong|late|damaged|faulty|defect\w*|happen\w*"
    r"|same|again|still|now)\b)",  # "third time I'm writing", not "my second time ordering"
    rf"\b{_NTH} (?:e-?mail|message|attempt|request|call|chat|ticket|complaint)s?\b",
    rf"\b{_CONTACTED}\b[^.?!]{{0,40}}\b(?:twice|(?:two|three|four|five|\d+|several|multiple|many|a dozen) times)\b",
    r"\bhow many (?:more )?times (?:do|must|should|will|have|am)\b|\bagain and again\b|\bover and over\b",
    r"\brepeating myself\b|\bkeeps? (?:asking|telling|saying|repeating|writing|explaining)\b",
    r"\bkeeps? (?:getting|giving|sending) (?:\w+ )?(?:the )?same\b|\bsame (?:\w+ )?(?:answer|reply|response|link)s?\b",
    r"\b(?:no ?(?:one|body)|nobody) (?:\w+ ){0,2}?(?:repl\w+|answer\w*|respond\w*|gets? back|got back|cares?"
    r"|help\w*|(?:doing|does|did) anything)\b",
    r"\b(?:asked|requested|e-?mailed|wrote|written|called|contacted|reported)\b(?: \w+){0,5} "
    r"(?:weeks|months|ages) ago\b",
    r"\bignor\w* (?:my|me|us)\b",
    r"\b(?:no|zero|never (?:got|received|had) an?) (?:reply|response|answer) (?:for|in|since|after|from|yet)\b",
    r"\bstill (?:no|nothing|waiting)\b",
)
_LONG_WAIT = _any_of(
    r"\bwaiting (?:for )?(?:over |more than |almost |nearly )?(?:\d+|an?|two|three|four|five|six|several|many) "
    r"(?:days?|weeks?|months?|hours?)\b",
    r"\bwaiting (?:for )?(?:ages|forever|so long)\b",
    r"\b(?:this|it|that)(?:'s| is) taking (?:forever|ages|so long|too long)\b",
    r"\bbeen (?:on|in) (?:this|the) (?:chat|phone|line|queue)\b",
    r"\b(?:wasted|been on hold for) (?:over |more than )?(?:\d+|an?|two|three|several) (?:minutes|hours|days)\b",
    r"\b(?:it'?s|it has) been (?:over |more than |almost |nearly )?(?:\d+|an?|two|three|four|five|six|several|many) "
    r"(?:weeks?|months?)\b",
    r"\b(?:late|broken|broke|wrong|missing|delayed|damaged|faulty|failed|stopped working|charged) (?:\w+ )?again\b",
)
_COMPENSATION = _any_of(
    r"\bcompensat\w*|\bgoodwill\b|\b(?:demand|insist)\b|\brefund plus\b|\bmake (?:it|this) up to me\b",
    r"\b(?:voucher|discount|credit|gift ?card|coupon|something)\b[^.?!]{0,30}\bfor (?:the|all (?:the|this)|this|my) "
    r"(?:trouble|inconvenience|hassle|delay|wait|mess|stress)\b",
    r"\b(?:money back|refund) (?:now|immediately|today|asap|right now)\b|\b(?:give me|i want) (?:back )?my money\b",
)
_THREAT = _any_of(
    r"\bcharge ?-?backs?\b|\bdispute (?:the |this |my )?(?:charge|payment|transaction)",
    r"\b(?:1|one|zero|0) ?-?stars?\b|\b(?:bad|negative|terrible|awful|scathing|horrible) reviews?\b",
    r"\breviews? (?:everywhere|all over|online)\b|\btell (?:all )?(?:my|every)\w*",
    r"\b(?:lawyer|attorney|solicitor|legal action|sue|suing|small claims|trading standards|ombudsman|bbb)\b",
    r"\bconsumer (?:protection|rights|agency|authority)|\breport\w* (?:you|this|your)\b",
    r"\bnever (?:again|(?:order|buy|shop|purchas)\w* (?:from|here|with|at))\b",
    r"\blast time i(?:'ll| will)? (?:order|buy|shop|purchas|use)\w*",
    r"\b(?:i'?m|i am|im) (?:so |just |completely )?done with\b|\btake my (?:business|money) elsewhere\b",
    r"\b(?:i'?ll|i will|i'?m|im|i am|going to|i want to|i'?d like to|i would like to|will be) (?:\w+ )?"
    r"(?:(?:file|make|lodge|raise|submit)\w* (?:a )?(?:formal )?complaint|(?:contact|call|phon|ring)\w* my "
    r"(?:bank|credit card (?:company|provider)|card (?:issuer|company)))\b",
)
# Insults count when aimed at the bot, the shop or its answers, not at the customer's old headphones.
_INSULT_WORD = (
    r"(?:useless|pointless|hopeless|incompetent|pathetic|clueless|moron\w*|brainless|garbage|trash|rubbish"
    r"|stupid|dumb|idiot\w*)"
)
_AIMED_AT_US = (
    r"(?:you|u|you'?re|youre|ur|your|this|that|bot|chat|assistant|ai|service|support|shop|company|people|guys)"
)
_INSULT = _any_of(
    rf"(?:^\W*|\b{_AIMED_AT_US}\b(?: \w+){{0,2}}? ){_INSULT_WORD}\b(?! question)",
    rf"\b{_INSULT_WORD} (?:answers?|repl\w+|responses?|bot|chat|service|support|company|shop|website|assistant|ai)\b",
    r"\b(?:what|is this|this is|such|total|complete|absolute) (?:a )?joke\b|\bwast\w* (?:of |my )(?:time|money)",
    r"\b(?:this is|you'?re|you are|what|company is|shop is|store is) (?:a |such a )?(?:scam|fraud|rip-? ?off)",
    r"\b(?:you|you'?re|you are|bunch of) (?:\w+ )?scamm\w*",
    r"\b(?:you|bot|it|this|chat|assistant|ai) (?:\w+ )?(?:do(?:es)? ?n'?t|do(?:es)? not|can'?t|cannot|never|did ?n'?t"
    r"|did not) (?:\w+ )?(?:understand\w*|read\w*|listen\w*|help\w*|get it|make sense|know anything)",
    r"\b(?:that|this|it) (?:does ?n'?t|does not|did ?n'?t|did not) (?:even )?answer|\bnot what i (?:asked|said|meant)",
    r"\byou'?re not (?:listening|helping|helpful)|\b(?:no help|not helpful|unhelpful)\b",
    r"\b(?:are|do|did) you (?:even|actually) (?:read|listen|care|understand)\w*",
    r"\bwhat(?:'s| is) wrong with (?:you|this)\b",
    r"\byou (?:\w+ ){0,2}?(?:ruin\w*|lost my)\b",
)
# Mild feelings count when they are the customer's own ("I'm annoyed"), not their son's.
_MILD = r"(?:angry|annoyed|irritated|frustrat\w*|disappoint\w*|upset|horrible|terrible|awful|unhappy)"
_ANGER = _any_of(
    r"\b(?:ridiculous|unacceptable|outrageous|absurd|disgrac\w+|shameful|appalling|furious|livid|pissed|fed up"
    r"|(?:sick|tired) (?:and tired )?of|disgust\w*|worst(?![ -]case)|shocking|wtf|ffs|damn\w*|bloody|sucks?"
    r"|f+u+c+k\w*|shit\w*|bullshit|crap\w*|had enough|last straw)\b",
    r"\bnot (?:happy|satisfied|pleased|acceptable|good enough)\b|\bsort it out\b|\bwhat the (?:hell|heck|f\w*)\b",
    r"\b(?:are|r) (?:you|u) (?:\w+ )?(?:kidding|serious|joking)\b|\bseriously ?\?|\bgot to be kidding\b|\bthe hell\b",
    r"\bthanks? for nothing\b|\bexplain yoursel\w+|\bthis is too much\b|\bbeen (?:very |more than )?patient\b",
    r"\bregret (?:buying|ordering|purchasing|shopping)\b",
    r"\b(?:los(?:e|ing)|lost|running out of) (?:my |all )?(?:patience|temper)\b|\b(?:had it|fed up) with\b",
    r"\benough is enough\b|\bwhat kind of (?:company|shop|service|store)\b|\btreats? (?:your )?customers like\b",
    r"\bso (?:hard|difficult) to (?:get|reach|find)\b",
    r"\b(?:i'?m|im|i am|i feel|this is|that'?s|it'?s|so|very|really|extremely|incredibly|beyond) "
    rf"(?:(?!not )\w+ )?{_MILD}\b",
    rf"\b{_MILD} (?:service|support|experience|company|shop|store|customer)",
    rf"\b(?:service|support|experience|company|shop|store) (?:is|was|has been) (?:\w+ )?{_MILD}\b",
)
_FRUSTRATIONS = (
    ("repeated contact", _REPEATED_CONTACT),
    ("long wait or repeated problem", _LONG_WAIT),
    ("compensation demand", _COMPENSATION),
    ("threat to complain or charge back", _THREAT),
    ("insult toward the bot or the shop", _INSULT),
    ("angry wording", _ANGER),
)
_NEGATED_BEFORE = re.compile(r"(?:\bnot|n't|\bnever|\bno) (?:\w+ )?$")
_WORD = re.compile(r"[^\W\d_]+")
_GRATEFUL = re.compile(r"\b(?:thanks?|thx|ty|love|great|awesome|perfect|amazing)\b(?! for nothing)")  # caps in joy


def _frustration(folded: str) -> str | None:
    for reason, pattern in _FRUSTRATIONS:
        if any(
            not _NEGATED_BEFORE.search(folded[max(0, m.start() - 20) : m.start()]) for m in pattern.finditer(folded)
        ):
            return reason
    return None


def _is_shouting(text: str) -> bool:
    """Three or more upper-case words in a row, one of five letters or more: short acronyms alone don't shout."""
    run = longest = 0
    for word in _WORD.findall(text):
        run, longest = (run + 1, max(longest, len(word))) if word.isupper() else (0, 0)
        if run >= 3 and longest >= 5:
            return True
    return False


def detect(text: str) -> Trigger | None:
    """The reason to hand this message's conversation to a person, or None when the bot should answer it."""
    folded = _fold(text)
    if _asks_for_person(folded):
        return Trigger("person", "customer asked for a person")
    shouting = _is_shouting(text) and not _GRATEFUL.search(folded)
    reason = _frustration(folded) or ("shouting" if shouting else None)
    return Trigger("frustration", f"customer is frustrated: {reason}") if reason else None
