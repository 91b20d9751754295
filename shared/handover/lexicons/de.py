"""German (umlauts fold to a, o, u; ß stays)."""

from __future__ import annotations

from shared.handover.lexicons.lexicon import Lexicon, followed_by

_ARTICLE = r"(?:ein|einen|einem|einer|eine|den|dem|der|die|ihrem|ihrer|ihren) "
_TEAM_PERSON = (
    rf"(?:{_ARTICLE})?(?:echten |richtigen |menschlichen |personlichen |zustandigen |kompetenten )?(?:mitarbeiter\w*"
    rf"|mensch\w*|person|berater\w*|kundenberater\w*|ansprechpartner\w*|sachbearbeiter\w*"
    r"|kolleg\w*|vorgesetzt\w*|kundendienst|kundenservice|support|\w*abteilung|buchhaltung)"
)
_WITH_PERSON = rf"mit (?:jemand\w*|{_TEAM_PERSON})\b"
_VERB = r"\b(?:sprechen|reden|verbinden|verbunden|telefonieren|weiterleiten|chatten|schreiben)\b"
_HAND_ON = r"\b(?:ubergeb\w*|weiterleit\w*|weitergeb\w*|durchstell\w*|weiter\b)"
_HANDLE = r"ansehen|anschau\w*|angucken|pruf\w*|uberpruf\w*|kummer\w*|helfen|hilft|bearbeit\w*|nachseh\w*|klar\w*"
_FEELING = r"(?:genervt|verargert|argerlich|frustriert|enttauscht|ungeduldig|gereizt|sauer)"

