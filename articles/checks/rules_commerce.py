"""Rules about selling and page leftovers: named products recommended, calls to buy, shop links,
"recent posts" lists and other furniture copied from a web page.

Patterns run on folded text (lower case, plain quotes and dashes; see text.fold), except where a
capital letter is the point (a named strain such as "Red Bali").
"""
import re
from collections.abc import Iterator

from .engine import Hit, Phrase, Rule, Severity, contains_any, excerpt_of, is_negated, phrase_rule
from .text import Block, Document

# --- PRODUCT_RECOMMENDATION ---

NAMED_PRODUCT_RE = re.compile(
    r"\b(?:red|green|white|yellow|gold|golden)(?:[- ]vein(?:ed)?)?\s+(?:\w+\s+)?(?:strains?|kratom)\b"
    r"|\bstrains?\b(?!\s+on\b)|[™®]|\bbrands?\b")
# In the original text: a colour or grade followed by a capitalised name ("Red Bali", "Premium Maeng").
NAMED_PRODUCT_CASED_RE = re.compile(
    r"\b(?:Red|Green|White|Yellow|Gold|Golden|Super|Premium|Ultra)\s+(?:Vein\s+)?[A-Z][a-z]+")
RECOMMENDATION_RE = re.compile(
    r"\b(?:recommend(?:ed|s)?|opt\s+for|choose|choosing|pick|go\s+(?:for|with)|try|look\s+for|"
    r"best(?!\s+practices?)|top|ideal|perfect|"
    r"great|excellent|favou?rite|go-to|known\s+for|popular\s+(?:choice|for)|especially\s+(?:good|helpful|effective)|"
    r"well[- ]suited|suited|preferred|stick\s+(?:to|with))\b")
# The recommendation has to be about the product: near it, not elsewhere in a long sentence.
RECOMMENDATION_REACH = 60
NOT_RECOMMENDED_RE = re.compile(
    r"\b(?:no|not|never|avoid|none|neither|don't|cannot)\s+(?:\w+\s+){0,3}?"
    r"(?:strains?|brands?|products?|recommend\w*)\b")


PRODUCT_NEEDLES = ("strain", "brand", "™", "®", "kratom")
PRODUCT_CASED_NEEDLES = ("Red ", "Green ", "White ", "Yellow ", "Gold", "Super ", "Premium ", "Ultra ")


def _may_name_a_product(folded: str, text: str) -> bool:
    return contains_any(folded, PRODUCT_NEEDLES) or contains_any(text, PRODUCT_CASED_NEEDLES)


def find_product_recommendations(document: Document) -> Iterator[Hit]:
    for sentence in document.sentences(headings=True):
        if sentence.cited or not _may_name_a_product(sentence.block.folded, sentence.block.text):
            continue
        if not _may_name_a_product(sentence.folded, sentence.text):
            continue
        folded = sentence.folded
        named = [*NAMED_PRODUCT_RE.finditer(folded), *NAMED_PRODUCT_CASED_RE.finditer(sentence.text)]
        if not named or NOT_RECOMMENDED_RE.search(folded):
            continue
        cues = [cue for cue in RECOMMENDATION_RE.finditer(folded) if not is_negated(folded, cue.start())]
        near = next((product for product in named for cue in cues
                     if abs(cue.start() - product.start()) <= RECOMMENDATION_REACH), None)
        if near is not None:
            yield Hit(sentence.field, excerpt_of(sentence.text, near.start()), at=sentence.block.index)


# --- COMMERCIAL_CTA ---

BUY_FROM_REGULATED = (r"\bonly\s+from\b|\bfrom\s+(?:a\s+)?(?:registered|licensed|regulated)\b|\bpharmac"
                      r"|\b(?:fake|counterfeit|unregulated|illegal)\b")
COMMERCIAL_PHRASES = (
    # At the start of a sentence or heading: "Shop ...", "Buy ..." ("Order" starts too many other sentences).
    Phrase(r"^\W*(?:shop|buy|purchase)\b(?!-)", needles=("shop", "buy", "purchase"), cited_ok=False,
           unless=BUY_FROM_REGULATED),
    Phrase(r"\b(?:shop|buy|order|purchase)\s+(?:now|today|here|yours|direct|our|the\s+best|premium|high[- ]quality|"
           r"lab[- ]tested|quality|top[- ]quality)\b", needles=("shop", "buy", "order", "purchase"), cited_ok=False,
           unless=BUY_FROM_REGULATED),
    Phrase(r"\b(?:add\s+to\s+(?:cart|basket|bag)|checkout|free\s+(?:shipping|delivery)|discount\s+code|promo\s+code|"
           r"coupons?|use\s+code|money[- ]back\s+guarantee|limited[- ]time\s+offer|in\s+stock|while\s+stocks\s+last|"
           r"subscribe\s+and\s+save|best\s+price|lowest\s+price|sale\s+ends|\d+\s*%\s+off)\b",
           needles=("cart", "basket", "bag", "checkout", "free", "code", "coupon", "guarantee", "offer", "stock",
                    "save", "price", "sale", "off"), cited_ok=False),
    Phrase(r"\b(?:visit|check\s+out|browse|explore)\s+our\s+(?:shop|store|range|products|collection|website|"
           r"online\s+store)\b", needles=("our",), cited_ok=False),
    Phrase(r"\b(?:purchas\w*|buy\w*|procur\w*)\s+(?:[\w,-]+\s+){0,4}?from\s+(?:a\s+|our\s+|the\s+)?(?:reputable|"
           r"trusted|reliable|quality|our|top|best)\b", needles=("purchas", "buy", "procur"), cited_ok=False,
           unless=BUY_FROM_REGULATED),
)
_commercial_text = phrase_rule(COMMERCIAL_PHRASES, headings=True)
COMMERCIAL_LINK_TEXT_RE = re.compile(r"\b(?:shop|buy|order|store|cart|basket|deals?|discount|coupons?|prices?|sale)\b")
COMMERCIAL_HREF_RE = re.compile(r"/(?:shop|store|products?|cart|checkout|buy)(?:[/?#.]|$)"
                                r"|[?&](?:ref|aff|affiliate|utm_[a-z]+|tag)=|\b(?:amazon|ebay|etsy)\.", re.IGNORECASE)


