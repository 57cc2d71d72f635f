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
from collections import Counter
from functools import lru_cache


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- word cues --------------------------------------------------------------------

TOKEN = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    """The lower-cased words of a text ("Don't" stays one word; "push-ups" is "push", "ups")."""
    return tuple(TOKEN.findall(text.lower().replace("\u2019", "'")))


class Cue:
    """A vocabulary as sets, not a regex alternation: exact words, word stems
    (prefixes) and phrases of several words. A text is tokenised once
    (cached), then every test is a set lookup, which is what makes testing
    dozens of cues on every item of every page cheap (a regex alternation of
    a hundred words tries each at every position)."""

    def __init__(self, words: str = "", stems: str = "", phrases: tuple[str, ...] = (), ends: str = ""):
        self.words = frozenset(words.split())
        self.stem_set = frozenset(stems.split())
        # Endings a German compound's last part may be ("Rückenübungen", "Krafttraining").
        self.ends = tuple(ends.split())
        # A word the tokeniser splits ("well-being" is "well", "being") would
        # never be met: it belongs among the phrases.
        split = sorted(w for w in self.words | self.stem_set if tokens(w) != (w,))
        if split:
            raise ValueError(f"not one word, so never matched (give them as phrases): {', '.join(split)}")
        self.stem_lengths = sorted({len(stem) for stem in self.stem_set})
        self.phrases = {tuple(tokens(p)) for p in phrases}
        self.phrase_firsts = frozenset(p[0] for p in self.phrases if p)
        # Every word met so far, and those of them that are cues: a word's
        # verdict never changes, so each is judged once (stems cost a loop)
        # and whole texts are then tested with set operations, in C.
        self._seen: set[str] = set()
        self._hits: set[str] = set()

    def _judged(self, words) -> set[str]:
        """The cue words among every word judged so far, after judging those
        of ``words`` not seen before. (Bounded: past MAX_JUDGED words the
        memory starts afresh; a set in use by a caller stays whole.)"""
        seen, hits = self._seen, self._hits
        if not seen.issuperset(words):
            if len(seen) > MAX_JUDGED:
                self._seen, self._hits = seen, hits = set(), set()
            stems, lengths = self.stem_set, self.stem_lengths
            for word in set(words) - seen:
                if word in self.words or any(word[:n] in stems for n in lengths if n <= len(word)) or \
                        (self.ends and word.endswith(self.ends)):
                    hits.add(word)
                seen.add(word)
        return hits

    def _phrase_at(self, words: tuple[str, ...], i: int) -> bool:
        return any(words[i:i + len(phrase)] == phrase for phrase in self.phrases)

    def search(self, text: str) -> bool:
        words = tokens(text)
        if not self._judged(words).isdisjoint(words):
            return True
        if self.phrase_firsts and not self.phrase_firsts.isdisjoint(words):
            return any(self._phrase_at(words, i) for i, word in enumerate(words) if word in self.phrase_firsts)
        return False

    def count_in(self, counts: dict[str, int]) -> int:
        """Cue words among counted words (phrases not counted): for densities
        over a long text, each distinct word is looked at once."""
        return sum(map(counts.__getitem__, self._judged(counts).intersection(counts)))

    def count(self, text: str) -> int:
        words = tokens(text)
        hits = self._judged(words)
        total = sum(map(hits.__contains__, words))
        if self.phrase_firsts and not self.phrase_firsts.isdisjoint(words):
            total += sum(1 for i, word in enumerate(words)
                         if word in self.phrase_firsts and word not in hits and self._phrase_at(words, i))
        return total


MAX_JUDGED = 200_000  # words a cue remembers its verdict on (memory stays flat on any input)


# -- what a section holds ----------------------------------------------------------

TREATMENT_CUE = Cue(
    words="""tip tips way ways try trying help helps prevent prevention cure cures avoid suggestion suggestions rule
    rules step steps advice habit habits dos care solution solutions option options idea ideas recommendation
    recommendations practice practices principle principles resolution resolutions hack hacks guideline guidelines
    lifestyle changes cope coping fix fixes should action plan checklist key keys secret secrets ease soothe boost
    improve reduce lower protect support stay keep beat overcome combat fight deal handle routine selfcare
    start starting easing soothing calming preventing lowering reducing protecting improving avoiding boosting
    tipp tipps hilfe hilft helfen mittel schritt schritte regel regeln strategien ideen prinzipien lösung lösungen
    übungssache anleitung
    conseil conseils astuce astuces traiter soulager prévenir prévention étape étapes règle règles comment
    habitudes habitude gestes idées
    consejo consejos truco trucos tratar aliviar alivio prevenir prevención soluciones paso pasos reglas cómo hábitos
    hábito recomendaciones medidas medida mesures
    gérer combattre lutter apaiser calmer vaincre combatir reducir calmar manejar
    consiglio consigli suggerimenti regole abitudini strategie prevenire prevenzione alleviare sollievo trattare""",
    stems="treat remed relie manag strateg behandl therapi hausmittel vorbeug vermeid ratschl empfehl maßnahm massnahm "
          "entlast rimed trattament "
          "gewohnheit selbsthilf selbstfürsorg linder traitement remède tratamient remedio",
    phrases=("what can you do", "what you can do", "what to do", "things to do", "things you can do", "how to",
             "do's and don'ts", "dos and don'ts", "getting started", "get started", "home care", "first aid",
             "was tun", "was hilft", "so geht's", "so gelingt", "que faire", "qué hacer", "self care",
             "tun können", "tun kannst", "selbst tun", "können sie tun", "kannst du tun", "das hilft",
             "what not to do", "bons réflexes", "bons gestes", "buenos hábitos", "how can i", "how can you",
             "what can i do", "ce que vous pouvez faire", "ce que tu peux faire", "lo que puede hacer",
             "lo que usted puede hacer", "lo que puedes hacer", "qué puede hacer", "qué puedes hacer", "primeros auxilios", "premiers secours", "erste hilfe",
             "cosa fare", "cosa puoi fare", "cosa può fare", "come fare", "pronto soccorso", "primo soccorso",
             "getting the most", "get the most", "make the most", "making the most", "coming back",
             "happening again"),
    ends="tipps ratschläge",  # German compounds: "Sicherheitstipps", "Ernährungsratschläge"
)
# Narrower than TREATMENT_CUE: words that name treatment itself ("the
# treatment of lupus", "home remedies", "therapies"), not advice in general.
TREATMENT_WORD = Cue(
    words="medication medications medicines drugs",
    stems="treat remed therap behandl medikament traitement médicament tratamient remedio medicamento",
)
# A class of treatment over its own list: "Medications", "Surgery and other procedures", "Traitement de fond".
TREATMENT_CLASS = re.compile(
    r"^(?:[\w-]+\s+){0,3}?(?:medications?|medicines?|drugs|procedures|surgery|surgeries|therapies|devices|"
    r"medikamente|arzneimittel|médicaments|medicamentos|procedimientos|traitement|tratamiento)"
    r"(?:\s+[\w'’-]+){0,5}$", re.I)  # ("... and other procedures", "... quirúrgicos u otros procedimientos")
# A lead-in that says the list *is* the treatments: a treatment noun, then
# "include" / "are" / "such as" within the sentence ("Several targeted
# therapies ... include:", "Treatment options are:").
_TREATMENT_NOUN = (r"treatments?|therap(?:y|ies)|remed(?:y|ies)|medications?|medicines|drugs|"
                   r"behandlung(?:en|smöglichkeiten)?|therapien|medikamente|hausmittel|traitements?|médicaments|"
                   r"remèdes|tratamientos?|medicamentos|remedios|rimedi|rimedio|trattament[oi]|farmaci")
