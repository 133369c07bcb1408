"""The feed server behind ``syndicate serve``: partners pull Atom, ninjs and NewsML-G2.

``GET /feeds/{partner}/{language}.atom`` (Atom 1.0 with RFC 5005 paging and RFC 6721
tombstones for kills), ``GET /feeds/{partner}/{language}.json`` (ninjs 3.1 items),
``GET /items/{partner}/{language}/{guid-slug}/v{N}.xml`` (the NewsML-G2 document), plus
``/healthz`` (alive), ``/readyz`` (its store answers), ``/metrics`` (Prometheus text) and the
operator page ``/ops`` (:mod:`syndicate.web.ops_page`). Each partner reads only its own feeds, with
the token from the environment variable its configuration names.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from syndicate import formats, ops
from syndicate.errors import ConfigError
from syndicate.formats import atom
from syndicate.item import NewsItem, PubStatus, guid_slug
from syndicate.partners import PartnerConfig, PipelineConfig, same_language
from syndicate.store import FeedEntry, ItemRef, Store
from syndicate.versions import MAX_VERSION
from syndicate.web import ops_page
from syndicate.web.cluster_metrics import BrokerProbe, MetricsEndpoint, operator_denied

log = logging.getLogger("syndicate.web.feeds")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# --------------------------------------------------------------------------------------
# which entries a feed page shows


@dataclass(frozen=True, slots=True)
class FeedPage:
    entries: tuple[FeedEntry, ...]
    #: cursor of the next (older) page, None on the last page
    next_cursor: str | None
    #: ``updated`` of the newest entry of the whole feed (None for an empty feed)
    newest: str | None = None


def _parse_time(value: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(value)
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def encode_cursor(e: FeedEntry) -> str:
    raw = json.dumps([e.updated, e.guid], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, str]:
    """The sort position a cursor names; ValueError for one this server did not make."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        updated, guid = json.loads(raw)
        return (-_parse_time(str(updated)).timestamp(), str(guid))
    except (binascii.Error, ValueError, TypeError) as exc:
        raise ValueError(f"{cursor!r} is not a page cursor of this feed") from exc


def feed_languages(stored: set[str], partner: PartnerConfig, language: str) -> list[str]:
    """The languages (as tagged) whose entries make up the partner's ``language`` feed.

    Copy in the item's own language arrives tagged as written ("en-GB"); it belongs to the
    feed of the partner language it serves ("en") unless the partner asks for that tag itself.
    """
    return sorted({language} | {t for t in stored if t != language
                                and t not in partner.languages
                                and same_language(t, language)})


def is_due(e: FeedEntry, now: dt.datetime) -> bool:
    """False for an entry still under embargo (a kill or hold is never held back)."""
    # the pipeline holds embargoed copy back already; the feed checks again
    return (e.embargo is None or PubStatus(e.pub_status).withdraws
            or _parse_time(e.embargo) <= now)


def page(store: Store, partner: PartnerConfig, language: str, now: dt.datetime, limit: int,
         after: str | None) -> FeedPage:
    """``limit`` entries of the partner's ``language`` feed, newest first, that sort after the
    cursor ``after`` (the first ones without); embargoed entries left out until due.

    Read from the store's time index: the page's entries, one more to tell whether a next page
    exists and, past the first page, the feed's newest entry, whatever the feed's length.
    ValueError for a cursor this server did not make.
    """
    pos = decode_cursor(after) if after is not None else None
    langs = feed_languages(store.feed_languages(partner.id), partner, language)
    due = functools.partial(is_due, now=now)
    got = store.feed_page(partner.id, langs, pos, limit + 1, due)
    if pos is None:
        newest = got[0].updated if got else None
    else:
        head = store.feed_page(partner.id, langs, None, 1, due)
        newest = head[0].updated if head else None
    chunk = got[:limit]
    more = len(got) > limit
    return FeedPage(tuple(chunk), encode_cursor(chunk[-1]) if more and chunk else None, newest)


