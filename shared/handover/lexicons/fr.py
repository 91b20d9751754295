"""French ("personne" alone means nobody: a person is "une personne")."""

from __future__ import annotations

from shared.handover.lexicons.lexicon import Lexicon, either_order, followed_by

_PEOPLE = (
    r"quelqu'?un|(?:(?:un|une|le|la|l'|des|vos|votre|d'un|d'une) ?)?(?:vrai |vraie |autre )?(?:humain|conseill\w+"
    r"|operat(?:eur|rice)s?|superviseur|interlocut\w+|technicien\w*)|(?:un|une|le|la|l'|des|vos|votre|d'un|d'une|a un"
    r"|a une) ?(?:vrai |vraie |autre )?(?:personne|agent|responsable|employe\w*|manager|collegue)|etre humain"
    r"|personne (?:reelle|physique|en chair)|service client|service (?:apres-vente|technique|comptab\w*|factur\w*"
    r"|reclamations?)|membres? de (?:l'|votre |vos )?equipe|(?:contact|echange|interlocuteur|assistance) humaine?"
)
_TALK = r"transmet\w*|parler|discuter|echanger|joindre|contacter|passe[zr]?-?moi|passer|transfer\w*|avoir affaire"
_HANDLE = r"regard\w*|verifi\w*|examin\w*|trait\w*|s'occup\w*|voir|voie|gere\w*|gerer|prendre le relais|aid\w*|etudi\w*"
_WANT = r"avoir|veux|voudrais|souhait\w*|aimerais|prefere\w*|besoin|exige"
_FEELING = r"(?:agace|enerve|decu|fache|frustre|irrite|impatient|lasse)e?s?"