TREATMENTS_INTRO = re.compile(
    rf"\b(?:{_TREATMENT_NOUN})\b"
    r"[^.;!?]{0,80}?\b(?:include|includes|including|are|such as|umfassen|sind|gehören|zählen|comprennent|incluent|"
    r"sont|incluyen|son)\b", re.I)
# A section heading that names treatment and nothing else ("Treatment",
# "Home remedies", "Treatment options", "Lifestyle and home remedies",
# "Behandlung", "Traitements", "Remedios caseros").
# ... or asks how the condition is treated ("How is lower back pain
# treated?", "What are the treatments for gout?", "Wie wird Ischias
# behandelt?"), as question-and-answer health pages head that section.
_TREATMENT_QUESTION = (
    r"how\s+(?:is|are|do(?:es)?\s+(?:you|doctors|we)|can\s+(?:you|i|we))\s+(?:[\w'’-]+\s+){0,6}?"
    r"(?:treated|managed|treat|manage)\b[^.!:]{0,40}"
    r"|what\s+(?:is|are)\s+(?:the\s+)?(?:best\s+)?(?:treatments?|treatment\s+options|remedies|home\s+remedies|"
    r"therapies)\s+(?:for|of)\b[^.!:]{0,40}"
    r"|wie\s+(?:wird|werden)\s+(?:[\w'’-]+\s+){0,6}?behandelt|was\s+hilft\s+(?:gegen|bei)\s+[^.!:]{1,40}"
    r"|comment\s+(?:traiter|soigner|soulager)\s+[^.!:]{1,40}|¿?\s*cómo\s+se\s+tratan?\s+[^.!:]{1,40}")
# ... or names self-care or first aid, the other sections LABELING.md
# counts ("Self-care", "Home care", "First aid", "Management and Treatment",
# "Erste Hilfe", "Premiers secours", "Autocuidado"): their items are
# treatments however plain their names ("Rest", "Ice", "Compression").
_CARE_HEADING = (
    r"(?:self[\s-]?care|(?:at[\s-])?home[\s-]care|home\s+treatments?|first[\s-]aid|management"
    r"(?:\s+and\s+treatment)?|treatment\s+and\s+management"
    r"|selbsthilfe|selbstbehandlung|erste\s+hilfe|premiers\s+(?:secours|soins)|soins\s+à\s+domicile"
    r"|primeros\s+auxilios|autocuidados?|cuidados\s+en\s+casa)"
    r"(?:\s+(?:for|of|für|gegen|bei|pour|contre|de|para|contra|ante|en\s+cas\s+de|en\s+caso\s+de)"
    r"\s+[\w\s'’-]{1,40})?")
# ... and prevention ("Prevention", "How to prevent ankle sprains",
# "Vorbeugung", "Prévenir le rhume"), which counts on an advice page; on a
# page whose title names symptoms or causes a "Prevention" section lists
# vaccines and risk groups, and the labels leave such pages empty.
PREVENTION_HEADING = re.compile(
    r"^(?:prevention|(?:how\s+to\s+)?prevent(?:ing)?\s+[\w\s'’-]{1,40}|vorbeugung|prävention|vorbeugen"
    r"|prévention|(?:comment\s+)?prévenir\s+[\w\s'’-]{1,40}|prevención|(?:cómo\s+)?prevenir\s+[\w\s'’-]{1,40})"
    r"(?:\s+(?:for|of|für|gegen|bei|pour|contre|de|para|contra)\s+[\w\s'’-]{1,40})?$", re.I)
# ... or names relief as the aim of what follows ("How to relieve knee
# pain", "Tips for relief", "Ways to ease the pain", "Soothing a sore
# knee", "Knee pain relief", "So lindern Sie ...", "Comment soulager ...",
# "Consejos para aliviar ..."), whose items are treatments however plain
# their names, as under "Home remedies". Healing, curing, treating and
# managing count only as what a tip or a how-to is for, or as a gerund
# ("Ways to heal faster", "Managing flare-ups"): "Healing time" is no
# advice, and "Manage cookies" a consent box's.
_AIM_PREFIX = r"(?:(?:\d+\s+)?(?:tips|ways|things(?:\s+you\s+can\s+do)?|steps|strategies)\s+(?:for|to)\s+|how\s+to\s+)"
_RELIEF_HEADING = (
    rf"(?:{_AIM_PREFIX}?"
    r"(?:reliev(?:e|ing)|relief|eas(?:e|ing)(?!\s+of\b)|sooth(?:e|ing)|treating|managing)\b[\w\s'’,-]{0,40}"
    rf"|{_AIM_PREFIX}(?:heal(?:ing)?|cur(?:e|ing)|recover(?:y|ing)?|treat|manage)\b[\w\s'’,-]{{0,40}}"
    r"|[\w'’-]+(?:\s+[\w'’-]+){0,3}\s+relief(?:\s+(?:tips|at\s+home))?"
    r"|(?:tipps\s+(?:gegen|zur\s+linderung\s+(?:von|der|des))|so\s+lindern\s+sie|linderung\s+(?:von|der|des|bei))\s+[\w\s'’-]{1,40}"
    r"|(?:(?:conseils|astuces)\s+pour\s+|comment\s+)?soulager\s+[\w\s'’-]{1,40}"
    r"|(?:consejos\s+para\s+|cómo\s+)?aliviar\s+[\w\s'’-]{1,40})"
)
# The kinds of treatment a heading names ("Home remedies", "Medical
# treatment", "Surgical treatment", "Other treatments"): a section of
# treatments as "Treatment" is, and no treatment itself.
TREATMENT_KIND = (r"(?:home|natural|medical|other|common|possible|surgical|non-?surgical|conservative|alternative"
                  r"|further|professional|drug|at[\s-]home|medikamentöse|operative|konservative|natürliche)")
# ... and after the noun, as French and Spanish put them ("Traitements
# naturels", "Traitement médical", "Tratamientos caseros"), or its options.
TREATMENT_KIND_AFTER = (r"(?:options|caseros|naturel(?:le)?s|naturales|maison|de\s+grand-mère|efficaces|eficaces"
                        r"|médica(?:l|ux)|médicamenteux|chirurgica(?:l|ux)|médicos?|quirúrgicos?"
                        r"|naturali|casalinghi|della\s+nonna|da\s+provare(?:\s+a\s+casa)?|efficaci)")
TREATMENT_HEADING = re.compile(
    rf"^(?:(?:(?:lifestyle|self-care)\s+and\s+)?(?:{TREATMENT_KIND}\s+)?"
    rf"(?:{_TREATMENT_NOUN}|therapie)"
    rf"(?:\s+{TREATMENT_KIND_AFTER})?"
    r"(?:\s+(?:for|of|für|gegen|bei|pour|contre|de|para|contra|per|contro)\s+[\w\s'’-]{1,40})?"
    rf"|(?:{_TREATMENT_QUESTION})\s*\?|{_CARE_HEADING}|{_RELIEF_HEADING})$", re.I)
# A section of what a pharmacist can recommend (over-the-counter
# treatments): "A pharmacist can help", "Ask our pharmacist about",
# "Pharmacist's picks", "Les conseils du pharmacien", "Cosa può consigliarLe
# il farmacista", "Su farmacéutico puede", "Ihre Apotheke empfiehlt".
PHARMACIST_HEADING = re.compile(
    r"^\W*(?:(?:a|your|our|the)\s+)?(?:local\s+)?(?:pharmacist|chemist)s?\s+(?:can|may)\s+(?:help|recommend|suggest|"
    r"advise)|^\W*(?:ask|talk\s+to|speak\s+to)\s+(?:a|your|our|the)\s+pharmacist\b|pharmacist(?:['’]s|s['’])?\s+"
    r"(?:picks|recommendations|suggestions)|over[\s-]the[\s-]counter\s+(?:medicines|treatments|remedies|options)|"
    r"conseils?\s+(?:du|de\s+votre|de\s+notre)\s+pharmacien|(?:le\s+|votre\s+)?pharmacien\s+peut|"
    r"(?:consigliar\w*|può\s+consigliar\w*)\s+(?:il\s+|dal\s+)?farmacista|il\s+farmacista\s+(?:può|consiglia)|"
    r"(?:el\s+|su\s+)?farmacéutico\s+(?:puede|recomienda)|apothek\w*\s+(?:kann|empfiehlt|rät)|"
    r"(?:was|das)\s+(?:ihre\s+)?apothek\w*\s+(?:empfiehlt|rät)", re.I)
