"""Rules about how readers might take something: doses, self-dosing, playing down risks, routine use.

Patterns run on folded text (lower case, plain quotes and dashes; see text.fold).
"""
import dataclasses
import re
from collections.abc import Iterator

from .engine import Hit, Phrase, Rule, Severity, contains_any, excerpt_of, negation_re, phrase_rule, words
from .text import Document, Sentence

# --- DOSE_UNSOURCED ---

NUMBER = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|half)"
NUMBER_RANGE = rf"{NUMBER}(?:\s*(?:-|to|or)\s*{NUMBER})?"
DOSE_UNIT = (r"(?:mg|milligrams?|g|grams?|gm|mcg|µg|μg|micrograms?|ml|millilit(?:re|er)s?|iu|units?|"
             r"drops?|tablets?|capsules?|pills?|gumm(?:y|ies)|puffs?|sprays?|teaspoons?|tsp|tablespoons?|"
             r"tbsp|scoops?|doses?|sachets?|patch(?:es)?)")
AMOUNT_RE = re.compile(rf"(?<![\w.-]){NUMBER_RANGE}\s*-?\s*{DOSE_UNIT}(?:/(?:kg|day|d|dose))?\b")
FREQUENCY_RE = re.compile(
    rf"\b(?:{NUMBER}|once|twice|thrice)\s+(?:times?\s+)?(?:a|per|each|every)\s+"
    rf"(?:day|night|week|month|morning|evening)\b"
    rf"|\b(?:once|twice|thrice|{NUMBER}\s+times)[\s-]+(?:daily|nightly|weekly)\b"
    rf"|\bevery\s+{NUMBER_RANGE}\s+(?:hours?|hrs?|days?)\b"
)
# A frequency is a dose only when the sentence is about taking something ("exercise three times a
# week" is not).
DOSE_CONTEXT_RE = re.compile(words(
    "take", "takes", "taking", "taken", "took", "dose", "doses", "dosing", "dosage", "use", "uses", "using",
    "consume", "consuming", "apply", "applying", "inhale", "swallow", "chew", r"tablets?", r"capsules?",
    r"pills?", r"drops?", r"sprays?", r"puffs?", "mg", r"grams?"))
_DIGIT_RE = re.compile(r"[0-9]")
# With the space before them, so that "someone" or "done" do not count as a number.
NUMBER_WORDS = (" once", " twice", " thrice", " one", " two", " three", " four", " five", " six", " seven",
                " eight", " nine", " ten", " half")


def _may_hold_a_number(text: str) -> bool:
    return _DIGIT_RE.search(text) is not None or contains_any(f" {text}", NUMBER_WORDS)


def find_unsourced_doses(document: Document) -> Iterator[Hit]:
    for sentence in document.sentences():
        folded = sentence.folded
        if sentence.cited or not _may_hold_a_number(folded):
            continue
        match = AMOUNT_RE.search(folded)
        if match is None:
            match = FREQUENCY_RE.search(folded)
            if match is None or not DOSE_CONTEXT_RE.search(folded):
                continue
        yield Hit(sentence.field, excerpt_of(sentence.text, match.start()), at=sentence.block.index)


# --- SELF_TITRATION ---

LOW = r"(?:low|lower|lowest|small|smaller|smallest|tiny|minimal|minimum|modest|conservative)"
DOSE_NOUN = r"(?:dose|doses|dosage|dosages|amount|amounts|quantity|serving|servings|intake)"
# Titration a clinician leads ("your doctor may start you on a low dose") is care, not self-dosing.
CLINICIAN_LEADS = (
    r"\b(?:your|a|the|their)\s+(?:doctor|gp|prescriber|clinician|pharmacist|specialist|nurse|care\s+team|"
    r"consultant|psychiatrist)s?\s+(?:\w+\s+)?(?:may|will|might|can|could|would|should|usually|often|decides?|"
    r"sets?|adjusts?|increases?|starts?|reduces?|lowers?|plans?|chooses?|helps?)\b|\bprescriber\s+decides\b"
)
# "Gradually increase" is about dosing only where the sentence is: not "symptoms gradually increase".
SELF_DOSING_CONTEXT = words("dose", "doses", "dosage", "dosing", "amount", "intake", r"grams?", "mg", "take",
                            "taking")
