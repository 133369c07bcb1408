"""Shared validation of destination options: pydantic errors become one pointed ConfigError."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from syndicate.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], type_name: str, options: dict[str, object]) -> M:
    """``options`` as ``model``; ConfigError naming the destination type and each bad field."""
    try:
        return model.model_validate(options)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(options)'}: {e['msg']}"
                             for e in exc.errors())
        raise ConfigError(f"{type_name} destination: {problems}") from None