# ... and what such a lead-in may say of treatment that makes the list
# something else: its risks, what it depends on, what to avoid or tell the
# doctor before it ("The choice of treatment depends on:"), that it is
# not ("Treatments that are not recommended include:"), or when to seek
# care ("Call your doctor if:").
NOT_TREATMENTS = re.compile(
    r"\b(?:risks?|dangers?|interact\w*|avoid\w*|depend\w*|before|tell|warn\w*|contraindicat\w*|costs?|prices?|"
    r"stop\w*|allerg\w*|not|never|\w+n[’']t|abhängig|vermeiden|risiken|nicht|keine|avant|éviter|risques|dépend\w*|"
    r"jamais|antes|evitar|riesgos|depende\w*|nunca)\b|"
    # conditions, not treatments: "Call your doctor if:", "Seek care when:",
    # "Talk to your provider about the vaccine if you:"
    r"\b(?:if|when|wenn|falls|si|quand|cuando)(?:\s+(?:you|your\s+\w+|they|du|sie|vous|tu|usted))?\s*:",
    re.I)
EXERCISE_CUE = Cue(
    words="""stretch stretches stretching workout workouts pose poses posture postures asana asanas yoga pilates
    routine routines moves movement movements training drill drills circuit circuits reps sets wod amrap emom tabata
    calisthenics strength strengthening mobility
    übung übungen trainings gymnastik bewegungen
    exercice exercices étirement étirements entraînement mouvement mouvements
    ejercicio ejercicios estiramiento estiramientos entrenamiento rutina rutinas movimiento movimientos postura
    posturas
    esercizio esercizi allungamento allungamenti ginnastica allenamento movimenti posizioni
    renforcement musculation fortalecimiento tonificación rafforzamento potenziamento""",
    stems="exercis physio rehab dehn kräftig trainingsplan",
    phrases=("work out", "training plan"),
    ends="übungen übung training dehnungen dehnung gymnastik",
)
# Words that name a treatment or remedy by itself: a list of them under a
# heading that names advice ("What helps": "Rest", "Ice packs", "An elbow
# strap", "Physiotherapy") is the treatments, though no item is a verb.
TREATMENT_NAME = Cue(
    words="""rest ice heat compression elevation massage massages physiotherapy physio acupuncture injection
    injections surgery brace braces splint splints strap straps bandage bandages painkiller painkillers
    medication medications medicine medicines fluids honey gargle humidifier steam orthotics insoles counselling
    counseling therapy therapies psychotherapy cbt meditation stretching stretches exercise exercises antibiotics
    antihistamines cream creams ointment ointments supplements vitamins lozenges bath baths compress compresses
    ibuprofen naproxen paracetamol acetaminophen aspirin nsaids corticosteroids cortisone
    ruhe kühlung wärme physiotherapie krankengymnastik akupunktur spritze spritzen operation schiene schmerzmittel
    medikament medikamente hausmittel
    repos glace chaleur kinésithérapie chirurgie attelle antidouleur antidouleurs médicament médicaments élévation
    crème crèmes émollient émollients elevación crema cremas pomada hochlagern kompression salbe
    reposo hielo calor masaje fisioterapia acupuntura inyección cirugía férula vendaje analgésico analgésicos
    medicamento medicamentos""",
    stems="physiotherap acupunct medicat",
    phrases=("physical therapy", "pain relief", "pain reliever", "pain relievers", "heating pad", "over the counter"),
)
DECOY_CUE = Cue(
    words="""cause causes caused symptom symptoms signs ingredient ingredients supplies materials equipment gear
    product products benefits benefit advantages advantage disadvantages pros cons why definition faq faqs
    questions question references sources bibliography citations related myth myths complications statistics
    studies study research conclusion summary takeaways takeaway contents comments reviews review price
    pricing cost costs features specs specifications buying recipe recipes disclaimer newsletter subscribe share
    picks factors mistakes
    ursache ursachen symptome anzeichen risikofaktoren zutaten vorteile nachteile fazit quellen literatur kosten
    inhaltsverzeichnis inhalt nebenwirkungen diagnose warum wofür
    symptômes signes ingrédients avantages inconvénients sommaire étude recette recettes pourquoi
    causas síntomas signos ingredientes beneficios ventajas desventajas fuentes resumen estudio receta recetas""",
    stems="diagnos compar studie rezept preis",
    phrases=("warning signs", "risk factor", "risk factors", "you need", "you'll need", "you will need",
             "what you need", "nutrition facts", "form checks", "form cues", "coaching cues", "what is", "what are",
             "types of", "kinds of", "frequently asked",
             "read more", "further reading", "side effects", "key points", "in this article", "table of contents",
             "about the author", "what to look for", "how we test", "how we tested", "how we chose", "our picks",
             "top picks", "when to see", "when to call", "when to contact", "see a doctor if", "ways to measure",
             "way to measure", "ways to test", "ways to check", "ways to tell", "ways to know", "ways to calculate",
             "ways to identify", "ways to spot", "ways to diagnose", "into account", "account for",
             "berücksichtigen", "tenir compte", "en cuenta", "häufige fragen", "was ist",
             "questions fréquentes", "qu'est-ce", "preguntas frecuentes", "qué es", "por qué",
             # a blog's comment box; a bare "comment" is French for "how" ("Comment gérer le stress")
             "leave a comment", "post a comment", "add a comment", "one comment"),
)
# A lead-in that announces a list: "Here are some tips:", "Try these:", "Hier sind ...".
INTRO_CUE = Cue(
    words="following these below include includes including diese dieser diesen folgende folgenden voici ces "
          "estos estas siguiente siguientes aquí",
    phrases=("here are", "here is", "here's", "try these", "try this", "try the", "hier sind", "hier kommen",
             "hier einige"),
)


ADVICE_LABEL = re.compile(
    r"^(?:tip|tipp|pro\s+tip|try\s+this|do|do\s+this|action|action\s+step|advice|recommendation|conseil|astuce|"
    r"consejo|truco|hinweis|empfehlung|what\s+to\s+do(?:\s+instead)?|try\s+instead|instead|"
    r"que\s+faire(?:\s+(?:à\s+la\s+place|plutôt))?|qué\s+hacer(?:\s+en\s+su\s+lugar)?|was\s+stattdessen\s+hilft|"
    r"stattdessen)\s*(?:#?\d+)?\s*[:.!]?$",
    re.I,
)
NOT_ADVICE_LABEL = re.compile(
    r"^(?:myth|fact|truth|mythos|fakt|note|warning|caution|important|bottom\s+line|source|photo|image|credit|"
    r"don'?t|question|answer|q|a|frage|antwort|mythe|réalité|mito|realidad|see\s+also|siehe\s+auch|voir\s+aussi|"
    r"ver\s+también)\s*(?:#?\d+)?\s*[:.!]?$",
    re.I,
)

# -- what an item is -----------------------------------------------------------------

