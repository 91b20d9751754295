"""Dutch ("rook" is also "smelled": smoke counts as "er kwam rook", "begon te roken")."""

from __future__ import annotations

from shared.handover.lexicons.lexicon import Lexicon, either_order, followed_by

_PEOPLE = (
    r"iemand|klantenservice|medewerker|(?:een|de|uw|jullie) (?:echte? |andere )?(?:medewerker\w*|persoon|collega"
    r"|leidinggevende|supervisor|adviseur|mens|agent|manager)|echte? mens|(?:de )?afdeling \w+"
)
_TALK = r"spreken|praten|verbind\w*|doorverbinden|doorverbonden|contact|doorzetten|overdragen|chatten|bellen"
_HANDLE = r"kijk\w*|bekijk\w*|controle\w*|nakijk\w*|help\w*|oploss\w*|behandel\w*|uitzoek\w*"
_WANT = r"krijgen|wil(?: graag)?|zou (?:graag|willen)|graag|mag ik|kan ik|kunt u mij"
_FEELING = r"(?:boos|geirriteerd|geergerd|gefrustreerd|teleurgesteld|ontevreden|kwaad|pissig|ongeduldig)"

LEXICON = Lexicon(
    language="nl",
    person=(
        either_order(_TALK, _PEOPLE),
        either_order(_HANDLE, _PEOPLE, 25),
        followed_by(_WANT, _PEOPLE, 1),
        r"\b(?:een|de) (?:medewerker|mens|persoon)\w* (?:beschikbaar|vrij|aanwezig)\b",
        r"\b(?:me|mij) (?:\w+ )?doorverbind\w*|\bverbind (?:me|mij) door\b",
        r"^\W*(?:graag )?(?:een )?(?:mens|medewerker|persoon)\W*(?:graag|alstublieft|aub|pls)?\W*$",
        rf"\bheb (?:\w+ ){{0,2}}(?:{_PEOPLE}) nodig\b",
        r"\biemand (?:nodig )?die (?:\w+ ){0,4}(?:kan|mag|wel|beslis\w*)\b|\bis (?:daar|er) iemand\b",
    ),
    callback=(
        r"\bbel (?:me|mij)\b(?! (?:niet|nooit))",
        r"\b(?:me|mij) (?:\w+ )?(?:bellen|mailen|contacteren)\b|\bterugbell\w*|\bteruggebeld\b",
        r"\bbel (?:me|mij) (?:terug|op|even|alstublieft|aub|graag)\b",
    ),
    names_person=_PEOPLE,
    negation=(r"\bhoef (?:geen|niet)\b|\bniet nodig\b|\bzonder\b|\bwil geen\b|\bgeen (?:medewerker|mens|persoon)\b",),
    negator=r"niet|geen|nooit",
    clause_break=r"maar|in plaats van",
    greeting=r"hallo|hoi|hey|goedemorgen|goedemiddag|goedenavond|dag",
    info_opener=r"(?:hebben|bieden) jullie|heeft u|is (?:de|het|er een (?!medewerker|mens|persoon))|moet ik|kan men",
    wh_opener=r"hoe|wanneer|waar|welke|wat|hoe laat|tot hoe laat|vanaf wanneer",
    question=r"hoe|wanneer|waar|welke|wat|waarom|kan|kunnen|mag|hebben|heeft|is|zijn|moet|leveren|verkopen",
    support_detail=r"\b(?:openingstijden|open|geopend|bereikbaar|gesloten|maandag|dinsdag|woensdag|donderdag|vrijdag"
    r"|zaterdag|zondag|weekend|feestdag\w*|avond|ochtend|uur|telefoonnummer|nummer|gratis|engels|frans|duits|talen?"
    r"|24/7|online)\b",
    channel=r"klantenservice|support|helpdesk|livechat|team",
    medium=r"telefo\w*|e-?mail|mail|whatsapp",
    frustration={
        "repeated contact": (
            r"\b(?:derde|3e|vierde|zoveelste|honderdste) keer\b|\bniemand (?:\w+ )?(?:helpt|doet)\b|\b(?:gemaild"
            r"|gebeld|geschreven) (?:al )?(?:twee|drie|meerdere|\d+) keer\b",
            r"\bhetzelfde antwoord\b|\bnegeer\w* (?:me|mij)\b|\brondjes draai\w*|\bin rondjes\b",
        ),
        "long wait or repeated problem": (
            r"\b(?:weken|maanden) geleden\b.*\bnog (?:steeds|altijd)\b|\bal (?:twee|drie|vier|\d+) (?:weken|maanden)\b",
            r"\bweer (?:kapot|stuk|te laat|defect)\b",
        ),
        "compensation demand": (r"\bcompensatie\b|\bschadevergoeding\b|\bvergoeding voor\b",),
        "threat to complain or leave": (
            r"\b(?:slechte|negatieve) (?:review|recensie)\b|\b(?:een|nul|0) ster\w*|\bnooit meer (?:bestel|koop)\w*",
        ),
        "insult toward the bot or the shop": (
            r"\b(?:wat een|jullie|jullie zijn|deze|dit is|service is|bot is) (?:\w+ )?(?:waardelo\w*|nutteloo\w*"
            r"|incompetent\w*|bagger|een grap)\b|\bwaardeloze (?:service|klantenservice|bot|chat|hulp|winkel)\b",
            r"\boplichter\w*|\boplichting\b|\bslaat nergens op\b",
        ),
        "angry wording": (
            r"\b(?:aanfluiting|wanvertoning|bespottelijk|ongehoord|schaamteloos|een lachertje|om te huilen"
            r"|te gek voor woorden|(?:word|wordt|werd) (?:er |hier )?(?:echt |gewoon )?gek van|horendol|(?:ben|erg"
            r"|heel|zo) (?:boos|kwaad))\b",
            r"\b(?:slechte|belabberde|waardeloze) (?:service|klantenservice)\b|\bslaat (?:\w+ )?nergens op\b",
            r"\bklantonvriendelijk\w*|\bwat een (?:slecht|rot|waardelo|brak)\w* (?:bedrijf|service|winkel)\b",
            r"\b(?:ben|zijn) (?:er )?(?:\w+ )?klaar mee\b",
            r"\bwat een (?:puinhoop|zooitje|janboel|bende)\b",
            r"\b(?:schandalig\w*|schande|onacceptabel\w*|onaanvaardbaar\w*|woedend|woest|razend|spuugzat"
            r"|genoeg is genoeg)\b",
            r"\bjullie zijn (?:echt |zo |gewoon )?(?:incompetent|waardeloos|oplichters|een grap|amateurs|onbekwaam)\b"
            r"|\b(?:schoon )?genoeg van\b",
            r"\bbelachelijk\b(?! (?:goed|mooi|snel|goedkoop|lekker))|\b(?:ik ben )?het (?:zat|beu)\b",
            rf"\b(?:ik ben|ben|erg|echt|heel|zeer|super|behoorlijk) (?:\w+ )?{_FEELING}\b",
        ),
    },
    mild=(
        r"^\W*(?:nogmaals|opnieuw|nog een keer)\s*:",
        r"\bniemand (?:\w+ )?(?:reageert|antwoordt|belt)\b|\b(?:al eerder|eerder al) gevraagd\b|\bheb ik al gevraagd\b",
        rf"\b(?:een beetje|beetje|enigszins|lichtelijk|wat) (?:\w+ )?{_FEELING}",
        r"\b(?:tweede|2e) keer\b|\bik vraag (?:het )?(?:nogmaals|opnieuw|nog een keer)\b|\bwacht nog steeds\b"
        r"|\bnog steeds (?:geen|niets|niks)\b",
    ),
    swearing=r"verdomme|godverdomme|kut\w*|klote\w*|tering|potverdorie|godsamme",
    problem=r"kapot|stuk|werkt niet|nog steeds|weer|te laat|kwijt|nooit|niets|niks|niemand|waar is|wacht\w*"
    r"|terugbetaling|defect",
    praise=r"geweldig|prachtig|top|super|heerlijk|goed|mooi|fantastisch|perfect|gaaf|vet|haha\w*",
    legal=(
        r"\bbetaling\b[^.?!]{0,30}\bterug (?:te )?(?:boeken|draaien|halen|vorderen)\b",
        r"\bbetaling\b[^.?!]{0,30}\bterug(?:draai|boek|vorder|halen)\w*|\bterugboek\w*|\bterugvorder\w*|\bstorner\w*"
        r"|\bchargeback\b|\b(?:een|mijn) advocaat\b|\brechter\b",
        r"\bdraai\w* (?:de |het )?(?:betaling|bedrag|geld|transactie) terug\b",
        r"\bgeschil\w*|\badvoca(?:at|ten)\b|\baanklag\w*|\baangeklaagd\b|\brechtszaak\b|\bjuridische stappen\b"
        r"|\bdagvaard\w*|\bgeschillencommissie\b|\bconsumentenbond\b|\bjuridisch loket\b|\bacm\b",
        r"\bconsuwijzer\b|\baangifte (?:doen|bij|van)\b|\bautoriteit persoonsgegevens\b",
    ),
    safety=(
        r"\bwordt (?:erg |heel |te |gloei)heet\b(?![^.!?]*\?)|\bgloeiend heet\b(?![^.!?]*\?)",
        r"\b(?:batterij|accu)\b[^.?!]{0,30}\blekt\b|\bkortsluiting\b",
        r"\b(?:zo|te|erg|heel) heet (?:dat|om)\b|\bbrandde\b|\b(?:gaan|begon te|begint te) roken\b|\brookt\b"
        r"|\brookte\b|\brook (?:kwam|uit)\b|\ber kwam rook\b|\brookwolk\b|\bvonk\w*",
        r"\bvat\w* vlam\b|\bstroomschok\w*|\belektrische schok\b|\been schok\b|\bin brand\b|\bvlam gevat\b|\bvlammen\b"
        r"|\bbrandlucht\b|\bbrandgeur\b|\bverbrand\w*|\bgeschroeid\w*",
        r"\bgesmolten\b|\bsmolt\b|\bopgezwollen\b|\bgezwollen\b|\b(?:op)?zwell\w*|\bbol (?:gaan )?staan\b"
        r"|\bstaat bol\b|\bontploft\b",
        r"\bexplosie\b|\bexplodeerde\b|\bschok\b|\bstroomstoot\b|\bonder stroom\b|\bgeelektrocuteerd\b"
        r"|\boververhit(?:te|ten|ting)?\b",
    ),
    hypothetical=r"kan|kunnen|zou|zonder|niet|geen|nooit|als|of",
    modal=r"kan|kunnen|zou|zouden|mogelijk",
    safeguard=r"risico|voorkomen|tegen|bescherming|\w*beveiliging|\w*melder|\w*bestendig",
)