# --------------------------------------------------------------------------------------
# URLs


#: the item documents are NewsML-G2; their file extension is the codec's
ITEM_FORMAT = "newsmlg2"


def item_path(partner: str, language: str, guid: str, version: int) -> str:
    ext = formats.renderer(ITEM_FORMAT).extension
    return f"/items/{partner}/{language}/{guid_slug(guid)}/v{version}.{ext}"


# --------------------------------------------------------------------------------------
# HTTP


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _not_modified(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    if header.strip() == "*":
        return True
    # weak comparison (RFC 9110 13.1.2): W/ prefixes do not matter for GET
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags


def _cacheable(request: Request, body: bytes, media_type: str,
               headers: Mapping[str, str] | None = None) -> Response:
    etag = _etag(body)
    common = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Authorization",
              **(headers or {})}
    if _not_modified(request, etag):
        return Response(status_code=304, headers=common)
    return Response(body, media_type=media_type, headers=common)


@dataclass(frozen=True, slots=True)
class _ServedPage:
    """A feed page a request may read, with its items and the URLs it links to."""

    page: FeedPage
    #: the entries of the page with their items
    items: list[tuple[FeedEntry, NewsItem]]
    #: the server's base URL
    base: str
    #: the feed's URL, without query
    feed_url: str
    limit: int

    def url(self, after: str | None = None) -> str:
        """The feed's page after the cursor ``after`` (its first page without)."""
        return f"{self.feed_url}?limit={self.limit}" + (f"&after={after}" if after else "")

    @property
    def next_url(self) -> str | None:
        return self.url(self.page.next_cursor) if self.page.next_cursor else None