# Verbs that open an English instruction ("Apply ice", "Keep a diary").
ENGLISH_VERBS = _words("""
accept achieve act adapt add adjust aim allow alternate apply approach ask assess attend avoid balance bathe be
become begin believe bend block book boost breathe bring brush build buy calm cap carry celebrate challenge change check
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
remind remove repeat replace rest restrict return reward roll rotate rub run save say schedule scan see seek select
sell set share shift shop show shower sing sip sit skip sleep slow smile snack soak spend split stand start stay
step stick stock stop store stretch strive structure substitute swap swim switch take talk tape tell test thank
think tighten track train transform treat try tuck turn unplug use vary visit wait wake walk warm wash watch wear
weigh work wrap write yawn zoom dim cut cuddle speak enlist get prioritize bundle hydrate moisturize moisturise
rinse gargle humidify blow soothe ventilate irrigate strengthen loosen relieve cleanse exfoliate dab pat sanitize
sanitise disinfect call discuss review declutter simplify unwind disconnect reconnect volunteer fuel refuel rehydrate
recover suck silence mute delete uninstall ditch curb trim lighten brighten shield prep enroll enrol register blink
drain defend dress repair scrub wipe seal spray fit tilt spin hang serve boil flavour flavor swallow shave
""")
ENGLISH_OPENERS = _words("don't dont do never always avoid stop no try")
# Italian advice in the imperative, tu and Lei ("Bevi molta acqua", "Eviti
# gli sforzi"); its infinitives are below ("Bere molta acqua").
ITALIAN_VERBS = _words("""
bevi beva mangia mangi cammina cammini riposa riposi dormi dorma evita eviti fai faccia mantieni mantenga prova
resta resti rimani rimanga stia stai vada vai alterni alterna telefona telefoni
provi respira respiri usa usi utilizza utilizzi applica applichi prendi prenda limita limiti riduci riduca scegli
scelga consulta consulti chiedi chieda metti metta tieni tenga alza alzi solleva sollevi piega pieghi ruota ruoti
ripeti ripeta stendi stenda sdraiati siediti allunga allunghi contrai contragga rilassa rilassati rilassi inspira
inspiri espira espiri appoggia appoggi porta porti indossa indossi idratati lava lavi arieggia spegni spenga
muoviti fermati segui segua parla parli dedica dedichi aumenta aumenti controlla controlli
esegui esegua inizia inizi comincia cominci continua continui concediti ascolta ascolti pratica
pratichi preferisci preferisca smetti smetta bagna bagni copri copra proteggi protegga
""")
GERMAN_VERBS = _words("""
achte achten atme atmen beginne beginnen bewege bewegen bleibe bleiben dehne dehnen entspanne entspannen
entwickle entwickeln erreiche erreichen esse essen iss finde finden gehe gehen geh gib gönne gönnen habe
habe hab halte halten hebe heben höre hören kaufe konzentriere lache lass lasse lassen lebe leben lege legen
lerne lernen mach mache machen meide meiden nimm nutze nutzen pflege pflegen plane planen praktiziere probiere
reduziere reduzieren richte ruhe schaffe schlafe schlafen schätze schreibe sei setze setzen sorge sorgen spiele
starte starten stelle stellen strecke suche suchen tanke teile trainiere trinke trinken tu tue übe üben
vermeide vermeiden verzichte verzichten wähle wählen werde wiederhole ziehe achtet vertraue erlaube genieße
bleib trink schlaf beweg dehn leg setz zieh streck hör spann heb dreh senk wiederhol wähl probier trainier
reduzier vermeid gönn entspann nutz kauf lauf laufe springe drück drücke stütz stütze beug beuge kreise schwinge
versuch versuche vergiss sprich frage stell genieß spanne drehe senke
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
mantente manténgase hidrátate hidrátese estírate estírese relájate relájese siéntate siéntese acuéstate acuéstese
levántate levántese ponte póngase aliméntate aliméntese muévase cuídate cuídese
intenta intente procura procure consulta consulte acude acuda sigue siga deja deje añade añada dedica dedique
estira estire levanta levante dobla doble apoya apoye coloca coloque sube suba baje repite repita
sostén sostenga inhala inhale exhala exhale gira gire flexiona flexione extiende extienda relaja relaje
controla controle visita visite habla hable pide pida lleva lleve utiliza utilice incorpora incorpore
realiza realice establece establezca organiza organice aprende aprenda escucha escuche
ventila ventile airea airee lava lave enjuaga enjuague abrígate abríguese reserva apaga apague eleva eleve
desconecta desconecte limpia limpie tómate tómese escribe anota prepara protege protégete cubre dúchate báñate
medita agradece disfruta aumenta prioriza delega
vista viste identifica identifique revisa revise seca seque corta corte mira mire hidrata hidrate contrólese
evitá levantá dormí usá tomá caminá hacé tené mantené estirá respirá descansá probá elegí comé consultá poné
sentate acostate movete cuidá apoyá flexioná repetí sostené bajá subí lavá secá controlá
lave seque elimine tape cambie use aplique
ajusta ajuste ubica ubique
empiece empieza comience comienza llame llama afloje quite enfríe reponga conozca recuerde recuerda
dosifique dosifica reparta reparte vigile vigila túmbese siéntese acérquese aléjese reduzca
""")
IMPERATIVE_SIE = re.compile(r"^\w+(?:en|n)\s+sie\b", re.I)  # "Achten Sie auf ...", "Trinken Sie ..."
LEADING_NOISE = re.compile(r"^[\W\d_]+")
class _FirstPerson(Cue):
    """First-person words; English "I" only as a capital (Italian's "i" is
    "the": "tutti i giorni")."""

    ENGLISH_I = re.compile(r"(?<![\w'’])I(?![\w'’])")

    def search(self, text: str) -> bool:
        return super().search(text) or bool(self.ENGLISH_I.search(text))

    def count_with_i(self, counts: dict[str, int], text: str) -> int:
        return self.count_in(counts) + len(self.ENGLISH_I.findall(text))


FIRST_PERSON = _FirstPerson("i'm i've i'd my me ich mein meine meiner meinen meinem mir mich je j'ai mon ma mes moi "
                            "yo mi mis")
SECOND_PERSON = Cue("you your yours yourself you're you've you'll du dich dein deine deiner deinen deinem dir vous "
                    "votre vos tu te ton ta tes toi usted tú tus tuo tua tuoi ti")


def first_word(name: str) -> str:
    name = LEADING_NOISE.sub("", name)
    # "Don’t" is "don't": typographic apostrophes are the rule in edited text.
    return name.split(" ", 1)[0].lower().replace("’", "'").strip(",.:;!?\"'“”’") if name else ""


FRENCH_IMPERATIVE_PRONOUNS = frozenset({"vous", "en", "y", "toi", "nous", "le", "la", "les", "lui", "leur", "moi"})


# Nouns that are also the verbs of self-care: a verb when what follows is
# its object or a when ("Ice the knee", "Heat it for 20 minutes", "Nap for
# 20 minutes", "Foam roll your calves"), a noun otherwise ("Ice packs").
NOUN_VERBS = frozenset({"ice", "heat", "nap", "foam", "brace", "splint"})
VERB_OBJECTS = frozenset({"it", "them", "the", "your", "a", "an", "this", "that", "each", "both", "for", "after",
                          "before", "twice", "daily", "often", "regularly", "roll", "up", "gently"})


LOWER_BODY = re.compile(r"^\W*lower\s+(?:back|body|legs?|limbs?|abdomen|belly|tummy|arms?|abs|jaw|lip|teeth|"
                        r"half|spine)", re.I)


