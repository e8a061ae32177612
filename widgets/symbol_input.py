"""An Input for one symbol, with completion over the instruments directory and validation.

Users type whatever form they know: a code (`9618`, `hk09618`, `0700.HK`), a ticker (`baba`), an
English or Chinese name (`ali`, `腾讯`). `candidates()` lists matching listings for a pick list,
the suggester completes inline (right arrow accepts), and `resolve_symbol()` turns the text into
the canonical id that will be saved, or says why it cannot.
"""
from __future__ import annotations

import contextlib

from rich.text import Text
from textual.suggester import Suggester
from textual.validation import ValidationResult, Validator
from textual.widgets import Input

from market.instruments import Company, SymbolError, directory

Candidate = tuple[str, Company | None]


def candidates(text: str, limit: int = 8) -> list[Candidate]:
    """Listings the text may mean, the one Enter would save first, then directory matches."""
    if not text.strip():
        return []
    found: list[Candidate] = []
    with contextlib.suppress(SymbolError):
        first = resolve_symbol(text)
        found.append((first, directory().company_of(first)))
    for symbol, company in directory().search(text, limit=limit):
        if all(symbol != s for s, _ in found):
            found.append((symbol, company))
    return found[:limit]


def resolve_symbol(text: str) -> str:
    """The canonical symbol to save for `text`; raises SymbolError with a readable reason.

    A known symbol or name wins, and so does anything with a digit in it (a code means that code,
    even if the directory does not know it); otherwise the best directory match, so `ali` means
    Alibaba rather than a US ticker ALI; otherwise any well-formed ticker.
    """
    text = text.strip()
    if not text:
        raise SymbolError("type a code, a ticker or a company name")
    try:
        exact: str | None = directory().normalise(text)
        problem = None
    except SymbolError as e:
        exact, problem = None, e
    if exact and (directory().company_of(exact) or any(ch.isdigit() for ch in text)):
        return exact
    matches = directory().search(text, limit=1)
    if matches:
        return matches[0][0]
    if exact is None:
        raise problem or SymbolError(f"{text!r} is not a symbol")
    return exact


def describe(candidate: Candidate) -> Text:
    """'9988.HK  Alibaba Group  阿里巴巴' as Text (names never parsed as markup)."""
    symbol, company = candidate
    line = Text(f"{symbol:<8}", style="bold")
    if company:
        line.append(f"  {company.name_en}")
        line.append(f"  {company.name_zh}", style="dim")
    else:
        line.append("  (not in the directory)", style="dim")
    return line


class SymbolSuggester(Suggester):
    """Inline completion: the first directory code or name that starts with the typed text."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        if not value.strip():
            return None
        for symbol, company in directory().search(value, limit=12):
            names = (symbol, symbol.removesuffix(".HK"), *((company.name_en, company.name_zh) if company else ()))
            for name in names:
                if name.casefold().startswith(value.casefold()) and len(name) > len(value):
                    return name
        return None


class SymbolValidator(Validator):
    """Valid when the text resolves to a symbol not already in `existing`."""

    def __init__(self, existing: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.existing = existing

    def validate(self, value: str) -> ValidationResult:
        try:
            symbol = resolve_symbol(value)
        except SymbolError as e:
            return self.failure(str(e))
        if symbol in self.existing:
            return self.failure(f"{symbol} is already in this watchlist")
        return self.success()


class SymbolInput(Input):
    """Input with symbol completion and validation; `existing` symbols are refused as duplicates."""

    def __init__(self, existing: tuple[str, ...] = (), **kwargs) -> None:
        super().__init__(
            placeholder="code, ticker or name: 9618, hk09618, BABA, alibaba, 腾讯",
            suggester=SymbolSuggester(),
            validators=[SymbolValidator(existing)],
            validate_on=["submitted"],
            **kwargs,
        )