LEXICON = Lexicon(
    language="de",
    person=(
        rf"\b{_WITH_PERSON}.*{_VERB}",  # "mit einem Mitarbeiter sprechen"
        rf"{_VERB}.*\b{_WITH_PERSON}",  # "verbinden Sie mich mit einem Mitarbeiter"
        rf"\ban {_TEAM_PERSON}\b.*{_HAND_ON}|{_HAND_ON}.*\ban {_TEAM_PERSON}\b",  # "an einen Kollegen übergeben"
        followed_by(
            r"will|mochte|brauche|hatte (?:gern|gerne)|wunsche|verlange|haben|bekommen|geben sie mir|gib mir",
            _ARTICLE + _TEAM_PERSON,
            2,
        ),
        rf"\b{_ARTICLE}{_TEAM_PERSON}\b[^.?!]{{0,30}}\b(?:{_HANDLE})\b"
        rf"|\b(?:{_HANDLE})\b[^.?!]{{0,30}}\b{_ARTICLE}{_TEAM_PERSON}\b",
        r"^\W*(?:bitte )?(?:einen |ein )?(?:menschen?|mitarbeiter|berater|person)\W*(?:bitte)?\W*$",
        r"\b(?:ein|eine) (?:mitarbeiter|mensch|berater|ansprechpartner|kollege)\w* (?:verfugbar|erreichbar|frei|da)\b",
        r"\b(?:gibt es|ist (?:da|hier)) (?:\w+ )?jemand\w*\b|\bjemand\w*,? (?:der|die) (?:\w+ ){0,4}(?:entscheid\w*"
        r"|kann|darf|helfen)\b|\b(?:echten|richtigen) menschen\b",
    ),
    callback=(
        r"\bzuruckgerufen\b|\b(?:zuruck ?|ruck)ruf(?!aktion)\w*|\bruf\w* sie mich\b|\bmich (?:\w+ ){0,3}(?:an"
        r"|zuruck)rufen\b",
        r"\bkontaktiert (?:zu )?werden\b|\b(?:bei mir|mich) (?:\S+ ){0,3}(?:melden|kontaktieren|anschreiben)\b"
        r"|\bmelden sie sich\b",
    ),
    names_person=rf"jemand\w*|{_TEAM_PERSON}",
    negation=(
        r"\bbrauche (?:keinen|keine|kein|nicht)\b|\bkein(?:en|e)? (?:mitarbeiter|menschen|berater|person)\b",
        r"\bnicht (?:notig|nötig|erforderlich)\b|\bohne\b|\bmuss nicht\b|\bwill nicht\b",
    ),
    negator=r"nicht|kein\w*|nie",
    clause_break=r"aber|sondern|statt|anstatt",
    greeting=r"hallo|hi|guten (?:tag|morgen|abend)|moin|servus",
    info_opener=r"gibt es (?!(?:\w+ )?jemand)|(?:habt|bietet) ihr|(?:haben|bieten) sie|muss ich|kann man|ist (?:der"
    r"|die|das|ihr)",
    wh_opener=r"wie|wann|wo|welche\w*|was|um wie viel uhr|ab wann|bis wann",
    question=r"wie|wann|wo|welche\w*|was|warum|kann|konnen|gibt|habt|haben|ist|sind|muss|darf",
    support_detail=r"\b(?:offnungszeiten|geoffnet|offen|erreichbar|geschlossen|montags?|dienstags?|mittwochs?"
    r"|donnerstags?|freitags?|samstags?|sonntags?|wochenende|feiertags?|abends?|morgens?|uhr|telefonnummer|nummer"
    r"|kostenlos|englisch|franzosisch|spanisch|sprachen?|24/7|online)\b",
    channel=r"kundenservice|kundendienst|support|hotline|live-?chat|service|team",
    medium=r"telefon\w*|e-?mail|mail|post|whatsapp",
    frustration={
        "repeated contact": (
            r"\b(?:dritte[nms]?|3\.|vierte[nms]?|x-te[nms]?|zigste[nms]?) mal\b|\bniemand (?:\w+ )?(?:hilft|kummert)\b"
            r"|\b(?:geschrieben|angerufen)\w* (?:schon )?(?:zwei|drei|mehrere|\d+)(?:mal| mal)\b",
            r"\bdieselbe antwort\b|\bimmer (?:die )?gleiche antwort\b|\bdrehe mich im kreis\b",
        ),
        "long wait or repeated problem": (
            r"\b(?:seit|nach) (?:uber |fast )?(?:einem|einer|zwei|drei|vier|mehreren|\d+) (?:woche|wochen|monat"
            r"|monaten)\b|\b(?:zwei|drei|vier|\d+) wochen und (?:immer noch|noch immer)\b",
            r"\b(?:schon wieder|wieder) (?:kaputt|defekt|zu spat|beschadigt)\b",
        ),
        "compensation demand": (r"\bentschadigung\b|\bkulanz\w*|\bschadenersatz\b|\bgutschrift fur\b",),
        "threat to complain or leave": (
            r"\b(?:schlechte|negative|0|null|ein(?:en)?) (?:bewertung|stern)\w*\b|\bnie wieder\b",
        ),
        "insult toward the bot or the shop": (
            r"\bsaftladen\b|\bverarsch\w*|\babzocke\w*|\bdas ist betrug\b|\bbetruger\w*|\b(?:das ist|so ein"
            r"|was fur ein) (?:\w+ ){0,2}witz\b",
            r"\b(?:bot|chat|service|ihr seid|sie sind|das ist) (?:\w+ ){0,2}(?:nutzlos|unfahig|inkompetent|unbrauchbar"
            r"|lacherlich|katastrophe)\b|\bnichts funktioniert\b|\bhilft (?:mir )?(?:gar )?nicht\b",
        ),
        "angry wording": (
            r"\b(?:emport|entrustet|fassungslos|lacherlich|armselig|erbarmlich|miserabel|peinlich|bodenlos\w*"
            r"|was soll (?:das|dieser|der|die)|geht gar nicht|unter aller sau|kann doch nicht (?:wahr|sein)"
            r"|das gibt'?s doch nicht|nase gestrichen voll)\b",
            r"\b(?:service|kundenservice|support)\b[^.?!]{0,15}\bschlecht|\bwie schlecht\b|\bso geht das nicht\b",
            r"^\W*(?:unfassbar|unglaublich)\b|\bnicht zu fassen\b|\bzum (?:wiederholten|x-ten|zigsten) mal\b"
            r"|\bschlechte\w* (?:service|kundenservice|support)\b",
            r"\b(?:sie sind|ihr seid|du bist) (?:\w+ )?(?:unfahig|inkompetent|eine katastrophe|eine frechheit|betruger"
            r"|nutzlos|unmoglich)\b|\bschnauze voll\b|\b(?:mir reicht|hab genug|habe genug)\b",
            r"\b(?:unverschamt\w*|stocksauer|frechheit|skandal\w*|unmoglich|inakzeptabel|katastroph\w*|wutend"
            r"|stinksauer|unzumutbar|zumutung|sauerei)\b",
            r"\b(?:langsam |jetzt )?reicht'?s\b|\bes reicht\b|\bmir reicht'?s\b|\bich habe die nase voll\b",
            rf"\b(?:ich bin|bin|sehr|echt|total|wirklich|extrem|richtig) (?:\w+ )?{_FEELING}\b",
        ),
    },
    mild=(
        r"^\W*(?:nochmal|noch einmal|erneut)\s*:",
        r"\bniemand (?:\w+ )?(?:antwortet|meldet|reagiert)\b|\b(?:immer noch|schon wieder|noch) keine antwort\b",
        r"\b(?:habe|hab) (?:ich )?(?:das )?(?:schon|bereits) (?:mal )?gefragt\b",
        rf"\b(?:etwas|ein bisschen|ein wenig|leicht|langsam) (?:\w+ )?{_FEELING}",
        r"\b(?:zweite[nms]?|2\.) mal\b|\bich frage (?:jetzt )?(?:nochmal|noch einmal|erneut)\b",
        r"\bwarte (?:immer noch|noch immer)\b|\b(?:immer noch|noch immer) (?:keine|kein|nichts)\b",
    ),
    swearing=r"verdammt\w*|schei(?:ss|ß)\w*|so ein (?:mist|dreck)|kacke|verflucht\w*|mann ey",
    problem=r"kaputt|funktioniert nicht|geht nicht|immer noch|schon wieder|wieder|spat|verloren|nie|nichts|niemand"
    r"|wo ist|warte\w*|erstattung|defekt",
    praise=r"super|toll|klasse|genial|perfekt|richtig gut|genau richtig|wahnsinn|geil|liebe|begeistert|gut(?:e|er|es"
    r"|en)?|hammer",
    legal=(
        r"\b(?:zahlung|geld|betrag)\b[^.?!]{0,40}\bzuruck(?:gefordert|fordern|geholt|holen|buchen|gebucht)\b",
        r"\bbuch\w* (?:\w+ ){0,4}zuruck\b|\b(?:ruck|zuruck)buch\w*|\blastschrift (?:zuruck|widerruf)\w*"
        r"|\bwiderruf\w* (?:die |der )?lastschrift|\bchargeback\b|\bkauferschutz (?:beantrag|eroffn|einleit)\w*"
        r"|\b(?:beantrage|eroffne|nutze) (?:den )?kauferschutz\b",
        r"\b(?:rechts)?anwalt\w*|\banwalt einschalten\b|\bklage\w*|\brechtlich\w*|\banfecht\w*|\bangefochten\b"
        r"|\bverklag\w*",
        r"\b(?:vor )?gericht\b|\bgerichtlich\w*|\brechtliche schritte\b|\banzeige erstatten\b|\berstatte\w* anzeige\b"
        r"|\bpolizei\b|\bverbraucherzentrale\b|\bverbraucherschutz\w*|\bdatenschutzbeauftragt\w*"
        r"|\bschlichtungsstelle\b",
        r"\bdatenschutzbehorde\b|\bbundesnetzagentur\b",
    ),
    safety=(
        r"\bwird (?:extrem |total |viel zu |gluhend )?heiß\b(?![^.!?]*\?)|\bgluht\b(?![^.!?]*\?)",
        r"\b(?:akku|batterie)\b[^.?!]{0,30}\bausgelaufen\b|\bkurzschluss\b",
        r"\bhat (?:\w+ )?gebrannt\b|\bbrannte\b",
        r"\b(?:angefangen|begonnen|fing an|beginnt) zu (?:rauchen|qualmen|brennen|schmelzen)\b",
        r"\b(?:kommt|kam|steigt|stieg|qualmte) (?:\w+ )?rauch\b|\brauchentwicklung\b|\bgequalmt\b|\bqualm\w*"
        r"|\braucht\b|\brauch (?:kam|stieg)\b|\bfunken\b|\bgefunkt\b|\bfeuer gefangen\b",
        r"\bangebrannt\b|\bflammen\b|\bin brand\b|\bverbrannt\w*|\bbrandgeruch\b|\bverschmort\w*",
        r"\bgeschmolzen\b|\bschmolz\b|\baufgeblaht\b|\baufgeblasen\b|\bdick geworden\b|\bgeblaht\b|\baufgequollen\b"
        r"|\bexplodiert\b|\bexplosion\b",
        r"\bstromschlag\b|\beine gewischt\b|\b(?:elektrischen )?schlag bekommen\b|\buberhitz(?:t|te|ten|en|ung)\b"
        r"|\bzu heiß zum anfassen\b",
    ),
    hypothetical=r"kann|konnte|ohne|nicht|kein\w*|nie|wenn|ob",
    modal=r"kann|konnen|konnte\w*|moglich",
    safeguard=r"risiko|vermeid\w*|gegen|\w*schutz\w*|\w*melder|\w*fest",
)