# A heading that names what ails the reader, a symptom or a sore part ("Neck
# pain", "feeling sick (nausea)", "Numb hands and sore wrists"), not what to
# do about it: over a paragraph of advice, the advice is the item.
COMPLAINT = re.compile(
    r"\b(?:pain|pains|ache|aches|aching|sore|soreness|stiff|stiffness|cramps?|numb|numbness|tingling|nausea|"
    r"sick|sickness|vomiting|diarrh(?:o)?ea|constipation|rash|itch|itching|itchy|headaches?|heartburn|indigestion|"
    r"bloating|dizziness|dizzy|tiredness|fatigue|swelling|swollen|cough|sneezing|insomnia|schmerz(?:en)?|"
    r"douleurs?|dolor(?:es)?)\b", re.I)
# ... but a heading about the complaint's relief or its kinds names no complaint.
NOT_COMPLAINT = re.compile(
    r"\b(?:relief|reliever|relieve|treatments?|treating|manag\w+|tips?|exercises?|stretch\w*|remed\w+|help|"
    r"cop(?:e|ing)|living|understand\w*|what|why|how|when|causes?|types?|signs?|symptoms?|about|science|"
    r"diary|plan|programme|program|after|before|during|with)\b", re.I)


def names_complaint(heading: str) -> bool:
    """Is the heading a complaint's name ("Lower back pain", "diarrhoea"), not advice?"""
    return len(heading.split()) <= 7 and bool(COMPLAINT.search(heading)) and not NOT_COMPLAINT.search(heading) \
        and not heading.rstrip().endswith("?") and not is_imperative(heading) \
        and not (is_gerund(heading) and first_word(heading) != "feeling")


def is_imperative(name: str) -> bool:
    """Does the name open with a verb telling the reader what to do?"""
    word = first_word(name)
    if not word:
        return False
    if word in ("have", "has") and re.match(r"^\W*\w+\s+(?:had|been|got|gotten|ever)\b", name, re.I):
        return False  # "Have had a stem cell transplant": a condition, not an instruction
    if word == "lower" and LOWER_BODY.match(name):
        return False  # "Lower back ache" names a complaint; "Lower your arms" tells
    if word in ENGLISH_VERBS or word in ENGLISH_OPENERS or word in GERMAN_VERBS or word in FRENCH_VERBS \
            or word in SPANISH_VERBS or word in ITALIAN_VERBS:
        return True
    if word in NOUN_VERBS:
        rest = LEADING_NOISE.sub("", name).split(None, 2)
        return len(rest) > 1 and rest[1].lower().strip(",.:;!?") in VERB_OBJECTS
    if "-" in word and word.split("-", 1)[1] in FRENCH_IMPERATIVE_PRONOUNS:
        word = word.split("-", 1)[0]  # "Couchez-vous", "Parlez-en": the verb is before the pronoun
    elif word in ("ne", "n'") and " " in name.strip():
        word = first_word(name.strip().split(" ", 1)[1])  # "Ne mangez pas trop tard"
    if word.endswith("ez") and len(word) > 4 and word[0].isalpha():  # French vous-imperative
        return True
    return bool(IMPERATIVE_SIE.match(LEADING_NOISE.sub("", name))) or is_instruction_infinitive(name)


# Advice as an activity in French and Spanish is an infinitive ("Boire
# beaucoup d'eau", "Dormir lo suficiente"), in German an infinitive at the
# end ("Viel Wasser trinken"): the verbs advice uses, listed (a suffix would
# take "Cancer", "Hiver" or "Mujer" for verbs).
FRENCH_INFINITIVES = _words("""
boire manger dormir éviter pratiquer faire prendre limiter réduire privilégier marcher bouger respirer consulter
laver reposer aérer hydrater consommer arrêter adopter miser opter choisir penser garder maintenir étirer surveiller
utiliser appliquer porter ajouter varier cuisiner écouter prévoir planifier coucher lever sortir rester tenir plier
répéter fractionner protéger masser alterner renforcer soulager moucher tousser éternuer humidifier surélever
nettoyer désinfecter diminuer augmenter boire
rafraîchir demander fermer proposer aider inscrire téléphoner
reprendre parler noter écrire chercher appeler contacter asseoir allonger éteindre préparer installer ranger
commencer continuer essayer espacer réserver adapter ajuster vérifier respecter emporter mettre enlever
desserrer refroidir ralentir partager oser accepter apprendre décaler aménager couvrir abriter doser
""")
SPANISH_INFINITIVES = _words("""
beber comer dormir evitar practicar hacer tomar limitar reducir caminar moverse respirar consultar lavarse descansar
ventilar hidratarse consumir dejar adoptar elegir mantener estirar vigilar usar utilizar aplicar llevar añadir variar
cocinar escuchar planificar acostarse levantarse salir quedarse repetir incluir controlar realizar proteger masajear
alternar fortalecer aliviar relajarse humidificar aumentar disminuir retrasar lavar sonarse toser estornudar
elevar beber
reponer conocer llamar aflojar quitar enfriar dar buscar poner colocar sentarse tumbarse ducharse apagar
leer escribir anotar empezar comenzar seguir continuar intentar reservar adaptar ajustar revisar comprobar
respetar preparar abanicar refrescarse protegerse cubrirse vestirse hablar pedir acudir mover dedicar
organizar planear cuidar cuidarse subir bajar girar doblar apoyar dosificar repartir
""")
GERMAN_INFINITIVES = _words("""
trinken essen schlafen bewegen dehnen spülen lüften meiden vermeiden gehen laufen machen nehmen achten reduzieren
verzichten wählen planen pflegen entspannen atmen halten heben legen setzen stellen üben trainieren kühlen wärmen
gurgeln inhalieren ruhen schonen massieren spazieren radeln schwimmen tanzen lachen meditieren
waschen duschen baden einnehmen ausziehen anziehen anbringen anwenden auftragen eincremen tragen benutzen verwenden
nutzen reinigen wechseln schließen kochen hochlegen hinlegen aufstehen messen kontrollieren einschränken aufhören
abwarten vorbeugen sprechen erhöhen hochstellen kauen lutschen einreiben kühlen vermindern senken
sorgen bauen suchen fragen beachten schützen stärken lernen einplanen gönnen
beseitigen blinzeln entfernen befestigen aufräumen prüfen überprüfen
saunieren abtrocknen abkühlen sitzen liegen aufwärmen einlegen rausnehmen schnüren informieren anrufen aufsuchen
besprechen notieren aufschreiben beginnen anfangen steigern wiederholen ausprobieren abschalten ausschalten
vorbereiten zubereiten würzen ersetzen genießen aufbauen kräftigen lockern strecken beugen kreisen ausatmen
einatmen bleiben reden melden auslassen verteilen einteilen dosieren brennen
""")


ITALIAN_INFINITIVES = _words("""
bere mangiare camminare riposare dormire evitare fare mantenere provare respirare usare utilizzare applicare
prendere limitare ridurre scegliere consultare chiedere mettere tenere alzare alzarsi sollevare piegare ruotare
ripetere stendere sdraiarsi sedersi allungare contrarre rilassarsi rilassare inspirare espirare appoggiare portare
indossare idratarsi lavare lavarsi ventilare arieggiare spegnere fumare smettere praticare muoversi fermarsi seguire
parlare dedicare aumentare diminuire controllare eseguire iniziare cominciare continuare cercare ascoltare
preferire bagnare coprire proteggere proteggersi riscaldare raffreddare massaggiare pianificare programmare
""")


CLAUSE_BREAK = re.compile(r"[,;:]\s")


