"""Shared validation of destination options: pydantic errors become one pointed ConfigError,
and what a destination's own check finds is reported option by option."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from syndicate.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


class OptionError(ConfigError):
    """A destination's options are invalid; ``option`` names the offending one when it is one."""

    def __init__(self, message: str, option: str = "") -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True, slots=True)
class OptionProblem:
    """What a destination's ``check()`` found: the option concerned ("" when it is not one
    option but the environment) and a message saying what is wrong and what to do."""

    option: str
    message: str


def validate(model: type[M], type_name: str, options: dict[str, object]) -> M:
    """``options`` as ``model``; OptionError naming the destination type and each bad field."""
    try:
        return model.model_validate(options)
    except ValidationError as exc:
        errors = exc.errors()
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(options)'}: {e['msg']}"
                             for e in errors)
        fields = {str(e["loc"][0]) for e in errors if e["loc"]}
        raise OptionError(f"{type_name} destination: {problems}",
                          fields.pop() if len(fields) == 1 else "") from None
