"""Turn plain-text and HTML files into draft articles.

Parsing (parse_text, parse_html) is pure, text in and ParsedArticle out, so every rule below is
testable without a database. import_file is the only write, through the `create` service it is given.

Plain-text conventions, those of the files writers bring from elsewhere:
- One line is one paragraph; blank lines are optional. A bullet is a line starting with "-", "*"
  or "•", indented or not; consecutive bullets make one list.
- A heading is a short line (at most 120 characters and 16 words) that starts with a capital or a
  digit and does not end like a sentence (".", "!", ",", ";"). One ending in ":" is a heading only
  when it names a safety section or the references: "Here are some tips:" introduces a list.
  A "label: value" line whose value holds a number ("Dosage: 250-500 mg daily") is a paragraph.
- A run of bullets whose items all reappear later as lines is a table of contents: it is dropped,
  and those lines are headings however long they are.
- Title: the first line, when it is a heading that does not name a part of an article (a safety
  section, the references, or a part every article may have: "Introduction", "Potential
  mechanisms", "Conclusion", PART_HEADINGS). Nothing else is taken as the title: a file that opens
  with prose, or with a section heading, is untitled (ParsedArticle.title_problem says why and
  where), because its first heading heads its first part, and a guessed title that is really a
  section heading reaches the desk lists looking right. On the desk the writer types the title in
  the preview; import_file (the command) refuses an untitled file, naming line 1. A name like
  "001_5f64bd.txt" makes a worse title than asking the writer for one.
- A heading that names a safety section (articles.sections aliases) sends what follows, up to the
  next heading, to that section; the heading is dropped, the page shows its fixed title.
- A "References" or "Sources" heading starts the references: every later line is one reference.
  Markers such as "[2]" stay in the text and link to "#ref-N", the public page's id for the N-th.
- Summary (plain text): the first body paragraph's opening sentences within 300 characters, markers
  removed; a longer first sentence is cut at a word and ends with an ellipsis.
HTML files: the title is the first <h1> (removed from the body), else the <title>, unless it names
a part (as above: then the <h1> stays a heading and the file is untitled). Headings that name a
safety section or the references are split out as above; markers are not linked.
Word files (.docx) are converted to HTML first (articles.docx); one without any heading style is
read as plain text, one line a paragraph, so its first line can still be its title.
"""
import html
import re
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from .content import ArticleContent
from .docx import UnreadableDocument, docx_source
from .errors import Failure
from .gate import gate_failures
from .hygiene import REFUSED_CHARACTERS
from .models import Article, ArticleType
from .linear_scan import element_matches, link_matches, strip_tags
from .sanitize import check_limits
from .sections import section_for_heading
from .services import article_new
from .validators import validate_doi, validate_pmid

MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 16
SUMMARY_CHARS = 300
MAX_REFERENCE_TITLE = 500
HTML_SUFFIXES = (".html", ".htm")
REFERENCE_HEADINGS = frozenset({"references", "sources", "bibliography", "citations", "works cited",
                                "reference list", "sources and references"})
# Parts of an article, never its title (compared normalised, after any PART_QUALIFIERS word).
PART_HEADINGS = frozenset({
    "introduction", "overview", "background", "summary", "in summary", "conclusion", "conclusions",
    "in conclusion", "final thoughts", "bottom line", "key takeaways", "takeaways", "mechanism",
    "mechanisms", "mechanisms of action", "mechanism of action", "how it works", "benefits",
    "health benefits", "uses", "faq", "faqs", "frequently asked questions", "table of contents",
    "contents", "disclaimer", "about the author", "related articles", "further reading",
})
PART_QUALIFIERS = ("potential", "possible", "the", "key", "main", "common", "other")
TEXT_SUFFIXES = (".txt", ".text")
DOCX_SUFFIXES = (".docx",)
IMPORT_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES

