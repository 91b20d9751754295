"""English, the richest lexicon: written first, on datasets/handover_messages.jsonl."""

from __future__ import annotations

from shared.handover.lexicons.en_frustration import FRUSTRATION, MILD
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
    rf"\b(?:get|have|receive|request\w*|arrange|book|need|want|like|expect) (?:a )?(?:phone "
    rf"|quick )?call(?: back)? from (?:{_A}{_PERSON}|you|(?:your|the) (?:\w+ )?team)\b",
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
    r"\bsmok(?:ed|ing)\b|\bsmoke (?:\w+ )?(?:came|comes|coming|pour\w*|out|from|everywhere|rising|billow\w*)"
    r"|\b(?:started|began) to smoke\b",
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
    info_opener=r"do (?:you|u)(?: guys)? (?:have|offer|provide)|do your|does (?:your|a|the)|are your|is your"
    r"|are there(?! (?:any |some )?(?:humans?|agents?|persons?|people|reps?|staff|operators?|some ?one|any ?one)\b)"
    r"|is (?:there|it|this) (?:a |an )?(?:real )?(?:human|person|bot|robot|ai) (?:behind|or)\b|am i (?:talking"
    r"|chatting|speaking) (?:to|with)|(?:do|would|will|does) (?:i|one|some ?one|any ?one) (?:need|have)\b"
    r"|are you (?:an? )?(?:real|human|bot|robot|ai|person)",
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
    frustration=FRUSTRATION,
    mild=MILD,
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