def is_instruction_infinitive(name: str) -> bool:
    """An infinitive that instructs, as French, Spanish and German lists of
    advice do: 'Boire beaucoup d'eau', 'Se laver le nez', 'Dormir lo
    suficiente', 'Viel Wasser trinken' (the German one comes last)."""
    word = first_word(name)
    if word.startswith("s'"):  # a reflexive infinitive: "S'hydrater", "Se laver le nez"
        word = word[2:]
    elif word == "se":
        word = first_word(name.split(" ", 1)[-1])
    elif word == "non" and " " in name.strip():
        word = first_word(name.strip().split(" ", 1)[1])  # "Non fumare", "Non sollevare pesi", "Non stia a letto"
        if word in ITALIAN_VERBS:
            return True
    if word in FRENCH_INFINITIVES or word in SPANISH_INFINITIVES or word in ITALIAN_INFINITIVES:
        return True
    # (German: the first clause's last word, "Übergewicht reduzieren, denn ...".)
    words = CLAUSE_BREAK.split(name, maxsplit=1)[0].split()
    last = words[-1].strip(",.:;!?").lower() if words else ""
    if last == "lassen" and len(words) >= 3:
        # "Medikamente überprüfen lassen": have them checked. ("Das sollten
        # Sie lieber lassen", leave it be, is no instruction of its own.)
        last = words[-2].lower()
    if words and words[-1][:1].isupper() and not name.isupper():
        # The verb before a closing phrase, "Kaugummi kauen nach dem Essen";
        # a noun made of a verb is no verb, "Handtuchzug im Sitzen".
        last = next((word for word in (w.strip(",.:;!?") for w in reversed(words[1:-1]) if w[:1].islower())
                     if word in GERMAN_INFINITIVES or _separable(word) in GERMAN_INFINITIVES), "")
    # (Not a subject and its verb: "Die Ärzte sprechen", "Wir essen", whose
    # plural verb is the infinitive's form.)
    return 2 <= len(words) <= 10 and (last in GERMAN_INFINITIVES or _separable(last) in GERMAN_INFINITIVES) and \
        words[0][:1].isupper() and words[0].lower() not in GERMAN_SUBJECTS


# A separable verb's prefix: "einhalten" is "halten", "ausruhen" "ruhen".
GERMAN_VERB_PREFIX = re.compile(r"^(?:ein|ab|auf|aus|an|zu|mit|nach|vor|weg|zurück|hin|her|los|durch|um|fest|hoch|"
                                r"runter|raus|rein|nieder|zusammen|weiter|wieder|herum|hinein|heraus)(?=\w{4})")


def _separable(word: str) -> str:
    return GERMAN_VERB_PREFIX.sub("", word, count=1)


# (A singular article opens an infinitive's object as often as a subject: "Das Kopfende des Bettes erhöhen".
# A singular subject takes a conjugated verb, not the infinitive.)
GERMAN_SUBJECTS = frozenset({"der", "die", "wir", "sie", "ich", "er", "es", "man", "viele", "alle", "manche", "einige",
                             "beide", "kinder", "ärzte", "forscher"})


def is_gerund(name: str) -> bool:
    """'Taking breaks', 'Sitting with hips higher than knees': advice as an activity."""
    word = first_word(name)
    # ("Space-saving gym storage", "Long-lasting relief": a compound adjective.)
    return len(word) > 5 and word.endswith("ing") and "-" not in word and word not in (
        "morning", "evening", "nothing", "something", "everything", "during", "spring", "string")


# Exercise names: what a named movement tends to contain.
EXERCISE_NAME = Cue(
    words="""squat squats lunge lunges plank planks pushup pushups press presses pullup pullups chinup
    chinups situp situps crunch crunches bridge bridges curl curls row rows rowing raise raises deadlift
    deadlifts extension extensions fly flies flyes stretch stretches pose poses tilt tilts twist twists rotation
    rotations kick kicks walk walks walking jog jogging run runs running swim swimming cycling bicycling biking jump
    jumps jumping burpee burpees dip dips circle circles roll rolls tuck tucks reach reaches thrust thrusts
    climber climbers jacks cobra warrior hamstring hamstrings quad quads glute glutes calf calves shrug shrugs
    pulldown pulldowns pullover pullovers lift lifts hold holds march marches marching skipping hiking dancing
    sprint sprints interval intervals yoga pilates piriformis clamshell clamshells superman supermans inchworm
    inchworms deadbug windmill windmills
    kniebeuge kniebeugen ausfallschritt ausfallschritte liegestütz liegestütze dehnung dehnungen brücke planke
    unterarmstütz schulterkreisen
    fente fentes pompe pompes gainage planche étirement étirements pont torsion élévation élévations tirage
    sentadilla sentadillas zancada zancadas flexiones plancha estiramiento estiramientos puente torsión elevación
    elevaciones remo
    affondo affondi piegamenti ponte allungamento allungamenti rotazione rotazioni torsione sollevamento
    sollevamenti estensione estensioni circonduzioni
    hop hops eversion inversion stance""",
    stems="beckenkreis beckenkipp rumpfbeug",
    phrases=("bird dog", "cat cow", "child's pose", "downward dog", "knee to chest", "hip flexor", "step up",
             "step ups", "tai chi", "mountain climber", "jumping jack", "push up", "push ups", "pull up", "pull ups",
             "sit up", "sit ups", "chin up", "chin ups", "press up", "press ups", "wall sit", "wall sits", "dead bug",
             "dead bugs", "bear crawl", "bear crawls", "toe tap", "toe taps", "heel slide", "heel slides", "wall slide",
             "wall slides", "farmer's carry", "farmer carry", "hip hinge", "hip hinges",
             # a yoga pose in French and Spanish ("Posture du pigeon", "Postura del niño"); a bare
             # "posture" / "postura" is how one sits or stands, no movement
             "posture du", "posture de", "postura de", "postura del", "posizione del", "posizione della",
             "single leg balance", "single leg stand", "one leg stand", "ankle alphabet"),
)
# A kind of training, not a named exercise (LABELING.md: "a named physical
# exercise, stretch, pose or drill"): "Yoga", "Cardio", "Weight training".
# Activities ("Walking", "Swimming", "Dancing") are named exercises;
# disciplines and qualities ("Flexibility", "Breathing") are not,
# nor is a bare "Stretch" or "Warm-up" ("unless the page names a specific
# movement").
TRAINING_DISCIPLINE = re.compile(
    r"^\W*(?:yoga|pilates|cardio|cardio\s+training|calisthenics|hiit|aerobics?|stretch(?:es|ing)?|"
    r"warm[\s-]?ups?|cool[\s-]?downs?|body\s*weight|"
    r"flexibility|mobility|breathing|(?:strength|weight|resistance|endurance|interval|circuit|functional)\s+training|"
    r"krafttraining|ausdauertraining|musculation|entrenamiento\s+de\s+fuerza|"
    # ... and the kinds in German, French and Spanish: "Étirements", "Dehnübungen", "Estiramientos"
    r"(?:les\s+)?étirements?|(?:los\s+)?estiramientos?|dehnungen|dehnübungen|kräftigung(?:sübungen)?|"
    r"(?:le\s+)?renforcement(?:\s+musculaire)?|(?:el\s+)?fortalecimiento|gainage)\W*$", re.I)
