"""Word (.docx) files, converted to HTML for the importer with mammoth.

mammoth maps Word's paragraph styles to plain HTML (Heading 1 to <h1>, lists to <ul>/<ol>) and
drops Word's own formatting, which the sanitizer would strip anyway. Before it reads anything, the
zip's declared sizes are checked: a .docx of a few hundred kilobytes can unpack to gigabytes.

Each block element ends a line in the result, so a problem the importer finds "on line N" is on
the N-th paragraph, heading or list item of the document. Images are left out: a picture inside
the file is not one uploaded to this site, and the services would refuse the whole draft for it.
"""
import html
import io
import re
import zipfile

import mammoth

MAX_UNPACKED_BYTES = 20 * 1024 * 1024
# Word's "Title" style is how most documents mark their title; mammoth leaves it a paragraph.
STYLE_MAP = """
p.Title => h1:fresh
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
"""
_BLOCK_END_RE = re.compile(r"(</(?:p|h[1-6]|li|ul|ol|table|tr)>)")
_IMAGE_RE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HEADING_RE = re.compile(r"<h[1-6]\b", re.IGNORECASE)
_PARAGRAPH_RE = re.compile(r"<(p|h[1-6]|li)\b[^>]*>(.*?)</\1>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


class UnreadableDocument(Exception):
    """The file is not a .docx this module can read; the message says why, for the writer."""


def docx_source(data: bytes) -> tuple[str, str]:
    """("html", the document as HTML), or ("text", one paragraph a line) for a document that uses
    no heading style, so the plain-text rules can still find its title and headings.
    Raises UnreadableDocument for a file that is not a readable .docx."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise UnreadableDocument("not a Word .docx file (it is not a zip archive); save it as .docx") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableDocument(f"the document unpacks to {unpacked / 1_048_576:.0f} MB; "
                            f"the limit is {MAX_UNPACKED_BYTES // 1_048_576} MB")
    try:
        result = mammoth.convert_to_html(io.BytesIO(data), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(lambda image: {}))
    except Exception as exc:  # mammoth raises KeyError, ValueError, XML errors... for broken files
        raise UnreadableDocument(f"cannot read the Word document ({type(exc).__name__}); "
                            "open it in Word and save it again as .docx") from None
    converted = _IMAGE_RE.sub("", result.value)
    if not _HEADING_RE.search(converted):
        lines = (" ".join(html.unescape(_TAG_RE.sub("", match[2])).split())
                 for match in _PARAGRAPH_RE.finditer(converted))
        return "text", "\n".join(line for line in lines if line)
    return "html", _BLOCK_END_RE.sub(r"\1\n", converted)
