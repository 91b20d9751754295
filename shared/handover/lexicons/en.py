"""English, the richest lexicon: written first, on datasets/handover_messages.jsonl."""

from __future__ import annotations

from shared.handover.lexicons.lexicon import Lexicon

# --- asking for a person ---
_PERSON = (
    r"(?:hu+m[ae]ns?|hooman|person|some ?(?:one|body)|any ?(?:one|body)|agents?|reps?|repres\w+|operators?"
    r"|(?:support )?staff|(?:team|staff) members?|members? of (?:the |your |our )?(?:\w+ )?(?:staff|team)|colleagues?"
    r"|employees?|managers?|supervisors?|boss|whoever|adult|customer (?:service|support|care)|advis[eo]rs?|consultants?"
    r"|specialists?|technicians?)"
    r"(?!-| (?:account|dashboard|role|feature|mode|view|app|access|permission))"  # "manager account", "human-grade"
)
_A = r"(?:(?:an?|the|your|ur|yr|some|one of your|one of the) )?(?:(?:real|actual|live|human) )?"
_ASK_TO_TALK = (
    rf"\b(?:talk|tlak|tak|speak|speek|chat|discuss|deal|sort|complain|explain|word|raise"
    rf"|take)\w*(?: \S+){{0,4}}? (?:to|with|2) (?:{_A}{_PERSON}|support|(?:one of )?(?:your|the) team)\b",
    rf"\b{_PERSON} (?:i can |to )(?:talk|speak|chat)|\b{_PERSON} (?:to )?take over\b",
    r"\bwho else (?:can|could|should|do|is there)\b|\bwho (?:can|could)\W*$|\bwho (?:can|could|should) i (?:talk|speak"
    r"|chat)\b",
)
_ASK_TO_CONNECT = (
    rf"\btransfer\w* (?:me|us)\b|\b(?:be|get|getting) transferred\b|\btransfer\w* to {_A}{_PERSON}",
    rf"\bbe (?:connected|put through|passed on) (?:to|with) {_A}{_PERSON}",
    rf"\b(?:connect|forward) (?:me|us)(?:\W*(?:please|pls|now)?\W*$| (?:to|with) {_A}(?:{_PERSON}|support|sales|billing"
    rf"|returns"
    r"|\w+ (?:team|department|dept|desk)))",
    rf"\b(?:forward|pass|send|refer|hand|escalat|transfer)\w* (?:my|this|the) (?:case|ticket|chat|conversation|issue"
    rf"|complaint|request|query) (?:on |over )?to {_A}(?:{_PERSON}|support|\w+ team)",
    r"\bput me (?:through|in touch)\b",
    r"\b(?:pass|hand) me (?:on|over|off|along|through)\b",
    rf"\b(?:pass|put|send|hand) me (?:on |over |through )?to {_A}{_PERSON}|\bput {_A}{_PERSON} on\b",
    r"\bescalat\w*",
)
_ASK_FOR_CALLBACK = (
    r"\b(?:call|ring|phone) ?-?(?:me |us )?back\b|\bcall-?backs?\b|\bbe (?:called|contacted)\b",
    r"\bgive (?:me|us) a (?:call|ring|bell|buzz)\b",
    r"\b(?:can|could|would|please) (?:you )?(?:call|phone|ring) (?:me|us)\b",
    r"\b(?:call|phone|ring|contact) me (?:at|on|asap|today|tomorrow|please|now|urgently|as soon as)\b",
    rf"\b(?:get|have|receive|request\w*|arrange|book) (?:a )?(?:phone )?call(?: back)? from (?:{_A}{_PERSON}|you"
    rf"|(?:your|the) (?:\w+ )?team)\b",
    rf"\b{_PERSON}(?: \S+){{0,4}}? (?:call|phone|ring|contact|e-?mail|message|write to|get in touch with"
    r"|reach out to|get back to) (?:me|us)\b",
)
_ASK_FOR_PERSON = (
    rf"\b(?:want|needs?|get|give me|gimme|wanna|prefer|like|request|demand|require) (?:me )?{_A}{_PERSON}\b",
    rf"\b(?:i (?:want|need|would like|'d like|wanna)|let me|can i|could i|may i) (?:to )?(?:contact|reach|call|phone"
    rf"|get hold of|get in touch with|see|have) {_A}{_PERSON}\b",
    rf"\b(?:help|assistance) from {_A}{_PERSON}\b",
    rf"\b{_PERSON} (?:\S+ ){{0,3}}?(?:look|check|review|handle|deal|help|sort|investigate)\w* (?:\S+ ){{0,2}}?"
    r"(?:my|this|it|me|our)\b",
    r"\b(?:real|actual|live|living) (?:human|person|people|agent|being|rep\w*|operator)s?\b|\bhuman being\b",
    r"\b(?:a|an|any|some|one) humans?\b(?!-|\s(?:voice|readable|interface|error|body|eye|ear|hair|skin))",
    rf"(?<!my )(?<!our )\b{_A}{_PERSON} (?:to |can |could |will |would |should )?(?:take|have) a look\b",
    rf"\b(?:is|are) {_A}{_PERSON}(?: \w+){{0,3}}? (?:available|free|around|there|online|about)\b",
    rf"\b(?:pass|send|give|forward)\w* (?:on )?my (?:details|number|info\w*|contact\w*|case) (?:on )?to {_A}{_PERSON}",
    r"\b(?:some|any) ?(?:one|body) who (?:can|could|is able|knows|will)\b",
    r"\b(?:any|some) ?(?:one|body|humans?) (?:real|(?:actually )?(?:there|here|around|reading|listening|alive)\b)",
    rf"^\W*{_A}(?:humans?|agent|rep\w*|operator|person|manager|supervisor|customer service)"
    r"\W*(?:please|pls|plz|now)?\W*$",  # the whole message: "agent pls"
)