SELF_TITRATION_PHRASES = (
    Phrase(rf"\b(?:start|starts|starting|begin|begins|beginning)\b[^.;:]{{0,25}}?\b{LOW}\b"
           rf"(?:\s+{DOSE_NOUN}\b|\s*(?:and\b|,|\.|$))", needles=("start", "begin"), cited_ok=False,
           unless=CLINICIAN_LEADS),
    Phrase(r"\b(?:gradually|slowly|incrementally|progressively|steadily)\s+(?:increas|rais|build|titrat|work)\w*",
           needles=("gradually", "slowly", "incrementally", "progressively", "steadily"), cited_ok=False,
           unless=CLINICIAN_LEADS, requires=SELF_DOSING_CONTEXT),
    Phrase(rf"\b(?:increase|increasing|raise|raising|double|doubling|up|upping|adjust|adjusting|tweak|tweaking)\s+"
           rf"(?:the\s+|your\s+|their\s+|this\s+|that\s+)?{DOSE_NOUN}\b",
           needles=("increas", "rais", "doubl", "up", "adjust", "tweak"), cited_ok=False, unless=CLINICIAN_LEADS),
    Phrase(r"\badjust(?:ing)?\s+(?:it\s+|them\s+)?accordingly\b|\btitrat(?:e|es|ed|ing|ion)\b"
           r"|\bwork\s+(?:your|their)\s+way\s+up\b|\blisten(?:ing)?\s+to\s+(?:your|their)\s+bod(?:y|ies)\b"
           r"|\buntil\s+(?:you\s+(?:feel|get|notice|reach|find)|the\s+desired)\b|\bpersonal\s+experimentation\b",
           needles=("accordingly", "titrat", "way up", "listen", "until", "experimentation"), cited_ok=False,
           unless=CLINICIAN_LEADS),
    Phrase(rf"\bfind\s+(?:your|the|their)\s+(?:own\s+)?(?:ideal|optimal|optimum|right|proper|perfect|correct|best|"
           rf"personal)?\s*(?:{DOSE_NOUN}|sweet\s+spot)\b", needles=("find",), cited_ok=False, unless=CLINICIAN_LEADS),
    # Timing a dose yourself; a leaflet or guideline that says when to take it is a fine source.
    Phrase(r"\btak(?:e|es|ing)\s+(?:it|them|this|\w+)\s+"
           r"(?:about\s+|around\s+|roughly\s+|approximately\s+|at\s+least\s+)?"
           r"(?:\d+(?:\s*-\s*\d+)?|an?|one|two|half\s+an)\s+(?:hours?|minutes?|mins?)\s+before\b"
           r"|\b(?:take|taking)\s+(?:it|them|\w+)\s+earlier\s+in\s+the\s+day\b"
           r"|\btiming\s+of\s+(?:your\s+|the\s+)?(?:\w+\s+)?(?:doses?|dosage|intake)\b"
           r"|\b(?:dose|dosage|dosing)\s+timing\b|\btime\s+(?:your|the|their)\s+(?:doses?|dosage|intake)\b",
           needles=("before", "earlier", "timing", "time"), unless=CLINICIAN_LEADS),
)
find_self_titration = phrase_rule(SELF_TITRATION_PHRASES)


# --- SAFETY_MINIMISATION ---

MYTH_BUSTING = (r"\bmyth\b|\bmisconception\b|\bwrongly\b|\bfalsely\b|\bnot\s+true\b|\bassum(?:e|es|ing)\b"
                r"|\b(?:does|do)\s+not\s+mean\b|\bdoesn't\s+mean\b|\bclaims?\b|\bmarketed\b|\badvertised\b")
SAFE_WORD = r"(?:safe|safer|harmless|risk[- ]free|gentle|non[- ]?toxic)"
SAFETY_MINIMISATION_PHRASES = (
    # "natural and safe", "natural, so it is safe": natural is not the same as safe.
    Phrase(rf"\bnatural\b(?:(?!\b(?:not|no|never|doesn't|isn't|can|may|might|still|but)\b)[^.;:!?]){{0,30}}?"
           rf"\b{SAFE_WORD}\b",
           needles=("natural",), cited_ok=False, unless=MYTH_BUSTING),
    Phrase(r"\b(?:because|since)\s+(?:it|they|\w+)\s+(?:is|are|'s|'re)\s+(?:all[- ]|completely\s+|100%\s+)?natural\b",
           needles=("natural",), cited_ok=False, unless=MYTH_BUSTING),
    Phrase(r"\bwithout\s+(?:the\s+|any\s+|all\s+(?:the\s+)?)?(?:\w+\s+){0,2}?"
           r"(?:side[- ]effects|risks|dangers|downsides|harms|adverse\s+effects|negative\s+effects|drawbacks)\b",
           needles=("without",), unless=MYTH_BUSTING),
    Phrase(r"\b(?:no|zero|free\s+(?:of|from))\s+(?:known\s+|serious\s+|significant\s+|major\s+|real\s+|harmful\s+|"
           r"negative\s+|bad\s+)?(?:side[- ]effects|risks?|dangers?|adverse\s+effects|downsides)\b(?![- ]free)",
           needles=("no ", "zero", "free"), negatable=False,
           unless=MYTH_BUSTING + r"|\bif\s+you\b|\bno\s+such\s+thing\b"),
    Phrase(r"\b(?:side[- ]effect[- ]free|risk[- ]free|harmless|completely\s+safe|totally\s+safe|perfectly\s+safe|"
           r"entirely\s+safe|absolutely\s+safe|100%\s+safe|safe\s+for\s+(?:everyone|anyone|all|everybody)|"
           r"safe\s+at\s+any\s+dose|can(?:not|'t)\s+overdose|impossible\s+to\s+overdose|"
           r"safer\s+than\s+(?:prescription|pharmaceutical|conventional|synthetic)\s+(?:drugs|medications?|medicines|"
           r"opioids|pills|sleeping\s+pills|painkillers))\b",
           needles=("free", "harmless", "safe", "overdose"), cited_ok=False, unless=MYTH_BUSTING),
    Phrase(r"\b(?:non[- ]?addictive|not\s+addictive)\b", needles=("addictive",), unless=MYTH_BUSTING),
)

