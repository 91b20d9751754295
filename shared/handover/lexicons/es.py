"""Spanish."""

from __future__ import annotations

from shared.handover.lexicons.lexicon import Lexicon, either_order, followed_by

_PEOPLE = (
    r"alguien|(?:humano|agente|asesor\w*|representante|operador\w*|empleado\w*|encargad[oa]|supervisor\w*|gerente"
    r"|responsable)|(?:un|una|la|otra) persona|persona (?:real|de verdad|humana)|ser humano|atencion al cliente"
    r"|servicio (?:de atencion )?al cliente|soporte|(?:el )?departamento de \w+"
)
_TALK = (
    r"atienda|atiendan|atender\w*|hablar|comunicarme|contactar|pas(?:ar|a|as|e|en|an|ame|eme|adme)|comuniqueme"
    r"|transfier\w+|transferir\w*"
)
_HANDLE = r"revis\w*|mir[ae]\w*|ver|verific\w*|comprob\w*|ayud\w*|gestion\w*|encarg\w*|resolv\w*|ocup\w*"
_WANT = r"quiero|quisiera|necesito|me gustaria|prefiero|exijo|pido"
_FEELING = r"(?:molest|enfadad|enojad|cansad|hart|frustrad|decepcionad|irritad|impacient)[oa]s?"

