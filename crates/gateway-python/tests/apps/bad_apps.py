"""WSGI callables that each make one mistake, or use one rare feature, for the host's tests.

The gateway-python tests serve each one with ``microframe-wsgi bad_apps:NAME`` and check
what the client sees and what stderr holds. Every callable's docstring says what a correct
host does with it. Where a traceback is expected on stderr, the app's message (each one
names its app) must be there, and never in the response.

Some of them are correct WSGI apps that exercise what hosts often get wrong
(``uses_write``, ``exc_info_replaces_headers``, ``file_wrapper``, ``reads_input_lines``,
``slow_generator_with_close``): ``check_apps.py`` serves those through ``wsgiref``.
"""

import json
import os
import sys
import time
from urllib.parse import parse_qs

TEXT = [("Content-Type", "text/plain; charset=utf-8")]


def raises_before_start(environ, start_response):
    """Raises before calling ``start_response``.

    A correct host answers ``500 Internal Server Error`` and logs the traceback (with
    ``raises_before_start: raised before start_response``) to stderr; the body never holds
    it. The next request on the connection is served as usual.
    """
    raise RuntimeError("raises_before_start: raised before start_response")


def raises_after_start(environ, start_response):
    """Calls ``start_response``, then raises in the iterable, before any body chunk.

    Headers are held until the first non-empty chunk, so nothing has been sent: a correct
    host still answers ``500`` (not the ``200`` given to ``start_response``, and without its
    ``X-Started`` header) and logs the traceback (``raises_after_start: raised in the
    iterable``).
    """
    start_response("200 OK", TEXT + [("X-Started", "yes")])

    def body():
        raise RuntimeError("raises_after_start: raised in the iterable")
        yield b"never sent"  # the yield makes `body` a generator

    return body()


def start_twice(environ, start_response):
    """Calls ``start_response`` twice without ``exc_info``.

    PEP 3333 makes the second call an error: a correct host raises in it, which the app does
    not catch, so the answer is ``500`` with the error logged; neither the ``200`` nor the
    ``201`` (nor ``X-Call``) reaches the client.
    """
    start_response("200 OK", TEXT + [("X-Call", "first")])
    start_response("201 Created", TEXT + [("X-Call", "second")])
    return [b"start_twice: this body must not be sent\n"]


def returns_none(environ, start_response):
    """Calls ``start_response``, then returns ``None`` instead of an iterable.

    A correct host answers ``500`` and logs that the app returned ``None``.
    """
    start_response("200 OK", TEXT)
    return None


def returns_str(environ, start_response):
    """Returns ``["text"]``: a list of ``str``, where PEP 3333 wants ``bytes``.

    Nothing is sent before the first chunk, and the first chunk is wrong: a correct host
    answers ``500`` and logs the type error; the text never reaches the client.
    """
    start_response("200 OK", TEXT)
    return ["text"]


def status_without_reason(environ, start_response):
    """Gives the status ``"200"``, without the reason phrase PEP 3333 requires.

    A correct host refuses it as ``wsgiref`` does: ``500``, with the bad status logged. It
    never sends a malformed status line (and never panics); ``ok`` is not sent.
    """
    start_response("200", TEXT)
    return [b"status_without_reason: ok\n"]


def header_with_newline(environ, start_response):
    """Gives a header value with a CR LF and a second header after it (header injection).

    A correct host answers ``500`` and logs the bad header: no ``X-Injected`` header ever
    reaches the client, nor the ``X-Bad`` one.
    """
    start_response("200 OK", TEXT + [("X-Bad", "a\r\nX-Injected: 1")])
    return [b"header_with_newline: must not be sent\n"]


def header_not_latin1(environ, start_response):
    """Gives the header ``("X-Name", "ünicode✓")``: ``✓`` has no Latin-1 byte.

    PEP 3333 header values are Latin-1 strings: a correct host answers ``500`` and logs
    the bad header (it neither drops the character nor sends UTF-8 bytes).
    """
    start_response("200 OK", TEXT + [("X-Name", "ünicode✓")])
    return [b"header_not_latin1: must not be sent\n"]


def generator_raises_midway(environ, start_response):
    """Yields two chunks, then raises.

    The headers and ``chunk 1``, ``chunk 2`` are sent before the error, so the status can no
    longer change: a correct host logs the traceback (``generator_raises_midway: raised
    after two chunks``) and closes the connection without the terminating chunk, so the
    client sees an incomplete body, never a complete ``200``.
    """
    start_response("200 OK", TEXT)

    def body():
        yield b"chunk 1\n"
        yield b"chunk 2\n"
        raise RuntimeError("generator_raises_midway: raised after two chunks")

    return body()


