"""Shared fetch loop of the batched text sources (Tencent, Sina): split codes into batches, GET them
concurrently, parse each body, and keep what the healthy batches returned.

A failed batch does not sink the others: its symbols are simply missing from the result, so the quote
service moves them to the next source. Only when every batch fails does the source raise.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence

import httpx

from market.models import FxRate, Quote
from market.providers.base import QuoteSource, SourceError, SourceGarbage, SourceResult
from market.providers.http import decode_gb, get_bytes

Absorb = Callable[[str, dict[str, str], dict[str, str], SourceResult], None]
LineParser = Callable[[str, list[str]], Quote | None]


def split_assignments(body: str, prefix: str, separator: str) -> tuple[dict[str, list[str] | None], bool]:
    """`{name: fields}` for every `<prefix><name>="f0<sep>f1...";` in a body (None for an empty value,
    the answer for an unknown code), and whether the body ended cleanly: a truncated last line is
    dropped, and a code missing from a cut-short body proves nothing."""
    pieces = body.split('";')
    complete = not pieces[-1].strip()
    lines: dict[str, list[str] | None] = {}
    for piece in pieces[:-1]:
        piece = piece.strip()
        if not piece.startswith(prefix):
            continue
        name, sep, value = piece.partition('="')
        if sep:
            lines[name[len(prefix):].strip()] = value.split(separator) if value.strip() else None
    return lines, complete


def absorb_lines(
    source: str, lines: dict[str, list[str] | None], complete: bool, wanted: dict[str, str],
    wanted_fx: dict[str, str], out: SourceResult, *, hk_prefix: str, parse_hk: LineParser,
    parse_us: LineParser, parse_fx: Callable[[str, list[str]], FxRate | None],
) -> None:
    """Sort one body's parsed lines into `out`, the same way for every batched text source.

    A code with no line is unknown only when the body was complete (a cut-short body says nothing
    about the codes it lost); a line without a price block counts as bad, and a batch of nothing
    but bad lines is garbage.
    """
    good = bad = 0
    for code, symbol in wanted.items():
        fields = lines.get(code)
        if fields is None:
            if code in lines or complete:
                out.unknown.add(symbol)
            continue
        quote = parse_hk(symbol, fields) if code.startswith(hk_prefix) else parse_us(symbol, fields)
        if quote is None:
            bad += 1
        else:
            good += 1
            out.quotes[symbol] = quote
    for code, pair in wanted_fx.items():
        fields = lines.get(code)
        rate = parse_fx(pair, fields) if fields else None
        if rate:
            out.fx[pair] = rate
    if bad and not good:
        raise SourceGarbage(source, f"{bad} line(s) without a price block")


class BatchedTextSource(QuoteSource):
    """A source answering `{base_url}/<path_key>=code1,code2,...` with one GBK line per code."""

    batch_size = 60
    path_key = "q"
    fx_codes: dict[str, str] = {}  # pair -> source code

    def __init__(self, client: httpx.AsyncClient, base_url: str, deadline: float | None = None):
        self.client = client
        self.base_url = base_url.rstrip("/")
        self.deadline = deadline

    @staticmethod
    def code(symbol: str) -> str:
        raise NotImplementedError

    @staticmethod
    def absorb(body: str, wanted: dict[str, str], wanted_fx: dict[str, str], out: SourceResult) -> None:
        raise NotImplementedError

    async def fetch(self, symbols: Sequence[str], fx_pairs: Sequence[str] = ()) -> SourceResult:
        wanted = {self.code(s): s for s in symbols}
        wanted_fx = {self.fx_codes[p]: p for p in fx_pairs if p in self.fx_codes}
        all_codes = [*wanted, *wanted_fx]
        size = self.batch_size
        batches = [all_codes[i:i + size] for i in range(0, len(all_codes), size)]
        out = SourceResult(requests=len(batches))
        if not batches:
            return out
        bodies = await asyncio.gather(*(self._get(b) for b in batches), return_exceptions=True)
        errors: list[SourceError] = []
        for batch, body in zip(batches, bodies, strict=True):
            if isinstance(body, BaseException):
                if not isinstance(body, SourceError):
                    raise body
                errors.append(body)
                continue
            try:
                self.absorb(body, {c: wanted[c] for c in batch if c in wanted},
                            {c: wanted_fx[c] for c in batch if c in wanted_fx}, out)
            except SourceError as e:
                errors.append(e)
        if len(errors) == len(batches):
            raise errors[0]
        return out

    async def _get(self, batch: list[str]) -> str:
        url = f"{self.base_url}/{self.path_key}={','.join(batch)}"
        _, body = await get_bytes(self.client, self.name, url, deadline=self.deadline)
        return decode_gb(body)
