"""Evidence on the page: page images drawn on the server, each field's box over them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.web.conftest import WebEnv

_RECT = re.compile(r'<rect class="ev( sel)?" x="([\d.]+)" y="([\d.]+)"')


def test_detail_shows_pages_with_evidence_boxes(
    web_env: WebEnv, make_client: Callable[..., object]
) -> None:
    sid = web_env.ids["lindenhagen"]
    client = make_client("lea")
    page = client.get(f"/skizze/{sid}").text  # type: ignore[attr-defined]
    assert 'id="seite-1"' in page and f'src="/skizze/{sid}/seite/1.png"' in page
    rects = _RECT.findall(page)
    assert len(rects) >= 5 and not any(sel for sel, _, _ in rects)  # nothing selected yet
    assert "<iframe" not in page  # no PDF viewer needed (the PDF stays a link)
    assert "▸ zeigen" in page


def test_the_selected_field_is_highlighted_and_linked(
    web_env: WebEnv, make_client: Callable[..., object]
) -> None:
    sid = web_env.ids["lindenhagen"]
    page = make_client("lea").get(f"/skizze/{sid}?feld=antragsteller").text  # type: ignore[attr-defined]
    selected = [r for r in _RECT.findall(page) if r[0]]
    assert len(selected) == 1  # exactly the chosen field's box
    assert 'href="?feld=antragsteller&amp;' in page and "#seite-1" in page
    assert '<a class="small goto sel"' in page


@pytest.mark.parametrize(
    ("user", "number", "status"),
    [("lea", 1, 200), ("lea", 2, 404), ("lea", 0, 404), (None, 1, 403)],
    ids=["page-1", "no-such-page", "page-0", "not-logged-in"],
)
def test_page_image(
    web_env: WebEnv, make_client: Callable[..., object], user: str | None, number: int, status: int
) -> None:
    sid = web_env.ids["lindenhagen"]
    r = make_client(user).get(f"/skizze/{sid}/seite/{number}.png")  # type: ignore[attr-defined]
    assert r.status_code == status
    if status == 200:
        assert r.headers["content-type"] == "image/png"
        assert r.content.startswith(b"\x89PNG\r\n\x1a\n")
        again = make_client(user).get(f"/skizze/{sid}/seite/{number}.png")  # type: ignore[attr-defined]
        assert again.content == r.content  # the cached image
        assert (web_env.config.pages_dir).is_dir()


def test_the_page_image_child_ends_with_the_app(web_env: WebEnv) -> None:
    """The app's shutdown stops the child that draws page images (it was left running)."""
    from skizzen.doors.web.app import create_app
    from tests.web.conftest import TestClient, login

    app = create_app(web_env.config)
    renderer = app.state.site.renderer
    with TestClient(app, follow_redirects=False) as client:
        login(client, "lea")
        r = client.get(f"/skizze/{web_env.ids['lindenhagen']}/seite/1.png")
        assert r.status_code == 200
        assert renderer.running
    assert not renderer.running
