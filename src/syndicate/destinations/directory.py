"""A folder on disk (or a mounted share): each delivery is written atomically under its key."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from syndicate.destinations import Delivery, register
from syndicate.errors import ConfigError, DeliveryFailed


class DirectoryOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    #: include the partner id as the first path component (off: the path is per partner already)
    partner_subdir: bool = False


class DirectoryDestination:
    type = "directory"

    def __init__(self, options: DirectoryOptions) -> None:
        self.root = options.path
        self.partner_subdir = options.partner_subdir

    def deliver(self, delivery: Delivery) -> str:
        rel = delivery.key if self.partner_subdir else delivery.relative_key
        target = self.root / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # tmp file in the same folder + rename: readers never see half a file, and a
            # retried delivery replaces the earlier one instead of adding a second
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(delivery.data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as exc:
            raise DeliveryFailed(f"cannot write {target}: {exc.strerror or exc}") from exc
        return str(target)


@register("directory")
def _factory(options: dict[str, object]) -> DirectoryDestination:
    try:
        return DirectoryDestination(DirectoryOptions.model_validate(options))
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"directory destination: {problems}") from None
