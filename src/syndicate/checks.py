"""Configuration checks per role, run before any work: what a role will need is verified up
front (formats, language routes, destinations, tokens), so a bad file stops the process at
start with every problem listed, instead of failing each delivery after the work is done.

Nothing here makes a network call or polls a source: only what this machine can tell.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, get_args

from syndicate.errors import ConfigError, SyndicateError, UsageError
from syndicate.partners import PipelineConfig, SourceConfig, same_language
from syndicate.settings import mask_url

if TYPE_CHECKING:
    from syndicate.settings import Settings
    from syndicate.store import Store
    from syndicate.translate.config import TranslationSettings

Role = Literal["ingest", "translate", "export", "urgent", "serve", "push", "beat", "all", "run"]
ROLES: tuple[str, ...] = get_args(Role)

#: what each role checks; "run" is "all" over the sources `syndicate run` watches
_ASPECTS: dict[str, frozenset[str]] = {
    "ingest": frozenset({"input", "sources"}),
    "translate": frozenset({"languages"}),
    "export": frozenset({"formats", "styles", "destinations"}),
    "serve": frozenset({"feed_tokens"}),
    "push": frozenset({"input", "push_secret"}),
    "beat": frozenset({"sources"}),
}
_ASPECTS["all"] = _ASPECTS["run"] = (
    _ASPECTS["ingest"] | _ASPECTS["translate"] | _ASPECTS["export"])
_ASPECTS["urgent"] = _ASPECTS["translate"] | _ASPECTS["export"]

#: primary subtags CLDR names that stand for no particular language
_NO_LANGUAGE = frozenset({"und", "mul", "mis", "zxx"})


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing in the configuration (or the environment it names) that stops a role."""

    #: what the key belongs to: "partner acme", "source inbox", "ingest", "translation"
    where: str
    #: the key within it, as written in the file: "languages[0]", "destinations[1].path"
    key: str
    #: what is wrong and what to do about it
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.key}: {self.message}"