LEXICON = Lexicon(
    language="fr",
    person=(
        either_order(_TALK, _PEOPLE),
        either_order(_HANDLE, _PEOPLE, 25),
        followed_by(_WANT, _PEOPLE, 1),
        r"\b(?:mett\w*|mets)-? ?moi en (?:relation|contact)|\bme mettre en (?:relation|contact)",
        r"\btransfer\w*-? ?moi\b",
        r"^\W*(?:svp |s'il vous plait )?(?:un |une )?(?:humain|conseiller|agent|operateur|vraie personne)\W*(?:svp|stp"
        r"|s'il vous plait)?\W*$",
        r"\bun (?:etre )?humain\b|\bun conseiller\b|\bune (?:vraie personne|personne reelle)\b",
        r"\b(?:un|une|des) (?:conseill|agent|operat|humain|personne)\w* (?:est |sont )?(?:disponible|dispo|libre)s?\b",
        r"\bquelqu'?un (?:qui (?:puisse|peut|pourrait|sache)|de (?:votre|l'|chez))|\by a(?:-t-il| t il)? quelqu'?un\b",
    ),
    callback=(
        r"\betre (?:re)?contacte\w*|\bme (?:re)?contact(?:e|er|ent|iez)\b|\bme joindre\b|\bm'ecrire\b",
        r"\brappel\w*-? ?moi\b|\bme rappel(?:er|le|lent|liez)\b|\betre rappele\w*|\b(?:appele[zr]"
        r"|telephone[zr])-? ?moi\b|\bm'appeler\b|\bme telephoner\b",
    ),
    names_person=_PEOPLE,
    negation=(
        r"\bpas (?:besoin|la peine|de (?:conseiller|humain|transfert))\b|\binutile de\b|\bsans\b",
        r"\bne (?:veux|souhaite|cherche) pas\b|\bn'ai pas besoin\b",
    ),
    negator=r"pas|jamais|plus",
    clause_break=r"mais|plutot que|au lieu de",
    greeting=r"bonjour|bonsoir|salut|coucou",
    info_opener=r"(?:avez|proposez|offrez|faites)-?vous|vous (?:avez|proposez|faites|offrez)|est-ce que vous"
    r"|votre (?:service|equipe|sav)|y a-t-il un|faut-il|dois-je",
    wh_opener=r"comment|quand|quel(?:le)?s?|ou|a quelle heure|combien|jusqu'a quelle heure",
    question=r"comment|combien|quand|quel\w*|ou|pourquoi|est-ce|puis-je|pouvez|peut-on|avez|faut-il|dois-je",
    support_detail=r"\b(?:horaires?|ouvert\w*|ferme\w*|(?:lun|mar|mercre|jeu|vendre|same|diman)di|week-?end|feries?"
    r"|soir|matin|heures?|numero|gratuit|anglais|francais|espagnol|allemand|italien|langues?|24 ?h|en ligne)\b",
    channel=r"service client|sav|support|assistance|hotline|standard|chat en direct|equipe",
    medium=r"telephone|e-?mail|mail|courrier|whatsapp",
    frustration={
        "repeated contact": (
            r"\b(?:troisieme|3e|3eme|quatrieme|4e|nieme|enieme|centieme) fois\b|\bje tourne en rond\b",
            r"\bpersonne ne (?:\w+ )?(?:m'aide|fait rien|s'en occupe)\b|\bvous m'ignorez\b",
            r"\b(?:ecrit|relance|appele|contacte)\w* (?:deja )?(?:deux|trois|plusieurs|\d+) fois\b",
            r"\b(?:toujours )?la meme reponse\b",
        ),
        "long wait or repeated problem": (
            r"\b(?:depuis|ca fait|cela fait|il y a) (?:plus de |presque )?(?:un|une|deux|trois|quatre|plusieurs"
            r"|\d+) (?:semaines|mois)\b|\bj'attends depuis (?:des semaines|des mois|une eternite)\b",
            r"\b(?:encore|de nouveau) (?:casse|en retard|abime|defectueu\w*|en panne)\b|\bdeuxieme (?:\w+ )?(?:casse"
            r"|defectueu\w*|abime|en panne)\b",
        ),
        "compensation demand": (r"\bdedommag\w*|\bgeste commercial\b|\bindemnis\w*|\bcompensation\b",),
        "threat to complain or leave": (
            r"\b(?:mauvais|0|zero|1|une) (?:avis|etoile)s?\b|\bplus jamais\b|\bdernier achat chez vous\b",
        ),
        "insult toward the bot or the shop": (
            r"\b(?:bot|robot|chat|service|vous etes|c'est|ce site) (?:\w+ )?(?:inutile|nul|nulle|incompetent\w*"
            r"|lamentable|pitoyable|debile)\b|\bne sert a rien\b|\b(?:vous ne|tu ne|ne) compren\w* rien\b",
            r"\bvous etes (?:\w+ )?(?:nuls?|incompetents?|des (?:incompetents|escrocs|voleurs|amateurs|guignols"
            r"|clowns)|lamentables?)\b",
            r"\barnaque\w*|\bescroc\w*|\bvoleurs?\b|\bfoutage de gueule\b",
            r"\bvous (?:vous )?(?:fichez|foutez|moquez) (?:de|du|des)\b|\bvous me prenez pour\b",
        ),
        "angry wording": (
            r"\b(?:scandalise\w*|outre\w*|indigne\w*|ecoeure\w*|furax|furibond\w*|en rogne|a bout|je craque"
            r"|intolerable|pitoyable|deplorable|minable|abuse|c'est abuse|c'est (?:du vol|une blague|une honte)|(?:ca"
            r"|cela) commence a (?:bien )?faire|y en a marre|on se fout|se fout de|se fiche de)\b",
            r"\b(?:mauvais|pietre) service\b|\bservice (?:client )?(?:nul|lamentable|deplorable|minable)\b",
            r"\b(?:inadmissible|inacceptable|scandal\w*|honte\w*|lamentable|revoltant|insupportable|n'importe quoi"
            r"|ras[- ]le[- ]bol|marre|furieu\w*|en colere|exaspere\w*|excede\w*|degoute\w*|hors de moi"
            r"|trop c'est trop)\b",
            rf"\b(?:je suis|suis|tres|vraiment|tellement|trop|super|completement) (?:\w+ )?{_FEELING}\b",
            r"\bc'est pas (?:serieux|possible|normal)\b|\bce n'est pas (?:serieux|normal|acceptable)\b|\bca suffit\b",
            r"\bje n'en peux plus\b|\bj'en ai (?:ma claque|assez|plein le dos)\b|\bperd\w* (?:toute )?patience\b"
            r"|\bma patience a des limites\b",
        ),
    },
    mild=(
        r"^\W*(?:encore|de nouveau|a nouveau)\s*:",
        r"\bj'ai deja (?:demande|pose (?:la|cette) question)\b|\bje l'ai deja demande\b",
        rf"\b(?:un peu|legerement|un brin) (?:\w+ )?{_FEELING}",
        r"\b(?:deuxieme|2e|2eme|seconde) fois\b|\bje (?:re)?pose (?:encore |de nouveau )?(?:la|ma) question\b",
        r"\bpersonne ne (?:me )?(?:repond|rappelle)\b|\bredemande\w*|\bj'attends (?:toujours|encore)\b"
        r"|\btoujours (?:rien|pas de (?:reponse|nouvelles))\b",
    ),
    swearing=r"putain|merde|bordel|fait chier|chier|connerie|p\*tain",
    problem=r"cass\w*|marche pas|fonctionne pas|toujours|encore|retard|perdu|jamais|rien|personne|ou est|attend\w*"
    r"|rembours\w*|defectueu\w*|panne",
    praise=r"genial|super|top|trop bien|incroyable|dingue|magnifique|parfait|excellent|adore|bravo|cool|mdr|ptdr",
    legal=(
        r"\bopposition\b|\b(?:fais|faire|ferai) opposition\b|\bopposition (?:aupres de|a|sur) (?:ma|la) (?:banque"
        r"|carte)\b",
        r"\b(?:contester|rejeter|faire rejeter) (?:le |ce )?(?:paiement|prelevement|debit)\b",
        r"\b(?:litige|reclamation|contestation) (?:avec|aupres de|sur) (?:paypal|ma banque|la banque)\b",
        r"\bchargeback\b|\b(?:ouvert|ouvrir|ouvre) un litige\b|\blitige (?:paypal|bancaire|avec (?:paypal"
        r"|ma banque))\b",
        r"\b(?:mon|un|des|les|mes|nos) avocats?\b|\bmise en demeure\b|\bporte\w* plainte\b|\bplainte (?:contre"
        r"|aupres)\b|\btribuna(?:l|ux)\b",
        r"\bpoursuites judiciaires\b|\ben justice\b|\bjudiciaire\w*|\bsaisi\w* (?:la justice|le tribunal"
        r"|le mediateur)\b|\bdgccrf\b|\bque choisir\b|\bsignalconso\b|\bmediateur\b",
        r"\bcnil\b|\bassociation de consommateurs\b|\brepression des fraudes\b|\bsignaler (?:votre|vous)\b",
    ),
    safety=(
        r"\bchauffe (?:enormement|beaucoup trop|trop|tellement)\b(?![^.!?]*\?)|\bbrulant\w*(?![^.!?]*\?)",
        r"\b(?:batterie|pile)s?\b[^.?!]{0,30}\b(?:fui\w*|coule\w*)\b|\bcourt-circuit\b",
        r"\b(?:a|avait|qui|ont) fume\b|\bfumee\b|\bfumait\b|\betincel\w*|\bpris feu\b|\ben feu\b|\bflammes\b",
        r"\bbrul\w*|\bodeur de (?:cram|plastique)|\bcram\w*|\b(?:a|ont|commence a) fond(?:u|re)\b|\bplastique fondu\b",
        r"\bgonfl(?:e|ee|es|ees|ait|ent)\b|\bexplos\w*|\bdecharge electrique\b|\bpris (?:une|la) (?:decharge|jus)\b",
        r"\belectrocut\w*|\bsurchauff\w*",
    ),
    hypothetical=r"est-ce|peut-il|peut-elle|pourrait|sans|pas|jamais|si",
    modal=r"peut|peuvent|pourrai\w*|risque\w*|possible",
    safeguard=r"risque|eviter|contre|protection|detecteur|anti\w*",
)
