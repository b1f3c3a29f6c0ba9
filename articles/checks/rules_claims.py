"""Rules about claims of benefit: overstatement, selling hope, vague appeals to research or to users,
and claims to treat, cure or prevent a condition.

Patterns run on folded text (lower case, plain quotes and dashes; see text.fold).
"""
from .engine import Phrase, Rule, Severity, negation_re, phrase_rule

# --- ABSOLUTE_EFFICACY ---

UNCERTAINTY = r"\b(?:whether|unclear|uncertain|unknown|not\s+known|no\s+more|less|how|if)\b"
DANGER = (r"\b(?:overdose|toxic\w*|dangerous|danger|fatal|deadly|poison\w*|risks?|kill\w*|harm\w*|caution|careful|"
          r"respiratory|breathing|death)\b")
BENEFIT_NOUN = (r"(?:treatments?|remed(?:y|ies)|cures?|solutions?|options?|way|choices?|supplements?|"
                r"sleep\s+aids?|aids?|products?|strains?|natural|herbs?|medicines?|pills?|answer)")
ABSOLUTE_EFFICACY_PHRASES = (
    Phrase(r"(?<!-)\b(?:highly\s+|very\s+|extremely\s+|remarkably\s+|incredibly\s+|truly\s+|most\s+|so\s+)?"
           r"effective\b(?!-)",
           needles=("effective",),
           unless=UNCERTAINTY + r"|\beffective\s+(?:from|on|since|as\s+of|immediately|date|contracepti\w*)\b"),
    Phrase(r"\bpotent\b", needles=("potent",), unless=DANGER),
    Phrase(r"\btransform(?:s|ed|ing)?\s+(?:your|their|the\s+way\s+you|his|her|our|lives|life)\b|\btransformative\b"
           r"|\blife[- ]changing\b|\bgame[- ]changer\b", needles=("transform", "changing", "changer")),
    Phrase(r"\bguarantee[sd]?\b", needles=("guarantee",)),
    Phrase(r"\b(?:miracle|miraculous|wonder\s+drug|works\s+wonders|magic\s+bullet|revolutionary|cure-all|panacea|"
           r"superfood)\b",
           needles=("miracle", "miraculous", "wonder", "magic", "revolutionary", "cure-all", "panacea", "superfood")),
    Phrase(r"\b(?:clinically|scientifically|medically)\s+proven\b|\bproven\s+to\b", needles=("proven",)),
    Phrase(rf"\b(?:best|most\s+effective|most\s+powerful|strongest|ultimate|number\s+one|#1|top)\s+(?:\w+\s+){{0,2}}?"
           rf"{BENEFIT_NOUN}\b", needles=("best", "most", "strongest", "ultimate", "number one", "#1", "top"),
           unless=r"\b(?:risks?|avoid\w*|stop\w*|harm|safe|safely|safer|not\s+to|evidence)\b"),
    Phrase(r"\b(?:works|worked)\s+(?:every\s+time|for\s+everyone|instantly|immediately|straight\s+away)\b"
           r"|\binstant(?:ly)?\s+relief\b|\b100%\s+(?:effective|natural|guaranteed)\b",
           needles=("works", "worked", "instant", "100%")),
)

# --- PROMISE_HEDGE ---

# "Promising" next to what limits it ("early", "in mice", "but") reports; on its own it sells.
HEDGED = (r"\b(?:but|however|although|though|yet|early|preliminary|small|animal|animals|mice|rats|rodents|cells?|lab|"
          r"laboratory|test[- ]tube|not\s+yet|unclear|uncertain|more\s+research|further\s+research|needed|limited|"
          r"unproven|pilot|replicated|repeated)\b")
PROMISE_HEDGE_PHRASES = (
    Phrase(r"\bpromising\b", needles=("promising",), unless=HEDGED),
    Phrase(r"\b(?:shows?|showed|showing|shown|holds?|held|holding|has|have|had)\s+(?:great\s+|real\s+|some\s+|much\s+|"
           r"significant\s+|considerable\s+|enormous\s+|huge\s+)?promise\b", needles=("promise",), unless=HEDGED),
    Phrase(r"\bpromises?\s+(?:to|better|deeper|improved|relief|a\s+better)\b", needles=("promise",), unless=HEDGED),
)

# --- RESEARCH_WITHOUT_REFERENCE ---

