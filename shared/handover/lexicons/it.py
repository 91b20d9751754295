"""Italian ("basta" alone also means "it is enough to": only "basta!" opening a message is anger)."""

from __future__ import annotations

from shared.handover.lexicons.lexicon import Lexicon, either_order, followed_by

_PEOPLE = (
    r"qualcuno|(?:(?:un|una|un'|l'|il|la|lo|con) ?)?(?:vera |altra )?(?:operat(?:ore|rice)|umano|addett[oa]"
    r"|consulent[ei]|responsabile|supervisore|impiegat[oa]|dipendente|collega)|(?:una|la|altra) persona|persona (?:vera"
    r"|reale|in carne)|essere umano|servizio clienti|assistenza(?: clienti| umana)?|supporto|(?:l'|un )?ufficio \w+"
)
_TALK = r"parlare|pass(?:a|i|ate|are)\w*|contattare|sentire|trasferi\w+|mettermi in contatto"
_HANDLE = r"vedere|guard\w*|controll\w*|verific\w*|aiut\w*|gest\w*|occup\w*|risolv\w*|esamin\w*"
_WANT = r"avere|vorrei|voglio|ho bisogno di|mi serve|preferirei|pretendo|chiedo"
_FEELING = r"(?:seccat|arrabbiat|infastidit|delus|stuf|irritat|scocciat|impazient|nervos)\w*"

