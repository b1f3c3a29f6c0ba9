"""Form checks for reference identifiers, shared by the services and the forms."""
import re

from django.core.exceptions import ValidationError

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^\d{1,8}$")


def validate_doi(value: str) -> None:
    if value and not DOI_RE.match(value):
        raise ValidationError(f'"{value}" is not a DOI (it should look like 10.1000/xyz123).', code="doi")


def validate_pmid(value: str) -> None:
    if value and not PMID_RE.match(value):
        raise ValidationError(f'"{value}" is not a PubMed ID (1 to 8 digits).', code="pmid")