STUDY_KIND = r"(?:study|trial|review|survey|analysis|meta-analysis)"
RESEARCH_SUBJECT = (
    r"(?:studies|research|science|scientists|researchers|experts|evidence"
    r"|(?:some|several|many|recent|numerous|multiple|countless|clinical|scientific|new|emerging|various|other)\s+"
    r"(?:studies|trials|research|reports)"
    rf"|(?:a|one|another|the\s+latest)\s+(?:\d{{4}}\s+|large\s+|small\s+|recent\s+|new\s+|randomi[sz]ed\s+|clinical\s+|"
    rf"controlled\s+)*{STUDY_KIND})"
)
RESEARCH_VERB = (r"(?:show|shows|showed|shown|suggest|suggests|suggested|indicate|indicates|indicated|prove|proves|"
                 r"proved|proven|confirm|confirms|confirmed|demonstrate|demonstrates|demonstrated|found|find|finds|"
                 r"reveal|reveals|revealed|support|supports|supported|say|says|said|agree|agrees|point\s+to|"
                 r"points\s+to|link|links|linked|back|backs)")
RESEARCH_PHRASES = (
    Phrase(rf"\b{RESEARCH_SUBJECT}(?:\s+(?:consistently|clearly|also|now|repeatedly|increasingly|strongly|generally|"
           rf"have|has|had|already|even|often))*\s+{RESEARCH_VERB}\b",
           needles=("stud", "research", "scien", "expert", "evidence", "trial", "review", "survey", "analys",
                    "reports")),
    Phrase(r"\b(?:has|have|had)\s+been\s+(?:clinically\s+|scientifically\s+|widely\s+|repeatedly\s+)?"
           r"(?:shown|proven|demonstrated|found)\s+to\b", needles=("been",)),
    Phrase(r"\baccording\s+to\s+(?:(?:some|recent|many|new)\s+)?(?:research|studies|science|scientists|experts|"
           r"researchers)\b", needles=("according to",)),
    Phrase(r"\b(?:recent|new|emerging|growing|latest)\s+(?:studies|research|evidence|science)\b",
           needles=("studies", "research", "evidence", "science")),
    Phrase(r"\b(?:it\s+is|it's)\s+(?:well[- ])?(?:known|established|documented|proven)\s+that\b",
           needles=("known", "established", "documented", "proven")),
)
# "What the evidence shows" announces a summary; it does not claim one.
RESEARCH_NEGATION = negation_re(("few", "little", "what", "whether", "how", "if"))

# --- ANECDOTE_AS_EVIDENCE ---

NOT_EVIDENCE = r"\bnot\s+(?:evidence|proof|reliable)\b|\bunreliable\b|\bcannot\b|\bweak\b"
# "Some people report vivid dreams" reports a harm; it does not offer anecdote as evidence of
# benefit. Only harms that are never the hoped-for effect count ("less anxiety" would be a benefit).
REPORTS_HARM = (r"\b(?:side[- ]effects?|adverse|nausea|vomit\w*|headaches?|dizz\w*|drows\w*|rash\w*|itch\w*|"
                r"dreams|nightmares|palpitations|tremors?|sweating|hallucinat\w*|seizures?|withdrawal|dependence|"
                r"constipation|diarrh\w*|dry\s+mouth)\b")
ANECDOTE_PHRASES = (
    Phrase(r"\b(?:(?:many|some|most|countless|numerous|other|regular|long-time|experienced)\s+)?"
           r"(?:users|people|customers|consumers|individuals|fans|enthusiasts|folks|sleepers|reviewers)\s+"
           r"(?:often\s+|commonly\s+|frequently\s+|also\s+|widely\s+|consistently\s+|have\s+|who\s+\w+\s+(?:it\s+)?)?"
           r"(?:report|reports|reported|swear\s+by|say|says|claim|claims|rave|describe|describes|tell\s+us|share|"
           r"find\s+that|credit)\b",
           needles=("users", "people", "customers", "consumers", "individuals", "fans", "enthusiasts", "folks",
                    "sleepers", "reviewers"),
           unless=f"{NOT_EVIDENCE}|{REPORTS_HARM}"),
    Phrase(r"\bmany\s+(?:people|users|individuals|adults)\s+(?:use|take|turn\s+to|rely\s+on|choose|prefer)\b",
           needles=("many",)),
    Phrase(r"\b(?:anecdotal(?:ly)?|testimonials?|word\s+of\s+mouth|(?:user|customer|online)\s+reviews|"
           r"success\s+stories)\b",
           needles=("anecdotal", "testimonial", "word of mouth", "reviews", "success stories"), unless=NOT_EVIDENCE),
    Phrase(r"\b(?:traditionally|historically)\s+used\b"
           r"|\bused\s+for\s+(?:centuries|generations|thousands\s+of\s+years)\b",
           needles=("used",), unless=NOT_EVIDENCE),
    Phrase(r"\bthousands\s+of\s+(?:people|users|customers)\b"
           r"|\bmillions\s+of\s+(?:people|users)\s+(?:use|take|swear|trust)\b",
           needles=("thousands of", "millions of")),
)