LEXICON = Lexicon(
    language="es",
    person=(
        either_order(_TALK, _PEOPLE),
        either_order(_HANDLE, _PEOPLE, 25),
        followed_by(_WANT, _PEOPLE, 2),
        r"^\W*(?:por favor )?(?:un |una )?(?:humano|agente|asesor|persona real|persona)\W*(?:por favor|porfa)?\W*$",
        r"\b(?:algun|un|una|alguna) (?:agente|asesor|persona|operador|humano)\w* disponibles?\b",
        r"\bhay alguien\b|\b(?:alguien|persona) (?:real|de verdad)\b|\balguien que (?:pueda|puede|tenga|sepa)\b",
    ),
    callback=(
        r"\bllam(?:ame|adme|enme)\b",
        r"\bme (?:puede|pueden|podria|podrian|podeis|puedes) (?:llamar|escribir|contactar)\b|\bser atendid[oa]\b"
        r"|\bcontactar(?:me|nos)\b|\bme contact\w+|\bescribirme\b|\bpongan? en contacto conmigo\b",
        r"\bque me llam(?:en|e|aran|ara|asen|ase)\b|\bllam(?:enme|arme|adme)\b|\bme (?:llame|llamen|llamas"
        r"|puede llamar|pueden llamar|devuelvan la llamada)\b",
    ),
    names_person=_PEOPLE,
    negation=(
        r"\bno (?:necesito|hace falta|quiero|es necesario|hay que|me (?:pase|pases|pasen|transfiera))\b|\bsin\b",
    ),
    negator=r"no|nunca|ni",
    clause_break=r"pero|sino|en vez de|en lugar de",
    greeting=r"hola|buenas|buenos dias|buenas tardes",
    info_opener=r"tienen|tiene|ofrecen|ofrece|hacen|hay que|es necesario|su (?:servicio|equipo)",
    wh_opener=r"como|cuando|cual|donde|a que hora|cuanto|hasta que hora",
    question=r"como|cuando|cual|donde|cuanto|por que|que|puedo|pueden|tienen|hay|se puede|es posible",
    support_detail=r"\b(?:horarios?|abiert[oa]|abre|cierra|cerrad[oa]|lunes|martes|miercoles|jueves|viernes|sabados?"
    r"|domingos?|fin(?:es)? de semana|festivos?|noche|manana|horas?|numero|gratis|gratuit[oa]|ingles|espanol|idiomas?"
    r"|24 ?h|en linea)\b",
    channel=r"atencion al cliente|servicio (?:de atencion )?al cliente|soporte|chat en vivo|linea|equipo",
    medium=r"telefono|correo|e-?mail|whatsapp",
    frustration={
        "repeated contact": (
            r"\b(?:tercera|3a|cuarta|enesima) vez\b|\bnadie (?:me )?(?:ayuda|hace nada)\b",
            r"\b(?:escrito|llamado|reclamado)\w* (?:ya )?(?:dos|tres|varias|\d+) veces\b|\bla misma respuesta\b",
            r"\bdando vueltas\b|\bme ignoran\b",
        ),
        "long wait or repeated problem": (
            r"\b(?:un|una|dos|tres|cuatro|varias|\d+) (?:semanas?|mes|meses) (?:esperando|sin)\b|\bllevo (?:un|una|dos"
            r"|tres|varias|\d+) (?:semanas|meses)\b|\b(?:tambien|otra vez|de nuevo) (?:llego |esta |vino )?(?:rot[oa]"
            r"|danad[oa]|defectuos[oa]|tarde)\b",
        ),
        "compensation demand": (r"\bcompensacion\b|\bindemniza\w*|\bexijo (?:el|un|mi) (?:reembolso|dinero)\b",),
        "threat to complain or leave": (
            r"\b(?:mala|0|cero|una) (?:resena|estrella)s?\b|\bnunca mas (?:compro|pido)\b|\bno vuelvo a comprar\b",
        ),
        "insult toward the bot or the shop": (
            r"\bno sirve(?:s|n)? para nada\b|\b(?:bot|chat|servicio|ustedes son|esto es) (?:\w+ )?(?:inutil|penoso"
            r"|pesimo|una basura|un desastre)\b|\bestafa\w*|\bladrones\b|\bme toman el pelo\b|\btomadura de pelo\b",
        ),
        "angry wording": (
            r"\b(?:inadmisible|cabread\w*|mosquead\w*|indignad\w*|impresentable|sinverguenzas?|cachondeo|un timo"
            r"|de risa|no hay derecho|es el colmo|ya esta bien|basta ya|una tomadura de pelo|lamentable|penoso)\b",
            r"\bservicio (?:mas |tan |muy )?(?:malo|pesimo|horrible|lamentable|penoso)\b|\bme toman por tont[oa]\b",
            r"\bhasta (?:las narices|el gorro|la coronilla|los huevos)\b|\b(?:pesimo|mal|malisimo) servicio\b",
            r"\b(?:verguenza|vergonzoso|inaceptable|indignante|intolerable|increible que|el colmo|ya basta|absurdo"
            r"|furios[oa]|indignad[oa]|(?<!poco )hart[oa]s?)\b",
            r"\b(?:son|sois|eres) (?:unos? |unas? )?(?:incompetentes?|inutiles?|ladrones|estafadores|un desastre"
            r"|una verguenza|penosos?)\b|\bno puedo mas\b|\bestoy hasta\b",
            r"\b(?:es|esto es) un robo\b|\b(?:que|un|menudo|vaya) desastre\b|\buna chapuza\b|\btom\w* el pelo\b",
            rf"\b(?:estoy|muy|super|realmente|totalmente) (?:\w+ )?{_FEELING}\b",
            r"\bno es (?:normal|serio|aceptable)\b|\bes una broma\b|\bse me acaba la paciencia\b",
        ),
    },
    mild=(
        r"^\W*(?:otra vez|de nuevo)\s*:",
        r"\bnadie (?:me )?(?:dice|responde|contesta)\b|\bya (?:lo )?pregunte\b|\blo pregunte (?:ayer|antes)\b",
        rf"\b(?:un poco|algo|un tanto|medio) (?:\w+ )?{_FEELING}",
        r"\b(?:segunda|2a) vez\b|\bvuelvo a preguntar\b|\bpregunto (?:otra vez|de nuevo)\b|\bsigo esperando\b"
        r"|\bsigo sin (?:respuesta|noticias)\b",
    ),
    swearing=r"joder|mierda|hostia\w*|cono|carajo|me cago|puta madre",
    problem=r"rot[oa]|no funciona|todavia|otra vez|tarde|perdid[oa]|nunca|nada|nadie|donde esta|esperando|reembolso"
    r"|defectuos[oa]",
    praise=r"pasada|brutal|flipante|bestial|genial|increible|buenisim\w*|bien|encanta\w*|perfect[oa]|maravilla|guay"
    r"|chulo|jaja\w*",
    legal=(
        r"\b(?:anul|retroced|revert|bloque)\w* (?:el |ese |este )?(?:cargo|cobro)\b|\bcontracargo\b"
        r"|\bbanco\b[^.?!]{0,40}\b(?:anul|cancel|retroced|revert|devuelv|bloque)\w* (?:el |ese |este )?(?:cargo|cobro"
        r"|pago)\b|\b(?:devolucion|anulacion|retrocesion) del (?:cargo|cobro)\b|\bchargeback\b"
        r"|\banular (?:el )?(?:cargo|pago) (?:con|en) (?:el|mi) banco\b",
        r"\breclam\w* (?:el |un |este )?(?:cargo|cobro|pago) (?:a|al|con|en) (?:mi|el) banco\b|\bjuicio\b",
        r"\b(?:reclamacion|disputa) (?:con|en|a) (?:paypal|el banco|mi banco|la tarjeta)\b",
        r"\breclamacion (?:al|con el|en el) banco\b|\babrir una disputa\b|\bdisputa (?:en|con) paypal\b",
        r"\babogad[oa]s?\b|\b(?:poner|pondre|presentar) una demanda\b|\bdemandar\w*|\bdenuncia\w*"
        r"|\b(?:los )?tribunal\w*|\bjuzgado\b",
        r"\bvia judicial\b|\bacciones legales\b|\b(?:reclamacion|denuncia) (?:en|a) consumo\b"
        r"|\bhoja de reclamaciones\b|\bomic\b|\bfacua\b|\bocu\b|\baepd\b|\bproteccion de datos\b",
    ),
    safety=(
        r"\bse calienta (?:muchisimo|demasiado|un monton)\b(?![^.!?]*\?)|\bquema al tocar\w*",
        r"\b(?:bateria|pila)s?\b[^.?!]{0,30}\b(?:fuga|pierde liquido|gotea)\w*|\bcortocircuito\b",
        r"\bhumo\b|\bhumea\w*|\bchispa\w*|\bse (?:incendio|prendio|quemo)\b|\bprendio fuego\b|\ben llamas\b",
        r"\bquemad[oa]\b|\bolor a quemado\b|\bme queme\b|\bme quemo\b|\bderriti\w*|\bse derritio\b",
        r"\bhinchad[oa]\b|\babultad[oa]\b|\bse hincho\b|\binflad[oa]\b|\babombad[oa]\b|\bexplot\w*|\bexplosion\b",
        r"\bcalambr\w*|\bdescarga electrica\b|\bme dio corriente\b|\belectrocut\w*|\bsobrecalent\w*",
    ),
    hypothetical=r"puede|podria|sin|no|nunca|si",
    modal=r"puede|pueden|podria\w*|posible",
    safeguard=r"riesgo|evitar|contra|proteccion|detector|anti\w*",
)
