"""English frustration: strong (repeated contact, long waits, compensation, threats to leave, insults, anger)
and mild (impatience a good answer settles), kept apart from en.py for size."""

from __future__ import annotations

_CONTACTED = r"(?:ask|writ|wrote|e-?mail|call|phon|contact|messag|chat|explain|told|tell|complain|repeat|reach|sent)\w*"
_NTH = r"(?:third|3rd|fourth|4th|fifth|5th|\d+th|umpteenth|nth)"  # the second time is only impatience: see MILD
_REPEATED = rf"(?:{_CONTACTED}|broke\w*|wrong|late|damaged|faulty|defect\w*|happen\w*|same|again|still|now)"
_REPEATED_CONTACT = (
    rf"\b{_NTH} time\b(?=.*\b{_REPEATED}\b)",  # "third time I'm writing", not "my third time ordering"
    rf"\b{_NTH} (?:e-?mail|message|attempt|request|call|chat|ticket|complaint|replacement|one)s?\b",
    rf"\b{_CONTACTED}\b[^.?!]{{0,40}}\b(?:twice|(?:two|three|four|five|\d+|several|multiple|many|a dozen) times)\b",
    r"\bhow many (?:more )?times (?:do|must|should|will|have|am)\b|\bagain and again\b|\bover and over\b",
    r"\brepeating myself\b|\b(?:i|you|u|bot|chat|support) keeps? (?:asking|telling|saying|repeating|writing"
    r"|explaining)\b",
    r"\bkeeps? (?:getting|giving|sending) (?:\w+ )?(?:the )?same\b|\bsame (?:\w+ )?(?:answer|reply|response|link)s?\b",
    r"\b(?:no ?(?:one|body)|nobody) (?:\w+ ){0,2}?(?:cares?|help\w*|(?:doing|does|did) anything|look\w* (?:at|into)"
    r"|(?:able|willing|bother\w*) to)\b",
    r"\b(?:no ?(?:one|body)|nobody) (?:\w+ ){0,2}?(?:repl\w+|answer\w*|respond\w*|gets? back|got back)\b"
    r"(?=[^.?!]*\b(?:ever|e-?mails|messages|calls|tickets|days|weeks|months|times)\b)",  # else only impatience
    r"\bhow (?:is (?:it|this)|can (?:it|this) be) (?:even )?(?:possible|acceptable|allowed)\b",
    r"\b(?:asked|requested|e-?mailed|wrote|written|called|contacted|reported)\b(?: \w+){0,5} (?:weeks|months"
    r"|ages) ago\b",
    r"\bignor\w* (?:my|me|us)\b|\b(?:going|go|went|running) (?:a)?round in circles\b",
    r"\b(?:no|zero|never (?:got|received|had) an?) (?:reply|response|answer) (?:for|in|since|after|from|yet)\b",
)
_LONG_WAIT = (
    r"\bwaiting (?:for )?(?:over |more than |almost |nearly )?(?:\d+|an?|two|three|four|five|six|several"
    r"|many) (?:days?|weeks?|months?|hours?)\b",
    r"\bwaiting (?:for )?(?:ages|forever|so long)\b",
    r"\b(?:this|it|that)(?:'s| is) taking (?:forever|ages|so long|too long)\b",
    r"\bbeen (?:on|in) (?:this|the) (?:chat|phone|line|queue)\b",
    r"\b(?:wasted|been on hold for) (?:over |more than )?(?:\d+|an?|two|three|several) (?:minutes|hours|days)\b",
    r"\b(?:it'?s|it has) been (?:over |more than |almost |nearly )?(?:\d+|an?|two|three|four|five|six|several"
    r"|many) (?:weeks?|months?)\b",
    r"\b(?:late|broken|broke|wrong|missing|delayed|damaged|faulty|failed|stopped working|charged) (?:\w+ )?again\b",
)
_COMPENSATION = (
    r"\bcompensat\w*|\bgoodwill\b|\brefund plus\b|\bmake (?:it|this) up to me\b|\bi (?:must )?insist\b",
    r"\bdemand (?:an? |my |the |full |a full |an immediate |immediate |your )?(?:refund|replacement|compensation"
    r"|explanation|apology|answer|money|response)",  # not "I demand to know the price", "I demand a lot from"
    r"\b(?:voucher|discount|credit|gift ?card|coupon|something)\b[^.?!]{0,30}\bfor (?:the|all (?:the|this)|this"
    r"|my) (?:trouble|inconvenience|hassle|delay|wait|mess|stress)\b",
    r"\b(?:money back|refund) (?:now|immediately|today|asap|right now)\b|\b(?:give me|i want) (?:back )?my money\b",
)
_THREAT = (
    r"\b(?:1|one|zero|0) ?-?stars?\b|\b(?:bad|negative|terrible|awful|scathing|horrible) reviews?\b",
    r"\breviews? (?:everywhere|all over|online)\b|\btell (?:all )?(?:my|every)\w*",
    r"\bnever (?:again|(?:order|buy|shop|purchas)\w* (?:from|here|with|at))\b",
    r"\blast time i(?:'ll| will)? (?:order|buy|shop|purchas|use)\w*",
    r"\b(?:i'?m|i am|im) (?:so |just |completely )?done with\b|\btake my (?:business|money) elsewhere\b",
    r"\b(?:i'?ll|i will|i'?m|im|i am|going to|i want to|i'?d like to|i would like to|will be) (?:\w+ )?(?:file|make"
    r"|lodge|raise|submit)\w* (?:a )?(?:formal )?complaint\b",
)
# Insults count when aimed at the bot, the shop or its answers, not at the customer's old headphones,
# and not as praise: "stupid good".
_INSULT_WORD = (
    r"(?:useless|pointless|hopeless|incompetent|pathetic|clueless|moron\w*|brainless|garbage|trash|rubbish|stupid|dumb"
    r"|idiot\w*)(?!\w* (?:good|great|fast|cheap|easy|loud|nice|comfy|comfortable|clear|well)\b)"
)
_AIMED_AT_US = (
    r"(?:you|u|you'?re|youre|ur|your|this|that|bot|chat|assistant|ai|service|support|shop|company|people|guys)"
)
_INSULT = (
    rf"(?:^\W*|\b{_AIMED_AT_US}\b(?: \w+){{0,2}}? ){_INSULT_WORD}\b(?! question)",
    rf"\b{_INSULT_WORD} (?:answers?|repl\w+|responses?|bot|chat|service|support|company|shop|website|assistant|ai)\b",
    r"\b(?:what|is this|this is|such|total|complete|absolute) (?:a )?joke\b|\bwast\w* (?:of |my )(?:time|money|space)",
    r"\bwast\w* (?:\w+ ){1,3}of my (?:time|life|day)\b",
    r"\black of (?:communication|response|support|help)\b|\bcan'?t believe (?:no ?(?:one|body)|nobody|that|it'?s)\b",
    r"\bso[- ]called (?:support|service|help|customer service)\b|\bstraight answer\b",
    r"\b(?:this is|you'?re|you are|what|company is|shop is|store is) (?:a |such a )?(?:scam|fraud|rip-? ?off)",
    r"\b(?:you|you'?re|you are|bunch of) (?:\w+ )?scamm\w*",
    r"\b(?:you|bot|it|this|they|these|links?|answers?|chat|assistant|ai) (?:\w+ )?(?:do(?:es)? ?n'?t|do(?:es)? not"
    r"|can'?t|cannot|never|did ?n'?t|did not) (?:\w+ )?(?:understand\w*|read\w*|listen\w*|help\w*|get it|make sense"
    r"|know anything)",
    r"\b(?:that|this|it) (?:does ?n'?t|does not|did ?n'?t|did not) (?:even )?answer|\bnot what i (?:asked|said|meant)",
    r"\byou'?re not (?:listening|helping|helpful)|\b(?:no help|not helpful|unhelpful)\b",
    r"\b(?:are|do|did) you (?:even|actually) (?:read|listen|care|understand)\w*",
    r"\bwhat(?:'s| is) wrong with (?:you|this)\b",
    r"\byou(?:'ve| have)? (?:\w+ ){0,2}?(?:ruin\w*|lost my)\b",
)
# Feelings count when they are the customer's own ("I'm annoyed"), not their son's, and not when toned
# down ("a bit annoyed": see MILD).
_FEELING = r"(?:angry|annoyed|irritated|frustrat\w*|disappoint\w*|upset|horrible|terrible|awful|unhappy)"
_TONED_DOWN = r"(?:a bit|a little|bit|little|slightly|somewhat|kinda|kind of|mildly|a tad|getting|rather)"
_ANGER = (
    r"^\W*(?:(?:just|simply|absolutely|truly) )?unbelievable\b|\b(?:are|is) (?:a |such a |an absolute "
    r"|a complete )?joke\b",
    r"\b(?:bad|poor|lousy|crap|shit|awful|terrible|horrible|worst) (?:customer )?(?:service|support)\b|\brip-? ?off\b",
    r"\bdriv\w* me (?:crazy|mad|insane|nuts|up the wall)\b|\bcan'?t believe (?:how (?:bad|poor|slow|awful|terrible"
    r"|useless)|this|you|that you)\b",
    r"\b(?:ridiculous|unacceptable|outrageous|absurd|disgrac\w+|shameful|appall\w*|furious|livid|pissed"
    r"|(?<!bit )(?<!little )fed up|fuming|seething|infuriat\w*|enraged|shambolic|shambles|farc\w+|diabolical|atrocious"
    r"|abysmal|inexcusable|unprofessional|outraged|incensed|irate|nightmare|beyond a joke|taking the piss"
    r"|at my wits'? end|end of my tether|had it up to here|sick (?:and tired )?of|(?:so|really|very|sick and) tired of"
    r"|disgust\w*|worst(?![ -]case)|shocking|had enough|last straw)\b",
    r"\bnot (?:happy|satisfied|pleased|acceptable|good enough)\b|\bsort it out\b",
    r"\b(?:are|r) (?:you|u) (?:\w+ )?(?:kidding|serious|joking)\b|\bseriously ?\?|\bgot to be kidding\b",
    r"\bthanks? for nothing\b|\bexplain yoursel\w+|\bthis is too much\b|\bbeen (?:very |more than )?patient\b",
    r"\bregret (?:buying|ordering|purchasing|shopping)\b",
    r"\b(?:los(?:e|ing)|lost|running out of) (?:my |all )?(?:patience|temper)\b|\bhad it with\b|\bsick to death\b"
    r"|\blos(?:e|ing) my mind\b|\bhow hard (?:can|is) it\b",
    r"\b(?:you|they|you guys|your company) (?:\w+ )?(?:do ?n'?t|do not|never) (?:\w+ )?care\b",
    r"\benough is enough\b|\bwhat kind of (?:company|shop|service|store)\b|\btreats? (?:your )?customers like\b",
    r"\bso (?:hard|difficult) to (?:get|reach|find)\b",
    r"\b(?:i'?m|im|i am|i feel|this is|that'?s|it'?s|so|very|really|extremely|incredibly|beyond) "
    rf"(?:(?!not |{_TONED_DOWN} )\w+ )?{_FEELING}\b",
    rf"\b{_FEELING} (?:service|support|experience|company|shop|store|customer)",
    rf"\b(?:service|support|experience|company|shop|store) (?:is|was|has been) (?:\w+ )?{_FEELING}\b",
)
MILD = (
    r"^\W*(?:again|once more)\s*:|\b(?:asking|ask|i'?ll ask) (?:you )?(?:once more|one more time)\b",
    rf"\b{_TONED_DOWN} (?:\w+ )?{_FEELING}|\b(?:getting|a bit|bit|little) (?:tired|impatient|fed up)\b"
    rf"|\btired of waiting\b",
    rf"\b(?:second|2nd) time\b(?=.*\b{_REPEATED}\b)|\b(?:second|2nd) (?:e-?mail|message|attempt|request)\b",
    r"\b(?:asked|wrote|e-?mailed|messaged|contacted)\b[^.?!]{0,25}\b(?:yesterday|earlier|before|last (?:time|week)"
    r"|already)\b|\bgot no (?:reply|answer|response)\b",
    r"\b(?:no ?(?:one|body)|nobody) (?:\w+ ){0,2}?(?:repl\w+|answer\w*|respond\w*|gets? back|got back)\b",
    r"\bstill (?:no|nothing|waiting|haven'?t)\b|\b(?:asking|ask) (?:this |you |it )?again\b|\bagain ?:",
    r"\balready (?:asked|wrote|e-?mailed|messaged)\b",
    r"^\W*(?:ugh+|argh+|sigh|hmph)\b|\b(?:asking|ask|writing|messaging) (?:you )?(?:for )?(?:the )?(?:second"
    r"|2nd) time\b",
    r"\b(?:no ?(?:one|body)|nobody) (?:\w+ ){0,2}?(?:contact\w*|call\w*|e-?mail\w*) me\b",
)

FRUSTRATION = {
    "repeated contact": _REPEATED_CONTACT,
    "long wait or repeated problem": _LONG_WAIT,
    "compensation demand": _COMPENSATION,
    "threat to complain or leave": _THREAT,
    "insult toward the bot or the shop": _INSULT,
    "angry wording": _ANGER,
}