DOSAGE_WORDS = Cue(
    words="hold repeat rep reps repetition repetitions set sets second seconds sec secs times round rounds "
          "wiederholungen wiederholung sätze satz sekunden halten répétitions séries secondes repeticiones series "
          "segundos",
    phrases=("each side", "per side"),
)
PROMO = Cue(
    words="subscribe newsletter download buy shop discount coupon certified certification enroll enrol "
          "click abonnieren abonniere gutschein kaufen bestellen",
    # ("our course", "online course", "the course": a course sold; "a course of tablets" is a treatment)
    phrases=("our course", "online course", "the course", "this course", "free course", "video course",
             "sign up", "order now", "join us", "join our", "join now", "free trial", "book a", "book an",
             "book your", "call us", "contact us", "our app", "our program", "our programme", "our product",
             "our class", "our clinic", "our team", "learn more"),
)
# A question without its question mark: "What is lupus", "Can you catch it" (not "How to stretch").
QUESTION_START = re.compile(
    # ("Why desk posture causes neck pain", "What else helped": a heading that
    # explains or looks back, a question without its mark.)
    r"^(?:why\s|what\s+else\b|(?:what|why|how|when|where|who|which)(?:'s|\s+(?:is|are|was|were|do|does|did|can|could|should|will|would|"
    r"long|much|many|often|soon|happens|causes)\b)|(?:is|are|can|could|should|do|does|did|will|would)\s+(?:i|you|we|it|"
    r"they|my|your|there|this|that|a|an|the)\b|(?:was|warum|wie\s+(?:lange|oft|viel)|wann|wo|wer|welche\w*|ist|sind|"
    r"kann|können|soll|sollte)\s|(?:pourquoi|quand|est-ce|qu'est-ce|por\s+qué|cuándo|dónde|quién|cuál\w*)\b)",
    re.I,
)
QA_PREFIX = re.compile(r"^\s*(?:q|question|frage|f)\s*[:.)]\s*", re.I)


# A heading that only labels its column ("Do", "Don'ts", "À éviter"): what
# the column holds is said by the heading above it ("Treating sunburn: the
# do's and don'ts").
COLUMN_LABEL = re.compile(r"^\W*(?:do(?:['’]?s)?|don['’]?t(?:['’]?s)?|do this|don['’]?t do this|avoid|"
                          r"à faire|a faire|à éviter|a éviter|a eviter|qué hacer|que hacer|qué evitar|que evitar|"
                          r"evita|richtig|falsch|besser nicht|das hilft|das schadet)\W*$", re.I)


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
breathing breath calm anxious depression depressed burnout wellbeing wellness happiness happy
posture ergonomic ergonomics desk sitting stretching vegan vegetarian nutrients fiber fibre
vitamins minerals hydration dehydration alcohol smoking tobacco cholesterol pressure hypertension obesity
overweight calories calorie metabolism hormones hormone menopause fertility nutrition nutritional
diet diets dieting eating meals meal snacks snack sugar sugary grains vegetables fruits
arthritis injury injuries muscle muscles joints joint tendon ligament knee knees hip hips shoulder
shoulders neck headache migraine allergy allergies asthma eczema diabetes diabetic
therapy therapist physiotherapy physio rehabilitation recovery recover selfcare loneliness
screen addiction habits
arzt abnehmen kalorien ernährung übungen training fett schlaf schlafen zähne zahn stress angst wut
entspannung achtsamkeit meditation gesundheit gesund glück zufriedenheit selbstfürsorge grenzen
bewegung rücken schmerzen muskeln sport fitness reiter sitz becken
santé sommeil douleur stress anxiété exercice exercices alimentation régime poids sport muscles dos
salud sueño dolor estrés ansiedad ejercicio ejercicios alimentación dieta peso músculos espalda
cough coughing fever sore throat nausea vomiting diarrhea diarrhoea constipation rash itching itchy sinus
sinusitis bronchitis covid coronavirus swelling sprain sprained fracture wound
erkältung husten schnupfen fieber grippe halsweh übelkeit durchfall verstopfung ausschlag juckreiz heilung
rhume toux fièvre grippe nausée diarrhée constipation guérir guérison soigner soulager maladie malade
resfriado tos fiebre gripe náuseas diarrea estreñimiento curar enfermedad enfermo aliviar
""")
HEALTH_STEMS = ("treat", "therap", "health", "medic", "injur", "exercis", "stretch", "diet", "obes", "calori",
                "nutrition", "inflammat", "sleep", "diabet", "infect", "vaccin", "allerg", "remed", "gesund",
                "schmerz", "krank", "ärzt", "muskel", "vitamin", "symptom", "workout", "muscle", "joint", "doctor",
                "physician", "patient", "relie", "pediatric", "paediatric", "dent", "meditat", "mindful", "anxi",
                "psycholog", "wellbeing", "wellness", "ergonom", "nutri", "hydrat", "stress", "entspann",
                "achtsam", "schlaf", "ernähr", "bewegung", "santé", "salud", "médic", "médec", "ejercic", "dolor",
                "douleur", "glück", "happi", "gratitud", "dankbar", "zufrieden", "wohlbefind", "bienestar",
                "felicidad", "bonheur", "resilien", "burnout", "lonel", "einsam", "selbstfürsorg", "wellbeing",
                "symptôm", "síntom", "maladi", "enfermedad",
                # the body and training in German, French and Spanish, as "muscle", "knee" and "stretch" in English
                "dehn", "hüft", "rücken", "knie", "gelenk", "verletz", "wirbelsäul", "nacken", "physio",
                "übung", "gleichgewicht", "sturz", "stürz",
                "étir", "hanche", "genou", "lombaire", "blessure", "entraînement", "articulaire", "respirat",
                "estiram", "cadera", "espalda", "rodilla", "muscul", "múscul", "entrenam", "lumbar", "articulac",
                "lesión", "lesiones", "fisioterap", "kinésithérap",
                # sleep, mood and digestion
                "sommeil", "dormir", "endorm", "insomni", "anxiét", "dépress", "fatigu", "digesti", "estomac",
                "reflux", "acidité", "sueño", "estrés", "ansiedad", "depresi", "cansancio", "estómago", "acidez",
                "reflujo", "magen", "sodbrennen", "verdauung", "müdigkeit", "erschöpf",
                # long-term conditions of later life, and those who care for them
                "dementia", "démence", "demenz", "alzheim", "parkinson", "osteopor", "continen", "bladder",
                "copd", "pulmonar", "cardiac", "cardiaq", "carer", "caregiv", "aidant", "cuidador", "pflegend",
                # emergencies and heat
                "urgenc", "hitzschlag", "sonnenstich", "insolac", "deshidrat", "déshydrat", "dehydr",
                # Italian: health, pain, the body, training, sleep and mood
                "salute", "dolor", "schiena", "ginocchi", "spalla", "spalle", "caviglia", "anca", "esercizi",
                "allenament", "muscol", "articolaz", "artros", "fisioterap", "postur", "equilibri", "sonno",
                "ansia", "medic", "malatti", "raffreddor", "tosse", "febbre", "cadut", "benessere", "stanchezza")
# "Back" alone is as often a direction ("plug it back in", "come back
# later") as the body: only its phrases count.
HEALTH = Cue(" ".join(HEALTH_WORDS), " ".join(HEALTH_STEMS),
             phrases=("well-being", "plant-based", "whole-grain", "self-care", "bien-être", "back pain", "lower back",
                      "upper back", "bad back", "sore back", "back muscles", "back problems", "golpe de calor",
                      "coup de chaleur", "primeros auxilios", "premiers secours", "erste hilfe", "pronto soccorso"))
# Health words in 1.2 % of a page's words make it a health page whatever its
# title says: LABELING.md's "non-health listicles" (a decluttering or spending
# guide full of imperative headings) sit under 1 %, the health pages of the
# corpus whose titles name nothing at 3 % and more.
HEALTH_PAGE_DENSITY = 0.012


def health_hits(text: str) -> int:
    return HEALTH.count(text)


# Health topics the general vocabulary (HEALTH) leaves out: the small parts
# of the body and those who care for them ("Earwax build-up", "Styes",
# "Mouth ulcers: ask your pharmacist"). They count in a headline
# (health_topic_hits: the page gate, the title's health feature, the advice
# rule) and in a page's health density; HEALTH alone still names the
# health words of an item or a section.
HEALTH_TOPIC = Cue(
    words="ear ears earwax eardrum eyes eyelid eyelids eyesight stye styes mouth ulcer ulcers wart warts verruca verrucas "
          "blister blisters bunion bunions lice nits piles haemorrhoids hemorrhoids heartburn indigestion bloating "
          "cystitis thrush gout pharmacy pharmacist pharmacists midwife nurse gp "
          "ohr ohren ohrenschmalz auge augen apotheke apotheker oreille oreilles oeil yeux pharmacie pharmacien "
          "oído oídos oreja ojo ojos farmacia farmacéutico",
    stems="dermat ophthalm otit conjunctiv",
    # ("Eye" alone is as often a figure of speech: "at eye level", "keep an eye on".)
    phrases=("hay fever", "cold sore", "cold sores", "ingrown toenail", "eye strain", "eye drops", "eye care",
             "eye health", "eye infection", "pink eye", "lazy eye", "dry eye", "sore eye", "red eye"))


def health_topic_hits(text: str) -> int:
    """Health words and the gate's topics (HEALTH_TOPIC) in a headline or description."""
    return HEALTH.count(text) + HEALTH_TOPIC.count(text)


