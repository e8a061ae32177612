"""pydantic validation of the config dataclasses in `config.models`, loaded only when needed.

The models' annotations name pydantic's `Field`, `AfterValidator`, `BeforeValidator` and
`PlainSerializer` without importing them (see `config.models` for why). pydantic resolves a
TypeAdapter's forward references in the namespace of the function that builds it, so `_adapter`
imports exactly those names before building one.
"""
from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from config.models import Alert, Settings

if TYPE_CHECKING:
    from pydantic import TypeAdapter


@cache
def _adapter(model: type) -> TypeAdapter:
    from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, TypeAdapter  # noqa: F401

    return TypeAdapter(model)


def validate_settings(data: dict[str, Any]) -> Settings:
    """A parsed TOML document -> Settings; raises pydantic's ValidationError (a ValueError)."""
    return _adapter(Settings).validate_python(data)


def validate_alert(data: dict[str, Any]) -> Alert:
    return _adapter(Alert).validate_python(data)


def to_data(value: Settings | Alert | Any) -> Any:
    """Settings (or one section) as TOML-ready plain data: `None` written as "none", and so on."""
    return _adapter(type(value)).dump_python(value, mode="json")
