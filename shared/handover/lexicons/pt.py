"""Portuguese, Brazilian and European ("basta" alone also means "it is enough to")."""

from __future__ import annotations

from shared.handover.lexicons.lexicon import Lexicon, either_order, followed_by

_PEOPLE = (
    r"alguem|(?:atendente|humano|agente|operador\w*|consultor\w*|responsavel|supervisor\w*|gerente|funcionari[oa]"
    r"|representante)|(?:uma|a|outra) pessoa|pessoa (?:de verdade|real|humana)|ser humano|atendimento(?: humano)?"
    r"|suporte|(?:o )?(?:setor|departamento) \w+"
)
_TALK = r"falar|conversar|passa|passe|passar|transfer\w*|me coloca|me coloque|encaminh\w*"
_HANDLE = r"verific\w*|verifiqu\w*|ver|olh\w*|analis\w*|chec\w*|ajud\w*|resolv\w*|cuid\w*|avali\w*|revis\w*"
_WANT = r"ter|quero|queria|gostaria de|preciso de|preciso|prefiro|exijo"
_FEELING = r"(?:(?:chatead|irritad|frustrad|brav|aborrecid|decepcionad|insatisfeit|cansad|fart)[oa]|impaciente)s?"

LEXICON = Lexicon(
    language="pt",
    person=(
        either_order(_TALK, _PEOPLE),
        either_order(_HANDLE, _PEOPLE, 25),
        followed_by(_WANT, _PEOPLE, 2),
        r"^\W*(?:por favor )?(?:um |uma )?(?:atendente|humano|pessoa)\W*(?:por favor|pfv|pf)?\W*$",
        r"\b(?:algum|um|uma|alguma) (?:atendente|pessoa|humano|agente)\w* disponive\w*",
        r"\btem alguem\b|\balguem que (?:possa|pode|tenha|saiba)\b|\bpessoa de verdade\b",
    ),
    callback=(
        r"\bme (?:liga|ligam)\b",
        r"\b(?:entr\w* em contato|falar) comigo\b|\bme (?:contatar|contactar|contate|contatem)\b",
        r"\bser (?:atendid|contatad|contactad)[oa]\b|\bme (?:ligar|liguem|ligue|ligam|ligasse\w*|retornar|retorne"
        r"|retornem)\b|\b(?:um )?retorno (?:por|via) (?:telefone|e-?mail|ligacao)\b|\bligar de volta\b"
        r"|\bligacao de volta\b",
    ),
    names_person=_PEOPLE,
    negation=(r"\bnao (?:preciso|quero|e necessario|precisa|precisam)\b|\bsem (?:falar|precisar)\b",),
    negator=r"nao|nunca|nem",
    clause_break=r"mas|em vez de|ao inves de",
    greeting=r"ola|oi|bom dia|boa tarde|boa noite",
    info_opener=r"(?:voces )?(?:tem (?!alguem|algu\w* (?:atendente|humano|pessoa))|oferecem|fazem)|e preciso"
    r"|o (?:atendimento|suporte)",
    wh_opener=r"como|quando|qual|onde|que horas|a que horas|quanto|ate que horas",
    question=r"como|quando|qual|onde|quanto|por que|porque|posso|podem|tem|e possivel|da para",
    support_detail=r"\b(?:horarios?|abert[oa]|abre|fecha|fechad[oa]|segunda|terca|quarta|quinta|sexta|sabados?"
    r"|domingos?|fim de semana|feriados?|noite|manha|horas?|numero|gratis|gratuit[oa]|ingles|portugues|idiomas?|24 ?h"
    r"|online)\b",
    channel=r"atendimento|suporte|sac|chat ao vivo|central|equipe",
    medium=r"telefone|e-?mail|whatsapp",
    frustration={
        "repeated contact": (
            r"\b(?:terceira|3a|quarta|enesima) vez\b|\bninguem (?:me )?(?:resolve|ajuda|faz)\b",
            r"\b(?:escrevi|liguei|reclamei)\w* (?:ja )?(?:duas|tres|varias|\d+) vezes\b|\ba mesma resposta\b",
            r"\bme ignoram\b|\bandando em circulos\b",
        ),
        "long wait or repeated problem": (
            r"\bha (?:duas|tres|quatro|varias|\d+) (?:semanas|meses)\b|\b(?:duas|tres|\d+) semanas (?:esperando"
            r"|e nada)\b",
            r"\b(?:de novo|outra vez|novamente) (?:quebrad[oa]|atrasad[oa]|com defeito)\b",
        ),
        "compensation demand": (r"\bindeniza\w*|\bcompensacao\b|\bressarcimento\b",),
        "threat to complain or leave": (
            r"\b(?:avaliacao negativa|uma estrela|zero estrelas)\b|\bnunca mais (?:compro|peco)\b|\breclame aqui\b",
        ),
        "insult toward the bot or the shop": (
            r"\b(?:bot|chat|atendimento|voces sao|isso e) (?:\w+ )?(?:inutil|incompetentes?|pessim[oa]|uma piada"
            r"|um lixo|uma porcaria)\b|\bnao serve para nada\b|\bgolpe\w*|\bladroes\b|\bpalhacada\b|\bdescaso\b",
        ),
        "angry wording": (
            r"\b(?:desrespeito|falta de respeito|palhacada|uma piada|vergonhoso|lamentavel|inadmissivel|estou put[oa]"
            r"|puta da vida|revoltante|safados|que absurdo|nao da mais)\b",
            r"\b(?:de|so pode ser) brincadeira\b|\b(?:servico|atendimento) (?:horrivel|pessimo|ruim)\b",
            r"\b(?:vergonha|absurdo|inaceitavel|ridicul[oa]|revoltad[oa]|furios[oa]|indignad[oa]|que saco"
            r"|nao aguento mais|to farto|estou farto|estou farta|farto|farta)\b",
            rf"\b(?:estou|to|muito|super|realmente|totalmente) (?:\w+ )?{_FEELING}\b",
            r"\b(?:pessimo|mau|horrivel) (?:atendimento|servico)\b|\b(?:atendimento|servico) (?:pessimo|horrivel)\b",
            r"\b(?:voces sao|sao) (?:uns |umas )?(?:incompetentes|inuteis|ladroes|golpistas|uma piada|uma vergonha"
            r"|pessimos)\b|\bsaco cheio\b|\bcansei\b",
            r"\bnao e (?:normal|serio|aceitavel)\b|\bperdi a paciencia\b",
        ),
    },
    mild=(
        r"^\W*(?:de novo|novamente|outra vez)\s*:",
        r"\bninguem (?:me )?(?:responde|retorna)\b|\bja perguntei\b|\bperguntei (?:antes|ontem)\b",
        rf"\b(?:meio|um pouco|um tanto|ligeiramente) (?:\w+ )?{_FEELING}",
        r"\b(?:segunda|2a) vez\b|\bpergunto (?:de novo|novamente|outra vez)\b|\bcontinuo esperando\b|\bainda (?:nada"
        r"|sem resposta|estou esperando|aguardando)\b",
    ),
    swearing=r"porra|merda|caralho|puta merda|droga|caramba|pqp",
    problem=r"quebr\w*|nao funciona|ainda|de novo|atrasad[oa]|perdid[oa]|nunca|nada|ninguem|cade|esperando|reembolso"
    r"|defeito",
    praise=r"adorei|amei|otim[oa]|incrivel|perfeit[oa]|maravilh\w*|show|demais|lind[oa]|top|kkk+|haha\w*|rs+",
    legal=(
        r"\bcontestar (?:a |essa |esta )?(?:compra|cobranca)\b|\bestorno\b[^.?!]{0,30}\b(?:banco|cartao)\b|\b(?:banco"
        r"|cartao)\b[^.?!]{0,30}\bestorno\b|\bchargeback\b",
        r"\b(?:abrir|abri|abro|vou abrir) (?:uma )?disputa\b|\bdisputa (?:no|com o) paypal\b",
        r"\badvogad[oa]s?\b|\bcontesta\w* (?:no|do|com o) (?:cartao|banco)\b|\b(?:vou|vamos) (?:te "
        r"|lhes? )?processar\b|\bprocessar (?:voces|a (?:empresa|loja))\b|\bprocesso judicial\b|\bjustica\b"
        r"|\bjuizado\b|\bpequenas causas\b|\bentrar com (?:um |uma )?(?:processo|acao)\b",
        r"\banpd\b|\bcnpd\b|\bdeco proteste\b|\bprocon\b|\basae\b|\blivro de reclamacoes\b|\bconsumidor\.gov\b"
        r"|\bacao judicial\b",
    ),
    safety=(
        r"\besquenta (?:muito|demais|absurdo)\b(?![^.!?]*\?)|\bpelando\b(?![^.!?]*\?)",
        r"\bbateria\b[^.?!]{0,30}\bvaza\w*|\bcurto[- ]circuito\b",
        r"\bfumaca\b|\bsoltou fumo\b|\bfaisc\w*|\bpegou fogo\b|\bem chamas\b|\bchamas\b|\bincendi\w*",
        r"\bcheiro (?:de|a) queimado\b|\bqueimou\b|\bqueimad[oa]\b|\bme queimei\b|\bderret\w*",
        r"\binchad[oa]\b|\binchou\b|\bestufad[oa]\b|\bestufou\b|\bexplod\w*|\bexplosao\b",
        r"\bchoque\b|\beletrocut\w*|\bsuperaquec\w*",
    ),
    hypothetical=r"pode|poderia|sem|nao|nunca|se",
    modal=r"pode|podem|poderia\w*|possivel|corre risco",
    safeguard=r"risco|evitar|contra|protecao|prova|detector|anti\w*",
)
