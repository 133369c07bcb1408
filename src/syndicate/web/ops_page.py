"""The operator page at ``/ops`` on the feed server: flow per stage, queues and workers,
partners, quiet sources, and dead letters with a replay button.

Operators only: ``Authorization: Bearer <SYNDICATE_OPERATOR_TOKEN>``, or a login form that sets
an HttpOnly, SameSite=Strict session cookie for a browser. Without the variable the page is
503 (never open). Every POST from a browser carries a token derived from its session (CSRF).
Server-rendered HTML, every value escaped.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import time
import urllib.parse
from collections.abc import Callable, Mapping

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from syndicate.errors import SyndicateError, TransientError
from syndicate.ops import StatusReport, Unreachable, ago, duration, iso

TOKEN_ENV = "SYNDICATE_OPERATOR_TOKEN"
COOKIE = "syndicate_ops"
#: how long a browser session lasts before the token must be given again
SESSION_SECONDS = 12 * 3600
#: a login form larger than this is not a login form
MAX_FORM_BYTES = 4096


def _mac(token: str, message: str) -> str:
    return hmac.new(token.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def session_cookie(token: str, now: float) -> str:
    """A session that expires and cannot be made without the token (the token itself is never
    put in the cookie)."""
    expires = str(int(now + SESSION_SECONDS))
    return f"{expires}.{_mac(token, 'session:' + expires)}"


def valid_session(token: str, cookie: str | None, now: float) -> bool:
    if not cookie or "." not in cookie:
        return False
    expires, mac = cookie.split(".", 1)
    if not expires.isdigit() or int(expires) < now:
        return False
    return hmac.compare_digest(mac, _mac(token, "session:" + expires))


def csrf_token(token: str, cookie: str) -> str:
    return _mac(token, "csrf:" + cookie)


class OperatorAuth:
    """Who may see /ops: the bearer token, or a browser session made with it."""

    def __init__(self, environ: Mapping[str, str], clock: Callable[[], float] = time.time) -> None:
        self.token = environ.get(TOKEN_ENV, "").strip() or None
        self.clock = clock

    def not_configured(self) -> Response | None:
        if self.token is None:
            return JSONResponse({"status": 503, "detail": f"the operator page is not configured: "
                                 f"set {TOKEN_ENV} to the operators' token"}, status_code=503)
        return None

    def bearer(self, request: Request) -> bool:
        assert self.token is not None
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            value.strip().encode("utf-8"), self.token.encode("utf-8"))

    def session(self, request: Request) -> str | None:
        """The request's valid session cookie, else None."""
        assert self.token is not None
        cookie = request.cookies.get(COOKIE)
        return cookie if valid_session(self.token, cookie, self.clock()) else None


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    pairs = urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    return dict(pairs)


