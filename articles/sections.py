"""The safety sections: the one definition the gate, forms, diffs, import and pages read.

The order here is the fixed order readers see them in.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class SafetySection:
    key: str
    title: str
    description: str
    # Headings a plain-text import recognises as this section (compared lower-cased).
    aliases: tuple[str, ...] = ()


SECTIONS: tuple[SafetySection, ...] = (
    SafetySection(
        "evidence_summary",
        "What the evidence says",
        "What the evidence shows and does not, its quality, open questions.",
        ("evidence summary", "what the evidence says", "the evidence", "what the research says",
         "research", "evidence"),
    ),
    SafetySection(
        "side_effects",
        "Side effects",
        "Common and serious adverse effects.",
        ("side effects", "adverse effects", "side effects and risks", "risks and side effects",
         "potential side effects", "risks", "potential risks", "safety concerns",
         "side effects and safety", "safety and side effects", "possible side effects",
         "common side effects"),
    ),
    SafetySection(
        "interactions",
        "Interactions",
        "Drugs, alcohol, supplements, foods.",
        ("interactions", "drug interactions", "interactions with other medicines",
         "interactions with medications", "potential interactions",
         "potential interactions with medications", "interactions with other drugs"),
    ),
    SafetySection(
        "who_should_avoid",
        "Who should avoid it",
        "Pregnancy, children, liver/kidney/heart disease, substance-use history.",
        ("who should avoid it", "who should avoid", "who should not use it", "who should not take it",
         "contraindications", "cautions", "precautions"),
    ),
    SafetySection(
        "dependence_withdrawal",
        "Dependence and withdrawal",
        "Tolerance, dependence, withdrawal, stopping safely.",
        ("dependence and withdrawal", "dependence", "withdrawal", "addiction",
         "tolerance and dependence", "addiction and dependence", "stopping safely",
         "risk of dependence", "dependence and addiction"),
    ),
    SafetySection(
        "overdose_toxicity",
        "Overdose and toxicity",
        "Signs of overdose or toxicity, what to do.",
        ("overdose and toxicity", "overdose", "toxicity", "signs of overdose"),
    ),
    SafetySection(
        "legal_status",
        "Legal status",
        "Approval and legal status by jurisdiction.",
        ("legal status", "legality", "is it legal", "regulation", "regulatory status"),
    ),
    SafetySection(
        "dosing_statement",
        "Dosing",
        'An authoritative dose with its source, or "no established safe dose".',
        ("dosing", "dosage", "dose", "dosing statement", "how much to take", "dosage considerations",
         "dosing considerations"),
    ),
    SafetySection(
        "alternatives",
        "Alternatives",
        "Other options, including no treatment.",
        ("alternatives", "other options", "alternative treatments", "other treatments"),
    ),
    SafetySection(
        "when_to_seek_help",
        "When to seek help",
        "Red-flag symptoms, emergency and poison-control contacts.",
        ("when to seek help", "when to get help", "when to see a doctor", "get help",
         "getting help", "emergency", "when to seek medical help", "seek help"),
    ),
)

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
SECTIONS_BY_KEY: dict[str, SafetySection] = {s.key: s for s in SECTIONS}
SECTION_CHOICES = [(s.key, s.title) for s in SECTIONS]

def section_for_heading(heading: str) -> SafetySection | None:
    """The section a heading names, if any ("Side Effects:" -> side_effects)."""
    normalised = " ".join(heading.lower().strip().rstrip(":?.").replace("’", "'").split())
    for section in SECTIONS:
        if normalised in section.aliases:
            return section
    return None