# --- VAGUE_RISK ---

RISK_MENTION_RE = re.compile(
    r"\b(?:side[- ]effects?|adverse\s+(?:effects|reactions|events)|risks|dangers|complications|"
    r"unwanted\s+effects|negative\s+effects|safety\s+(?:concerns|issues|risks))\b")
# Harms named in plain words: what VAGUE_RISK wants to see, and what makes "people report ..." a
# report of side effects rather than anecdote offered as evidence.
HARMS = (
    r"(?:nausea|vomit\w*|headaches?|dizz\w*|drows\w*|sleepiness|insomnia|diarrh\w*|constipation|rash\w*|itch\w*|"
    r"allerg\w*|anaphyla\w*|liver|kidneys?|heart|cardi\w*|blood\s+pressure|seizures?|convulsions?|confusion|"
    r"anxiety|agitation|hallucinat\w*|dependence|addiction|tolerance|withdrawal|overdose|death|fatal|bleeding|"
    r"strokes?|breathing|respirat\w*|psychosis|depress\w*|mood|dry\s+mouth|weight|palpitations|fatigue|tremors?|"
    r"sweating|irritab\w*|dreams|sedation|faint\w*|falls?|injur\w*|poison\w*|toxic\w*|coma|jaundice|hepat\w*|"
    r"infections?|stomach|gastro\w*|serotonin\s+syndrome|cancer)"
)
NAMED_RISK_RE = re.compile(
    r"\b(?:such\s+as|include|includes|including|e\.g|namely|for\s+example|for\s+instance)\b|:|"
    rf"\blike\b(?!\s+(?:any|all|other|every|most|many)\b)|\b{HARMS}\b")
# Pointing readers to where effects are listed, or asking them to report any, is not vague; a claim
# that there are none is SAFETY_MINIMISATION's business.
RISK_SIGNPOST_RE = re.compile(r"\b(?:report|reporting|yellow\s+card|medwatch|leaflet|label)\b"
                              r"|\b(?:without|no|zero|free\s+(?:of|from))\s+(?:\w+\s+){0,2}?"
                              r"(?:side[- ]effects|risks)\b")


RISK_NEEDLES = ("side", "adverse", "risks", "danger", "complication", "unwanted", "negative", "safety")


def find_vague_risks(document: Document) -> Iterator[Hit]:
    for block in document.blocks:
        if block.is_heading or not contains_any(block.folded, RISK_NEEDLES) or not RISK_MENTION_RE.search(block.folded):
            continue
        following = document.next_block(block)
        if NAMED_RISK_RE.search(block.folded) or (
                following is not None and following.kind == "item" and NAMED_RISK_RE.search(following.folded)):
            continue
        for sentence in block.sentences:
            match = RISK_MENTION_RE.search(sentence.folded)
            if match and not RISK_SIGNPOST_RE.search(sentence.folded):
                yield Hit(sentence.field, excerpt_of(sentence.text, match.start()), at=block.index)


# --- ROUTINE_OR_COMBINATION_USE ---

HABIT_FORMING = (r"kratom|opioids?|opiates?|codeine|tramadol|oxycodone|hydrocodone|morphine|fentanyl|heroin|"
                 r"methadone|buprenorphine|benzodiazepines?|benzos?|diazepam|alprazolam|lorazepam|clonazepam|"
                 r"temazepam|xanax|valium|z-drugs?|zolpidem|zopiclone|sleeping\s+(?:pills|tablets)|gabapentin|"
                 r"pregabalin|phenibut|kava|cannabis|marijuana|thc|alcohol|nicotine|ketamine|ghb|barbiturates?|"
                 r"amphetamines?|stimulants|modafinil|sedatives?|painkillers?")
