"""/_dash-layout and /_dash-dependencies, serialized once per process and state.

dash-renderer asks for both on every page load. Dash builds and serializes them anew each
time: the callbacks' list (which does not change once the app has started) and the shell
(menu from the catalogue, footer with the load time, the outage banner), about a tenth of
a page view's server CPU. Here each is kept as its JSON text:

- the callbacks' list per process, remade only if the list changes length (Dash adds
  the pages' callbacks on the first request), kept compressed too (webapp/packed.py);
- the shell per data version, load times and outage state, with the one part that
  differs between viewers, their menu (name, role, the session's CSRF token), left out
  as a marker and serialized per request into its place. While the warehouse does not
  answer, the shell is built as before, uncached, and says so;
- the page's `_dash-config` (the same for every page once Dash pages has built its
  validation layout), with the one part that differs per page load, Dash's signed
  `end_id`, made fresh for each page as Dash makes it and put in its place.

Sign-in runs first as for any other address (the guard is a `before_request`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import dash
from dash import Dash, _callback_signing
from dash._utils import gen_salt, to_json
from flask import Response

from components.services import Services
from components.shell import shell
from components.user_menu import user_menu
from webapp.first_page import filled_container
from webapp.packed import pack, packed_answer

LAYOUT = "/_dash-layout"
DEPENDENCIES = "/_dash-dependencies"
MARKER = "\x00user-menu\x00"  # no text of the shell holds a NUL
END_ID = "\x00end-id\x00"


class SharedAnswers:
    """The two answers' JSON text, one entry each (a new state replaces the old)."""

    def __init__(self, app: Dash, services: Services) -> None:
        self.app = app
        self.services = services
        self._lock = threading.Lock()
        self._shell: tuple[tuple, tuple[str, str]] | None = None  # (state, (before, after))
        self._callbacks: tuple[int, bytes, bytes] | None = None  # (count, JSON, packed)
        self._config: tuple[object, tuple[str, str]] | None = None  # (validation layout, text)
        self._empty = to_json(dash.page_container)  # never changes: made once
        self.generate_config_html: Callable[[], str] = app._generate_config_html  # Dash's own

    def _state(self) -> tuple | None:
        """What the shell is made from besides the viewer; None when it cannot be known.

        The load times are those of the data version (read once per version, not once
        per page: a query on every page load cost more than the rest of the shell); a
        warehouse that stops answering is noticed when the version is next checked
        (components/services.py) and said in a shell built for that state."""
        services = self.services
        try:
            version = services.data_version()
            loaded = services.load_times()
        except Exception:
            return None
        return (version, services.stale, services.demo, tuple(sorted(loaded.items())))

    def _shell_parts(self, state: tuple) -> tuple[str, str] | None:
        with self._lock:
            if self._shell is not None and self._shell[0] == state:
                return self._shell[1]
        text = to_json(shell(self.services, menu=MARKER))
        before, marker, after = text.partition(to_json(MARKER))
        if not marker or to_json(MARKER) in after:
            return None  # not exactly one place for the menu: serve it uncached
        with self._lock:
            self._shell = (state, (before, after))
        return before, after

    def layout(self) -> Response:
        state = self._state()
        parts = self._shell_parts(state) if state is not None else None
        if parts is None:
            text = to_json(shell(self.services))
        else:
            before, after = parts
            text = before + to_json(user_menu()) + after
        page = filled_container(self.app)
        if page is not None:  # the empty container is in the shell exactly once
            empty = self._empty
            if text.count(empty) == 1:
                text = text.replace(empty, to_json(page))
        return Response(text, mimetype="application/json")

    def dependencies(self) -> Response:
        callbacks = self.app._callback_list
        with self._lock:
            found = self._callbacks
        if found is None or found[0] != len(callbacks):
            text = to_json(callbacks).encode()
            found = (len(callbacks), text, pack(text))
            with self._lock:
                self._callbacks = found
        return packed_answer(found[1], found[2], content_type="application/json")

    def end_id(self) -> str:
        """A new page load's token, as Dash's own `_config` makes it."""
        secret = self.app._get_signing_secret()
        return _callback_signing.sign(secret, _callback_signing.END_SCOPE, gen_salt(24))

    def config_html(self) -> str:
        """The page's `<script id="_dash-config">`: Dash's config serialized once per
        validation layout (Dash pages sets it on the first request), with a fresh end_id."""
        layout = self.app.validation_layout
        with self._lock:
            found = self._config
        if found is None or found[0] is not layout:
            text = to_json({**self.app._config(), "end_id": END_ID})
            before, marker, after = text.partition(to_json(END_ID))
            if not marker:
                return self.generate_config_html()
            found = (layout, (before, after))
            with self._lock:
                self._config = found
        before, after = found[1]
        config = before + to_json(self.end_id()) + after
        return f'<script id="_dash-config" type="application/json">{config}</script>'


def install(app: Dash, services: Services) -> SharedAnswers:
    """Serve both addresses from the shared answers. The app's layout must be the shell
    alone (no extra components, no layout hooks), as Dash would then serve the same."""
    answers = SharedAnswers(app, services)
    views: dict[str, Callable[[], Response]] = app.server.view_functions
    views[LAYOUT] = answers.layout
    views[DEPENDENCIES] = answers.dependencies
    app._generate_config_html = answers.config_html
    return answers