LEXICON = Lexicon(
    language="it",
    person=(
        either_order(_TALK, _PEOPLE),
        either_order(_HANDLE, _PEOPLE, 25),
        followed_by(_WANT, _PEOPLE, 1),
        r"^\W*(?:per favore )?(?:un |una )?(?:operatore|umano|persona vera|persona)\W*(?:per favore|grazie)?\W*$",
        r"\b(?:un|una|qualche) (?:operat|persona|addett|consulent|umano)\w* disponibil\w*",
        r"\bc'e qualcuno\b|\bqualcuno che (?:possa|puo|sappia)\b|\bpersona (?:vera|reale)\b",
        r"\b(?:essere )?mess[oa] in contatto\b|\bmettetemi in contatto\b|\bmi mett\w* in contatto\b",
    ),
    callback=(
        r"\bchiamatemi\b|\bchiamami\b|\bmi chiam(?:i|ate)\b",
        r"\bcontattarmi\b|\bricontatt\w*|\bessere contattat\w*|\bcontattatemi\b|\bmi contatt\w+|\brichiamar\w*"
        r"|\bessere richiamat\w*|\bmi richiam\w+|\brichiamatemi\b|\bmi (?:chiami|chiamate|puo chiamare"
        r"|potete chiamare)\b",
    ),
    names_person=_PEOPLE,
    negation=(r"\bnon (?:mi )?(?:serve|ho bisogno|voglio|c'e bisogno|e necessario|passate)\b|\bsenza\b",),
    negator=r"non|mai",
    clause_break=r"ma(?= (?:un|una|uno|il|lo|la|i|gli|le|voglio|vorrei|non|io|per|con|solo|ora|qualcuno)\b)|invece di"
    r"|piuttosto che",  # French "ma" is "my"
    greeting=r"ciao|salve|buongiorno|buonasera",
    info_opener=r"avete|offrite|fate|c'e (?:un|una) (?!umano|operatore|persona|addetto)|bisogna|il vostro|la vostra",
    wh_opener=r"come|quando|qual[ei]?|dove|a che ora|quanto|fino a che ora",
    question=r"come|quando|qual[ei]?|dove|quanto|perche|posso|potete|avete|c'e|si puo|e possibile",
    support_detail=r"\b(?:orari\w*|apert[oa]|apre|chius[oa]|lunedi|martedi|mercoledi|giovedi|venerdi|sabato|domenica"
    r"|fine settimana|weekend|festivi|sera|mattina|ore|numero|gratis|gratuit[oa]|inglese|italiano|lingue?|24 ?h"
    r"|online)\b",
    channel=r"assistenza|servizio clienti|supporto|chat dal vivo|call center|team",
    medium=r"telefono|e-?mail|mail|whatsapp",
    frustration={
        "repeated contact": (
            r"\b(?:terza|3a|quarta|ennesima|centesima) volta\b|\bnessuno (?:mi )?(?:aiuta|fa niente)\b",
            r"\b(?:scritto|chiamato)\w* (?:gia )?(?:due|tre|varie|piu|\d+) volte\b|\bla stessa risposta\b",
            r"\bmi ignorate\b|\bgiro in tondo\b",
        ),
        "long wait or repeated problem": (
            r"\b(?:da|dopo) (?:due|tre|quattro|varie|\d+) (?:settimane|mesi)\b|\b(?:due|tre"
            r"|\d+) settimane fa e ancora\b",
            r"\b(?:di nuovo|ancora una volta) (?:rott[oa]|in ritardo|difettos[oa]|guast[oa])\b",
        ),
        "compensation demand": (r"\brisarciment\w*|\bindennizz\w*|\bcompensazione\b",),
        "threat to complain or leave": (
            r"\b(?:recensione negativa|una stella|zero stelle)\b|\bmai piu\b|\bnon compro piu\b",
        ),
        "insult toward the bot or the shop": (
            r"\b(?:bot|chat|servizio|siete|e) (?:\w+ )?(?:inutil[ei]|incompetent[ei]|pessim[oaie]|ridicol[oaie]"
            r"|una vergogna)\b|\bnon servi? a niente\b|\btruffa\w*|\bladri\b|\bpresa in giro\b|\bprend\w* in giro\b"
            r"|\bschifo\b",
        ),
        "angry wording": (
            r"\b(?:indignat\w*|indegn\w*|infuriat\w*|mi avete stufat\w*|vergognatevi|senza vergogna|che vergogna"
            r"|e il colmo|roba da matti|allucinante|una barzelletta|fa schifo|che schifo|ridicol[oaie])\b",
            r"\b(?:vergogn\w*|inaccettabile|scandal\w*|assurdo|inammissibile|indecente|furios[oa]|incazzat\w*"
            r"|non ne posso piu|ne ho abbastanza)\b|^\W*basta\W*(?:[,!.]|$)|\b(?:ora|adesso|e) basta\b",
            rf"\b(?:sono|molto|davvero|proprio|veramente|super) (?:\w+ )?{_FEELING}\b",
            r"\b(?:pessimo|pessima) (?:servizio|assistenza)\b|\b(?:servizio|assistenza) (?:pessim[oa]|scandalos[oa])\b",
            r"\b(?:siete|sei) (?:degli |dei |delle |proprio )?(?:incapaci|incompetenti|ladri|truffatori|inutili"
            r"|ridicoli|pessimi|una vergogna)\b|\bstufo marcio\b|\bne ho (?:le scatole piene|abbastanza)\b",
            r"\bnon e (?:normale|accettabile|possibile)\b|\bho perso la pazienza\b",
        ),
    },
    mild=(
        r"^\W*(?:di nuovo|ancora una volta|ancora)\s*:",
        r"\b(?:l'|lo )?ho gia chiesto\b|\bnessuno (?:mi )?(?:risponde|richiama)\b",
        rf"\b(?:un po'?|un poco|leggermente|abbastanza) (?:\w+ )?{_FEELING}",
        r"\b(?:seconda|2a) volta\b|\blo chiedo di nuovo\b|\bchiedo (?:di nuovo|ancora)\b|\baspetto ancora\b"
        r"|\bancora (?:niente|nessuna (?:risposta|notizia))\b",
    ),
    swearing=r"porca (?:miseria|puttana|vacca|\w+)|cazzo|merda|mannaggia|accidenti|che palle",
    problem=r"rott[oa]|non funziona|ancora|di nuovo|ritardo|pers[oa]|mai|niente|nessuno|dov'e|aspett\w*|rimborso"
    r"|difettos[oa]|guast[oa]",
    praise=r"fantastic\w*|bellissim\w*|stupend\w*|ottim\w*|perfett\w*|adoro|mi piace|geniale|bravissim\w*"
    r"|incredibil\w*|haha\w*",
    legal=(
        r"\bstorn\w*\b[^.?!]{0,30}\b(?:banca|carta)\b|\bstornar\w*|\bstorno (?:alla|con la|sulla|dalla) (?:banca"
        r"|carta)\b|\bchiedo lo storno\b|\bchargeback\b",
        r"\b(?:contestazione|contesto|contestare) (?:l'addebito|il pagamento|alla banca)\b|\bdisputa (?:su"
        r"|con) paypal\b",
        r"\b(?:un|mio|il mio) avvocat[oa]\b|\bvie legali\b|\bazioni legali\b|\bdenunc\w*|\bavvocat[oi]\b|\b(?:faro"
        r"|faccio|fare|far) causa\b|\bcausa legale\b|\b(?:un|al mio|il mio|mio) legale\b|\bcontestazione (?:con|su|a"
        r"|alla|presso) (?:la )?(?:paypal|banca|carta)\b|\btribunale\b",
        r"\bgiudice di pace\b|\bassociazion\w* (?:dei |di )?consumatori\b|\bcodacons\b|\bgarante (?:della "
        r"|per la )?(?:privacy|protezione)\b|\bagcm\b|\bantitrust\b",
    ),
    safety=(
        r"\bsi scalda (?:troppo|tantissimo|da morire)\b(?![^.!?]*\?)|\bbollente\b(?![^.!?]*\?)",
        r"\b(?:batteria|pila)\b[^.?!]{0,30}\bperde (?:liquido|acido)\b|\bcortocircuito\b",
        r"\bfumo\b|\bfumava\b|\bfumare\b|\bscintill\w*|\bpreso fuoco\b|\bin fiamme\b|\bfiamme\b|\bincendi\w*",
        r"\b(?:odore|puzza) di (?:bruciato|plastica)\b|\bbruciat[oa]\b|\bmi sono bruciat\w*|\bsciolt[oa]\b",
        r"\bgonfi(?:at[oa]|ata|ato|a)\b|\bsi e gonfiat\w*|\besplos[oa]\b|\besplosione\b|\besplod\w*",
        r"\bscossa\b|\bfulminat\w*|\bsurriscald\w*",
    ),
    hypothetical=r"puo|potrebbe|senza|non|mai|se",
    modal=r"puo|possono|potrebbe\w*|rischia\w*|possibile",
    safeguard=r"rischio|evitare|contro|protezione|rilevatore|anti\w*",
)