def check(
    role: str,
    config: PipelineConfig,
    settings: Settings,
    *,
    sources: Sequence[SourceConfig] | None = None,
    pairs: Sequence[str] = (),
    store: Store | None = None,
    translation: TranslationSettings | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every problem that would stop ``role`` from doing its work with ``config``.

    ``sources`` are the ones the role will watch (default: the configured ones); ``pairs``
    ("en-es") limit the route check to a translate worker's pinned pairs; ``store`` is the
    state store sources and feed destinations are set up with (default: the settings' one,
    opened only if needed); ``translation`` the translation settings (default: the
    configuration's ``translation:`` section); ``environ`` where secrets and tokens are looked up.
    """
    if role not in _ASPECTS:
        raise UsageError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    aspects = _ASPECTS[role]
    env = os.environ if environ is None else environ
    open_store = _StoreOnDemand(settings, store)
    found: list[Problem] = []
    if "input" in aspects:
        found += _input_format(config)
    if "sources" in aspects:
        found += _sources(config.sources if sources is None else sources, settings, open_store)
    if "languages" in aspects:
        found += _languages(config, translation, pairs)
    if "formats" in aspects:
        found += _formats(config)
    if "styles" in aspects:
        found += _styles(config)
    if "destinations" in aspects:
        found += _destinations(config, open_store)
    if "feed_tokens" in aspects:
        found += _feed_tokens(config, env)
    if "push_secret" in aspects and not env.get("SYNDICATE_PUSH_SECRET", "").strip():
        found.append(Problem("settings", "SYNDICATE_PUSH_SECRET",
                             "not set or empty; the push endpoint accepts only requests signed "
                             "with it"))
    if open_store.error is not None:
        found.append(open_store.problem())
    if store is None and open_store.store is not None:
        open_store.store.close()  # opened here for the check only
    return list(dict.fromkeys(found))


def require(
    role: str,
    config: PipelineConfig,
    settings: Settings,
    *,
    sources: Sequence[SourceConfig] | None = None,
    pairs: Sequence[str] = (),
    store: Store | None = None,
    translation: TranslationSettings | None = None,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Raise ConfigError listing every problem (one per line) when ``role`` cannot work."""
    problems = check(role, config, settings, sources=sources, pairs=pairs, store=store,
                     translation=translation, environ=environ)
    if problems:
        n = len(problems)
        lines = "\n".join(f"  {p}" for p in problems)
        raise ConfigError(
            f"the configuration {settings.config_path} cannot work for the {role} role "
            f"({n} problem{'s' if n > 1 else ''}):\n{lines}"
        )


class _StoreOnDemand:
    """The state store, opened the first time a check needs one; a failure is one problem."""

    def __init__(self, settings: Settings, store: Store | None) -> None:
        self.settings = settings
        self.store = store
        self.error: str | None = None

    def __call__(self) -> Store | None:
        if self.store is None and self.error is None:
            from syndicate.store import open_store

            s = self.settings
            try:
                self.store = open_store(s.state_url, s.prefix, s.sqlite_path)
            except (OSError, SyndicateError) as exc:
                self.error = str(exc)
            except Exception as exc:  # sqlite3 and redis errors: reported, not raised
                self.error = f"{type(exc).__name__}: {exc}"
        return self.store

    def problem(self) -> Problem:
        s = self.settings
        key = "SYNDICATE_REDIS_URL" if s.state_url else "SYNDICATE_DATA_DIR"
        where = mask_url(s.state_url) if s.state_url else str(s.sqlite_path)
        return Problem("settings", key, f"cannot open the state store {where}: {self.error}; "
                                        "sources and destinations record their work there")


# --------------------------------------------------------------------------------------
# ingest


def _input_format(config: PipelineConfig) -> list[Problem]:
    from syndicate import formats

    name = config.ingest.format
    if name == "auto":
        return []
    try:
        formats.get(name)
    except SyndicateError:
        known = formats.names()
        return [Problem("ingest", "format",
                        f"{name!r} is not a format syndicate reads{_did_you_mean(name, known)}; "
                        f"known: auto, {', '.join(known)}")]
    return []


def _sources(cfgs: Sequence[SourceConfig], settings: Settings,
             open_store: _StoreOnDemand) -> list[Problem]:
    if not cfgs:
        return []
    from syndicate import sources

    store = open_store()
    if store is None:
        return []  # reported once, as the store's problem
    env = sources.SourceEnv(store, settings.data_dir)
    out = []
    for i, cfg in enumerate(cfgs):
        try:
            sources.create(cfg, i, env)  # set up, never polled
        except Exception as exc:  # a check reports what it finds; it does not crash on it
            out.append(Problem(f"source {cfg.key(i)}", f"sources[{i}]", _explain(exc)))
    return out


# --------------------------------------------------------------------------------------
# translate


def _languages(config: PipelineConfig, translation: TranslationSettings | None,
               pairs: Sequence[str]) -> list[Problem]:
    source = config.ingest.language or "en"
    bad_source = language_problem(source)
    if bad_source:
        out = [Problem("ingest", "language", bad_source)]
    else:
        out, route_problem = _router(config, source, translation)
    for p in config.partners:
        for i, lang in enumerate(p.languages):
            where, key = f"partner {p.id}", f"languages[{i}]"
            bad = language_problem(lang)
            if bad:
                out.append(Problem(where, key, bad))
                continue
            if bad_source or same_language(lang, source):
                continue
            if pairs and f"{_primary(source)}-{_primary(lang)}" not in pairs:
                continue  # a translate worker pinned to other pairs never sees this language
            missing = route_problem(_primary(lang))
            if missing:
                out.append(Problem(where, key, f"{lang!r}: {missing}"))
    return out


def _router(config: PipelineConfig, source: str, translation: TranslationSettings | None
            ) -> tuple[list[Problem], Callable[[str], str | None]]:
    """Problems of the translation set-up itself, and a function saying why a target language
    has no route (None when it has one)."""
    from syndicate.translate import engine_names, plan_route

    def no_route_check(target: str) -> str | None:
        return None

    settings = translation or config.translation
    engine = config.translation.engine
    if engine is not None and engine not in engine_names():
        return [Problem("translation", "engine",
                        f"unknown translation engine {engine!r}"
                        f"{_did_you_mean(engine, engine_names())}; "
                        f"known: {', '.join(engine_names())}")], no_route_check

    @functools.cache
    def route_problem(target: str) -> str | None:
        try:
            # the very choice the translator makes, so that the check and the work agree
            plan_route(source, target, settings, engine)
        except SyndicateError as exc:
            return str(exc)
        return None

    return [], route_problem


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-", 1)[0].lower()


@functools.cache
def _cldr_languages() -> dict[str, str]:
    """Primary language subtag -> English name, for every language CLDR knows."""
    from babel import Locale

    return {code: name for code, name in Locale("en").languages.items()
            if re.fullmatch(r"[a-z]{2,3}", code) and code not in _NO_LANGUAGE}


def language_problem(tag: str) -> str | None:
    """Why ``tag`` is not a language a partner can ask for, or None when it is one."""
    from babel.core import get_global

    primary = _primary(tag)
    names = _cldr_languages()
    if primary in names:
        return None
    if primary in _NO_LANGUAGE:
        return f"{tag!r} names no particular language; write the language the partner wants"
    aliases: Mapping[str, str] = get_global("language_aliases")
    alias = aliases.get(primary)
    if alias and re.fullmatch(r"[a-z]{2,3}", alias):
        return f"{tag!r} is a deprecated code; write {alias!r} ({names.get(alias, alias)})"
    by_name = {name.lower(): code for code, name in names.items()}
    hint = ""
    if primary in by_name:
        code = by_name[primary]
        hint = f"; did you mean {code!r} ({names[code]})?"
    else:
        close = difflib.get_close_matches(primary, names, n=1)
        if close:
            hint = f"; did you mean {close[0]!r} ({names[close[0]]})?"
    return (f"{tag!r} is not a language code (a BCP 47 primary language subtag CLDR knows, "
            f"such as 'es' or 'de-CH'){hint}")


# --------------------------------------------------------------------------------------
# export


def _formats(config: PipelineConfig) -> list[Problem]:
    from syndicate import formats

    outputs = [n for n in formats.names() if isinstance(formats.get(n), formats.Renderer)]
    out = []
    for p in config.partners:
        for i, name in enumerate(p.formats):
            try:
                formats.renderer(name)
            except SyndicateError:
                readable = name in formats.names()
                what = "can be read but not written" if readable else "is not a known format"
                out.append(Problem(
                    f"partner {p.id}", f"formats[{i}]",
                    f"{name!r} {what}{_did_you_mean(name, outputs)}; "
                    f"output formats: {', '.join(outputs)}"))
                continue
            try:
                formats.renderer(name, p.render_options(name))
            except SyndicateError as exc:
                out.append(Problem(f"partner {p.id}", f"format_options.{name}", str(exc)))
    return out


def _styles(config: PipelineConfig) -> list[Problem]:
    from syndicate.dateline.styles import known_styles

    known = known_styles()
    return [
        Problem(f"partner {p.id}", "style",
                f"{p.style!r} is not a known dateline style{_did_you_mean(p.style, known)}; "
                f"styles: {', '.join(known)} (leave it out for the language's default)")
        for p in config.partners
        if p.style is not None and p.style.strip().lower() not in known
    ]


def _destinations(config: PipelineConfig, open_store: _StoreOnDemand) -> list[Problem]:
    from syndicate import destinations
    from syndicate.destinations._options import OptionError, OptionProblem

    out: list[Problem] = []
    for p in config.partners:
        for i, dest in enumerate(p.destinations):
            where, key = f"partner {p.id}", f"destinations[{i}]"
            try:
                # the store is for the kinds that keep their data there (the feed)
                made = destinations.create(dest.type, dest.options(), open_store())
            except Exception as exc:  # a check reports what it finds; it does not crash on it
                option = exc.option if isinstance(exc, OptionError) else ""
                out.append(Problem(where, f"{key}.{option}" if option else key, _explain(exc)))
                continue
            own_check = getattr(made, "check", None)
            found: Iterable[OptionProblem] = own_check() if callable(own_check) else ()
            for op in found:
                out.append(Problem(where, f"{key}.{op.option}" if op.option else key, op.message))
    return out


# --------------------------------------------------------------------------------------
# serve


def _feed_tokens(config: PipelineConfig, environ: Mapping[str, str]) -> list[Problem]:
    out = []
    for p in config.partners:
        if not p.has_feed or p.feed_token_env is None:
            continue  # a feed without a token variable is refused when the file is read
        if not environ.get(p.feed_token_env, "").strip():
            out.append(Problem(
                f"partner {p.id}", "feed_token_env",
                f"the environment variable {p.feed_token_env} is not set or empty; export the "
                f"token partner {p.id!r} pulls its feed with"))
    return out


# --------------------------------------------------------------------------------------
# reachability: what a running role needs to answer (`syndicate check` as a health check)

#: roles that send or take tasks through the broker (the feed server only reads the store)
_USES_BROKER = frozenset(ROLES) - {"serve"}


def reachability(role: str, settings: Settings, timeout: float = 2.0) -> list[Problem]:
    """The state store, and the broker when ``role`` uses one, each answering within
    ``timeout`` seconds; a problem for each that does not."""
    from syndicate import ops

    s = settings
    out = []
    problem = ops.reach_store(s, timeout)
    if problem is not None:
        key = "SYNDICATE_REDIS_URL" if s.state_url else "SYNDICATE_DATA_DIR"
        where = mask_url(s.state_url) if s.state_url else str(s.sqlite_path)
        out.append(Problem("settings", key, f"the state store {where} is unreachable: {problem}"))
    if role in _USES_BROKER and s.broker_url is not None:
        problem = ops.reach_broker(s, timeout)
        if problem is not None:
            out.append(Problem("settings", "SYNDICATE_BROKER_URL",
                               f"the broker {mask_url(s.broker_url)} is unreachable: {problem}"))
    return out


# --------------------------------------------------------------------------------------


def _did_you_mean(name: str, choices: Sequence[str]) -> str:
    def norm(s: str) -> str:
        return re.sub(r"[^a-z0-9]", "", s.lower())

    same = [c for c in choices if norm(c) == norm(name)]
    close = same or difflib.get_close_matches(name.lower(), choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _explain(exc: Exception) -> str:
    return str(exc) if isinstance(exc, SyndicateError) else f"{type(exc).__name__}: {exc}"