BULLET_RE = re.compile(r"^\s*[-*•◦▪]\s+(?P<text>\S.*)$")
MARKDOWN_HEADING_RE = re.compile(r"^#{1,6}\s+")
SENTENCE_ENDINGS = (".", "!", ",", ";", "…")  # "…" too: a cut-off sentence
# "[3]" or "[1, 4]" in running text.
MARKER_RE = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")
# "[3]", "3." or "3)" at the start of a reference line.
REFERENCE_NUMBER_RE = re.compile(r"^(?:\[(\d{1,3})\]|(\d{1,3})[.)])\s*")
URL_RE = re.compile(r"https?://\S+", re.IGNORECASE)
DOI_URL_RE = re.compile(r"^https?://(?:dx\.)?doi\.org/(.+)$", re.IGNORECASE)
PUBMED_URL_RE = re.compile(
    r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\w+)", re.IGNORECASE)
# After URLs are taken out: "doi: ..." in any form, or a bare "10.something/..." token.
DOI_TEXT_RE = re.compile(r"\bdoi\b:?\s*(\S+)|(?<![\w.])(10\.[^\s/]*/\S*)", re.IGNORECASE)
PMID_TEXT_RE = re.compile(r"\bPMID\b:?\s*(\S+)", re.IGNORECASE)
IDENTIFIER_LABEL_RE = re.compile(r"\b(?:available (?:at|from)|retrieved from|url|doi|pmid)\s*:?\s*$",
                                 re.IGNORECASE)