def health_density(text: str, limit: int = 1500) -> float:
    words = tokens(text[:limit * 8])[:limit]
    if not words:
        return 0.0
    counts = Counter(words)
    return (HEALTH.count_in(counts) + HEALTH_TOPIC.count_in(counts)) / len(words)


# -- page kinds that hold no advice ------------------------------------------------------

NEWS_TYPES = {"newsarticle", "reportagenewsarticle", "analysisnewsarticle", "pressrelease", "scholarlyarticle",
              "medicalscholarlyarticle", "report"}
REPORTING = Cue(
    words="said says told reported announced researchers study studies sagte sagt laut berichtet studie forscher "
          "selon según dijo",
    phrases=("according to", "a déclaré"),
)
TITLE_ROUNDUP = Cue(
    words="best review reviews reviewed tested vs versus compared deals deal picks ranked rated bestenliste "
          "testsieger meilleur meilleurs meilleure meilleures mejores",
    phrases=("buying guide",),
)
# ... unless what it ranks is treatments or exercises: "The 5 Best
# Treatments for Plantar Fasciitis", "Die besten Übungen gegen
# Rückenschmerzen", "Back Pain Treatments Compared", "Plantar Fasciitis
# Treatment: What Works Best" are advice, and their lists the advice. The
# noun must end the ranked phrase ("for ...", a colon, the end): "Best
# Exercise Bikes" ranks bikes.
_RANKED_ADVICE = (r"treatments|remedies|therapies|medications|exercises|stretches|poses|workouts|moves|"
                  r"übungen|hausmittel|behandlungen|therapien|dehnübungen|exercices|étirements|remèdes|traitements|"
                  r"ejercicios|estiramientos|remedios|tratamientos")
TITLE_RANKS_ADVICE = re.compile(
    r"\b(?:best|top|most\s+effective|besten|wirksamsten|meilleur(?:e?s)?|mejores)\s+(?:\d+\s+)?(?:[\w'’-]+\s+){0,2}?"
    rf"(?:{_RANKED_ADVICE})(?=\s+(?:for|to|of|in|that|you|gegen|bei|für|pour|contre|para|contra|que)\b|\s*[:,;!?()–—-]|\s*$)"
    rf"|\b(?:treatments?|{_RANKED_ADVICE})\s*,?\s+(?:compared|ranked|rated|reviewed|im\s+vergleich|comparés|comparados)\b"
    r"|\b(?:treatments?|remed(?:y|ies)|therap(?:y|ies)|behandlung|traitement|tratamiento)\b[^:]{0,40}:\s*"
    r"(?:what|which)\s+works?\s+best\b",
    re.I)


def ranks_products(title: str) -> bool:
    """Does a title (or a section heading) rank products ("Best Fitness
    Trackers 2026", "Theragun vs Hypervolt"), rather than treatments or
    exercises?"""
    return bool(TITLE_ROUNDUP.search(title)) and not TITLE_RANKS_ADVICE.search(title)


# A product named after what it is: "Pull-Up Bar for Bodyweight Strength",
# "Budget-Friendly Air Bike", "Adjustable Dumbbells". The noun that ends the
# name (before "for ...", "with ...", a colon or a dash) is a piece of gear,
# whatever movement its first words name. ("Bike to work" is a tip: "to" is
# no end of a product's name.)
EQUIPMENT_NAME = re.compile(
    r"\b(?:bars?|ropes?|bikes?|racks?|dumbbells?|barbells?|kettlebells?|plates?|bands?|benches?|mats?|"
    r"treadmills?|rowers?|ellipticals?|trainers?|balls?|rollers?|trackers?|watch(?:es)?|shoes|"
    r"sneakers|flooring|storage|mirrors?|stands?|chairs?|desks?|pillows?|mattress(?:es)?|monitors?)"
    r"(?=\s*(?:$|[:\-–—(]|\bfor\b|\bwith\b))",
    re.I,
)
INGREDIENT = re.compile(r"(?:\b\d+[\d/.\s-]*|[½¼¾])\s*(?:cups?|tbsp|tsp|tablespoons?|teaspoons?|ounces?|oz|ml|"
                        r"cloves?|pinch(?:es)?|dash(?:es)?|slices?|cans?|EL|TL|Prise)\b")
# Prices and the words of a shop's buttons ("Add to basket", "Free
# delivery", in the four languages), searched in lower-cased text: case-
# sensitive and behind one \b, it costs a third of what re.I did.
# An amount of money: "£295", "$5", "49 €", "12 EUR".
MONEY = r"[$€£]\s?\d|\d\s?(?:€|eur|usd|gbp)\b"
AMOUNT = re.compile(MONEY, re.I)
PRICE = re.compile(MONEY + r"|\b(?:price|buy|check\s+price|in\s+stock|preis|"
                   r"add\s+to\s+(?:cart|basket|bag|trolley)|free\s+(?:delivery|shipping)|in\s+den\s+warenkorb|"
                   r"versandkostenfrei|ajouter\s+au\s+panier|livraison\s+gratuite|a[ñn]adir\s+al\s+carrito|"
                   r"env[íi]o\s+gratis)\b")
NUMBER_WORDS_EN = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                   "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                   "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
                   "zehn": 10, "elf": 11, "zwölf": 12, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
                   "huit": 8, "neuf": 9, "dix": 10, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
                   "siete": 7, "ocho": 8, "nueve": 9, "diez": 10}
COUNT_IN_TEXT = re.compile(r"\b(\d{1,2}|" + "|".join(NUMBER_WORDS_EN) + r")\b", re.I)


# A heading that counts the advice under it: "Unsere 4 Tipps:", "5 ways to
# ease it", "Three stretches to try", "Nos 5 conseils".
COUNTED_ADVICE = re.compile(
    r"\b(?:\d{1,2}|" + "|".join(NUMBER_WORDS_EN) + r")\s+(?:[\w-]+\s+){0,2}?(?:tips|tipps|ways|things|steps|strategies|"
    r"habits|exercises|stretches|moves|poses|remedies|treatments|übungen|möglichkeiten|wege|schritte|conseils|astuces|"
    r"exercices|étirements|remèdes|consejos|ejercicios|estiramientos|remedios|pasos|formas|maneras)\b", re.I)


def counts_in(text: str) -> set[int]:
    """The small numbers a title or heading announces: '7 Ways to ...', 'Vier Übungen'."""
    found = set()
    for match in COUNT_IN_TEXT.finditer(text or ""):
        word = match.group(1).lower()
        value = int(word) if word.isdigit() else NUMBER_WORDS_EN.get(word)
        if value and 2 <= value <= 40:
            found.add(value)
    return found