def find_commercial_text(document: Document) -> Iterator[Hit]:
    yield from _commercial_text(document)
    for link in document.links:
        if COMMERCIAL_LINK_TEXT_RE.search(link.text.lower()) or COMMERCIAL_HREF_RE.search(link.href):
            yield Hit(link.field, excerpt_of(f"{link.text} ({link.href})"), at=_block_at(document, link.field))


def _block_at(document: Document, field_name: str) -> int:
    return next((block.index for block in document.blocks if block.field == field_name), 0)


# --- OFF_TOPIC_BOILERPLATE ---

BOILERPLATE_HEADING_RE = re.compile(
    r"^\W*(?:recent|related|popular|latest|more|similar|trending|featured)\s+(?:posts|articles|stories|reads|news|"
    r"content)\W*$")
BOILERPLATE_RE = re.compile(
    r"\b(?:you\s+(?:may|might)\s+also\s+like|related\s+(?:posts|articles|reading)|recent\s+posts|"
    r"share\s+(?:this|on)\s+(?:post|article|page|facebook|twitter|x|pinterest)|leave\s+a\s+(?:comment|reply)|"
    r"posted\s+(?:in|on|by)|filed\s+under|previous\s+(?:post|article)|next\s+(?:post|article)|"
    r"(?:subscribe|sign\s+up)\s+(?:to|for)\s+our\s+newsletter|all\s+rights\s+reserved|click\s+here|follow\s+us\s+on|"
    r"affiliate\s+links?|sponsored\s+(?:post|content))\b"
    r"|(?:©|\(c\))\s*\d{4}|\bread\s+more\W*$|^\W*tags?\s*:")
BOILERPLATE_NEEDLES = ("also like", "related", "recent posts", "share", "leave a", "posted", "filed under", "previous",
                      "next", "newsletter", "rights reserved", "click here", "follow us", "affiliate", "sponsored",
                      "©", "(c)", "read more", "tag")
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# A link title followed by a publication date: "Some other post - May 10, 2025".
DATED_LINK_RE = re.compile(
    rf"\s[-|]\s*(?:{MONTH}\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{MONTH}\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}/\d{{1,2}}/\d{{2,4}})\s*$")
MAX_DATED_LINK_WORDS = 20


def _is_dated_link(block: Block) -> bool:
    # The date ends the line, so only the line's end is searched.
    return (len(block.text.split()) <= MAX_DATED_LINK_WORDS
            and DATED_LINK_RE.search(block.folded[-40:]) is not None)


def find_boilerplate(document: Document) -> Iterator[Hit]:
    run: list[Block] = []

    def flush() -> Iterator[Hit]:
        if run:
            yield Hit(run[0].field, excerpt_of(" / ".join(block.text for block in run)), at=run[0].index)
            run.clear()

    for block in document.blocks:
        if _is_dated_link(block):
            if run and run[-1].field != block.field:
                yield from flush()
            run.append(block)
            continue
        yield from flush()
        if BOILERPLATE_HEADING_RE.search(block.folded):
            yield Hit(block.field, excerpt_of(block.text), at=block.index)
            continue
        if not contains_any(block.folded, BOILERPLATE_NEEDLES):
            continue
        for sentence in block.sentences:
            match = BOILERPLATE_RE.search(sentence.folded)
            if match:
                yield Hit(block.field, excerpt_of(sentence.text, match.start()), at=block.index)
    yield from flush()


RULES = (
    Rule("PRODUCT_RECOMMENDATION", Severity.ERROR,
         "This recommends a named strain, brand or product. A health article describes the substance and its "
         "evidence, not which product to choose.",
         find_product_recommendations),
    Rule("COMMERCIAL_CTA", Severity.ERROR,
         "Shop, buy or order text, or a link to a shop, has no place in a health article. Take it out.",
         find_commercial_text),
    Rule("OFF_TOPIC_BOILERPLATE", Severity.ERROR,
         'This looks like leftover web page furniture (a "recent posts" list, dated links to other pages, share '
         "or comment prompts). Take it out.",
         find_boilerplate),
)
