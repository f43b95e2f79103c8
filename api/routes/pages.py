"""The web pages: login, operator desk, KB maintenance, QA dashboard.

The pages are static shells (no data in them); everything they show is fetched from /api
with the token kept in the browser's localStorage, so a page never needs a session cookie.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

WEB = Path(__file__).resolve().parent.parent / "web"
TEMPLATES = Jinja2Templates(directory=WEB / "templates")

router = APIRouter(include_in_schema=False)

PAGES = {
    "desk": "坐席工作台",
    "kb": "知识库维护",
    "qa": "质检看板",
}


# The token lives in localStorage, so no script but our own may ever run on these pages:
# scripts, requests and everything else from this origin only (inline style attributes are
# allowed; the SVG charts are markup, not script).
CSP = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def _page(request: Request, name: str, title: str) -> HTMLResponse:
    response = TEMPLATES.TemplateResponse(
        request, f"{name}.html", {"page": name, "title": title, "pages": PAGES}
    )
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/", response_class=HTMLResponse)
def login(request: Request) -> HTMLResponse:
    """Paste a token; it is checked against /api/me and kept in localStorage."""
    return _page(request, "login", "登录")


@router.get("/desk", response_class=HTMLResponse)
def desk(request: Request) -> HTMLResponse:
    """The operator's live-call panel."""
    return _page(request, "desk", PAGES["desk"])


@router.get("/kb", response_class=HTMLResponse)
def kb_page(request: Request) -> HTMLResponse:
    """Maintenance for a unit's maintainers and reviewers."""
    return _page(request, "kb", PAGES["kb"])


@router.get("/qa", response_class=HTMLResponse)
def qa(request: Request) -> HTMLResponse:
    """Coverage, gaps and KB health for QA."""
    return _page(request, "qa", PAGES["qa"])


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """The icon, for clients that ask for /favicon.ico before reading the page's <link>."""
    return FileResponse(WEB / "static" / "favicon.svg", media_type="image/svg+xml")
