"""Facts parsed out of the text of one treatment or exercise: a dosage grammar.

``parse_dosage(text, name)`` reads how long a position is held, how many
repetitions and sets, how long to rest, how long an activity lasts and how
often to do it, in English, German, French and Spanish, and keeps for every
fact the exact phrase it was read from, so a reader can check it.
``table_dosage(header, cells)`` reads a table row by its column names;
``plan_dosage(text)`` reads a plan-wide line ("2-3 sets of 8-12 reps for each
exercise") that ``Dosage.merged_with`` applies to the items it covers.

How it reads, and why this way rather than a stack of regexes:

1. The cheap test first: a sentence with no digit and none of the words a
   rule starts from (number words, "daily", "per"...) is skipped; most of an
   exercise's text describes the movement.
2. The rest is cut into tokens (numbers, words, punctuation) by one linear
   regex; number words ("twenty-five", "drei", "vingt-cinq", "treinta y
   cinco", "a dozen", "half a minute", "twice") become number tokens.
3. One left-to-right pass looks at each number and the noun after it: a time
   unit, a repetition noun ("reps", "Wiederholungen", "fois"), a set noun
   ("sets", "Sätze", "séries"), "x" ("3 x 10"), "times" (reps, or a
   frequency when "a week" follows). Only then are the words around it
   consulted: the nearest cue in the same sentence decides whether seconds
   are a hold ("hold", "keep the stretch", "halten", "maintenez", "mantén",
   an English "pause for 2 seconds at the top"), rest ("rest", "break",
   "Pause", "repos", "descanso", "between sets") or the duration of an
   activity ("walk", "jog", "30 minutes of cardio").
4. The first statement of each fact wins (a beginner's dose comes first);
   a range keeps both ends ("8-12 reps": 8, max 12).

Every step looks at a bounded window around one token, so the cost is
linear in the text; text past ``MAX_CHARS`` is not read (no item states its
dosage 20,000 characters in). None of the public functions raises on any
input (``STRICT`` makes the property tests see what would have).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

#: Set by the property tests: a bug then raises instead of reading as "no fact".
STRICT = False


def _never_raises(default):
    """Pathological input gives ``default`` (no fact) rather than a crash of the extract stage."""
    def wrap(function):
        @functools.wraps(function)
        def safe(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception:
                if STRICT:
                    raise
                return default
        return safe
    return wrap

# --------------------------------------------------------------------------
# Number words

_EN = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
       "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
       "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
       "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
_DE_ONES = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_DE_TENS = {"zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60,
            "siebzig": 70, "achtzig": 80, "neunzig": 90}
_DE = {"eins": 1, "zwo": 2, **{k: v for k, v in _DE_ONES.items() if k != "ein"}, "zehn": 10, "elf": 11,
       "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18,
       "neunzehn": 19, **_DE_TENS, "hundert": 100, "eineinhalb": 1.5, "anderthalb": 1.5, "zweieinhalb": 2.5,
       # einundzwanzig .. neunundneunzig
       **{one + "und" + ten: v1 + v10 for one, v1 in _DE_ONES.items() for ten, v10 in _DE_TENS.items()}}
_FR = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
       "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "trente": 30,
       "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100}
_ES = {"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
       "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciséis": 16, "dieciseis": 16,
       "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintidós": 22,
       "veintidos": 22, "veintitrés": 23, "veintitres": 23, "veinticuatro": 24, "veinticinco": 25, "veintiséis": 26,
       "veintiseis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
       "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100}
# Italian ("uno" and "una" are Spanish too; "due" and "sei" count only
# before a unit, as every number word here does: "due volte", "sei serie").
_IT = {"due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
       "undici": 11, "dodici": 12, "tredici": 13, "quattordici": 14, "quindici": 15, "sedici": 16,
       "diciassette": 17, "diciotto": 18, "diciannove": 19, "venti": 20, "trenta": 30, "quaranta": 40,
       "cinquanta": 50, "sessanta": 60, "cento": 100}
_LEXICON: dict[str, float] = {**_IT, **_ES, **_FR, **_DE, **_EN}
# Words that take a units word after them: "twenty-five", "vingt-cinq", "dix-sept", "treinta y cinco".
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "dix": 10,
         "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80,
         "noventa": 90}
# "Once" is English for one time, except in Spanish before a noun ("once repeticiones" = 11).
_LEXICON.pop("once")
# A count with "times" built in: "repeat twice", "zweimal täglich", "zehnmal".
_TIMES_WORDS = {"once": 1, "twice": 2, "thrice": 3, "einmal": 1, "doppio": 2,
                **{w + "mal": v for w, v in _DE.items() if v == int(v) and 2 <= v <= 20}}
# Articles count as one only before a unit: "a minute", "eine Minute", "une minute", "un minuto".
_ARTICLES = frozenset({"a", "an", "ein", "eine", "einer", "einen", "einem", "un", "une", "una"})
_HALF = frozenset({"half", "halbe", "halben", "halb", "demi", "demie", "medio", "media", "mezzo", "mezza"})
_AND = frozenset({"and", "und", "et", "y", "e"})

#: Every single number word the grammar knows, with its value (English, German, French, Spanish).
NUMBER_WORDS: dict[str, float] = {**_LEXICON, "a": 1, "an": 1, "once": 11, "half a": 0.5, "a half": 0.5}

# --------------------------------------------------------------------------
# Nouns after a number

_TIME_UNITS = {  # word -> (seconds, language it is unambiguously from, or "")
    "s": (1, ""), "sec": (1, ""), "secs": (1, ""), "second": (1, "en"), "seconds": (1, "en"),
    "sek": (1, "de"), "sekunde": (1, "de"), "sekunden": (1, "de"), "seconde": (1, "fr"), "secondes": (1, "fr"),
    "segundo": (1, "es"), "segundos": (1, "es"), "seg": (1, "es"), "segs": (1, "es"),
    "min": (60, ""), "mins": (60, ""), "minute": (60, ""), "minutes": (60, ""), "minuten": (60, "de"),
    "minuto": (60, "es"), "minutos": (60, "es"), "mn": (60, "fr"),
    "h": (3600, ""), "hr": (3600, "en"), "hrs": (3600, "en"), "hour": (3600, "en"), "hours": (3600, "en"),
    "stunde": (3600, "de"), "stunden": (3600, "de"), "std": (3600, "de"), "heure": (3600, "fr"),
    "heures": (3600, "fr"), "hora": (3600, "es"), "horas": (3600, "es"),
    "secondi": (1, "it"), "minuti": (60, "it"), "ore": (3600, "it"), "ora": (3600, "it"),
}
_REP_NOUNS = frozenset({"rep", "reps", "repetition", "repetitions", "wiederholung", "wiederholungen", "wdh", "wdhl",
                        "répétition", "répétitions", "rép", "reps", "repetición", "repeticion", "repeticiones",
                        "ripetizione", "ripetizioni", "rip"})
_TIMES_NOUNS = frozenset({"times", "x", "mal", "fois", "veces", "vez", "volte", "volta"})
_SET_NOUNS = frozenset({"set", "sets", "round", "rounds", "circuits", "satz", "sätze", "sätzen", "serie", "serien",
                        "durchgang", "durchgänge", "durchgängen", "runde", "runden", "série", "séries", "series",
                        "tours", "ronda", "rondas", "circuitos", "giri", "circuiti"})
_DAY_NOUNS = frozenset({"day", "days", "tag", "tage", "tagen", "jour", "jours", "día", "días", "dia", "dias",
                        "giorno", "giorni"})
_PERIOD_WORDS = {"day": "day", "tag": "day", "jour": "day", "día": "day", "dia": "day", "giorno": "day",
                 "week": "week", "woche": "week", "semaine": "week", "semana": "week", "settimana": "week"}
_PERIOD_ADVERBS = {"daily": "day", "täglich": "day", "quotidiennement": "day", "diariamente": "day",
                   "quotidianamente": "day", "settimanali": "week",
                   "weekly": "week", "wöchentlich": "week", "semanales": "week", "diarias": "day"}
_PERIOD_LINKS = frozenset({"a", "an", "per", "each", "every", "pro", "am", "in", "der", "die", "par", "au", "al",
                           "la", "por", "cada", "/", "times", "alla", "ogni"})
# Adjectives allowed between a count and its noun: "10 slow repetitions".
_FILLERS = frozenset({"slow", "full", "more", "controlled", "gentle", "small", "big", "deep", "quick", "easy", "hard",
                      "total", "additional", "further", "good", "short", "long", "complete", "langsame", "weitere",
                      "lentes", "lentas", "complètes", "completas", "lente", "complete"})
# Between a count and its noun, words that add to what was just done: "then
# do two more sets" is three sets in all, "repeat 3 more times" four times.
_ADDED = frozenset({"more", "additional", "further", "weitere", "weiteren"})
# After "times": a comparison, not a count ("3 times more likely").
_NOT_COUNT_AFTER = frozenset({"more", "less", "higher", "lower", "greater", "larger", "smaller", "longer", "shorter",
                              "faster", "as", "the", "that", "than", "likely", "bigger", "better", "worse", "stronger",
                              "weaker", "mehr", "weniger", "höher", "größer", "plus", "moins", "más", "menos", "so",
                              "aussi", "tan", "over"})
# Units that make a number something else: a weight, a distance, a share, energy, an age.
_OTHER_UNITS = frozenset({"%", "percent", "per", "prozent", "pour", "por", "kg", "kgs", "kilo", "kilos", "lb", "lbs",
                          "pounds", "pound", "g", "mg", "miles", "mile", "mi", "km", "kms", "kilometers", "kilometres",
                          "kilometer", "m", "meters", "metres", "meter", "yards", "yard", "yd", "feet", "foot", "ft",
                          "inches", "in", "cm", "calories", "kcal", "cal", "years", "year", "jahre", "jahren", "ans",
                          "años", "steps", "schritte", "pas", "pasos"})
_DISTANCE_UNITS = frozenset({"m", "meters", "metres", "meter", "metre", "km", "yards", "yard", "yd", "miles", "mile",
                             "mi", "ft", "feet", "mètres", "metros"})
# What a count of a movement's own repetitions may be called: "Do 10
# circles in each direction", "8 switches per side", "20 pulses".
_MOVEMENT_COUNTS = frozenset({"circles", "switches", "rotations", "pulses", "taps", "kicks", "swings", "rolls",
                              "bounces", "squeezes", "kreise", "cercles", "círculos", "circulos"})
_TOP_OF_MOVE = frozenset({"top", "bottom", "peak", "end", "oben", "unten", "haut", "bas", "arriba", "abajo"})
_RANGE_LINKS = frozenset({"-", "–", "—", "‒", "−", "to", "or", "bis", "à", "a", "au", "oder", "ou", "o"})
_BETWEEN = frozenset({"between", "zwischen", "entre", "tra", "fra"})
_SETS_OF = frozenset({"of", "zu", "je", "à", "a", "de", "con", "mit", "with", "x", "×", "*", "von", "each", "da", "di"})
_CIRCUIT = frozenset({"circuit", "circuits", "routine", "workout", "zirkel", "circuito", "rutina", "parcours"})
_REPEAT_VERBS = frozenset({"repeat", "do", "perform", "complete", "wiederholen", "wiederhole", "wiederholt",
                           "machen", "mache", "macht", "répétez", "répéter", "faites", "refaites", "repite", "repetir",
                           "haz", "realiza", "realice", "repita", "ripeti", "ripetere", "ripeta", "esegui", "eseguire",
                           "esegua", "fai", "faccia"})
_X = frozenset({"x", "×", "*"})
# Before a duration: not one ("in 30 seconds", "after 10 minutes").
_NOT_DURATION_BEFORE = frozenset({"after", "within", "in", "nach", "innerhalb", "après", "dans", "en", "después",
                                  "tras", "dentro", "ago", "last", "first", "every", "alle", "toutes", "cada",
                                  "under", "than", "unter", "dopo", "entro"})
_EVERY = frozenset({"every", "alle", "cada", "toutes", "todas", "ogni"})
_FOR = frozenset({"for", "für", "pendant", "durante", "während", "lang", "long"})
_APPROX = frozenset({"about", "around", "approximately", "approx", "roughly", "at", "least", "up", "to", "ca", ".",
                     "etwa", "mindestens", "circa", "environ", "au", "moins", "unos", "unas", "aproximadamente",
                     "al", "menos", "~", "another", "other", "an", "additional", "almeno", "circa"})

# --------------------------------------------------------------------------
# Cue words that say what a span of seconds is

_HOLD, _WEAK, _REST, _ACT, _BREATH, _PAUSE, _KEEP = "hold", "weak", "rest", "act", "breath", "pause", "keep"
_CUES: dict[str, str] = {}
for _word in ("hold holds holding held stay stays remain remains squeeze tighten contract isometric "
              "halten halte haltet hältst verharren verharre verharrt bleiben bleib bleibe anspannen "
              "maintenez maintenir maintiens tenez tenir tiens gardez garder restez rester reste contractez "
              "mantén manten mantener mantenga mantenla mantenlo mantente sostén sosten sostener sostenga aguanta "
              "aguantar aguante quédate quedate quedarse permanece permanecer permanezca contrae "
              "mantieni mantenere mantenga tieni tenere tenga resta restare rimani rimanere rimanga contrai").split():
    _CUES[_word] = _HOLD
for _word in ("stretch stretching dehnen dehnung dehne dehnt étirement étirez étire estira estiramiento estire "
              "pose position posture stellung plank planks balance planche plancha gainage seitstütz unterarmstütz "
              "wandsitzen wandsitz chaise allungamento allunga posizione").split():
    _CUES[_word] = _WEAK
# "Wall sit" is a held position as "plank" is ("Wall sit: 3 sets of 30
# seconds"); a bare "sit" is not ("Sit-ups for 30 seconds"). The tokenizer
# reads the pair as one word.
_COMPOUNDS = {("wall", "sit"): "wall sit", ("wall", "sits"): "wall sit"}
_CUES["wall sit"] = _WEAK
for _word in ("rest resting rests break recover recovery relax entspannen entspanne entspannung ruhe ruhen "
              "ruhepause erholung erholen pausieren repos reposez reposer récupérez récupération récupérer "
              "relâchez descansa descansar descanse descanso pausa recupera recuperación relaja riposo riposa "
              "riposare recupero rilassa").split():
    _CUES[_word] = _REST
for _word in ("walk walking walks jog jogging run running cycle cycling bike biking swim swimming row rowing dance "
              "dancing cardio march marching hike hiking skip skipping jump jumping spin aerobics gehen geh gehe "
              "spazieren laufen lauf joggen radfahren schwimmen trainieren marchez marcher courez courir nagez "
              "nager pédalez camina caminar corre correr nada nadar trota trotar cammina camminare corri correre "
              "nuota nuotare").split():
    _CUES[_word] = _ACT
for _word in ("inhale exhale breathe breath einatmen ausatmen atmen inspirez expirez respirez inhala exhala respira "
              "inspira espira inspirare espirare respirare").split():
    _CUES[_word] = _BREATH
for _word in ("pause", "pauses", "pausing"):
    _CUES[_word] = _PAUSE
_CUES["keep"] = _KEEP
# Hold verbs that also mean other things ("stay active", "remain seated for an hour"): a hold only when short.
_SOFT_HOLD = frozenset({"stay", "stays", "remain", "remains", "bleiben", "bleib", "bleibe", "restez", "rester", "reste",
                        "gardez", "garder", "quédate", "quedate", "quedarse", "permanece", "permanecer", "permanezca",
                        "resta", "restare", "rimani", "rimanere", "rimanga"})
# Nouns right after a span of seconds: "30 seconds of cardio", "a 30-second hold", "30 Sekunden Pause".
_AFTER: dict[str, str] = {**{w: c for w, c in _CUES.items() if c in (_HOLD, _REST, _ACT, _PAUSE)},
                          "stretch": _HOLD, "count": _HOLD, "static": _HOLD, "maintien": _HOLD, "isometric": _HOLD,
                          "exercise": _ACT, "exercises": _ACT, "activity": _ACT, "workout": _ACT, "training": _ACT,
                          "bewegung": _ACT, "aktivität": _ACT, "activité": _ACT, "exercice": _ACT,
                          "actividad": _ACT, "ejercicio": _ACT, "entrenamiento": _ACT,
                          "up": "tempo", "down": "tempo", "lowering": "tempo", "raising": "tempo", "lower": "tempo",
                          "raise": "tempo", "eccentric": "tempo", "concentric": "tempo", "hoch": "tempo",
                          "runter": "tempo", "break": _REST}
_AFTER_SKIP = frozenset({"lang", "long", "-", "of", "de", "d", "'", "’", "la", "le", "du", "s", "to", "each",
                         "per", "en", "moderate", "vigorous", "brisk", "intense", "light", "easy", "mäßige",
                         "modérée", "moderada", "leichte"})
_ACTIVE_ADJ = frozenset({"active", "fit", "mobile", "moving", "aktiv", "actif", "active", "activo", "activa",
                         "awake", "hydrated", "positive"})
_TAKE = frozenset({"take", "short", "brief", "eine", "une", "una", "kurze", "petite", "breve"})

# --------------------------------------------------------------------------
# Per side

# ("Neck rotations – 5 each way": a rotation's two sides.)
_SIDE_NOUNS = frozenset({"side", "sides", "leg", "legs", "arm", "arms", "foot", "feet", "way", "seite", "seiten",
                         "bein", "beine", "beinen", "arme", "armen", "côté", "côtés", "cote", "cotes", "jambe",
                         "jambes", "bras", "lado", "lados", "pierna", "piernas", "brazo", "brazos", "pie", "pies",
                         "lato", "lati", "gamba", "gambe", "braccio", "braccia", "piede", "piedi"})
_SIDE_QUANT = frozenset({"per", "each", "every", "pro", "je", "jede", "jeder", "jedes", "jeden", "jeweils", "par",
                         "chaque", "por", "cada", "other", "opposite", "andere", "anderen", "autre", "otro", "otra",
                         "switch", "change", "swap", "alternate", "changez", "changer", "cambia", "cambiar", "ogni",
                         "ciascun", "ciascuna", "ciascuno", "altro", "altra"})
_BOTH = frozenset({"both", "beiden", "beide", "deux", "ambos", "ambas", "entrambi", "entrambe"})
_ON = frozenset({"on", "auf", "des", "en", "a", "de", "to", "for", "with"})
_SIDE_SKIP = frozenset({"the", "your", "die", "der", "l", "'", "’", "la", "le", "el", "des", "de", "los", "las",
                        "den", "dem", "ta", "tu", "votre", "il", "lo", "i", "gli"})
_SWITCH_AFTER = frozenset({"wechseln", "wechsel", "wechselt"})
_LEFT = frozenset({"left", "links", "linke", "linken", "gauche", "izquierda", "izquierdo", "sinistra", "sinistro"})
_RIGHT = frozenset({"right", "rechts", "rechte", "rechten", "droite", "derecha", "derecho", "destra", "destro"})

# --------------------------------------------------------------------------
# Frequency words

_DAILY = frozenset({"daily", "everyday", "täglich", "quotidiennement", "diariamente", "quotidianamente"})
# English "daily" is an adverb (a frequency) only at the end of a phrase: "stretch daily.", "daily for
# two weeks", "on a daily basis"; before a noun it is an adjective: "daily activities", "Daily Blueprint".
_AFTER_DAILY_ADVERB = frozenset({"for", "and", "or", "if", "until", "to", "with", "in", "at", "on", "before", "after",
                                 "as", "but", "when", "while", "during", "from", "by", "basis", "through", "then",
                                 "except", "unless", "throughout", "is", "are", "was"})
_EACH = frozenset({"every", "each", "jeden", "jede", "chaque", "cada", "tous", "todos", "ogni", "tutti"})
_DAY_TIMES = frozenset({"day", "morning", "evening", "night", "tag", "morgen", "abend", "jour", "matin", "soir",
                        "día", "dia", "mañana", "noche", "jours", "días", "dias", "giorno", "giorni", "mattina", "sera"})
_OTHER_DAY = frozenset({"other", "second", "zweiten", "dos", "two"})
_SEVERAL = frozenset({"several", "mehrmals", "plusieurs", "varias", "multiple", "diverse", "più"})

# "Reps: 10", "Hold: 30 s", "Pause: 60 Sek." -> the fact each label names
_LABELS = {"reps": "reps", "repetitions": "reps", "wiederholungen": "reps", "wdh": "reps", "répétitions": "reps",
           "repeticiones": "reps", "sets": "sets", "sätze": "sets", "serien": "sets", "séries": "sets",
           "series": "sets", "rounds": "sets", "hold": "hold_seconds", "halten": "hold_seconds",
           "haltezeit": "hold_seconds", "maintien": "hold_seconds", "rest": "rest_seconds", "pause": "rest_seconds",
           "repos": "rest_seconds", "descanso": "rest_seconds", "duration": "duration_seconds",
           "dauer": "duration_seconds", "durée": "duration_seconds", "duración": "duration_seconds",
           "time": "duration_seconds", "ripetizioni": "reps", "tenuta": "hold_seconds", "riposo": "rest_seconds",
           "recupero": "rest_seconds", "durata": "duration_seconds"}

_NUM, _WORD, _PUNCT, _TIMES = 0, 1, 2, 3
# Latin letters only (the four languages read here): a negated class such as [^\W\d_] is twice as slow
# in Python's regex engine. Other letters become one-character tokens that no rule reacts to.
_TOKEN_RE = re.compile(r"([0-9]+(?:[.,][0-9]+)*)|([a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f]+)|(\S)")
# Sentences: up to . ! ? ; or a line break, but a '.' between digits ("1.5") does not end one.
_SENTENCE_SPLIT_RE = re.compile(r"[^.!?;\n]*(?:\.[0-9][^.!?;\n]*)*[.!?;\n]*")
_WORD_RE = re.compile(r"[^\W\d_]+")
_DIGIT_RE = re.compile(r"[0-9]")
_THOUSANDS_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_CLAUSE_ENDS = frozenset({".", ";", "!", "?", "•", "|"})
_SOFT_ENDS = frozenset({",", "then", "dann", "puis", "luego", "and", "und", "et", "y", "(", ")"})

#: Text past this many characters is not read: an item's dosage is stated near its name.
MAX_CHARS = 20_000

# Words that may start a number ("twenty", "a minute", "twice"), and words some rule starts from.
_ANCHOR_WORDS = frozenset(_LEXICON) | frozenset(_TIMES_WORDS) | _ARTICLES | _HALF | {"once", "dozen"}
_SIDE_TRIGGERS = _SIDE_NOUNS | _LEFT
_AFTER_ARTICLE = frozenset(_TIME_UNITS) | _HALF | {"dozen", "hundred", "fois", "vez", "mal"}
_WORD_TRIGGERS = _DAILY | _EACH | _SEVERAL | _X | frozenset(_LABELS) | {"most", "mehrmals"}
# A sentence is read only when it holds a digit or one of these words (articles count as numbers only
# before a unit, so the unit stands for them; "per", "each", "other" for the ways of saying "per side").
_PRETEST_WORDS = (_ANCHOR_WORDS - _ARTICLES) | (frozenset(_TIME_UNITS) - {"s", "h"}) \
    | {"dozen", "fois", "vez", "mal"} | _DAILY | _EACH | _SEVERAL | {"most", "mehrmals"} \
    | _SIDE_QUANT | _BOTH | _LEFT | _SWITCH_AFTER | _REP_NOUNS | _SET_NOUNS | (_TIMES_NOUNS - {"x"})
# The cheap test splits on white space (str.split is several times faster than any regex here), so
# it looks for these words also with the punctuation that may cling to them: "daily." "(twice".
_PRETEST_FORMS = frozenset(w + p for w in _PRETEST_WORDS for p in ("", ".", ",", ";", ":", "!", "?", ")", "),", ").")) \
    | frozenset("(" + w for w in _PRETEST_WORDS) | frozenset("¿" + w for w in _PRETEST_WORDS)


def _may_state_a_fact(low: str) -> bool:
    """The cheap test: a digit, or a word some rule starts from. Most sentences describe a movement."""
    if _DIGIT_RE.search(low):
        return True
    return not _PRETEST_FORMS.isdisjoint(low.replace("-", " ").replace("–", " ").split())


# --------------------------------------------------------------------------
# Public types

FACT_KINDS = ("hold_seconds", "reps", "sets", "rest_seconds", "duration_seconds", "frequency")
_SLOTS = {"hold_seconds": "hold", "reps": "reps", "sets": "sets", "rest_seconds": "rest",
          "duration_seconds": "duration", "frequency": "frequency"}


@dataclass(frozen=True)
class Fact:
    """One stated fact: its kind, its value (the lower bound of a range), the
    upper bound, and the exact phrase of the text it was read from."""

    fact: str            # one of FACT_KINDS
    value: int | str     # seconds or a count; a frequency text such as "3 times a week"
    max: int | None      # upper bound of a range ("8-12 reps": value 8, max 12), else None
    phrase: str          # the exact substring of the input it was read from
    per_side: bool = False

    def as_dict(self) -> dict:
        return {"fact": self.fact, "value": self.value, "max": self.max, "phrase": self.phrase}


@dataclass(frozen=True)
class Dosage:
    """What a text says about how to do an exercise or treatment; None where it says nothing.

    ``per_side`` is True when the text says the dose is done on each side
    ("per leg", "then switch sides"), whether or not it is bound to a fact.
    """

    hold: Fact | None = None
    reps: Fact | None = None
    sets: Fact | None = None
    rest: Fact | None = None
    duration: Fact | None = None
    frequency: Fact | None = None
    per_side: bool = False

    @property
    def facts(self) -> list[Fact]:
        """The facts stated, in the order hold, reps, sets, rest, duration, frequency."""
        return [f for f in (self.hold, self.reps, self.sets, self.rest, self.duration, self.frequency) if f]

    def __bool__(self) -> bool:
        return bool(self.facts)

    @property
    def counted(self) -> bool:
        """Does it say how much of one exercise to do: a hold, reps or sets?
        (A duration or a frequency is said of whole sections too: "warm up for
        five minutes", "twice a week".)"""
        return bool(self.hold or self.reps or self.sets)

    def as_record(self) -> dict:
        """The exercise columns of pipeline/db.py, plus ``facts``: each fact with its phrase."""
        def value(f: Fact | None):
            return None if f is None else f.value

        return {
            "hold_seconds": value(self.hold), "hold_seconds_max": self.hold.max if self.hold else None,
            "reps": value(self.reps), "reps_max": self.reps.max if self.reps else None,
            "sets": value(self.sets), "sets_max": self.sets.max if self.sets else None,
            "rest_seconds": value(self.rest), "duration_seconds": value(self.duration),
            "frequency": value(self.frequency),
            "per_side": self.per_side or any(f.per_side for f in self.facts),
            "facts": [f.as_dict() for f in self.facts],
        }

    def held_if_static(self, context: str) -> Dosage:
        """How long a stretch or a plank lasts is how long it is held
        ("Seitstütz. Dauer: 30 Sekunden pro Seite"): a duration of three
        minutes or less becomes the hold when ``context`` (the exercise's
        name, or its section: "Dehnübungen") names a held position."""
        if self.hold is not None or self.duration is None or self.duration.value > 180 or \
                not STATIC_POSITION.search(context or ""):
            return self
        held = self.duration
        return replace(self, hold=Fact("hold_seconds", held.value, held.max, held.phrase, held.per_side), duration=None)

    def merged_with(self, plan: Dosage | None) -> Dosage:
        """This item's own facts win; the plan-wide dosage fills only the gaps.
        An item that times its own hold takes no reps from a plan that times
        none ("Plank: hold 30 seconds" under "3 sets of 10 reps of each
        exercise" is held, not repeated ten times); it takes the sets."""
        if plan is None:
            return self
        skip = {"reps"} if self.hold is not None and plan.hold is None else set()
        filled = {slot: getattr(plan, slot) for slot in _SLOTS.values()
                  if slot not in skip and getattr(self, slot) is None and getattr(plan, slot) is not None}
        if not filled:
            return self
        per_side = self.per_side or any(f.per_side for f in filled.values())
        return replace(self, per_side=per_side, **filled)


EMPTY = Dosage()


# --------------------------------------------------------------------------
# Tokens

def _digits_value(s: str) -> float | None:
    """'12' -> 12, '1,5' / '1.5' -> 1.5, '10,000' -> 10000; None for '1.2.3' or absurdly long digit runs."""
    if len(s) > 9:
        return None
    if "," in s and _THOUSANDS_RE.fullmatch(s):
        return float(s.replace(",", ""))
    if s.count(",") + s.count(".") > 1:
        return None
    return float(s.replace(",", "."))


def _lower(text: str) -> str:
    """text.lower() with the same length, so offsets into it are offsets into text."""
    low = text.lower()
    if len(low) != len(text):  # a few letters lengthen when lower-cased ("İ"): keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def _tokens(low: str) -> tuple[list[tuple], bool]:
    """(kind, value, start, end) for the tokens of the sentences of ``low`` that may state a fact
    (a digit, a number word, a frequency word, 'per'/'each'/'other'...), numbers as floats;
    and whether any of them may say 'per side'. Sentences with none of these are not tokenized:
    most of an exercise's text describes the movement and costs nothing here."""
    out = []
    append = out.append
    find = low.find
    merge = sides = article = False
    may_state = _may_state_a_fact
    anchors, articles, after_article, side_words = _ANCHOR_WORDS, _ARTICLES, _AFTER_ARTICLE, _SIDE_TRIGGERS
    for sentence in _SENTENCE_SPLIT_RE.finditer(low):
        a, b = sentence.span()
        if a == b or not may_state(sentence.group()):
            continue
        pos = a
        for num, word, punct in _TOKEN_RE.findall(low, a, b):
            if word:
                pos = find(word, pos)
                end = pos + len(word)
                compound = _COMPOUNDS.get((out[-1][1], word)) if out and out[-1][0] == _WORD else None
                if compound:
                    out[-1] = (_WORD, compound, out[-1][2], end)
                else:
                    append((_WORD, word, pos, end))
                if article and word in after_article:
                    merge = True  # "a minute", "une fois": the article is a number
                article = word in articles
                if not article and word in anchors:
                    merge = True
                elif word in side_words:
                    sides = True
            elif num:
                pos = find(num, pos)
                end = pos + len(num)
                v = float(num) if len(num) < 10 and num.isdigit() else _digits_value(num)
                append((_NUM, v, pos, end) if v is not None else (_PUNCT, num, pos, end))
                article = False
            else:
                pos = find(punct, pos)
                end = pos + 1
                append((_PUNCT, punct, pos, end))
                article = False
            pos = end
        if not out or out[-1][1] not in _CLAUSE_ENDS:
            append((_PUNCT, ".", b, b))  # sentences skipped between: no cue reaches across
    return (_merge_numbers(out) if merge else out), sides


def _word(toks: list, i: int) -> str:
    """The word (or punctuation) at i; '' for a number or past the end."""
    return toks[i][1] if 0 <= i < len(toks) and (toks[i][0] == _WORD or toks[i][0] == _PUNCT) else ""


def _number_phrase(toks: list, i: int) -> tuple[int, float, int] | None:
    """A number written in words starting at token i: (kind, value, index after it)."""
    w = toks[i][1]
    nxt = _word(toks, i + 1)
    if w in _ARTICLES:
        if nxt in _TIME_UNITS:
            return _NUM, 1.0, i + 1
        if nxt == "dozen":
            return _NUM, 12.0, i + 2
        if nxt == "hundred":
            return _NUM, 100.0, i + 2
        if nxt in ("fois", "vez", "mal"):
            return _TIMES, 1.0, i + 2
        if nxt in _HALF:
            j = i + 2 + (_word(toks, i + 2) == "-")
            if _word(toks, j) in _TIME_UNITS:
                return _NUM, 0.5, j
        return None
    if w in _HALF:
        if nxt in ("a", "an") and _word(toks, i + 2) in _TIME_UNITS:
            return _NUM, 0.5, i + 2
        j = i + 1 + (nxt == "-")
        if _word(toks, j) in _TIME_UNITS:
            return _NUM, 0.5, j
        return None
    if w == "once":
        if nxt in _REP_NOUNS or nxt in _SET_NOUNS or nxt in _TIME_UNITS or nxt in _TIMES_NOUNS:
            return _NUM, 11.0, i + 1  # Spanish eleven: "once repeticiones"
        return _TIMES, 1.0, i + 1
    if w in _TIMES_WORDS:
        return _TIMES, float(_TIMES_WORDS[w]), i + 1
    if w == "quatre" and nxt == "-" and _word(toks, i + 2) in ("vingt", "vingts"):
        tens, j = 80.0, i + 3
    elif w in _TENS:
        tens, j = float(_TENS[w]), i + 1
    elif w in _LEXICON:
        return _NUM, float(_LEXICON[w]), i + 1
    else:
        return None
    # tens [- | et | y] ones: "twenty-five", "twenty five", "vingt et un", "treinta y cinco", "soixante-dix"
    limit = 20 if tens in (60.0, 80.0) else 10
    k = j
    if _word(toks, k) == "-":
        k += 1
    if _word(toks, k) in ("et", "y"):
        k += 1
        if _word(toks, k) == "-":
            k += 1
    ones = _word(toks, k)
    value = 1.0 if ones in ("un", "une", "uno", "one") else _LEXICON.get(ones)
    if k > j or ones in _EN:
        if value is not None and 0 < value < limit:
            return _NUM, tens + value, k + 1
    return _NUM, tens, j


def _merge_numbers(toks: list) -> list:
    """Number words become number tokens; 'a dozen' -> 12, 'one and a half' -> 1.5."""
    out = []
    i, n = 0, len(toks)
    while i < n:
        kind, val, start, end = toks[i]
        j = i + 1
        if kind == _WORD and val in _ANCHOR_WORDS:
            found = _number_phrase(toks, i)
            if found:
                kind, val, j = found
                end = toks[j - 1][3]
        if kind == _NUM:
            # "one and a half minutes", "2 und ein halb", "two dozen"
            if _word(toks, j) in _AND:
                k = j + 1 + (_word(toks, j + 1) in ("a", "ein", "une", "un"))
                if _word(toks, k) in _HALF:
                    val, end, j = val + 0.5, toks[k][3], k + 1
            elif _word(toks, j) == "dozen":
                val, end, j = val * 12, toks[j][3], j + 1
        out.append((kind, val, start, end) if j > i + 1 or kind != toks[i][0] else toks[i])
        i = j
    return out


# --------------------------------------------------------------------------
# The grammar

_PAD = 16  # no rule looks further than this past either end of the tokens


# Words a dose badge holds beside its numbers ("3 sets x 30 seconds", "3 × 30 s").
_BARE_DOSE_WORDS = frozenset("x sets set rounds reps times each side per séries series sätze mal fois veces "
                             "de of à".split())


class _Reader:
    """One pass over the tokens of one text, collecting the first fact of each kind."""

    def __init__(self, text: str, toks: list, sides: bool = True):
        self.text = text
        self.toks = toks
        self.sides = sides
        self.n = len(toks)
        self.found: dict[str, Fact] = {}
        # clause[i]: index of the first token of i's sentence (cue words are looked for inside it)
        clause, start = [], 0
        for i, t in enumerate(toks):
            clause.append(start)
            if t[0] == _PUNCT and t[1] in _CLAUSE_ENDS:
                start = i + 1
        self.clause = clause
        # the words, '' for numbers, padded with '' at the end: w[i] for i a little past either end
        # (a negative index reads the padding) is '' without a bounds test on every look
        self.w = [t[1] if t[0] == _WORD or t[0] == _PUNCT else "" for t in toks] + [""] * _PAD
        self.side_clauses: set[int] = set()
        self.per_side = False

    # -- helpers ---------------------------------------------------------
    def word(self, i: int) -> str:
        """The word or punctuation at token i; '' for a number, before the start or past the end."""
        return self.w[i] if i >= -_PAD else ""

    def emit(self, kind: str, lo: float, hi: float | None, first: int, last: int) -> bool:
        """Record a fact read from tokens first..last (inclusive) unless one of its kind came earlier."""
        if kind in self.found:
            return True
        phrase = self.text[self.toks[first][2]:self.toks[last][3]]
        fact = _make_fact(kind, lo, hi, phrase, self.clause[first] in self.side_clauses)
        if fact is None:
            return False
        self.found[kind] = fact
        return True

    def quantity(self, i: int) -> tuple[float, float | None, int]:
        """The number at i, or the range starting there: (low, high or None, index after it)."""
        toks, lo = self.toks, self.toks[i][1]
        if i + 2 < self.n and toks[i + 2][0] == _NUM and toks[i + 1][0] != _NUM:
            link = toks[i + 1][1]
            hi = toks[i + 2][1]
            # (An em dash set apart by spaces parts two figures, "3 — 30 segundos"; "20—30" is a range.)
            spaced = link == "—" and toks[i][3] < toks[i + 1][2] and toks[i + 1][3] < toks[i + 2][2]
            if hi > lo and not spaced and (link in _RANGE_LINKS or (link in _AND and self.w[i - 1] in _BETWEEN)
                            or (link in _AND and self.w[i - 2] in _BETWEEN)):
                return lo, hi, i + 3
        return lo, None, i + 1

    def per_side_at(self, j: int) -> bool:
        """Is token j the 'per' of 'per leg' / 'pro Seite' / 'por lado' (not of 'per cent')?"""
        if self.w[j] not in _SIDE_QUANT:
            return False
        k = j + 1
        while self.w[k] in _SIDE_SKIP:
            k += 1
        return self.w[k] in _SIDE_NOUNS

    def noun_at(self, j: int) -> int:
        """Index of the noun after a quantity ending before j, skipping '-' and up to two adjectives."""
        if self.w[j] == "-":
            j += 1
        for _ in range(2):
            if self.w[j] in _FILLERS:
                j += 1
        return j

    def daily_adverb(self, j: int) -> bool:
        """Is the 'daily' / 'everyday' at j an adverb (how often), not an adjective ('daily activities')?"""
        if self.w[j] not in ("daily", "everyday", "weekly"):
            return True  # "täglich", "quotidiennement", "diariamente" are adverbs
        if j + 1 >= self.n:
            return True
        kind, nxt = self.toks[j + 1][0], self.toks[j + 1][1]
        return kind != _WORD or nxt in _AFTER_DAILY_ADVERB

    def period(self, j: int) -> tuple[str | None, int]:
        """'a week', 'per day', 'pro Woche', 'par jour', 'a la semana', 'daily' at j: ('day'|'week', last index)."""
        w = self.w[j]
        if w in _PERIOD_ADVERBS:
            return (_PERIOD_ADVERBS[w], j) if self.daily_adverb(j) else (None, j)
        for k in range(j, min(j + 3, self.n)):
            w = self.w[k]
            if w in _PERIOD_WORDS:
                return _PERIOD_WORDS[w], k
            if w not in _PERIOD_LINKS:
                break
        return None, j

    def period_ahead(self, j: int) -> tuple[str | None, int, int]:
        """A period within the next few words of the same clause: (period, first index, last index)."""
        for k in range(j, min(j + 4, self.n)):
            w = self.w[k]
            if w in _CLAUSE_ENDS or w == "," or self.toks[k][0] == _NUM:
                break
            period, last = self.period(k)
            if period:
                return period, k, last
        return None, j, j

    # -- the pass ----------------------------------------------------------
    def read(self) -> None:
        if self.sides:
            self.find_sides()
        toks, n, found = self.toks, self.n, self.found
        triggers = _WORD_TRIGGERS
        i = 0
        while i < n and len(found) < 6:
            kind, val = toks[i][0], toks[i][1]
            if kind == _NUM:
                i = self.after_number(i)
            elif kind == _TIMES:  # "twice", "zweimal": a frequency, or repetitions after "repeat", "do"...
                i = self.times(i, val, None, i, i + 1, needs_verb=True)
            elif val in triggers:
                i = self.after_word(i, val)
            else:
                i += 1

    def after_number(self, i: int) -> int:
        toks = self.toks
        if self.w[i + 1] == "/" and i + 2 < self.n and toks[i + 2][0] == _NUM:
            return i + 3  # a fraction ("1/2 mile") or a score, not a count
        lo, hi, j = self.quantity(i)
        k = self.noun_at(j)
        w = self.w[k]
        if w in _TIME_UNITS:
            return self.time(i, lo, hi, k)
        if k > j and (w in _REP_NOUNS or w in _TIMES_NOUNS or w in _SET_NOUNS) and \
                any(self.w[m] in _ADDED for m in range(j, k)):
            # "two more sets": the one just described, and two more.
            lo, hi = lo + 1, (hi + 1 if hi is not None else None)
        if w in _REP_NOUNS or w in _MOVEMENT_COUNTS:
            # ("10 circles in each direction", "8 switches per side": each one a repetition)
            self.emit("reps", lo, hi, self.start_of(i), k)
            return k + 1
        if w in _X and k + 1 < self.n and toks[k + 1][0] == _NUM:
            return self.sets_by_reps(i, lo, hi, k + 1)
        if w in _TIMES_NOUNS:  # "10 times", "10x", "10 mal", "10 fois", "10 veces"
            return self.times(i, lo, hi, i, k + 1)
        if w in _SET_NOUNS:
            return self.sets_of(i, lo, hi, k)
        if w in _DAY_NOUNS:
            period, last = self.period(k + 1)
            if period == "week":
                self.emit("frequency", _frequency_text(lo, hi, "days", period), None, i, last)
                return last + 1
        # A bare count said of each side: "Do 10 each leg", "8 on each side",
        # "fifteen per leg" count repetitions of the movement.
        side_at = j if self.w[j] in _SIDE_QUANT else j + 1 if self.w[j] in _ON and self.w[j + 1] in _SIDE_QUANT else None
        if side_at is not None and lo >= 1 and self.per_side_at(side_at):
            last = side_at + 1
            while self.w[last] in _SIDE_SKIP:
                last += 1
            self.emit("reps", lo, hi, self.start_of(i), last)
            return last + 1
        return j

    def start_of(self, i: int) -> int:
        """Include a 'repeat'/'between'/'from' just before a count in its phrase."""
        w = self.w[i - 1]
        if w in ("repeat", "wiederholen", "répétez", "repite", "repetir") or w in _BETWEEN or w in ("from", "de"):
            return i - 1
        return i

    def times(self, i: int, lo: float, hi: float | None, first: int, j: int, needs_verb: bool = False) -> int:
        """A count of times (token j follows it): a frequency, sets of a circuit, or repetitions.
        With ``needs_verb`` ("twice" in a headline) only after 'repeat', 'do', 'wiederholen'..."""
        period, last = self.period(j)
        if period:
            self.emit("frequency", _frequency_text(lo, hi, "times", period), None, first, last)
            return last + 1
        if self.w[j] in _NOT_COUNT_AFTER or (lo < 2 and hi is None):
            return j  # "3 times more likely"; "once" / "une fois" alone is not a count of repetitions
        start = self.clause[i]
        verb = not needs_verb
        for k in range(i - 1, max(start, i - 8) - 1, -1):
            w = self.w[k]
            if w in _CIRCUIT:
                self.emit("sets", lo, hi, k, j - 1)
                return j
            verb = verb or w in _REPEAT_VERBS
        verb = verb or self.w[j] in _REPEAT_VERBS or self.w[j + 1] in _REPEAT_VERBS  # "zweimal wiederholen"
        if verb or self.clause[i] in self.side_clauses:
            self.emit("reps", lo, hi, self.start_of(first), j - 1)
        return j

    def sets_by_reps(self, i: int, lo: float, hi: float | None, k: int) -> int:
        """'3 x 10', '3x10', '3 × 12' (k: index of the second number)."""
        rlo, rhi, j = self.quantity(k)
        nxt = self.noun_at(j)
        w = self.w[nxt]
        if w in _DISTANCE_UNITS and lo == int(lo) and 1 <= lo <= 20:
            self.emit("sets", lo, hi, i, nxt)  # "4 x 20 m": four sets of a carry or a sprint, no reps
            return nxt + 1
        if w in _OTHER_UNITS and not self.per_side_at(nxt):
            return j
        self.emit("sets", lo, hi, i, j - 1)
        if w in _TIME_UNITS:
            return self.time(k, rlo, rhi, nxt, first=i, timed_set=True)
        last = nxt if w in _REP_NOUNS or w in _TIMES_NOUNS else j - 1
        self.emit("reps", rlo, rhi, i, last)
        return last + 1

    def sets_of(self, i: int, lo: float, hi: float | None, k: int) -> int:
        """'3 sets' (set noun at k), '3 sets of 10 (reps)', 'drei Sätze zu je zehn', '3 séries de 10';
        '3 sets to failure' and '3 sets of 30 seconds' state no repetitions."""
        j = k + 1
        if self.w[j] in _SETS_OF:
            j += 1 + (self.w[j + 1] in _SETS_OF)  # "zu je", "mit je"
            if j < self.n and self.toks[j][0] == _NUM and self.w[j + 1] != "/":
                rlo, rhi, after = self.quantity(j)
                nxt = self.noun_at(after)
                w = self.w[nxt]
                if w in _TIME_UNITS:
                    self.emit("sets", lo, hi, i, k)
                    return self.time(j, rlo, rhi, nxt, timed_set=True)
                if (w not in _OTHER_UNITS or self.per_side_at(nxt)) and w not in _SET_NOUNS:
                    last = nxt if w in _REP_NOUNS or w in _TIMES_NOUNS else after - 1
                    self.emit("sets", lo, hi, i, last)  # both read from the whole of "3 sets of 10 reps"
                    self.emit("reps", rlo, rhi, i, last)
                    return last + 1
        self.emit("sets", lo, hi, i, k)
        return k + 1

    def time(self, i: int, lo: float, hi: float | None, unit: int, first: int | None = None,
             timed_set: bool = False) -> int:
        """A span of time (quantity at i, unit word at index unit): a hold, rest, a duration, or nothing.
        A ``timed_set`` ("3 sets of 45 seconds", "3 x 30 s") with no cue lasts that long: a duration."""
        toks = self.toks
        factor, lang = _TIME_UNITS[toks[unit][1]]
        last = unit
        if self.w[unit + 1] in _AND:  # "a minute and a half"
            k = unit + 2 + (self.w[unit + 2] in ("a", "ein", "une", "un"))
            if self.w[k] in _HALF:
                lo, hi, last = lo + 0.5, (hi + 0.5 if hi is not None else None), k
        # "1990s", "the 80s": a decade, not seconds
        if toks[unit][1] == "s" and toks[unit][2] == toks[unit - 1][3] and lo >= 10 and hi is None \
                and (lo >= 1000 or self.w[i - 1] in ("the", "die", "les", "los", "early", "late", "mid")):
            return last + 1
        lo_s = lo * factor
        hi_s = hi * factor if hi is not None else None
        first = i if first is None else first
        before = self.w[first - 1]
        if before in _EVERY or (before in ("les", "las") and self.w[first - 2] in _EVERY):
            unit_word = {1: "seconds", 60: "minutes", 3600: "hours"}[factor]
            text = f"every {_fmt(lo)} {unit_word}" if hi is None else f"every {_fmt(lo)}-{_fmt(hi)} {unit_word}"
            self.emit("frequency", text, None, first - 1, last)
            return last + 1
        k = first - 1
        while k >= self.clause[first] and self.w[k] in _APPROX:
            k -= 1
        if self.w[k] in _NOT_DURATION_BEFORE:
            return last + 1  # "in 30 seconds", "after 10 minutes", "nach 5 Minuten": a moment, not a dose
        what, cue = self.classify(first, last, lang, lo_s)
        if what is None and timed_set and cue is None:
            what = "duration"
        if what is None:
            return last + 1
        start, end = first, last
        if cue is not None:
            start, end = min(start, cue), max(end, cue)
        kind = {"hold": "hold_seconds", "rest": "rest_seconds", "duration": "duration_seconds"}[what]
        if kind == "duration_seconds":
            period, pfirst, plast = self.period_ahead(end + 1)
            if period == "week":
                return plast + 1  # "150 minutes a week": a weekly total, not one session
            self.emit(kind, lo_s, hi_s, start, end)
            if period == "day":
                self.emit("frequency", "daily", None, pfirst, plast)
                return plast + 1
            return end + 1
        self.emit(kind, lo_s, hi_s, start, end)
        return end + 1

    def classify(self, first: int, last: int, lang: str, seconds: float) -> tuple[str | None, int | None]:
        """Is the span at tokens first..last a hold, rest or duration? (what, index of the cue word)."""
        # 1. A noun right after it: "30 seconds of rest", "a 30-second hold", "30 Sekunden halten".
        j = last + 1
        for _ in range(3):
            if self.w[j] in _AFTER_SKIP:
                j += 1
        w = self.w[j]
        cue = _AFTER.get(w)
        if cue == "tempo":
            return None, None
        if cue == _PAUSE:
            return self.pause(first, j, lang), j
        if cue == _HOLD:
            return "hold", j
        if cue == _REST:
            return "rest", j
        if cue == _ACT:
            return "duration", j
        if _CUES.get(w) == _WEAK:  # "a 30-second plank", "a 10-minute stretch"
            return ("hold" if seconds <= 120 else "duration"), j
        # 2. The nearest strong cue before it in the same sentence; a weak one ("stretch", "pose") if no strong one.
        start = self.clause[first]
        weak = None
        k = first - 1
        stop = max(start, first - 14)
        while k >= stop:
            w = self.w[k]
            c = _CUES.get(w)
            if c is None:
                k -= 1
                continue
            nxt = self.w[k + 1]
            if c == _KEEP or (c == _HOLD and w in _SOFT_HOLD):
                # "keep the stretch", "stay here": a hold, unless "keep walking", "stay active", or too long
                # for a position ("keep workouts to 50 minutes")
                if not nxt.endswith("ing") and nxt not in _ACTIVE_ADJ:
                    return ("hold" if seconds <= 600 else "duration"), k
            elif c == _HOLD:
                return "hold", k
            elif c == _REST:
                if w in ("relax", "entspannen") and nxt in ("into", "in"):
                    k -= 1
                    continue
                return "rest", k
            elif c == _ACT:
                return "duration", k
            elif c == _BREATH:
                return None, None
            elif c == _PAUSE:
                return self.pause(first, k, lang), k
            elif c == _WEAK and weak is None:
                weak = k
            k -= 1
        # "between sets" after it: rest
        for k in range(last + 1, min(last + 5, self.n)):
            w = self.w[k]
            if w in _BETWEEN:
                return "rest", min(k + 1, self.n - 1)
            if w in _CLAUSE_ENDS:
                break
        if weak is not None:
            return ("hold" if seconds <= 120 else "duration"), weak
        # 3. A verb after it, German or French word order: "20 Sekunden in dieser Position halten".
        for k in range(last + 1, min(last + 6, self.n)):
            w = self.w[k]
            if w in _SOFT_ENDS or w in _CLAUSE_ENDS or self.toks[k][0] == _NUM:
                break
            c = _CUES.get(w)
            if c == _HOLD:
                return "hold", k
            if c == _REST:
                return "rest", k
        # 4. "for 10 minutes", "pendant 30 secondes": a duration.
        k = first - 1
        while k >= start and self.w[k] in _APPROX:
            k -= 1
        if self.w[k] in _FOR or self.w[last + 1] in ("lang", "long"):
            return "duration", None
        # 5. A time that is all the text says, a badge's "30 seconds", "3 —
        # 30 segundos": a duration (a stretch's is its hold, see held_if_static).
        if self._bare_text(first, last):
            return "duration", None
        return None, None

    def _bare_text(self, first: int, last: int) -> bool:
        """Is the text nothing but tokens first..last, numbers, marks and dose words?"""
        return all(first <= k <= last or tok[0] == _NUM or tok[0] == _PUNCT or self.w[k] in _BARE_DOSE_WORDS
                   for k, tok in enumerate(self.toks))

    def pause(self, first: int, at: int, lang: str) -> str:
        """'Pause for 2 seconds at the top' is an isometric hold in English; 'Pause', 'pause' and 'pausa'
        in German, French and Spanish, a pause taken, or one between sets, is rest."""
        if lang in ("de", "fr", "es") or self.w[at] == "pausa":
            return "rest"
        if at > first and not any(self.w[k] in _TOP_OF_MOVE for k in range(at + 1, min(at + 5, self.n))):
            return "rest"  # a pause of a time, "1 Minute Pause", "a 30-second pause": rest, unless "at the top"
        for k in range(min(first, at) - 3, min(first, at)):
            if self.w[k] in _TAKE:
                return "rest"
        for k in range(max(first, at) + 1, min(max(first, at) + 6, self.n)):
            if self.w[k] in _BETWEEN:
                return "rest"
            if self.w[k] in _CLAUSE_ENDS:
                break
        return "hold"

    def after_word(self, i: int, w: str) -> int:
        toks = self.toks
        if w in _DAILY:
            if self.daily_adverb(i):
                self.emit("frequency", "daily", None, i, i)
            return i + 1
        if w in _EACH:
            j = i + 1
            if self.w[j] in ("les", "los", "the", "single"):
                j += 1
            nxt = self.w[j]
            if nxt in _OTHER_DAY and self.w[j + 1] in _DAY_TIMES:
                self.emit("frequency", "every other day", None, i, j + 1)
                return j + 2
            if nxt in _DAY_TIMES:
                if w in ("tous", "todos") and nxt not in ("jours", "días", "dias"):
                    return i + 1
                self.emit("frequency", "daily", None, i, j)
                return j + 1
            return i + 1
        if w in _SEVERAL:  # "several times a day", "mehrmals täglich", "plusieurs fois par jour"
            j = i + 1 if w == "mehrmals" else i + 2
            if w == "mehrmals" or self.w[i + 1] in _TIMES_NOUNS:
                period, last = self.period(j)
                if period:
                    self.emit("frequency", f"several times a {period}", None, i, last)
                    return last + 1
            return i + 1
        if w == "most" and self.w[i + 1] == "days":
            self.emit("frequency", "most days", None, i, i + 1)
            return i + 2
        if w in _X and i + 1 < self.n and toks[i + 1][0] == _NUM and (i == 0 or toks[i - 1][0] != _NUM):
            # "Squats x 12": reps after the name, when nothing follows the count
            lo, hi, j = self.quantity(i + 1)
            if j >= self.n or self.w[j] in _CLAUSE_ENDS or self.w[j] in (",", ")", "(", "/"):
                self.emit("reps", lo, hi, i, j - 1)
                return j
            return i + 1
        kind = _LABELS.get(w)
        # "Reps: 10", "Hold = 30 s"; and a label of sets or reps with no colon
        # that opens its clause: "Sets 3 | Reps 10 | Rest 45s" (a card's meta line).
        bare = kind in ("reps", "sets") and i + 1 < self.n and toks[i + 1][0] == _NUM and \
            (i == 0 or self.w[i - 1] in _CLAUSE_ENDS)
        value_at = i + 1 if bare else i + 2
        if kind is not None and (bare or self.w[i + 1] in (":", "=") and i + 2 < self.n and toks[i + 2][0] == _NUM):
            lo, hi, after = self.quantity(value_at)
            k = self.noun_at(after)
            unit = _TIME_UNITS.get(self.w[k])
            if kind in ("reps", "sets"):
                if unit is not None:
                    return value_at  # "Reps: 30 seconds": read as a span of time
                if self.w[i - 1] in ("and", "&", "/", "und", "et", "y") and _LABELS.get(self.w[i - 2]) in ("reps", "sets"):
                    return value_at  # "Sets and reps: 3 sets of 12", "Sets/reps: 3 x 12": the value says which is which
                self.emit(kind, lo, hi, i, after - 1)
                return after
            factor = unit[0] if unit else 1  # "Hold: 30" is in seconds
            last = k if unit else after - 1
            self.emit(kind, lo * factor, hi * factor if hi is not None else None, i, last)
            return last + 1
        return i + 1

    def find_sides(self) -> None:
        """Mark the sentences that say 'per side', 'each leg', 'pro Seite', 'de chaque côté', 'switch sides'..."""
        toks, word = self.toks, self.word
        for i, t in enumerate(toks):
            if t[0] != _WORD:
                continue
            w = t[1]
            side = False
            if w in _SIDE_NOUNS:
                k = i - 1
                if word(k) in _SIDE_SKIP:
                    k -= 1
                    if word(k) in _SIDE_SKIP:
                        k -= 1
                q = word(k)
                if q in _SIDE_QUANT or (q in _BOTH and word(k - 1) in _ON) or word(i + 1) in _SWITCH_AFTER:
                    side = True
            elif w in _LEFT:
                for k in range(i + 1, min(i + 5, self.n)):
                    if word(k) in _RIGHT:
                        side = word(k - 1) in _AND or word(k - 2) in _AND
                        break
            if side:
                self.per_side = True
                self.side_clauses.add(self.clause[i])


_LIMITS = {"reps": 1000, "sets": 99, "hold_seconds": 3600, "rest_seconds": 3600, "duration_seconds": 6 * 3600}


def _make_fact(kind: str, lo, hi: float | None, phrase: str, per_side: bool) -> Fact | None:
    """A Fact, or None when the value cannot be one: a fraction of a repetition, a 2,000-second hold."""
    if kind == "frequency":
        return Fact(kind, lo, None, phrase, per_side)
    if lo is None:
        return None
    if kind in ("reps", "sets") and (abs(lo - round(lo)) > 1e-9 or (hi is not None and abs(hi - round(hi)) > 1e-9)):
        return None
    limit = _LIMITS[kind]
    value = int(round(lo))
    top = int(round(hi)) if hi is not None else None
    if top is not None and top <= value:
        top = None  # "1.2-1.4 s" rounds to one value
    if not 1 <= value <= limit or (top is not None and top > limit * 2):
        return None
    return Fact(kind, value, top, phrase, per_side)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _frequency_text(lo: float, hi: float | None, what: str, period: str) -> str:
    """3, None, 'times', 'week' -> '3 times a week'; 1, None, 'times', 'day' -> 'daily'."""
    if hi is not None and hi > lo:
        count = f"{_fmt(lo)}-{_fmt(hi)}"
        return f"{count} {what} a {period}"
    if what == "times":
        if lo == 1:
            return "daily" if period == "day" else "once a week"
        if lo == 2:
            return f"twice a {period}"
    elif lo == 1:
        return f"1 day a {period}"
    return f"{_fmt(lo)} {what} a {period}"


def _read(text: str) -> Dosage:
    if not text:
        return EMPTY
    if len(text) > MAX_CHARS:
        cut = text.rfind(" ", 0, MAX_CHARS)
        text = text[:cut if cut > 0 else MAX_CHARS]
    low = _lower(text)
    # the cheap test first: most text holds no number at all
    if not _may_state_a_fact(low):
        return EMPTY
    toks, sides = _tokens(low)
    if not toks:
        return EMPTY
    reader = _Reader(text, toks, sides)
    reader.read()
    found = reader.found
    return Dosage(hold=found.get("hold_seconds"), reps=found.get("reps"), sets=found.get("sets"),
                  rest=found.get("rest_seconds"), duration=found.get("duration_seconds"),
                  frequency=found.get("frequency"), per_side=reader.per_side)


@lru_cache(maxsize=1024)
def _read_cached(text: str) -> Dosage:
    return _read(text)


@_never_raises(EMPTY)
def _dosage_of(text: str) -> Dosage:
    text = text or ""
    return _read_cached(text) if len(text) <= 4000 else _read(text)


# A count leading an item's name: "150 Burpee pull-ups", "20 squats" (not "10 Best Stretches", "Run 10 miles").
LEADING_COUNT = re.compile(r"^\s*(?P<n>[0-9]{1,4})\s+(?P<rest>[^\W\d_][^\s]*)")
_NOT_A_COUNT_OF = frozenset({"best", "top", "easy", "simple", "great", "quick", "ways", "tips", "things", "reasons",
                             "signs", "foods", "exercises", "stretches", "moves", "yoga", "minute", "day", "days",
                             "week", "weeks", "steps", "natural", "home", "remedies", "treatments", "common",
                             "effective", "essential", "gentle", "surprising", "healthy"})


@_never_raises(EMPTY)
def parse_dosage(text: str, name: str = "") -> Dosage:
    """The dosage an item's name and text state. The name's own facts win ("150 Burpee pull-ups",
    "30-second plank"); the text fills the gaps. Never raises."""
    own = _dosage_of(text)
    if not name:
        return own
    from_name = _dosage_of(name)
    if from_name.reps is None:
        lead = LEADING_COUNT.match(name)
        if lead and not _TIME_UNITS.get(lead.group("rest").lower()) \
                and lead.group("rest").lower().strip(".,:;") not in _NOT_A_COUNT_OF | _OTHER_UNITS \
                and not (1800 <= int(lead.group("n")) <= 2100):
            count = int(lead.group("n"))
            if 1 <= count < 10_000:
                from_name = replace(from_name, reps=Fact("reps", count, None, lead.group("n")))
    dosage = from_name.merged_with(own) if from_name else own
    return dosage.held_if_static(name)


# Names of positions that are held, not repeated: stretches, planks, poses, wall sits.
STATIC_POSITION = re.compile(r"stretch|dehn|étirement|estiramiento|plank|stütz|gainage|plancha|\bhold\b|wall\s*sit|"
                             r"wandsitz|\bpose\b|postur|haltung|isometric", re.I)


# --------------------------------------------------------------------------
# Tables

_PER_PERIOD_HEADER = re.compile(r"\b(?:per|a|each)\s+(?:day|week)\b|\bdaily\b|\bpro\s+(?:tag|woche)\b|"
                                r"\bpar\s+(?:jour|semaine)\b|\bal\s+d[ií]a\b|\ba\s+la\s+semana\b")
_COLUMN_WORDS = [
    # (kind, words), tried in this order: "Rest time" is rest, "Hold time" a hold, "Time" a duration
    ("rest", ("rest", "recovery", "break", "pause", "ruhe", "erholung", "repos", "récupération", "récup",
              "descanso", "recuperación", "pausa")),
    ("hold", ("hold", "holding", "halten", "haltezeit", "haltedauer", "maintien", "tenue", "mantener",
              "mantenimiento", "sostener", "isometric")),
    ("reps", ("reps", "rep", "repetitions", "repetition", "wiederholungen", "wiederholung", "wdh", "répétitions",
              "répétition", "rép", "repeticiones", "repetición", "times", "repeat", "repeats", "wiederholen", "répéter",
              "repetir")),
    ("sets", ("sets", "set", "rounds", "sätze", "satz", "serien", "durchgänge", "séries", "série", "series",
              "rondas", "tours")),
    ("duration", ("duration", "time", "length", "dauer", "zeit", "durée", "temps", "duración", "tiempo")),
    ("frequency", ("frequency", "often", "häufigkeit", "fréquence", "frecuencia")),
    ("dosage", ("dosage", "dose", "prescription", "volume", "dosierung", "umfang", "volumen", "posología")),
]


@lru_cache(maxsize=256)
def column_kind(header: str) -> tuple[str | None, int, bool]:
    """What a table column holds, from its header: (kind, seconds per bare number, per side).

    'Reps (each side)' -> ('reps', 1, True); 'Hold (min)' -> ('hold', 60, False);
    'Sets x Reps' -> ('sets_reps', 1, False); 'Exercise' -> (None, 1, False)."""
    low = (header or "").lower()
    if _PER_PERIOD_HEADER.search(low):
        return "frequency", 1, False  # "Times per day": how often, not how many reps
    words = _WORD_RE.findall(low)
    present = set(words)
    factor = 60 if present & {"min", "mins", "minutes", "minuten", "minutos"} else 1
    side = bool(present & _SIDE_NOUNS) and bool(present & (_SIDE_QUANT | {"side", "sides"}))
    has = {kind for kind, vocab in _COLUMN_WORDS if present.intersection(vocab)}
    if "sets" in has and "reps" in has:
        return "sets_reps", factor, side
    for kind, _ in _COLUMN_WORDS:
        if kind in has:
            return kind, factor, side
    return None, factor, side


@_never_raises(EMPTY)
def table_dosage(header: list[str], cells: list[str]) -> Dosage:
    """The dosage of one table row: columns named Hold / Duration / Reps / Sets / Rest (EN, DE, FR, ES)
    read as such ('10', '8-12', '30 s', '3 x 10'); other columns fill the gaps from their text."""
    typed: dict[str, Fact] = {}
    per_side = False
    rest_of_row: list[Dosage] = []
    for head, cell in zip(header or [], cells or []):
        cell = cell or ""
        kind, factor, side = column_kind(head or "")
        stated = _dosage_of(cell)
        if stated.duration is not None and kind != "duration" and _bare_time(cell):
            # (A time alone in a cell is read by its column, "90 s" under Rest,
            # not as a badge's duration.)
            stated = replace(stated, duration=None)
        per_side = per_side or stated.per_side or (side and bool(cell.strip()))
        if kind is None or kind in ("dosage", "sets_reps", "frequency"):
            if kind == "sets_reps" and not (stated.sets and stated.reps):
                stated = _sets_reps_cell(cell) or stated
            rest_of_row.append(stated)
            continue
        fact = _typed_cell(kind, factor, cell, side or stated.per_side)
        if fact is not None and _slot(fact.fact) not in typed:
            typed[_slot(fact.fact)] = fact
        for other in stated.facts:  # "3 x 10" under Sets, "30 s" under Reps (a plank)
            slot = _slot(other.fact)
            if slot not in typed and (fact is None or other.fact != fact.fact):
                typed[slot] = other
    row = Dosage(per_side=per_side, **typed)
    for other in rest_of_row:
        row = row.merged_with(other)
    return row


BARE_TIME = re.compile(r"^\W*[\d.,]+(?:\s*[-–—]\s*[\d.,]+)?\s*(?:s|sec|secs|seconds?|sek\.?|sekunden|secondes?|"
                       r"segundos?|min|mins|minutes?|minuten|minutos?)\W*$", re.I)


def _bare_time(cell: str) -> bool:
    return bool(BARE_TIME.match(cell))


def without_cell_times(dosage: Dosage) -> Dosage:
    """A table row's text without the durations read from a time alone ("90
    s"): its cells' columns say what their times are (see table_dosage)."""
    if dosage.duration is not None and _bare_time(dosage.duration.phrase):
        return replace(dosage, duration=None)
    return dosage


def _slot(fact: str) -> str:
    return _SLOTS[fact]


_CELL_RE = re.compile(r"\s*(?:~\s*)?(?P<n>[0-9]+(?:[.,][0-9]+)?)(?:\s*(?:-|–|—|to|bis|à|a)\s*(?P<m>[0-9]+(?:[.,][0-9]+)?))?"
                      r"\s*(?P<unit>[^\W\d_]+)?")
_SETS_REPS_RE = re.compile(r"\s*(?P<s>[0-9]{1,2})\s*(?:x|×|\*|/|sets? of|sätze à)\s*(?P<r>[0-9]{1,3})"
                           r"(?:\s*(?:-|–)\s*(?P<rm>[0-9]{1,3}))?", re.I)


def _typed_cell(kind: str, factor: int, cell: str, side: bool) -> Fact | None:
    """A bare count or span in a typed column: '10', '8-12', '30', '30 s', '1 min', '2-3'."""
    match = _CELL_RE.match(cell)
    if not match:
        return None
    lo = _digits_value(match.group("n"))
    hi = _digits_value(match.group("m")) if match.group("m") else None
    unit = (match.group("unit") or "").lower()
    if lo is None:
        return None
    if kind in ("reps", "sets") and unit in _TIME_UNITS:
        kind = "duration"  # "30 sec" under Reps: the exercise is done for a time
    if kind in ("reps", "sets"):
        if unit and unit not in _REP_NOUNS and unit not in _SET_NOUNS and unit not in _TIMES_NOUNS \
                and unit not in _SIDE_QUANT and unit not in ("x", "each"):
            return None
        name = kind
    else:
        if unit in _TIME_UNITS:
            factor = _TIME_UNITS[unit][0]
        elif unit and unit not in _SIDE_QUANT and unit not in ("each",):
            return None
        lo, hi = lo * factor, (hi * factor if hi is not None else None)
        name = {"hold": "hold_seconds", "rest": "rest_seconds", "duration": "duration_seconds"}[kind]
    phrase = cell.strip() if len(cell.strip()) <= 40 else cell[match.start("n"):match.end()].strip()
    return _make_fact(name, lo, hi, phrase, side)


def _sets_reps_cell(cell: str) -> Dosage | None:
    """A 'Sets x Reps' column holding '3/10' (the grammar reads '3 x 10' itself)."""
    match = _SETS_REPS_RE.match(cell)
    if not match:
        return None
    sets_n, reps_n = int(match.group("s")), int(match.group("r"))
    reps_max = int(match.group("rm")) if match.group("rm") and int(match.group("rm")) > reps_n else None
    phrase = match.group(0).strip()
    if not (1 <= sets_n <= 99 and 1 <= reps_n <= 1000):
        return None
    return Dosage(sets=Fact("sets", sets_n, None, phrase), reps=Fact("reps", reps_n, reps_max, phrase))


# --------------------------------------------------------------------------
# Plan-wide lines

_PLAN_CUE = re.compile(
    r"\b(?:each|every|all)\s+(?:of\s+)?(?:(?:the|these|those|this|your)\s+)?(?:following\s+)?"
    r"(?:exercises?|stretch(?:es)?|moves?|movements?|poses?|drills?|one|positions?|workouts?)\b"
    r"|\b(?:of|for)\s+each\b|\bper\s+(?:exercise|stretch|move|movement)\b"
    r"|\b(?:these|the\s+following|the\s+above|all)\s+(?:exercises|stretches|moves|movements|poses)\b"
    r"|\bunless\s+(?:otherwise\s+)?(?:noted|stated|specified)\b|\b(?:the|this|each)\s+(?:whole\s+|entire\s+)?circuit\b"
    r"|\bjede[nrs]?\s+(?:der\s+)?übung(?:en)?\b|\balle[n]?\s+übungen\b|\bdiese[n]?\s+übungen\b|\b(?:pro|je)\s+übung\b"
    r"|\bjeweils\s+(?=[0-9]|(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|fünfzehn|zwanzig)\b)"
    r"|\bsofern\s+nicht\s+anders\b"
    r"|\bchaque\s+(?:exercice|mouvement|étirement|posture)\b|\bchacun\s+des\b|\btous\s+les\s+exercices\b"
    r"|\bces\s+exercices\b|\bpar\s+exercice\b|\bsauf\s+indication\s+contraire\b"
    r"|\bcada\s+(?:ejercicio|estiramiento|movimiento|postura|uno)\b|\btodos\s+los\s+ejercicios\b"
    r"|\bestos\s+ejercicios\b|\bpor\s+ejercicio\b"
    # "Do 3 rounds:", "Complete 4 rounds in total", "3 Durchgänge", "4 tours": the whole circuit, each exercise in it
    r"|\b(?:[0-9]+|two|three|four|five|six|zwei|drei|vier|fünf|sechs|deux|trois|quatre|cinq|six|dos|tres|cuatro|"
    r"cinco|seis)\s+(?:rounds|durchgänge|runden|tours|rondas|vueltas)\b",
    re.I,
)


_BETWEEN_RE = re.compile(r"\b(?:between|zwischen|entre)\b", re.I)


@_never_raises(None)
def plan_dosage(text: str) -> Dosage | None:
    """The dosage of a plan-wide line ("Aim for 2-3 sets of 8-12 reps for each exercise", "Starten Sie mit
    jeweils drei Sätzen zu je zehn Wiederholungen"); None when no sentence of it reads as applying to every
    exercise of a plan or section, or it states no fact.

    Sentences that contradict each other (two schedules to alternate, a beginner's and an expert's dose)
    leave that fact out: a plan that says two things says neither for sure."""
    text = (text or "")[:MAX_CHARS]
    if not _PLAN_CUE.search(text):
        return None
    chosen: dict[str, Fact] = {}
    dropped: set[str] = set()
    per_side = False
    for match in _SENTENCE_SPLIT_RE.finditer(text):
        sentence = match.group()
        stated = _dosage_of(sentence)
        if _PLAN_CUE.search(sentence):
            facts = stated.facts
            per_side = per_side or stated.per_side
        else:
            # beside a plan-wide sentence, rest "between sets" / "between exercises" is plan-wide too
            facts = [stated.rest] if stated.rest and _BETWEEN_RE.search(sentence) else []
        for fact in facts:
            slot = _slot(fact.fact)
            if slot in chosen and (chosen[slot].value, chosen[slot].max) != (fact.value, fact.max):
                dropped.add(slot)
            chosen.setdefault(slot, fact)
    for slot in dropped:
        chosen.pop(slot, None)
    if not chosen:
        return None
    return Dosage(per_side=per_side, **chosen)


# --------------------------------------------------------------------------
# The single facts, as the extractor has called them since the start

def hold_seconds(text: str) -> int | None:
    """Seconds a position is held, from the exercise's text; None if it says none.

    Rest is kept apart ("rest for 10 seconds" is not a hold); a range
    ("20 to 30 seconds") gives its lower bound; see hold_range.
    """
    low, _ = hold_range(text)
    return low


def hold_range(text: str) -> tuple[int | None, int | None]:
    """(lowest, highest) seconds of a hold; both equal when one number is given."""
    hold = _dosage_of(text).hold
    if hold is None:
        return None, None
    return hold.value, hold.max if hold.max is not None else hold.value


def rest_seconds(text: str) -> int | None:
    """Seconds of rest between repetitions or sets."""
    rest = _dosage_of(text).rest
    return rest.value if rest else None


def reps(text: str, name: str = "") -> int | None:
    """Repetitions: 'repeat 10 times', '8 to 12 repetitions' (-> 8), '150 Burpee pull-ups' (-> 150)."""
    found = parse_dosage(text, name).reps
    return found.value if found else None


def sets(text: str) -> int | None:
    """Sets or rounds: 'Complete 2 sets', '3 rounds', '3 x 10' (-> 3)."""
    found = _dosage_of(text).sets
    return found.value if found else None


# The old names, kept for callers: number words become digits ("seven" -> "7", "a minute" -> "1 minute").
_OLD_WORDS = {w: v for w, v in {**_EN, **_DE}.items() if v < 100 and len(w) < 11}
_WORDS = "|".join(sorted((re.escape(w) for w in _OLD_WORDS), key=len, reverse=True))
NUMBER_WORD_RE = re.compile(
    rf"\b(?:(?P<tens>twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](?P<ones>one|two|three|four|five|six|seven|eight|nine)"
    rf"|(?P<word>{_WORDS})|(?P<article>an?)(?=\s+(?:second|minute|min\b)))\b",
    re.I,
)


@lru_cache(maxsize=512)
def normalise_numbers(text: str) -> str:
    """'hold for seven seconds' -> 'hold for 7 seconds'; 'a minute' -> '1 minute'."""
    def replace_word(match: re.Match) -> str:
        if match.group("tens"):
            return str(int(_EN[match.group("tens").lower()] + _EN[match.group("ones").lower()]))
        if match.group("article"):
            return "1"
        value = _OLD_WORDS[match.group("word").lower()]
        return str(int(value)) if float(value).is_integer() else str(value)

    return NUMBER_WORD_RE.sub(replace_word, text)


def number(text: str) -> float | None:
    """'7' -> 7, 'seven' -> 7, 'twenty-five' -> 25, '2,5' -> 2.5, 'drei' -> 3; None if not a number."""
    text = (text or "").strip().lower()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except (ValueError, OverflowError):
        pass
    if text in NUMBER_WORDS:
        return float(NUMBER_WORDS[text])
    parts = re.split(r"[- ]", text)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    return None


POSITIONS = [
    (re.compile(r"\b(?:lie|lay|lying|laying)\s+(?:down\s+)?(?:flat\s+)?on\s+your\s+back\b|\blie\s+face\s*up\b|\bsupine\b", re.I), "lying on your back"),
    (re.compile(r"\b(?:lie|lay|lying|laying)\s+(?:down\s+)?(?:flat\s+)?(?:on\s+your\s+(?:stomach|front|belly)|face\s*down)\b|\bprone\b", re.I), "lying face down"),
    (re.compile(r"\b(?:lie|lay|lying|laying)\s+on\s+your\s+(?:left\s+|right\s+)?side\b", re.I), "lying on your side"),
    (re.compile(r"\b(?:on\s+(?:all\s+fours|your\s+hands\s+and\s+knees)|kneel(?:ing)?\s+on\s+all\s+fours|vierfüßlerstand)\b", re.I), "on all fours"),
    (re.compile(r"\bkneel(?:ing|s)?\b", re.I), "kneeling"),
    (re.compile(r"\b(?:sit|sitting|seated)\b", re.I), "sitting"),
    (re.compile(r"\b(?:stand|standing)\b", re.I), "standing"),
    (re.compile(r"\bprop yourself up on your forearms\b|\bplank position\b", re.I), "plank"),
]


def body_position(text: str) -> str | None:
    """The starting position an exercise describes: 'lying on your back', 'on all fours'..."""
    try:
        best = None
        for pattern, label in POSITIONS:
            match = pattern.search(text or "")
            if match and (best is None or match.start() < best[0]):
                best = (match.start(), label)
        return best[1] if best else None
    except (ValueError, TypeError):
        return None


# Stems that also stand inside other words are anchored at a word's start
# ("pill" in "spill", "active" in "bioactive", "train" in "strain", "cycl" in
# "recycle", "gel" in "angel"); German stems stay unanchored, since German
# puts them at the end of compounds ("Rückenmassage", "Schmerzmedikament").
TREATMENT_CATEGORIES = [
    ("medication", r"\bmedic|medikament|\bdrugs?\b|nsaid|ibuprofen|naproxen|aspirin|acetaminophen|paracetamol|"
                   r"pain ?relie(?:ver|f cream)|painkiller|diclofenac|\bcreams?\b|ointment|\bgels?\b|\bpills?\b|"
                   r"\btablets? (?:of|a day|daily|twice)|supplement|\bvitamin|multivitamin|prescription|antibiotic|"
                   r"lipoic|\bnutrients?\b|\bcoenzyme|\bextract\b|tincture|capsule|nahrungsergänzung"),
    ("heat", r"\bheat(?:ing)?\b(?! cooking)|heating pad|hot water|warm (?:bath|compress|towel|shower)|\bwarmth|wärme"),
    ("cold", r"\bice\b(?! cream)|\bicing\b|cold (?:pack|compress|shower|bath|water)|kälte|\beis\b"),
    ("massage", r"massag"),
    ("professional care", r"\bdoctor|physician|\bgp\b|physio|therapist|chiropract|specialist|\bconsult|pediatrician|"
                          r"dentist|\b(?:seek|get) (?:medical |professional )?help|\bprofessional help|clinic\b|hospital|emergency|"
                          r"\barzt|ärzt|zahnarzt"),
    ("rest", r"\brest\b|\brelax|\bsleep|\bnap\b|\bruhe\b|schlaf"),
    ("exercise", r"exercis|stretch|\byoga\b|pilates|\bwalk|\brun\b|\brunning|\bjog|\bswim|\bcycl|bicycl|\bbik(?:e|ing)|"
                 r"workout|\btrain(?:ing)?\b|\bactiv(?:e|ity)\b|\bgames?\b|\bsports?\b|bewegung|spazier|\bübung"),
    ("diet", r"\beat|\bfood|\bdiet|\bmeals?\b|\bdrink|\bwater\b|\bsugar|\bcarb|calor|\bfruit|vegetable|gemüse|obst|"
             r"\bsnack|\bportion|protein|sweetener|\bgrains?\b|\boils?\b|\bmeat|\bfish\b|omega|\bplate\b|\bdips?\b|"
             r"\bchips\b|\bessen|lebensmittel|getränk|bissen|hydrat|fiber|fibre|plant-based|\bcook|ernährung|mahlzeit"),
    ("prevention", r"prevent|posture|\bavoid|\blift|ergonom|\bshoes?\b|footwear|insole|\bbrace|\bhabit|\broutine|"
                   r"schedule|\btrack|\bweigh|wiegen|\bgoals?\b|prioriti|\bmonitor|vermeid|vorbeug|hygien|\bbrush|floss"),
]
_CATEGORY_RES = [(name, re.compile(pattern, re.I)) for name, pattern in TREATMENT_CATEGORIES]


def treatment_category(name: str, text: str = "") -> str:
    """One of: medication, heat, cold, rest, professional care, prevention,
    exercise, massage, diet, other.

    The name decides when it names one (the first in the list above: "Ice
    after a run" is cold, not exercise); else the text, by the category it
    mentions most, since a tip's text touches on several ("if the pain lasts,
    see a doctor") and the first one listed used to win whichever it was."""
    for category, pattern in _CATEGORY_RES:
        if pattern.search(name or ""):
            return category
    counts = [(len(pattern.findall(text or "")), -order, category)
              for order, (category, pattern) in enumerate(_CATEGORY_RES)]
    best = max(counts)
    return best[2] if best[0] else "other"


MEDICINES = re.compile(
    r"\b(?:non-?steroidal anti-?i?nflammatory drugs?(?: \(NSAIDs?\))?|NSAIDs?|ibuprofen|naproxen|aspirin|"
    r"acetaminophen|paracetamol|diclofenac|muscle relaxants?|corticosteroids?|cortisone|antibiotics?|"
    r"antihistamines?|opioids?|codeine|tramadol|gabapentin|melatonin|paxlovid|insulin|metformin|statins?|"
    r"capsaicin|menthol|lidocaine|triptans?|sumatriptan|magnesium|multivitamins?|vitamin [A-K]\d*)\b",
    re.I,
)
WARNING_CONTEXT = re.compile(
    r"(?:sign|signs|symptom|indicate|mean|caused by|due to)\b[^.]{0,40}?\b(?:such as|like|including)\s+([^.]+)", re.I
)


def medicines(text: str) -> list[str]:
    """Medicines a text mentions, in order, without repeats."""
    seen: list[str] = []
    for match in MEDICINES.finditer(text or ""):
        word = match.group(0)
        if word.lower() not in (s.lower() for s in seen):
            seen.append(word)
    return seen


def warning_conditions(text: str) -> list[str]:
    """Conditions a text warns of: '... a sign of something serious, such as
    kidney infection (pyelonephritis), slipped disc or osteoarthritis'."""
    found: list[str] = []
    for match in WARNING_CONTEXT.finditer(text or ""):
        for part in re.split(r",\s*|\s+(?:or|and)\s+", match.group(1)):
            part = part.strip(" .;:")
            if 2 < len(part) < 60 and part.lower() not in (f.lower() for f in found):
                found.append(part)
    return found