# --- frustration ---
_CONTACTED = r"(?:ask|writ|wrote|e-?mail|call|phon|contact|messag|chat|explain|told|tell|complain|repeat|reach|sent)\w*"
_NTH = r"(?:third|3rd|fourth|4th|fifth|5th|\d+th|umpteenth|nth)"  # the second time is only impatience: see _MILD
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
# down ("a bit annoyed": see _MILD).
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
    r"\b(?:los(?:e|ing)|lost|running out of) (?:my |all )?(?:patience|temper)\b|\bhad it with\b|\bsick to death\b",
    r"\benough is enough\b|\bwhat kind of (?:company|shop|service|store)\b|\btreats? (?:your )?customers like\b",
    r"\bso (?:hard|difficult) to (?:get|reach|find)\b",
    r"\b(?:i'?m|im|i am|i feel|this is|that'?s|it'?s|so|very|really|extremely|incredibly|beyond) "
    rf"(?:(?!not |{_TONED_DOWN} )\w+ )?{_FEELING}\b",
    rf"\b{_FEELING} (?:service|support|experience|company|shop|store|customer)",
    rf"\b(?:service|support|experience|company|shop|store) (?:is|was|has been) (?:\w+ )?{_FEELING}\b",
)
_MILD = (
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

# --- legal action, safety ---
_LEGAL = (
    r"\bcharge ?-?backs?\b|\b(?:disput|contest)\w* (?:the |this |my |a )?(?:charge|payment|transaction)",
    r"\b(?:revers|claw\w* back|recall)\w* (?:the |this |my )?(?:payment|charge|transaction)\b",
    r"\b(?:open|opened|opening|file|filed|filing|raise|raised|start|started) (?:a |an )?(?:paypal |card "
    r"|bank )?(?:dispute|claim)\b|\bdispute with (?:paypal|my bank|visa|mastercard|amex|klarna)\b",
    r"\b(?:i'?ll|i will|i'?m|im|i am|going to|i want to|will be) (?:\w+ )?(?:contact|call|phon|ring"
    r"|tell)\w* my (?:bank|credit card (?:company|provider)|card (?:issuer|company))\b",
    r"\b(?:my|our) (?:lawyer|attorney|solicitor)s?\b(?! (?:uses?|needs?|recommend\w*))|\b(?:seek|get|take|getting"
    r"|seeking|taking)\w* legal (?:advice|help|counsel)\b|\blegal (?:action|steps|proceedings)\b|\b(?:consult|contact"
    r"|call|get|hire|speak to|talk to|see|involv|instruct)\w* (?:a|an) (?:lawyer|attorney|solicitor)\b",
    r"\b(?:i'?ll|will|going to|gonna) sue\b|\bsue you\b|\bbreach of contract\b|\bviolat\w* (?:\w+ )?(?:law|rights"
    r"|regulations)\b|\bpursu\w* (?:this|it|the matter) legally\b|\blegal recourse\b|\bsuing\b|\b(?:small claims"
    r"|see you in|take you to|taking you to) court\b",
    r"\b(?:trading standards|ombudsman|bbb|better business bureau|attorney general|consumer (?:protection|agency"
    r"|authority|council|association)|data protection (?:authority|regulator|office)|ico|ftc|cfpb)\b",
    r"\b(?:complain\w*|report\w*|complaint)\b[^.?!]{0,30}\b(?:gdpr|rgpd|dsgvo|lgpd|avg)\b",
    r"\bcomplaint (?:with|to) (?:the )?(?:\w+ ){0,3}(?:authority|commission|regulator|ombudsman|bureau|agency"
    r"|council)\b",
    r"\breport\w* (?:this|it|you) to (?:my|the) (?:bank|card issuer|credit card \w+|paypal)\b|\bas fraud\b",
    r"\b(?:contact\w*|report\w* to|inform\w*|call\w*) the (?:authorities|police|regulator)\b|\b(?:this|that|it)(?: is"
    r"|'s) (?:completely |totally |clearly )?illegal\b",
    r"\breport\w* (?:you|your (?:company|shop|store|business)) to\b|\baction fraud\b|\breport\w* (?:this|it"
    r"|you) to (?:the )?(?:police|authorit\w+|regulator|fca)\b",
)
_SAFETY = (
    r"\bsmok(?:ed|ing)\b|\bsmoke (?:came|comes|coming|pour\w*|out|from|everywhere)|\b(?:started|began) to smoke\b",
    r"\bsparks?\b(?! joy)|\bspark(?:ed|ing)\b|\bcaught fire\b|\bon fire\b|\b(?:burst into|in) flames\b"
    r"|\bflames? (?:came|coming|shot|out)\b",
    r"\bmelt(?:ed|ing)\b|\bburn(?:ing|t) (?:plastic )?(?:smell|odou?r)\b|\bsmel\w* (?:of |like )?(?:burn|melt|smoke)",
    r"\b(?:bang|pop)(?:ed)? and (?:a )?(?:flash|spark|smoke)|\bflash(?:ed)? and (?:a )?(?:bang|pop|smoke)\b",
    r"\bgot burn(?:ed|t)\b|\bburn(?:ed|t) me\b|\bballoon(?:ed|ing)\b|\bbatter\w*\b[^.?!]{0,20}\bexpand(?:ed|ing)\b"
    r"|\bscorch\w*|\bblister\w*",
    r"\bswell(?:ed|ing|s up)\b|\bswollen\b|\bbulg\w*|\bpuff(?:ed|ing) (?:up|out)\b|\bexplod\w*|\bexplosion\b",
    r"\bgot (?:a )?(?:bit )?shocked\b|\bshocked (?:me|when|while|touching)\b|\belectric(?:al)? shock\b|\bshock (?:from"
    r"|off) (?:the|my|it|this)\b|\bshocked me\b|\bzapped me\b|\bshock (?:when|while) (?:i )?(?:touch|plug|unplug|charg"
    r"|hold|us|pick)\w*|\belectrocut\w*",
    r"\bburn(?:ed|t|s)? (?:my|me|his|her|their|our|the (?:kid|child|baby))\b|\btoo hot to (?:touch|hold)\b",
    r"\b(?:battery|batteries|cells?)\b[^.?!]{0,30}\bleak\w*|\bleak\w*[^.?!]{0,20}\bbatter\w*|\bhiss\w*",
    r"\bwith a (?:loud )?(?:bang|pop)\b|\bwent (?:bang|pop)\b|\bshort[- ]?circuit\w*",
    r"\b(?:getting|gets|got|became|becomes) (?:very |really |extremely |dangerously |super )?hot\b",
    r"\boverheat(?:ed|ing)\b(?! protection| prevention)|\b(?:so|really|very|extremely|dangerously) hot (?:that |it )",
)

LEXICON = Lexicon(
    language="en",
    person=(*_ASK_TO_TALK, *_ASK_TO_CONNECT, *_ASK_FOR_PERSON),
    callback=_ASK_FOR_CALLBACK,
    names_person=_PERSON,
    negation=(
        r"\bno need\b|\bneedn'?t\b|\bnot (?:necessary|needed|looking for)\b|\bwithout\b|\bnever ?mind\b",
        r"\bno (?:human|agent|person)s?\b",
        r"\b(?:do ?n'?t|do not) (?:need|want|have to|transfer|connect|escalate|put|bother|pass|hand|send|forward)\b",
    ),
    negator=r"not|never|no",
    clause_break=r"but|rather than|instead of",
    greeting=r"hi|hello|hey",
    info_opener=r"do (?:you|u)(?: guys)? (?:have|offer|provide)|do your|does (?:your|a|the)|are (?:your|there)|is your"
    r"|(?:do|would|will|does) (?:i|one|some ?one|any ?one) (?:need|have)\b|are you (?:an? )?(?:real|human|bot|robot|ai"
    r"|person)",
    wh_opener=r"how|when|what|what'?s|where|which|at what",
    question=r"how|when|what|where|which|who|why|is|are|do|does|did|can|could|will|would|should|may",
    support_detail=r"\b(?:when|what time|hours?|open|opening|closed?|weekends?|weekdays?|business days?|(?:mon|tues"
    r"|wednes|thurs|fri|satur|sun)days?|holidays?|nights?|evenings?|mornings?|schedule|phone number|e-?mail address"
    r"|languages?|french|spanish|german|english|italian|portuguese|dutch|based|located|time ?zone|online|in my account"
    r"|required|necessary|cost|(?<!in )charge|fee|free|price)\b|\b(?:24/7|after \d|before \d|\d ?(?:am|pm)\b|or (?:can"
    r"|do) i\b|how (?:fast|long|quickly|soon)\b)",
    channel=r"support|customer (?:service|care)|help ?desk|helpline|hotline|\w+ team|call cent(?:er|re)|live chat"
    r"|support line",
    medium=r"phone|telephone|e-?mail|post|whatsapp",
    frustration={
        "repeated contact": _REPEATED_CONTACT,
        "long wait or repeated problem": _LONG_WAIT,
        "compensation demand": _COMPENSATION,
        "threat to complain or leave": _THREAT,
        "insult toward the bot or the shop": _INSULT,
        "angry wording": _ANGER,
    },
    mild=_MILD,
    swearing=r"damn\w*|bloody|f+u+c+k\w*|shit\w*|bullshit|crap\w*|wtf|ffs|what the (?:hell|heck|f\w*)|the (?:hell"
    r"|fuck)",
    problem=r"broke\w*|not working|do(?:es)?n'?t work|won'?t|stopped|still|again|late|missing|lost|never|nothing"
    r"|nobody|no (?:reply|answer|response|refund)|where(?:'s| is)|going on|waiting|days|weeks|charged|refund|wrong"
    r"|fault\w*|defect\w*|useless",
    praise=r"love|great|good|awesome|amazing|perfect|excellent|brilliant|fantastic|insane|incredible|nice|lol|lmao"
    r"|wicked|dope|sweet|cool|epic|killer|slaps|haha\w*|yeah|wow",
    legal=_LEGAL,
    safety=_SAFETY,
    hypothetical=r"before|until|when|whether|does|do|will|would|can|could|might|may|won'?t|doesn'?t|not|never|if",
    modal=r"can|could|will|would|might|may|does|do|likely|possible",
    safeguard=r"prevent\w*|protect\w*|against|avoid\w*|risk|resistant|proof|detector|alarm",
)