class _SlowBody:
    """The iterable of `slow_generator_with_close`: chunks every 0.05 s, and a `close()`."""

    def __init__(self, marker):
        self.marker = marker
        self.sent = 0

    def __iter__(self):
        for i in range(100):
            if i:
                time.sleep(0.05)
            self.sent += 1
            yield b"chunk %03d\n" % i

    def close(self):
        if self.marker:
            with open(self.marker, "w", encoding="utf-8") as marker:
                marker.write(f"closed after {self.sent} chunks\n")


def slow_generator_with_close(environ, start_response):
    """Sends ``chunk 000`` to ``chunk 099``, one line every 0.05 s (5 s in all), with a ``close()``.

    ``close()`` writes ``closed after N chunks`` to a marker file, whose path is the
    ``marker`` query parameter (``?marker=/some/file``, percent-encoded), else the
    ``MICROFRAME_CLOSE_MARKER`` environment variable (none: nothing is written). A correct
    host calls ``close()`` also when the client goes away mid-body: a client that reads a
    few chunks and disconnects finds the marker soon after, with N well under 100; a
    client that reads it all finds ``closed after 100 chunks``.
    """
    query = parse_qs(environ.get("QUERY_STRING", ""))
    marker = query.get("marker", [os.environ.get("MICROFRAME_CLOSE_MARKER", "")])[0]
    start_response("200 OK", TEXT)
    return _SlowBody(marker)


def uses_write(environ, start_response):
    """Sends its body through the ``write`` callable ``start_response`` returns, then ``[]``.

    A correct host sends ``200`` with ``written 1``, ``written 2`` (two lines), in that
    order, and ends the response when the (empty) iterable ends.
    """
    write = start_response("200 OK", TEXT)
    write(b"written 1\n")
    write(b"written 2\n")
    return []


def exc_info_replaces_headers(environ, start_response):
    """Calls ``start_response``, catches an error, and calls it again with ``exc_info``.

    Nothing was sent, so the second call replaces the first: a correct host answers
    ``500 Internal Server Error`` with ``X-Replaced: yes`` and without ``X-First``, and the
    body ``replaced``.
    """
    start_response("200 OK", TEXT + [("X-First", "yes")])
    try:
        raise ValueError("exc_info_replaces_headers: caught by the app")
    except ValueError:
        start_response("500 Internal Server Error", TEXT + [("X-Replaced", "yes")], sys.exc_info())
    return [b"replaced\n"]


def file_wrapper(environ, start_response):
    """Returns ``environ['wsgi.file_wrapper']`` around this very file.

    A correct host sends ``200`` with the bytes of ``bad_apps.py`` exactly, then closes the
    file (the wrapper's ``close()``).
    """
    start_response("200 OK", [("Content-Type", "text/x-python; charset=utf-8")])
    return environ["wsgi.file_wrapper"](open(__file__, "rb"))


def short_body(environ, start_response):
    """Declares ``Content-Length: 100`` and sends 10 bytes (``0123456789``).

    A correct host sends the 10 bytes, then closes the connection instead of leaving the
    client waiting for 90 more (and logs it): the client sees an incomplete body, at once.
    """
    start_response("200 OK", TEXT + [("Content-Length", "100")])
    return [b"0123456789"]


def reads_input_lines(environ, start_response):
    """Reads ``wsgi.input`` with ``readline()`` and then ``read()``, and says what it got.

    It reads up to three lines with ``readline()``, then ``readline(4)``, then ``read()``
    (no size: the rest), then ``read()`` again (at the end: ``b""``). The answer is JSON
    (``application/json``), each value the bytes read, decoded as Latin-1 (so any byte
    comes back as the character of the same number)::

        {"lines": [...], "readline_4": "...", "rest": "...", "after_end": ""}

    For the body ``one\\ntwo\\nthree\\nfour-five\\nsix`` a correct host gives
    ``{"lines": ["one\\n", "two\\n", "three\\n"], "readline_4": "four",
    "rest": "-five\\nsix", "after_end": ""}``; the same for that body sent chunked. An empty
    body gives ``{"lines": [], "readline_4": "", "rest": "", "after_end": ""}``.

    ``read()`` without a size is what ``wsgiref.validate`` refuses (a PEP 333 rule that PEP
    3333 dropped): this app needs the validator relaxed there, and an input that ends
    (``wsgi.input_terminated``).
    """
    stream = environ["wsgi.input"]
    lines = []
    while len(lines) < 3:
        line = stream.readline()
        if not line:
            break
        lines.append(line)
    got = {
        "lines": [line.decode("latin-1") for line in lines],
        "readline_4": stream.readline(4).decode("latin-1"),
        "rest": stream.read().decode("latin-1"),
        "after_end": stream.read().decode("latin-1"),
    }
    body = json.dumps(got).encode("ascii")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