HABIT_FORMING_RE = re.compile(rf"\b(?:{HABIT_FORMING})\b")
OBJECT = rf"(?P<obj>{HABIT_FORMING}|[a-z][\w-]*)"
PRONOUNS = frozenset({"it", "them", "this", "these"})
ROUTINE_PHRASES = (
    Phrase(rf"\b(?:take|taking|takes|use|using|uses|consume|consuming|have|having|drink|drinking|smoke|smoking|chew|"
           rf"chewing)\s+{OBJECT}\s+(?:\w+\s+){{0,2}}?(?:every\s+(?:day|night|evening|morning)|each\s+(?:day|night|"
           rf"evening)|daily|nightly|regularly|routinely|consistently|on\s+a\s+(?:daily|nightly|regular)\s+basis|"
           rf"as\s+part\s+of\s+(?:a|your|their|the)\s+(?:\w+\s+){{0,2}}(?:routine|regimen|ritual))\b",
           needles=("every", "each", "daily", "nightly", "regularly", "routinely", "consistently", "basis", "part of")),
    Phrase(rf"\b(?:incorporat|integrat|build|add)(?:e|es|ed|ing)?\s+{OBJECT}\s+into\s+(?:a|your|their|any|the|one's)\s+"
           rf"(?:\w+\s+){{0,2}}(?:routine|regimen|ritual|habit|schedule|lifestyle)\b", needles=("into",)),
    Phrase(rf"\bmake\s+{OBJECT}\s+(?:a\s+)?(?:part\s+of\s+(?:your|a|their)\s+(?:\w+\s+)?(?:routine|day|night|evening)|"
           rf"(?:a\s+)?(?:nightly|daily|regular)\s+habit|a\s+habit)\b", needles=("make",)),
    Phrase(r"\bconsistency\s+is\s+key\b", needles=("consistency",)),
    Phrase(rf"\b(?:combine|combines|combining|mix|mixes|mixing|stack|stacks|stacking|pair|pairing)\s+{OBJECT}\s+"
           rf"(?:\w+\s+){{0,2}}?(?:with|and)\b", needles=("combin", "mix", "stack", "pair")),
    Phrase(rf"\b(?:take|taking|use|using)\s+{OBJECT}\s+(?:together\s+)?(?:with|alongside|along\s+with)\s+(?:other\s+)?"
           rf"(?:{HABIT_FORMING}|alcohol|sedatives?|sleeping\s+(?:pills|tablets)|other\s+(?:substances|supplements|"
           rf"herbs|drugs|medicines|sleep\s+aids))\b", needles=("with", "alongside")),
)
# Describing what regular use does ("taking it every night can lead to dependence") is a warning,
# not advice.
RISK_DESCRIPTION = (r"\b(?:can|may|could|will|might|often)\s+(?:lead|cause|result|increase|raise|bring)\b"
                    r"|\b(?:risks?|dependence|tolerance|withdrawal|overdose|addiction|harm)\b")
ROUTINE_NEGATION = negation_re(("avoid", "avoiding", "dangerous", "risky", "unsafe", "harmful", "deadly", "warn",
                                "warns", "stop", "stopping", "against"))


def _habit_forming_subject(document: Document, sentence: Sentence, match: re.Match) -> bool:
    subject = match.groupdict().get("obj")
    if subject and HABIT_FORMING_RE.fullmatch(subject):
        return True
    if subject and subject not in PRONOUNS:
        return HABIT_FORMING_RE.search(sentence.folded) is not None
    return bool(HABIT_FORMING_RE.search(sentence.folded) or HABIT_FORMING_RE.search(document.lead_text))


find_routine_use = phrase_rule(
    tuple(dataclasses.replace(phrase, unless=RISK_DESCRIPTION) for phrase in ROUTINE_PHRASES),
    negation=ROUTINE_NEGATION, accept=_habit_forming_subject,
)

RULES = (
    Rule("DOSE_UNSOURCED", Severity.ERROR,
         "A dose or dosing frequency needs a source: cite the reference it comes from, like [2], or take it out.",
         find_unsourced_doses),
    Rule("SELF_TITRATION", Severity.ERROR,
         "This tells readers to start low, raise or time their own dose. Dosing belongs to a prescriber or an "
         "authoritative source: say that instead.",
         find_self_titration),
    Rule("SAFETY_MINIMISATION", Severity.ERROR,
         'This plays down the risks ("natural so safe", "no side effects"). Natural is not the same as safe: '
         "name the risks instead.",
         phrase_rule(SAFETY_MINIMISATION_PHRASES)),
    Rule("VAGUE_RISK", Severity.WARNING,
         "Risks or side effects are mentioned, but none is named. Say which ones, and how common they are.",
         find_vague_risks),
    Rule("ROUTINE_OR_COMBINATION_USE", Severity.ERROR,
         "This encourages regular use of a habit-forming substance, or combining it with others. Describe the "
         "risks of regular or combined use instead.",
         find_routine_use),
)