def _problem(status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
    return JSONResponse({"status": status, "detail": detail}, status_code=status,
                        headers=dict(headers or {}))


class FeedAuth:
    """Partner tokens from the environment, compared in constant time. A partner has one
    token, or two while one replaces the other (``feed_token_next_env``)."""

    def __init__(self, config: PipelineConfig, environ: Mapping[str, str]) -> None:
        self.tokens: list[tuple[str, bytes]] = []
        for p in config.partners:
            if p.feed_token_env is None:
                continue
            token = environ.get(p.feed_token_env)
            if not token:
                raise ConfigError(
                    f"partner {p.id!r}: the environment variable {p.feed_token_env} "
                    "(feed_token_env) is not set; export the partner's feed token"
                )
            self.tokens.append((p.id, token.encode("utf-8")))
            upcoming = environ.get(p.feed_token_next_env or "", "").strip()
            if upcoming:
                self.tokens.append((p.id, upcoming.encode("utf-8")))
        owners: dict[bytes, str] = {}
        for pid, secret in self.tokens:
            if owners.setdefault(secret, pid) != pid:
                raise ConfigError(f"partners {owners[secret]!r} and {pid!r} have the same feed "
                                  "token: each partner needs its own")

    def partner_of(self, request: Request) -> str | None:
        """The partner whose token the request carries (Bearer or X-API-Key), else None."""
        offered = request.headers.get("x-api-key")
        auth = request.headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if offered is None and scheme.lower() == "bearer":
            offered = value.strip()
        if not offered:
            return None
        given = offered.encode("utf-8")
        found = None
        # every token is compared, so the time taken does not tell which partner matched
        for pid, token in self.tokens:
            if hmac.compare_digest(given, token):
                found = pid
        return found


def create_app(
    config: PipelineConfig,
    store: Store,
    *,
    environ: Mapping[str, str] | None = None,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    broker: BrokerProbe | None = None,
    queue_prefix: str = "",
    ready_checks: Sequence[ops.ReadyCheck] | None = None,
    operator_status: Callable[[], ops.StatusReport] | None = None,
    operator_replay: Callable[[str], str] | None = None,
) -> FastAPI:
    """The feed server over ``store`` for the partners of ``config`` (ConfigError if a token is
    missing from the environment). ``broker`` and ``queue_prefix``: where ``/metrics`` reads the
    queues. ``ready_checks``: what ``/readyz`` looks at (default: the store answers).
    ``operator_status`` and ``operator_replay`` serve the /ops page (default: the store's side
    of the report, no replays)."""
    environ = os.environ if environ is None else environ
    auth = FeedAuth(config, environ)
    metrics_endpoint = MetricsEndpoint(config, store, broker, queue_prefix)
    app = FastAPI(title="syndicate feeds", docs_url=None, redoc_url=None, openapi_url=None)
    partners = {p.id: p for p in config.partners}

    def authorize(request: Request, partner: str, language: str
                  ) -> PartnerConfig | Response:
        who = auth.partner_of(request)
        if who is None:
            return _problem(401, "send the partner's feed token as 'Authorization: Bearer "
                                 "<token>' or 'X-API-Key: <token>'",
                            {"WWW-Authenticate": 'Bearer realm="syndicate"'})
        if who != partner:
            return _problem(403, f"this token reads the feeds of {who!r} only")
        cfg = partners[partner]
        if not cfg.has_feed:
            return _problem(404, f"partner {partner!r} has no feed destination")
        if language not in cfg.languages:
            return _problem(404, f"partner {partner!r} takes {', '.join(cfg.languages)}, "
                                 f"not {language!r}")
        return cfg

    def paging(request: Request) -> tuple[int, str | None] | Response:
        raw = request.query_params.get("limit", str(DEFAULT_LIMIT))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
            return _problem(400, f"limit must be a whole number from 1 to {MAX_LIMIT}")
        return int(raw), request.query_params.get("after")

    def feed_page(request: Request, partner: str, language: str, suffix: str
                  ) -> _ServedPage | Response:
        """The page of ``partner``'s ``language`` feed the request asks for, once it may read it."""
        cfg = authorize(request, partner, language)
        if isinstance(cfg, Response):
            return cfg
        p = paging(request)
        if isinstance(p, Response):
            return p
        limit, after = p
        try:
            fp = page(store, cfg, language, now(), limit, after)
        except ValueError as exc:
            return _problem(400, str(exc))
        # removed between the listing and this read: left out, the next read has it
        items = [(e, item) for e, item in zip(fp.entries, store.feed_items(partner, list(fp.entries)),
                                              strict=True) if item is not None]
        base = str(request.base_url).rstrip("/")
        return _ServedPage(fp, items, base, f"{base}/feeds/{partner}/{language}.{suffix}", limit)

    @app.get("/feeds/{partner}/{language}.atom")
    def atom_feed(request: Request, partner: str, language: str) -> Response:
        got = feed_page(request, partner, language, "atom")
        if isinstance(got, Response):
            return got
        entries = [atom.Entry(item, e.updated, PubStatus(e.pub_status).withdraws,
                              got.base + item_path(partner, language, item.guid, item.version))
                   for e, item in got.items]
        body = atom.render_feed(atom.Page(
            partner, language, entries, got.page.newest, self_url=str(request.url),
            first_url=got.url(), next_url=got.next_url,
            item_type=formats.renderer(ITEM_FORMAT).media_type))
        return _cacheable(request, body, f"{atom.MEDIA_TYPE}; charset=utf-8")

    @app.get("/feeds/{partner}/{language}.json")
    def ninjs_feed(request: Request, partner: str, language: str) -> Response:
        got = feed_page(request, partner, language, "json")
        if isinstance(got, Response):
            return got
        ninjs = formats.renderer("ninjs")
        docs = [json.loads(ninjs.render(item)) for _, item in got.items]
        body = json.dumps(docs, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Link": f'<{got.next_url}>; rel="next"'} if got.next_url else {}
        return _cacheable(request, body, ninjs.media_type, headers)

    @app.get("/items/{partner}/{language}/{slug}/v{version}." + formats.renderer(ITEM_FORMAT).extension)
    def g2_item(request: Request, partner: str, language: str, slug: str,
                version: str) -> Response:
        cfg = authorize(request, partner, language)
        if isinstance(cfg, Response):
            return cfg
        # ASCII digits only (int() takes other scripts' digits), and no longer than a version
        if not (version.isascii() and version.isdigit()) or len(version) > len(str(MAX_VERSION)):
            return _problem(404, f"no version {version!r}")
        wanted = int(version)
        langs = feed_languages(store.feed_languages(cfg.id), cfg, language)
        for entry in (store.feed_entry_by_slug(cfg.id, lang, slug) for lang in langs):
            if entry is None or not is_due(entry, now()):
                continue
            item: NewsItem | None = None
            if entry.version == wanted:
                (item,) = store.feed_items(cfg.id, [entry])
            elif wanted < entry.version:
                if PubStatus(entry.pub_status).withdraws:
                    # killed or held: no earlier version of the story is handed out any more
                    return _problem(410, f"{slug} was {entry.pub_status} in version "
                                         f"{entry.version}; earlier versions are withdrawn")
                # earlier versions stay readable; the feed lists only the newest
                item = store.get_item(ItemRef(entry.store_guid, wanted, entry.language))
            if item is None:
                break
            g2 = formats.renderer(ITEM_FORMAT)
            return _cacheable(request, g2.render(item), g2.media_type)
        return _problem(404, f"no item {slug} v{version} in {partner}'s {language} feed")

    readies = list(ready_checks) if ready_checks is not None else [
        ops.ReadyCheck("store", ops.store_probe(store))]

    @app.get("/healthz")
    def healthz() -> Response:
        # alive: the process answers; what it depends on is /readyz's business
        return JSONResponse({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> Response:
        r = ops.readiness(readies)
        return JSONResponse(r.to_json(), status_code=200 if r.ready else 503)

    @app.get("/metrics")
    def metrics(request: Request) -> Response:
        return operator_denied(request, environ) or metrics_endpoint.render()

    if operator_status is None:
        def operator_status() -> ops.StatusReport:
            from syndicate.settings import get_settings

            return ops.gather(get_settings(), config, store, inspector=None,
                              depths=lambda names: dict.fromkeys(names))

    ops_page.install(app, environ=environ, status=operator_status, replay=operator_replay)
    return app


def app_from_settings() -> FastAPI:
    """The feed server for this process's settings and configuration (uvicorn --factory)."""
    from syndicate.partners import load_config
    from syndicate.settings import get_settings
    from syndicate.store import open_store

    s = get_settings()
    config = load_config(s.config_path)
    store = open_store(s.state_url, s.prefix, s.sqlite_path)
    # dead letters recorded before their count was kept, or removed by an older release
    store.recount_dead_letters()
    from syndicate.web.cluster_metrics import broker_probe_from_settings

    readies = [ops.ReadyCheck("store", ops.store_probe(store)),
               ops.ReadyCheck("configuration", ops.config_probe("serve", config, s, store))]
    if s.broker_url:
        # partners' feeds never need the broker; only the operator page's replays do
        readies.append(ops.ReadyCheck("broker", lambda: ops.reach_broker(s), required=False))
    def operator_status() -> ops.StatusReport:
        ops.require_reachable(s, timeout=1.0)
        return ops.gather(s, config, store, timeout=0.5, dead_letter_limit=200)

    def operator_replay(dl_id: str) -> str:
        from syndicate.tasks import replay  # the code behind `syndicate replay`

        return replay(dl_id)

    return create_app(config, store, broker=broker_probe_from_settings(),
                      queue_prefix=s.queue_prefix, ready_checks=readies,
                      operator_status=operator_status, operator_replay=operator_replay)
