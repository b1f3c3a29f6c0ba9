"""Profiles: what a publisher (settings.CHECKS_PROFILE) and an article type change in the rules.

    CHECKS_PROFILE = {
        "rules": {"PROMISE_HEDGE": {"enabled": False}, "VAGUE_RISK": {"severity": "error"}},
        "brands": ["Phenergan"],              # names a publisher may give (a licensed product)
        "keyword_density": {"2": 0.02, "3": 0.01},
        "plain_language": {"reading_age": [9, 11], "warn_above": 14, "long_sentence_words": 25},
        "types": {                            # per article type key, on top of the publisher's
            "medicine": {"licensed_indication": True, "brands": [...], "rules": {...}},
        },
    }

Every key is optional; an unknown rule code or severity stops start-up (checks/apps.py), so a typo
never silently turns a rule off.
"""
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from .engine import Severity
from .readability import DEFAULT_PLAIN_LANGUAGE
PROFILE_KEYS = {"rules", "brands", "keyword_density", "plain_language", "types", "licensed_indication"}


@dataclass(frozen=True)
class Profile:
    rules: dict = field(default_factory=dict)        # code -> {"enabled": bool, "severity": str}
    brands: tuple[str, ...] = ()                     # folded names a writer may give
    keyword_density: dict = field(default_factory=dict)
    plain_language: dict = field(default_factory=lambda: dict(DEFAULT_PLAIN_LANGUAGE))
    licensed_indication: bool = False                # a medicine's licensed uses are not disease claims

    def enabled(self, code: str) -> bool:
        return self.rules.get(code, {}).get("enabled", True)

    def severity(self, code: str, default: str) -> str:
        return self.rules.get(code, {}).get("severity", default)


def _merge(base: dict, extra: dict) -> dict:
    merged = {**base}
    for key, value in extra.items():
        if key == "rules":
            rules = {code: dict(options) for code, options in merged.get("rules", {}).items()}
            for code, options in value.items():
                rules[code] = {**rules.get(code, {}), **options}
            merged["rules"] = rules
        elif key == "brands":
            merged["brands"] = [*merged.get("brands", []), *value]
        elif isinstance(value, dict):
            merged[key] = {**merged.get(key, {}), **value}
        else:
            merged[key] = value
    return merged


def validate(raw: dict, known_codes) -> list[str]:
    """Problems with a CHECKS_PROFILE, as sentences; empty when it is sound."""
    problems = []

    def check(part: dict, where: str):
        for key in set(part) - PROFILE_KEYS:
            problems.append(f"{where}: unknown key {key!r}")
        for code, options in part.get("rules", {}).items():
            if code not in known_codes:
                problems.append(f"{where}: no rule {code!r}")
            for option, value in options.items():
                if option == "severity" and value not in {s.value for s in Severity}:
                    problems.append(f"{where}: {code} severity {value!r} is not error or warning")
                elif option not in {"enabled", "severity"}:
                    problems.append(f"{where}: {code} has unknown option {option!r}")

    check(raw, "CHECKS_PROFILE")
    for type_key, part in raw.get("types", {}).items():
        check(part, f"CHECKS_PROFILE types.{type_key}")
    return problems


@lru_cache(maxsize=64)
def _profile(type_key: str | None, raw_key: str) -> Profile:
    raw = getattr(settings, "CHECKS_PROFILE", {}) or {}
    merged = {key: value for key, value in raw.items() if key != "types"}
    if type_key:
        merged = _merge(merged, raw.get("types", {}).get(type_key, {}))
    return Profile(
        rules=merged.get("rules", {}),
        brands=tuple(" ".join(brand.lower().split()) for brand in merged.get("brands", [])),
        keyword_density={int(size): float(limit) for size, limit in merged.get("keyword_density", {}).items()},
        plain_language={**DEFAULT_PLAIN_LANGUAGE, **merged.get("plain_language", {})},
        licensed_indication=bool(merged.get("licensed_indication", False)),
    )


def profile_for(article_type) -> Profile:
    """The profile for an article type (an ArticleType, its key, or None)."""
    key = getattr(article_type, "key", article_type)
    # Keyed on the setting's value too, so a changed setting (override_settings) is honoured.
    return _profile(key, repr(getattr(settings, "CHECKS_PROFILE", None)))