# --- DISEASE_CLAIM ---

CONDITION = (
    r"(?:insomnia|sleep\s+disorders?|sleep\s+apno?ea|anxiety|depression|cancers?|tumou?rs?|diabetes|arthritis|dementia|"
    r"alzheimer's|parkinson's|hypertension|high\s+blood\s+pressure|heart\s+disease|asthma|epilepsy|seizures|"
    r"migraines?|headaches|infections?|covid(?:-19)?|flu|influenza|colds?|addiction|withdrawal|adhd|autism|obesity|"
    r"pain|inflammation|acne|eczema|psoriasis|ibs|ulcers?|strokes?|ptsd|ocd|fibromyalgia|hangovers?|stress|fatigue|"
    r"memory\s+loss|hair\s+loss|erectile\s+dysfunction|restless\s+legs|(?:\w+\s+)?(?:disease|disorder|condition|"
    r"illness|syndrome)s?)"
)
CLAIM_VERB = (r"(?:cures?|treats?|prevents?|reverses?|heals?|eliminates?|eradicates?|relieves?|alleviates?|fights?|"
              r"combats?|beats?|gets?\s+rid\s+of|protects?\s+against|wards?\s+off|"
              r"(?:reduces?|lowers?)\s+the\s+risk\s+of)")
CLAIM_INFINITIVE = (r"(?:can|could|will|may|might|to|helps?(?:\s+to)?|helping|shown\s+to|used\s+to|able\s+to|"
                    r"ability\s+to)\s+(?:cure|treat|prevent|reverse|heal|eliminate|eradicate|relieve|alleviate|"
                    r"fight|combat|beat|get\s+rid\s+of|protect\s+against|ward\s+off|"
                    r"(?:reduce|lower)\s+the\s+risk\s+of)")
# Reporting a claim in order to correct it is not making it; nor is a clinician's treatment.
CLAIM_REPORTED = (r"\b(?:claims?|claimed|marketed|advertised|falsely|myth|unproven|no\s+evidence|sellers?|websites?)\b"
                  r"|\bnot\s+(?:been\s+)?(?:shown|proven)\b"
                  r"|\b(?:doctors?|gps?|prescribers?|clinicians?|specialists?|pharmacists?|nurses?|"
                  r"your\s+care\s+team)\s+(?:\w+\s+)?"
                  r"(?:can|may|might|will|could|often|usually|sometimes|use|prescribe|treat|recommend)\b")
DISEASE_CLAIM_PHRASES = (
    Phrase(rf"\b(?:{CLAIM_VERB}|{CLAIM_INFINITIVE})\s+(?:(?!and\b|or\b|but\b)[\w'-]+\s+){{0,3}}?{CONDITION}\b",
           needles=("cur", "treat", "prevent", "revers", "heal", "eliminat", "eradicat", "reliev", "alleviat", "fight",
                    "combat", "beat", "rid of", "protect", "ward", "risk of"),
           unless=CLAIM_REPORTED),
    Phrase(r"\bcur(?:e|es|ed|ing)\b(?!\s+rates?)", needles=("cur",), unless=CLAIM_REPORTED),
)

RULES = (
    Rule("ABSOLUTE_EFFICACY", Severity.WARNING,
         'This overstates the benefit ("effective", "potent", "best", "guaranteed"). Say what the evidence shows, '
         "how much and for whom, and cite it.",
         phrase_rule(ABSOLUTE_EFFICACY_PHRASES)),
    Rule("PROMISE_HEDGE", Severity.WARNING,
         '"Promising" sells a result the evidence has not shown. Say what was found, in whom, and what is still '
         "unknown.",
         phrase_rule(PROMISE_HEDGE_PHRASES)),
    Rule("RESEARCH_WITHOUT_REFERENCE", Severity.ERROR,
         "This appeals to research without naming it. Cite the study, like [2], or take the claim out.",
         phrase_rule(RESEARCH_PHRASES, negation=RESEARCH_NEGATION)),
    Rule("ANECDOTE_AS_EVIDENCE", Severity.WARNING,
         "What users say is not evidence of benefit or safety. Use trial or review evidence, or say plainly that "
         "it is anecdotal and why it cannot be relied on.",
         phrase_rule(ANECDOTE_PHRASES)),
    Rule("DISEASE_CLAIM", Severity.ERROR,
         "This claims it treats, cures or prevents a condition. Cite the evidence, or describe what was actually "
         "studied and found.",
         phrase_rule(DISEASE_CLAIM_PHRASES)),
)
