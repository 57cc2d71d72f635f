"""Words that say what a section, a list or an item is, in English, German,
French and Spanish.

These are the small structural signals' vocabulary: a heading or lead-in
that names treatments ("tips", "remedies", "Tipps", "conseils", "consejos"),
exercises ("stretches", "Übungen", "exercices", "ejercicios") or something
else that looks like a list but is not advice (causes, symptoms, benefits,
ingredients, FAQ, references, products). They are written from the labelling
rules (``../shared/corpus/LABELING.md``), not from any one page.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- what a section holds ----------------------------------------------------------

TREATMENT_CUE = re.compile(
    r"\b(?:treat\w*|remed\w*|relie\w*|tips?|ways?(?!\s+to\s+(?:measure|test|tell|know|find\s+out|check|identify|spot|"
    r"diagnose|calculate))|what\s+(?:you\s+)?can\s+(?:you\s+)?do|what\s+to\s+do|things\s+(?:you\s+can\s+)?(?:to\s+)?do|"
    r"try(?:ing)?|helps?|prevent\w*|cures?|manag\w*|avoid\w*|suggestions?|rules?|steps?|how\s+to|advice|strateg\w*|"
    r"habits?|dos|do'?s\s+and\s+don'?ts|self[- ]?care|care|solutions?|options?|ideas?|recommendations?|practices?|"
    r"principles?|resolutions?|hacks?|guidelines?|lifestyle|changes|cop(?:e|ing)|fix(?:es)?|should|action|plan|"
    r"getting\s+started|get\s+started|start(?:ing)?|checklist|keys?\s+to|secrets?|ease|soothe|boost|improve|reduce|"
    r"lower|protect|support|stay|keep|beat|overcome|combat|fight|deal|handle|routine|home\s+care|first\s+aid|"
    # German
    r"tipps?|behandl\w*|therapie\w*|hilfe|hilft|helfen|mittel|hausmittel\w*|vorbeug\w*|vermeid\w*|was\s+tun|"
    r"was\s+hilft|so\s+geht'?s|so\s+gelingt|schritte?|regeln?|ratschl\w+|strategien|empfehlung\w*|ma(?:ß|ss)nahmen|"
    r"lösung\w*|ideen|prinzipien|gewohnheit\w*|selbsthilfe|selbstfürsorge|übungssache|anleitung|linder\w*|"
    # French
    r"conseils?|astuces?|traitements?|traiter|remèdes?|soulag\w*|prévenir|prévention|solutions?|étapes?|règles?|"
    r"que\s+faire|comment|habitudes?|recommandations?|gestes|idées|"
    # Spanish
    r"consejos?|trucos?|tratamientos?|tratar|remedios?|aliviar|alivio|prevenir|prevención|soluciones|pasos?|reglas|"
    r"qué\s+hacer|cómo|hábitos?|recomendaciones|ideas)\b",
    re.I,
)
EXERCISE_CUE = re.compile(
    r"\b(?:exercis\w*|stretch(?:es|ing)?|workouts?|work\s+out|poses?|postures?|asanas?|yoga|pilates|routines?|moves|"
    r"movements?|training(?:\s+plan)?|drills?|circuits?|reps|sets|wod|amrap|emom|tabata|calisthenics|"
    r"strength(?:ening)?|mobility|physio\w*|rehab\w*|"
    # German
    r"übung(?:en)?|dehn\w*|trainings?\w*|kräftig\w*|gymnastik|bewegungen|"
    # French
    r"exercices?|étirements?|entraînement|mouvements?|séances?|"
    # Spanish
    r"ejercicios?|estiramientos?|entrenamiento|rutinas?|movimientos?|posturas?)\b",
    re.I,
)
DECOY_CUE = re.compile(
    r"\b(?:causes?|caused|symptoms?|signs?(?:\s+(?:of|and|that|you))?|warning\s+signs|risk\s+factors?|ingredients?|"
    r"you(?:'ll| will)?\s+need|what\s+you\s+need|supplies|materials|equipment|gear|products?|nutrition\s+facts|"
    r"benefits?|advantages?|disadvantages?|pros|cons|why|what\s+(?:is|are)|definition|types\s+of|kinds\s+of|"
    r"faqs?|frequently\s+asked|questions?|references|sources|bibliography|citations|related|read\s+more|"
    r"further\s+reading|myths?|complications|diagnos\w*|side\s+effects|statistics|studies|study|research|"
    r"conclusion|summary|takeaways?|key\s+points|in\s+this\s+article|table\s+of\s+contents|contents|about\s+the\s+author|"
    r"comments?|reviews?|price|pricing|costs?|features|specs|specifications|what\s+to\s+look\s+for|buying|"
    r"ways?\s+to\s+(?:measure|test|check|tell|know|calculate|identify|spot|diagnose)|picks|factors|"
    r"how\s+we\s+(?:test|chose|picked)|our\s+picks|best\s+\w+\s+for|top\s+picks|compar\w+|recipes?|"
    r"when\s+to\s+(?:see|call|contact)|see\s+a\s+doctor\s+if|disclaimer|newsletter|subscribe|share|"
    # German
    r"ursachen?|symptome|anzeichen|risikofaktoren|zutaten|vorteile|nachteile|fazit|quellen|literatur|"
    r"häufige\s+fragen|kosten|preis\w*|inhaltsverzeichnis|inhalt|nebenwirkungen|diagnose|studie\w*|rezept\w*|"
    r"was\s+ist|warum|wofür|definition|"
    # French
    r"symptômes|signes|ingrédients|avantages|inconvénients|questions\s+fréquentes|sommaire|étude|recettes?|"
    r"qu'est-ce|pourquoi|"
    # Spanish
    r"causas|síntomas|signos|ingredientes|beneficios|ventajas|desventajas|fuentes|preguntas\s+frecuentes|resumen|"
    r"estudio|recetas?|qué\s+es|por\s+qué)\b",
    re.I,
)
# A lead-in that announces a list: "Here are some tips:", "Try these:", "Hier sind ...".
INTRO_CUE = re.compile(
    r":\s*$|\b(?:here\s+(?:are|is)|following|these|below|try\s+(?:these|this|the)|include|includes|including|"
    r"hier\s+(?:sind|kommen|einige)|diese[nr]?|folgende\w*|voici|suivant\w*|ces|estos|estas|siguientes?|aquí)\b",
    re.I,
)
# Where advice is phrased as a generic label before each item: "TIP: ...", "Tipp:", "Conseil :".
ADVICE_LABEL = re.compile(
    r"^(?:tip|tipp|pro\s+tip|try\s+this|do|do\s+this|action|action\s+step|advice|recommendation|conseil|astuce|"
    r"consejo|truco|hinweis|empfehlung)\s*(?:#?\d+)?\s*[:.!]?$",
    re.I,
)
NOT_ADVICE_LABEL = re.compile(
    r"^(?:myth|fact|truth|mythos|fakt|note|warning|caution|important|bottom\s+line|source|photo|image|credit|"
    r"don'?t|question|answer|q|a|frage|antwort|mythe|réalité|mito|realidad)\s*(?:#?\d+)?\s*[:.!]?$",
    re.I,
)

# -- what an item is -----------------------------------------------------------------

# Verbs that open an English instruction ("Apply ice", "Keep a diary").
ENGLISH_VERBS = _words("""
accept achieve act adapt add adjust aim allow alternate apply approach ask assess attend avoid balance bathe be
become begin believe bend block boost breathe bring brush build buy calm cap carry celebrate challenge change check
chew choose clean clear climb close combine come commit communicate compress connect consider consult consume
continue control cook cool count cover create cross cut cycle dance decide decrease delegate develop devote do
download drink drop eat ease educate elevate eliminate embrace empty encourage engage enjoy ensure establish
evaluate exercise exhale experiment explore express extend fill find finish fix floss focus follow forgive gather
get give go grab grow guard have heal hear help hike hold honor honour hug identify ignore imagine improve include
increase incorporate inhale invest involve join journal jump keep kneel know label laugh lead learn leave let lie
lift light limit listen live load look lose lower maintain make manage map massage measure meditate meet minimize
mix moderate modify monitor move name note notice nourish observe offer open opt order organize organise pace pause
pay pick place plan play plug practice practise prepare prepare press prevent prioritize prioritise protect pull
push put quit raise reach read reassess recognize recognise record reduce reflect refuse relax release remember
remind remove repeat replace rest restrict return reward roll rotate rub run save say schedule scan seek select
sell set share shift shop show shower sing sip sit skip sleep slow smile snack soak spend split stand start stay
step stick stock stop store stretch strive structure substitute swap swim switch take talk tape tell test thank
think tighten track train transform treat try tuck turn unplug use vary visit wait wake walk warm wash watch wear
weigh work wrap write yawn zoom dim cut cuddle speak enlist get prioritize bundle hydrate moisturize moisturise
""")
ENGLISH_OPENERS = _words("don't dont do never always avoid stop no try")
GERMAN_VERBS = _words("""
achte achten atme atmen beginne beginnen bewege bewegen bleibe bleiben dehne dehnen entspanne entspannen
entwickle entwickeln erreiche erreichen esse essen iss finde finden gehe gehen geh gib gönne gönnen habe
habe hab halte halten hebe heben höre hören kaufe konzentriere lache lass lasse lassen lebe leben lege legen
lerne lernen mach mache machen meide meiden nimm nutze nutzen pflege pflegen plane planen praktiziere probiere
reduziere reduzieren richte ruhe schaffe schlafe schlafen schätze schreibe sei setze setzen sorge sorgen spiele
starte starten stelle stellen strecke suche suchen tanke teile trainiere trinke trinken tu tue übe üben
vermeide vermeiden verzichte verzichten wähle wählen werde wiederhole ziehe achtet vertraue erlaube genieße
""")
FRENCH_VERBS = _words("""
adoptez allez appliquez arrêtez bougez buvez choisissez consultez dormez écoutez essayez évitez faites gardez
limitez mangez marchez méditez misez optez pensez pratiquez prenez privilégiez réduisez reposez respirez
restez tenez
""")
SPANISH_VERBS = _words("""
bebe beba come coma camina camine cuida cuide descansa descanse duerme duerma elige elija evita evite haz haga
incluye incluya limita limite mantén mantenga muévete practica practique prueba pruebe reduce reduzca respira
respire toma tome usa use busca busque aplica aplique
""")
IMPERATIVE_SIE = re.compile(r"^\w+(?:en|n)\s+sie\b", re.I)  # "Achten Sie auf ...", "Trinken Sie ..."
LEADING_NOISE = re.compile(r"^[\W\d_]+")
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|ich|mein\w*|mir|mich|je|mon|ma|mes|yo|mi)\b", re.I)


def first_word(name: str) -> str:
    name = LEADING_NOISE.sub("", name)
    return name.split(" ", 1)[0].lower().strip(",.:;!?\"'“”’") if name else ""


def is_imperative(name: str) -> bool:
    """Does the name open with a verb telling the reader what to do?"""
    word = first_word(name)
    if not word:
        return False
    if word in ENGLISH_VERBS or word in ENGLISH_OPENERS or word in GERMAN_VERBS or word in FRENCH_VERBS \
            or word in SPANISH_VERBS:
        return True
    if word.endswith("ez") and len(word) > 4 and word[0].isalpha():  # French vous-imperative
        return True
    return bool(IMPERATIVE_SIE.match(LEADING_NOISE.sub("", name)))


def is_gerund(name: str) -> bool:
    """'Taking breaks', 'Sitting with hips higher than knees': advice as an activity."""
    word = first_word(name)
    return len(word) > 5 and word.endswith("ing") and word not in ("morning", "evening", "nothing", "something",
                                                                  "everything", "during", "spring", "string")


# Exercise names: what a named movement tends to contain.
EXERCISE_NAME = re.compile(
    r"\b(?:squats?|lunges?|planks?|push-?ups?|press-?ups?|pull-?ups?|chin-?ups?|sit-?ups?|crunch(?:es)?|bridges?|"
    r"curls?|press(?:es)?|rows?|rowing|raises?|deadlifts?|extensions?|fl(?:y|ies)|stretch(?:es)?|poses?|tilts?|"
    r"twists?|rotations?|kicks?|walk(?:ing|s)?|jog(?:ging)?|run(?:ning|s)?|swim(?:ming)?|cycling|bicycling|biking|"
    r"jumps?|jumping|burpees?|dips?|circles?|rolls?|tucks?|reach(?:es)?|thrusts?|step-?ups?|climbers?|jacks?|"
    r"bird[- ]dog|cat[- ]cow|child'?s\s+pose|cobra|downward\s+dog|warrior|knee[- ]to[- ]chest|hamstring|quad\w*|"
    r"glute\w*|hip\s+flexor|piriformis|calf|calves|shrugs?|pulldowns?|pullovers?|flyes|lifts?|holds?|marches|"
    r"marching|skipping|hiking|dancing|rowing|sprints?|intervals?|yoga|pilates|tai\s+chi|"
    r"kniebeuge\w*|ausfallschritt\w*|liegestütz\w*|dehnung\w*|brücke|planke|unterarmstütz|beckenkreis\w*|"
    r"beckenkipp\w*|crunches|schulterkreis\w*|rumpfbeuge\w*|"
    r"fentes?|pompes?|gainage|planche|étirements?|pont|"
    r"sentadillas?|zancadas?|flexiones|plancha|estiramientos?|puente)\b",
    re.I,
)
DOSAGE_WORDS = re.compile(
    r"\b(?:hold|repeat|reps?|repetitions?|sets?|seconds?|secs?|times|rounds?|each\s+side|per\s+side|"
    r"wiederholungen|sätze|sekunden|halten|répétitions|séries|secondes|repeticiones|series|segundos)\b",
    re.I,
)
PROMO = re.compile(
    r"\b(?:subscribe|sign\s+up|newsletter|download|buy|shop|order\s+now|discount|coupon|certified|certification|"
    r"course|enroll|enrol|join\s+(?:us|our|now)|free\s+trial|book\s+(?:a|an|your)|call\s+us|contact\s+us|"
    r"our\s+(?:app|program|programme|product|class|clinic|team)|click|learn\s+more|abonn\w+|jetzt\s+\w+en|"
    r"gutschein|kaufen|bestellen)\b",
    re.I,
)
# A question without its question mark: "What is lupus", "Can you catch it" (not "How to stretch").
QUESTION_START = re.compile(
    r"^(?:(?:what|why|how|when|where|who|which)(?:'s|\s+(?:is|are|was|were|do|does|did|can|could|should|will|would|"
    r"long|much|many|often|soon|happens|causes))|(?:is|are|can|could|should|do|does|did|will|would)\s+(?:i|you|we|it|"
    r"they|my|your|there|this|that|a|an|the)|(?:was|warum|wie\s+(?:lange|oft|viel)|wann|wo|wer|welche\w*|ist|sind|"
    r"kann|können|soll|sollte)\s|(?:pourquoi|quand|est-ce|qu'est-ce|por\s+qué|cuándo|dónde|quién|cuál\w*)\b)",
    re.I,
)
QA_PREFIX = re.compile(r"^\s*(?:q|question|frage|f)\s*[:.)]\s*", re.I)


def is_question(text: str) -> bool:
    text = text.strip().rstrip("\u200b ")
    return text.endswith("?") or bool(QA_PREFIX.match(text)) or bool(QUESTION_START.match(text))


# -- is the page about health at all ---------------------------------------------------

HEALTH_WORDS = _words("""
pain painful ache aches aching disease diseases condition conditions spine spinal fitness weight stress anxiety
blood heart cancer virus hospital clinic skin acne immune chronic relief cure surgery illness sick plague lung
lungs flu pneumonia carb carbs protein yoga wod burpee burpees squat squats lunge lunges reps cardio running
jogging walking pilates strength pushups pullups gym teeth tooth dental dentist oral gum gums smile floss
sleep sleeping insomnia nap naps bedtime toddler baby babies infant infants pregnancy pregnant postpartum
anger angry mood moods emotion emotions emotional mental mindfulness meditation meditate meditating
breathing breath calm anxious depression depressed burnout wellbeing well-being wellness happiness happy
posture ergonomic ergonomics desk sitting stretching vegan vegetarian plant-based nutrients fiber fibre
vitamins minerals hydration dehydration alcohol smoking tobacco cholesterol pressure hypertension obesity
overweight calories calorie metabolism hormones hormone menopause fertility nutrition nutritional
diet diets dieting eating meals meal snacks snack sugar sugary whole-grain grains vegetables fruits
arthritis injury injuries muscle muscles joints joint tendon ligament knee knees hip hips shoulder
shoulders neck back headache migraine allergy allergies asthma eczema diabetes diabetic
therapy therapist physiotherapy physio rehabilitation recovery recover self-care selfcare loneliness
screen addiction habits
arzt abnehmen kalorien ernährung übungen training fett schlaf schlafen zähne zahn stress angst wut
entspannung achtsamkeit meditation gesundheit gesund glück zufriedenheit selbstfürsorge grenzen
bewegung rücken schmerzen muskeln sport fitness reiter sitz becken
santé sommeil douleur stress anxiété exercice exercices alimentation régime poids sport muscles dos
salud sueño dolor estrés ansiedad ejercicio ejercicios alimentación dieta peso músculos espalda
""")
HEALTH_STEMS = ("treat", "therap", "health", "medic", "injur", "exercis", "stretch", "diet", "obes", "calori",
                "nutrition", "inflammat", "sleep", "diabet", "infect", "vaccin", "allerg", "remed", "gesund",
                "schmerz", "krank", "ärzt", "muskel", "vitamin", "symptom", "workout", "muscle", "joint", "doctor",
                "physician", "patient", "relie", "pediatric", "paediatric", "dent", "meditat", "mindful", "anxi",
                "psycholog", "wellbeing", "wellness", "ergonom", "nutri", "hydrat", "stress", "entspann",
                "achtsam", "schlaf", "ernähr", "bewegung", "santé", "salud", "médic", "médec", "ejercic", "dolor",
                "douleur", "glück", "happi", "gratitud", "dankbar", "zufrieden", "wohlbefind", "bien-être", "bienestar",
                "felicidad", "bonheur", "resilien", "burnout", "lonel", "einsam", "selbstfürsorg", "wellbeing")
WORD_RE = re.compile(r"\w[\w-]*")


def health_hits(text: str) -> int:
    return sum(1 for w in WORD_RE.findall(text.lower()) if w in HEALTH_WORDS or w.startswith(HEALTH_STEMS))


def health_density(text: str, limit: int = 1500) -> float:
    words = WORD_RE.findall(text.lower())[:limit]
    if not words:
        return 0.0
    return sum(1 for w in words if w in HEALTH_WORDS or w.startswith(HEALTH_STEMS)) / len(words)


# -- page kinds that hold no advice ------------------------------------------------------

NEWS_TYPES = {"newsarticle", "reportagenewsarticle", "analysisnewsarticle", "pressrelease", "scholarlyarticle",
              "medicalscholarlyarticle", "report"}
REPORTING = re.compile(r"\b(?:said|says|told|according\s+to|reported|announced|researchers|study|studies|"
                       r"sagte|sagt|laut|berichtet|studie|forscher|selon|a\s+déclaré|según|dijo)\b", re.I)
TITLE_ROUNDUP = re.compile(r"\b(?:best|top\s+\d+|reviews?|reviewed|tested|vs\.?|versus|compared|buying\s+guide|"
                           r"deals?|picks|ranked|rated|bestenliste|testsieger|meilleur\w*|mejores)\b", re.I)
INGREDIENT = re.compile(r"(?:\b\d+[\d/.\s-]*|[½¼¾])\s*(?:cups?|tbsp|tsp|tablespoons?|teaspoons?|ounces?|oz|ml|"
                        r"cloves?|pinch(?:es)?|dash(?:es)?|slices?|cans?|EL|TL|Prise)\b")
PRICE = re.compile(r"(?:[$€£]\s?\d|\d\s?(?:€|eur|usd)\b|\bprice\b|\bbuy\b|\bcheck\s+price|\bin\s+stock\b|\bpreis\b)",
                   re.I)
NUMBER_WORDS_EN = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                   "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                   "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
                   "zehn": 10, "elf": 11, "zwölf": 12, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
                   "huit": 8, "neuf": 9, "dix": 10, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
                   "siete": 7, "ocho": 8, "nueve": 9, "diez": 10}
COUNT_IN_TEXT = re.compile(r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS_EN) + r")\b", re.I)


def counts_in(text: str) -> set[int]:
    """The small numbers a title or heading announces: '7 Ways to ...', 'Vier Übungen'."""
    found = set()
    for match in COUNT_IN_TEXT.finditer(text or ""):
        word = match.group(1).lower()
        value = int(word) if word.isdigit() else NUMBER_WORDS_EN.get(word)
        if value and 2 <= value <= 40:
            found.add(value)
    return found