H1_RE = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
TITLE_RE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
HTML_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
HTML_ITEM_RE = re.compile(r"<(li|p)\b[^>]*>(.*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
HTML_LINK_RE = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a\s*>""",
                          re.IGNORECASE | re.DOTALL)
PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(.*?)</p\s*>", re.IGNORECASE | re.DOTALL)
TAG_RE = re.compile(r"<[^>]+>")
# Where each pattern above can start, with the element's name as the first group: the patterns
# are matched through linear_scan.element_matches and link_matches, whose time is linear in the file
# (tried from every "<h1" of a file without "</h1>", the patterns alone read it to the end each time).
H1_OPEN_RE = re.compile(r"<(h1)\b", re.IGNORECASE)
TITLE_OPEN_RE = re.compile(r"<(title)\b", re.IGNORECASE)
HEADING_OPEN_RE = re.compile(r"<(h[1-6])\b", re.IGNORECASE)
ITEM_OPEN_RE = re.compile(r"<(li|p)\b", re.IGNORECASE)
PARAGRAPH_OPEN_RE = re.compile(r"<(p)\b", re.IGNORECASE)

_url_validator = URLValidator(schemes=["http", "https"])


class ImportProblem(Exception):
    """Why one file was not imported, with its 1-based line number where one applies."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def located(self, path) -> str:
        return f"{path}:{self.line}: {self.message}" if self.line else f"{path}: {self.message}"


@dataclass
class ParsedArticle:
    title: str
    summary: str
    body: str
    sections: dict[str, str] = field(default_factory=dict)
    references: list[dict] = field(default_factory=list)
    # Why the file has no title ("" when it has one: "the file opens with a paragraph"), and the
    # line that was not one.
    title_problem: str = ""
    title_line: int | None = None

    def content(self, article_type_key: str, title: str | None = None) -> ArticleContent:
        return ArticleContent(article_type_key=article_type_key, title=self.title if title is None else title,
                              summary=self.summary, body=self.body, sections=self.sections,
                              references=self.references)

    def require_title(self) -> None:
        """Refuse an untitled file, naming where its title should have been."""
        if not self.title:
            raise ImportProblem(f"no title: {self.title_problem or 'none found'}; put the title on the first "
                                "line, or import the file on the editorial desk and type it there", self.title_line)


@dataclass
class Block:
    kind: str  # "heading", "bullet" or "paragraph"
    text: str
    line: int


# --- Plain text ---

def _normalised(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").rstrip(":").split())


def is_references_heading(text: str) -> bool:
    return _normalised(text).rstrip("?.") in REFERENCE_HEADINGS


def names_a_part(heading: str) -> bool:
    """The heading names a part of an article (a safety section, the references, an introduction
    or a conclusion...), so it is never the article's title."""
    if section_for_heading(heading) is not None or is_references_heading(heading):
        return True
    words = _normalised(heading).rstrip("?.!").split()
    while len(words) > 1 and words[0] in PART_QUALIFIERS:
        words = words[1:]
    return " ".join(words) in PART_HEADINGS


def _untitled(why: str, line: int | None) -> tuple[str, int | None]:
    return why, line


def looks_like_heading(line: str) -> bool:
    if len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return False
    first = next((char for char in line if char.isalnum()), "")
    # Not isupper(): scripts without capitals (Chinese, Arabic) may have headings too.
    if not first or first.islower():
        return False
    if line.endswith(":"):
        return section_for_heading(line) is not None or is_references_heading(line)
    label, colon, value = line.partition(":")
    if colon and any(char.isdigit() for char in value):
        return False  # "Dosage: 250-500 mg daily" is a line of data, not a heading
    return not line.endswith(SENTENCE_ENDINGS)


def split_blocks(text: str) -> list[Block]:
    blocks = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        bullet = BULLET_RE.match(raw)
        if bullet:
            blocks.append(Block("bullet", bullet["text"].strip(), number))
        elif MARKDOWN_HEADING_RE.match(line):
            blocks.append(Block("heading", MARKDOWN_HEADING_RE.sub("", line), number))
        else:
            blocks.append(Block("heading" if looks_like_heading(line) else "paragraph", line, number))
    return blocks


def drop_table_of_contents(blocks: list[Block]) -> list[Block]:
    """Blocks without the first run of bullets whose items all reappear later as lines of their own.

    Those later lines are the headings the list pointed to, so they become headings even when
    they are too long to look like one.
    """
    start = 0
    while start < len(blocks):
        if blocks[start].kind != "bullet":
            start += 1
            continue
        end = start
        while end < len(blocks) and blocks[end].kind == "bullet":
            end += 1
        items = {_normalised(block.text) for block in blocks[start:end]}
        later = [block for block in blocks[end:]
                 if block.kind != "bullet" and _normalised(block.text) in items]
        if end - start >= 2 and items == {_normalised(block.text) for block in later}:
            for block in later:
                block.kind = "heading"
            return blocks[:start] + blocks[end:]
        start = end
    return blocks


def take_title(blocks: list[Block]) -> tuple[str, tuple[str, int | None], list[Block]]:
    """The title ("" for none), why there is none, and the blocks left for the article (see the
    module docstring)."""
    first = blocks[0]
    if first.kind == "heading" and not names_a_part(first.text):
        return first.text.rstrip(":"), ("", None), blocks[1:]
    if first.kind == "heading":
        return "", _untitled(f'the first line, "{first.text}", is a section heading', first.line), blocks
    return "", _untitled("the file opens with a paragraph", first.line), blocks


def parse_text(text: str) -> ParsedArticle:
    blocks = drop_table_of_contents(split_blocks(text))
    if not blocks:
        raise ImportProblem("the file is empty")
    title, (title_problem, title_line), blocks = take_title(blocks)
    parts: dict[str, list[Block]] = {"body": []}
    reference_blocks: list[Block] = []
    target = "body"
    for index, block in enumerate(blocks):
        if block.kind == "heading" and is_references_heading(block.text):
            # Reference lines are often short and unpunctuated, so nothing after is a heading.
            reference_blocks = blocks[index + 1:]
            break
        if block.kind == "heading":
            section = section_for_heading(block.text)
            target = section.key if section else "body"
            if section:
                continue
        parts.setdefault(target, []).append(block)
    references, markers = parse_references([(block.text, block.line) for block in reference_blocks])
    rendered = {key: render_blocks(part, markers) for key, part in parts.items()}
    first_paragraph = next((block.text for block in parts["body"] if block.kind == "paragraph"), "")
    return ParsedArticle(title=title, summary=summary_from(first_paragraph), body=rendered.pop("body"),
                         sections=rendered, references=references, title_problem=title_problem,
                         title_line=title_line)


def render_blocks(blocks: list[Block], markers: dict[int, int]) -> str:
    out = []
    for is_list, group in groupby(blocks, key=lambda block: block.kind == "bullet"):
        if is_list:
            items = "".join(f"\n<li>{inline_html(block.text, markers)}</li>" for block in group)
            out.append(f"<ul>{items}\n</ul>")
        else:
            out.extend(f"<h2>{inline_html(block.text.rstrip(':'), markers)}</h2>" if block.kind == "heading"
                       else f"<p>{inline_html(block.text, markers)}</p>" for block in group)
    return "\n".join(out)


def inline_html(text: str, markers: dict[int, int]) -> str:
    """Escaped text whose citation markers link to the references they name."""
    def link(match: re.Match) -> str:
        numbers = [int(number) for number in re.findall(r"\d+", match[0])]
        if not all(number in markers for number in numbers):
            return match[0]
        if len(numbers) == 1:
            return f'<a href="#ref-{markers[numbers[0]]}">{match[0]}</a>'
        return "[" + ", ".join(f'<a href="#ref-{markers[n]}">{n}</a>' for n in numbers) + "]"

    return MARKER_RE.sub(link, html.escape(text, quote=False))


def summary_from(paragraph: str) -> str:
    text = " ".join(re.sub(r"\s*" + MARKER_RE.pattern, "", paragraph).split())
    summary = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        candidate = f"{summary} {sentence}".strip()
        if len(candidate) > SUMMARY_CHARS:
            break
        summary = candidate
    if not summary and text:
        summary = text[:SUMMARY_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary


# --- References ---

def _strip_trailing_punctuation(token: str) -> str:
    token = token.rstrip(".,;:")
    # A closing bracket belongs to the identifier only when the identifier opened it: "(doi:10.1/x)".
    for opening, closing in ("()", "[]"):
        while token.endswith(closing) and token.count(closing) > token.count(opening):
            token = token[:-1].rstrip(".,;:")
    return token


def _pick(pattern: re.Pattern, text: str) -> tuple[list[str], str]:
    """The identifiers the pattern finds, and the text without them (punctuation after them stays)."""
    found = []

    def take(match: re.Match) -> str:
        token = next((group for group in match.groups() if group), match[0])
        found.append(_strip_trailing_punctuation(token))
        return " " + token[len(found[-1]):]

    return found, pattern.sub(take, text)


def parse_reference(text: str, line: int) -> tuple[int | None, dict]:
    """(the line's own number, if any; the reference) from one line of a references list.

    The DOI, PMID and first other URL are picked out; the title is what is left once they, their
    labels ("doi:", "PMID:", "Available at:") and the leading number are removed. A line that is
    nothing but an identifier takes the identifier as its title.
    """
    number_match = REFERENCE_NUMBER_RE.match(text)
    number = int(number_match[1] or number_match[2]) if number_match else None
    rest = text[number_match.end():] if number_match else text
    # URLs go first, so a "10.x/y" inside one is not mistaken for a DOI written in the text.
    addresses, rest = _pick(URL_RE, rest)
    dois = [found[1] for address in addresses if (found := DOI_URL_RE.match(address))]
    pmids = [found[1] for address in addresses if (found := PUBMED_URL_RE.match(address))]
    urls = [address for address in addresses
            if not DOI_URL_RE.match(address) and not PUBMED_URL_RE.match(address)]
    more_dois, rest = _pick(DOI_TEXT_RE, rest)
    more_pmids, rest = _pick(PMID_TEXT_RE, rest)
    doi, pmid, url = (next((value for value in values if value), "")
                      for values in (dois + more_dois, pmids + more_pmids, urls))

    # Checked here, not only by the services, so the error can name the line.
    for validate, value, problem in ((validate_doi, doi, "a malformed DOI"),
                                     (validate_pmid, pmid, "a malformed PMID (1 to 8 digits)"),
                                     (_url_validator, url, "a malformed URL")):
        try:
            if value:
                validate(value)
        except ValidationError:
            raise ImportProblem(f'reference has {problem} "{value}"', line) from None

    title = re.sub(r"\(\s*\)|\[\s*\]", "", " ".join(rest.split()))
    title = re.sub(r"\s+([.,;:])", r"\1", title)
    title = re.sub(r"([.,;:])(?:\s*[.,;:])+", r"\1", title)
    title = IDENTIFIER_LABEL_RE.sub("", title).strip(" .,;:-")
    title = title or url or (f"doi:{doi}" if doi else f"PMID {pmid}" if pmid else "")
    if len(title) > MAX_REFERENCE_TITLE:
        raise ImportProblem(f"reference is longer than {MAX_REFERENCE_TITLE} characters; "
                            "is it a paragraph under the references heading?", line)
    return number, {"title": title, "doi": doi, "pmid": pmid, "url": url}


def parse_references(lines: list[tuple[str, int]]) -> tuple[list[dict], dict[int, int]]:
    """The references, and which reference position each citation marker number points to."""
    references, numbered = [], {}
    for text, line in lines:
        number, reference = parse_reference(text, line)
        references.append(reference)
        if number is not None:
            numbered.setdefault(number, len(references))
    # An unnumbered list is cited in order: [1] is its first line.
    markers = numbered or {position: position for position in range(1, len(references) + 1)}
    return references, markers


# --- HTML ---

def html_text(fragment: str) -> str:
    return " ".join(html.unescape(strip_tags(fragment, TAG_RE)).split())


def _first(pattern: re.Pattern, opening: re.Pattern, source: str) -> re.Match | None:
    return next(element_matches(pattern, opening, source), None)


def _links_as_text(fragment: str) -> str:
    """HTML_LINK_RE.sub(r"\2 \1", fragment): each link as its text, then its address."""
    pieces, at = [], 0
    for start, end, href, inner in link_matches(fragment, nonempty=True):
        pieces += (fragment[at:start], inner, " ", href)
        at = end
    return "".join(pieces) + fragment[at:]


def parse_html(source: str) -> ParsedArticle:
    if not source.strip():
        raise ImportProblem("the file is empty")
    try:
        # The same limits the sanitizer applies, on the whole file: split into sections, a file
        # over the limit could otherwise slip through piece by piece.
        check_limits(source)
    except ValidationError as exc:
        raise ImportProblem(" ".join(exc.messages)) from None
    title, title_problem, title_line = "", "", None
    h1 = _first(H1_RE, H1_OPEN_RE, source)
    if h1 and html_text(h1[1]) and not names_a_part(html_text(h1[1])):
        title = html_text(h1[1])
        # Newlines stand in for the removed heading so later line numbers still match the file.
        source = source[:h1.start()] + "\n" * h1[0].count("\n") + source[h1.end():]
    elif (found := _first(TITLE_RE, TITLE_OPEN_RE, source)) and not names_a_part(html_text(found[1])):
        title = html_text(found[1])
    if not title and h1 and html_text(h1[1]):
        title_problem, title_line = _untitled(f'the first <h1>, "{html_text(h1[1])}", is a section heading',
                                              source.count("\n", 0, h1.start()) + 1)
    elif not title:
        title_problem, title_line = _untitled("the file has no <h1> or <title>", None)
    headings = list(element_matches(HTML_HEADING_RE, HEADING_OPEN_RE, source))
    body = [source[:headings[0].start()] if headings else source]
    sections: dict[str, list[str]] = {}
    reference_lines: list[tuple[str, int]] = []
    target, target_level = "body", 0
    counted_to, line = 0, 1  # line numbers counted on from the last reference's, not from the top
    for heading, following in zip(headings, headings[1:] + [None]):
        start, level = heading.end(), int(heading[1])
        chunk = source[start:following.start() if following else len(source)]
        if target != "body" and level > target_level:
            # A sub-heading inside a safety section or the references belongs to it.
            part = heading[0] + chunk
        else:
            name = html_text(heading[2])
            section = section_for_heading(name)
            target = section.key if section else "references" if is_references_heading(name) else "body"
            target_level = level
            part = chunk if target != "body" else heading[0] + chunk
        if target == "references":
            for item in element_matches(HTML_ITEM_RE, ITEM_OPEN_RE, part):
                text = html_text(_links_as_text(item[2]))
                if text:
                    offset = start - (len(part) - len(chunk)) + item.start()
                    line += source.count("\n", counted_to, offset)
                    counted_to = offset
                    reference_lines.append((text, line))
        elif target == "body":
            body.append(part)
        else:
            sections.setdefault(target, []).append(part)
    references, _ = parse_references(reference_lines)
    # The sanitizer does not allow <h1>; the first is the title, later ones are demoted.
    body_html = re.sub(r"<(/?)h1\b", r"<\1h2", "".join(body), flags=re.IGNORECASE)
    first_paragraph = _first(PARAGRAPH_RE, PARAGRAPH_OPEN_RE, body_html)
    summary = summary_from(html_text(first_paragraph[1])) if first_paragraph else ""
    return ParsedArticle(title=title, summary=summary, body=body_html,
                         sections={key: "".join(parts) for key, parts in sections.items()}, references=references,
                         title_problem=title_problem, title_line=title_line)


# --- Files and the database ---

def read_source(path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ImportProblem(f"cannot read the file ({exc.strerror or exc})") from None
    return decode_source(data)


def decode_source(data: bytes) -> str:
    """The text of a .txt or .html file's bytes: UTF-8, without NUL or control characters."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ImportProblem(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
                            line) from None
    if "\x00" in text:
        # PostgreSQL refuses NUL in text, and no article contains one: this is a binary file.
        raise ImportProblem("the file contains NUL bytes; is it a binary file?",
                            text[:text.index("\x00")].count("\n") + 1)
    # Refused, not cleaned: the writer should see what was in their file. A carriage return ends
    # a line (CRLF, or CR alone in old Mac files), as splitlines() reads it.
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    found = REFUSED_CHARACTERS.search(lines)
    if found:
        raise ImportProblem(f"contains a control character (U+{ord(found[0]):04X}); remove it and import again",
                            lines.count("\n", 0, found.start()) + 1)
    return text


def source_of(name: str, data: bytes) -> tuple[str, str]:
    """(format, text) of an uploaded file's bytes: "html" or "text", by its name's ending. A Word
    file is converted here, once, so what is kept and parsed again later is text, never the zip."""
    lowered = name.lower()
    if lowered.endswith(DOCX_SUFFIXES):
        return _docx(data)
    if not lowered.endswith(TEXT_SUFFIXES + HTML_SUFFIXES):
        raise ImportProblem(f"not a file the importer reads; use {', '.join(IMPORT_SUFFIXES)}")
    return ("html" if lowered.endswith(HTML_SUFFIXES) else "text"), decode_source(data)


def _docx(data: bytes) -> tuple[str, str]:
    try:
        source_format, text = docx_source(data)
    except UnreadableDocument as exc:
        raise ImportProblem(str(exc)) from None
    # The same refusals (NUL, control characters, with their line) as a .txt file's.
    return source_format, decode_source(text.encode("utf-8"))


def parse_source(source_format: str, text: str) -> ParsedArticle:
    return parse_html(text) if source_format == "html" else parse_text(text)


def parse_file(path) -> ParsedArticle:
    if str(path).lower().endswith(DOCX_SUFFIXES):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ImportProblem(f"cannot read the file ({exc.strerror or exc})") from None
        return parse_source(*_docx(data))
    text = read_source(path)
    if str(path).lower().endswith(HTML_SUFFIXES):
        return parse_html(text)
    return parse_text(text)


def import_parsed(parsed: ParsedArticle, *, name: str, author, article_type: ArticleType,
                  title: str | None = None, create=article_new) -> Article:
    """Create one draft from a parsed file, titled `title` when given (the desk's preview lets the
    writer type one), else by the file. One transaction: a refusal leaves nothing behind, and is
    an ImportProblem naming the fields. NotAllowed from `create` passes through."""
    content = parsed.content(article_type.key, title=title)
    if title is None:
        parsed.require_title()
    try:
        with transaction.atomic():
            return create(by=author, content=content, comment=f"Imported from {name}")
    except ValidationError as exc:
        messages = ([f"{field_name}: {' '.join(texts)}" for field_name, texts in exc.message_dict.items()]
                    if hasattr(exc, "error_dict") else exc.messages)
        raise ImportProblem("; ".join(messages)) from None


def import_file(path, *, author, article_type: ArticleType, create=article_new) -> tuple[Article, list[Failure]]:
    """Create one draft from one file, and what the gate still asks of it before submission.

    The file is parsed completely before anything is written, and the write is one transaction,
    so a bad file leaves nothing behind. `create` writes the draft: the import_articles command
    passes the lifecycle's article_create, which asks whether the author may; its NotAllowed
    passes through, being about the author, not the file.
    """
    article = import_parsed(parse_file(path), name=Path(path).name, author=author,
                            article_type=article_type, create=create)
    return article, gate_failures(ArticleContent.of(article), article.article_type)