def install(app: FastAPI, *, environ: Mapping[str, str], status: Callable[[], StatusReport],
            replay: Callable[[str], str] | None) -> None:
    """Add /ops, /ops/login, /ops/logout and /ops/dead-letters/{id}/replay to ``app``.

    ``status`` gathers the report (it may raise :class:`~syndicate.ops.Unreachable`);
    ``replay`` queues a dead letter again (the code behind ``syndicate replay``), None where
    this server cannot."""
    auth = OperatorAuth(environ)

    def login_page(message: str = "", status_code: int = 401) -> HTMLResponse:
        note = f'<p class="error">{html.escape(message)}</p>' if message else ""
        body = (f"<h1>syndicate operations</h1>{note}"
                '<form method="post" action="/ops/login">'
                '<label>Operator token <input type="password" name="token" autocomplete="off" '
                'autofocus></label> <button type="submit">Sign in</button></form>')
        return _html(body, status_code, {"WWW-Authenticate": 'Bearer realm="syndicate-ops"'}
                     if status_code == 401 else None)

    @app.get("/ops")
    def ops_page(request: Request) -> Response:
        if (refused := auth.not_configured()) is not None:
            return refused
        session = auth.session(request)
        if session is None and not auth.bearer(request):
            return login_page()
        assert auth.token is not None
        csrf = csrf_token(auth.token, session) if session else ""
        try:
            report: StatusReport | None = status()
            problem = None
        except (Unreachable, TransientError) as exc:
            report, problem = None, str(exc)
        notice = request.query_params.get("notice", "")
        return _html(render(report, problem, csrf, notice, can_replay=replay is not None,
                            signed_in=session is not None))

    @app.post("/ops/login")
    async def login(request: Request) -> Response:
        if (refused := auth.not_configured()) is not None:
            return refused
        assert auth.token is not None
        given = (await _form(request)).get("token", "")
        if not hmac.compare_digest(given.encode("utf-8"), auth.token.encode("utf-8")):
            return login_page("That is not the operator token.")
        response = RedirectResponse("/ops", status_code=303)
        response.set_cookie(COOKIE, session_cookie(auth.token, auth.clock()),
                            max_age=SESSION_SECONDS, path="/ops", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
        return response

    @app.post("/ops/logout")
    async def logout(request: Request) -> Response:
        if (refused := auth.not_configured()) is not None:
            return refused
        checked = await _allowed_post(request)
        if isinstance(checked, Response):
            return checked
        response = RedirectResponse("/ops", status_code=303)
        response.delete_cookie(COOKIE, path="/ops", httponly=True, samesite="strict")
        return response

    async def _allowed_post(request: Request) -> dict[str, str] | Response:
        """The form of a POST an operator may make: with the bearer token, or from a browser
        session with the CSRF token of that session."""
        assert auth.token is not None
        form = await _form(request)
        if auth.bearer(request):
            return form
        session = auth.session(request)
        if session is None:
            return login_page()
        if not hmac.compare_digest(form.get("csrf", ""), csrf_token(auth.token, session)):
            return _html("<h1>Refused</h1><p>This form is out of date or did not come from the "
                         'operator page. <a href="/ops">Back to the page</a></p>', 403)
        return form

    @app.post("/ops/dead-letters/{dl_id}/replay")
    async def replay_dead_letter(request: Request, dl_id: str) -> Response:
        if (refused := auth.not_configured()) is not None:
            return refused
        checked = await _allowed_post(request)
        if isinstance(checked, Response):
            return checked
        if replay is None:
            return _html("<h1>Not here</h1><p>This server cannot queue tasks; use "
                         "<code>syndicate replay</code>.</p>", 501)
        try:
            task_id = replay(dl_id)
        except SyndicateError as exc:
            return _redirect_with(f"could not replay {dl_id}: {exc}")
        return _redirect_with(f"replayed {dl_id} as {task_id}")


def _redirect_with(notice: str) -> Response:
    return RedirectResponse("/ops?" + urllib.parse.urlencode({"notice": notice}), status_code=303)


_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse}td,th{padding:.2em .8em .2em 0;text-align:left;vertical-align:top}
th{font-weight:600}.num{text-align:right}.bad{color:#a40000;font-weight:600}.ok{color:#1a6e1a}
.error{color:#a40000}.notice{background:#eef;padding:.4em}code,.mono{font-family:monospace}
details pre{white-space:pre-wrap;max-width:60em}ul.attention li{color:#a40000}
"""


def _html(body: str, status_code: int = 200, headers: Mapping[str, str] | None = None
          ) -> HTMLResponse:
    page = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>syndicate operations</title>"
            f"<style>{_STYLE}</style></head><body>{body}</body></html>")
    return HTMLResponse(page, status_code=status_code, headers={
        "Cache-Control": "no-store", "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                                   "form-action 'self'; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer", **(headers or {})})


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def render(r: StatusReport | None, problem: str | None, csrf: str, notice: str = "",
           can_replay: bool = True, signed_in: bool = False) -> str:
    """The page's body for report ``r`` (or for ``problem`` when it could not be gathered)."""
    out = ["<h1>syndicate operations</h1>"]
    if signed_in:
        out.append('<form method="post" action="/ops/logout">'
                   f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
                   '<button type="submit">Sign out</button></form>')
    if notice:
        out.append(f'<p class="notice" id="notice">{_e(notice)}</p>')
    if r is None:
        out.append(f'<p class="bad" id="summary">Cannot gather the status: {_e(problem)}</p>')
        return "".join(out)
    now = r.at
    if r.ok:
        out.append('<p class="ok" id="summary">All well.</p>')
    else:
        out.append(f'<p class="bad" id="summary">{len(r.attention)} thing(s) need attention:</p>'
                   '<ul class="attention">' + "".join(f"<li>{_e(a)}</li>" for a in r.attention)
                   + "</ul>")
    out.append(f"<p>Broker: <span class=\"mono\">{_e(r.broker)}</span>; as of {_e(iso(now))}.</p>")

    out.append("<h2>Flow, last 15 minutes</h2><table id=\"flow\"><tr><th>stage</th><th>outcome</th>"
               "<th class=\"num\">total</th><th class=\"num\">per minute</th>"
               "<th>each minute, oldest first</th></tr>")
    for st in r.stages:
        shown = [o for o in st.outcomes if o.total] or list(st.outcomes[:1])
        for o in shown:
            cls = ' class="bad"' if o.outcome in ("failed", "rejected") and o.total else ""
            out.append(f"<tr><td>{_e(st.stage)}</td><td{cls}>{_e(o.outcome)}</td>"
                       f"<td class=\"num\">{o.total}</td><td class=\"num\">{o.rate:.1f}</td>"
                       f"<td class=\"mono\">{_e(' '.join(str(n) for n in o.per_minute))}</td></tr>")
    out.append("</table>")

    out.append("<h2>Queues</h2><table id=\"queues\"><tr><th>queue</th><th class=\"num\">waiting"
               "</th><th>consumers</th></tr>")
    for q in r.queues:
        if q.consumers:
            who = _e(", ".join(q.consumers))
        elif r.workers_asked and not r.embedded:
            who = '<span class="bad">none</span>'
        else:
            who = "-"
        depth = "?" if q.depth is None else str(q.depth)
        out.append(f"<tr><td class=\"mono\">{_e(q.name)}</td><td class=\"num\">{depth}</td>"
                   f"<td>{who}</td></tr>")
    out.append("</table>")

    out.append("<h2>Workers</h2>")
    if not r.workers_asked:
        out.append("<p>The workers could not be asked.</p>")
    else:
        out.append("<table id=\"workers\"><tr><th>node</th><th>role</th><th>state</th>"
                   "<th>since</th></tr>")
        if not r.workers:
            out.append("<tr><td colspan=\"4\">No worker answers"
                       + (" (the embedded worker runs inside <code>syndicate run</code>)"
                          if r.embedded else "") + ".</td></tr>")
        for w in r.workers:
            cls = "ok" if w.online else ("" if w.stopped is not None else "bad")
            when = "" if w.online else ago(w.stopped if w.stopped is not None else w.seen, now)
            out.append(f"<tr><td class=\"mono\">{_e(w.node)}</td><td>{_e(w.role)}</td>"
                       f"<td class=\"{cls}\">{_e(w.state)}</td><td>{_e(when)}</td></tr>")
        out.append("</table>")
        beat = "alive" if r.beat.alive else ("not running" if r.beat.needed else "not needed")
        out.append(f"<p>Beat: last poll {_e(ago(r.beat.last_seen, now))} ({_e(beat)}).</p>")

    out.append("<h2>Partners</h2><table id=\"partners\"><tr><th>partner</th><th>last delivery"
               "</th><th class=\"num\">failures, 15 min</th></tr>")
    for p in r.partners:
        cls = ' class="num bad"' if p.failures_recent else ' class="num"'
        out.append(f"<tr><td>{_e(p.id)}</td><td title=\"{_e(iso(p.last_delivery) or '')}\">"
                   f"{_e(ago(p.last_delivery, now))}</td><td{cls}>{p.failures_recent}</td></tr>")
    out.append("</table>")

    out.append("<h2>Sources</h2>")
    if not r.sources:
        out.append("<p>No sources configured.</p>")
    else:
        out.append("<table id=\"sources\"><tr><th>source</th><th>last arrival</th>"
                   "<th>expected within</th><th></th></tr>")
        for s in r.sources:
            flag = '<span class="bad">quiet</span>' if s.quiet else ""
            out.append(f"<tr><td>{_e(s.name)}</td><td>{_e(ago(s.last_arrival, now))}</td>"
                       f"<td>{_e(duration(s.quiet_after))}</td><td>{flag}</td></tr>")
        out.append("</table>")

    out.append(f"<h2>Dead letters ({r.dead_letter_count})</h2>")
    if not r.dead_letters:
        out.append('<p id="no-dead-letters">None.</p>')
    else:
        out.append("<table id=\"dead-letters\"><tr><th>id</th><th>task</th><th>guid</th>"
                   "<th>time</th><th>error</th><th></th></tr>")
        for d in r.dead_letters:
            error = f"{d.error_type}: {d.error}"
            first = error.splitlines()[0] if error else ""
            button = ""
            if can_replay:
                action = "/ops/dead-letters/" + urllib.parse.quote(d.id, safe="") + "/replay"
                button = (f'<form method="post" action="{_e(action)}">'
                          f'<input type="hidden" name="csrf" value="{_e(csrf)}">'
                          f'<button type="submit" name="replay" value="{_e(d.id)}">Replay'
                          "</button></form>")
            out.append(f"<tr id=\"dl-{_e(d.id)}\"><td class=\"mono\">{_e(d.id)}</td>"
                       f"<td>{_e(d.task)}</td><td class=\"mono\">{_e(d.guid or '-')}</td>"
                       f"<td>{_e(d.at)}</td><td><details><summary>{_e(first[:120])}</summary>"
                       f"<pre>{_e(error)}</pre></details></td><td>{button}</td></tr>")
        out.append("</table>")
        if r.dead_letter_count > len(r.dead_letters):
            out.append(f"<p>{r.dead_letter_count - len(r.dead_letters)} more: "
                       "<code>syndicate dead-letters</code>.</p>")
    return "".join(out)
