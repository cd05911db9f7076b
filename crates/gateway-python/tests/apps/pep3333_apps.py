"""WSGI apps for the PEP 3333 rules that ``tests/wsgi/pep3333.rs`` checks over a real socket.

The tests serve each one with ``microframe-wsgi pep3333_apps:NAME``. Every callable's
docstring says what it answers, and what a correct host makes of it. They need only the
standard library.
"""

import hashlib
import itertools
import json
import sys
import tempfile
from urllib.parse import parse_qs

TEXT = [("Content-Type", "text/plain; charset=utf-8")]


def _json(start_response, value, status="200 OK"):
    body = json.dumps(value, sort_keys=True).encode("ascii")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _query(environ, name):
    return parse_qs(environ["QUERY_STRING"])[name][0]


def environ_report(environ, start_response):
    """The environ as JSON, the body read whole with ``read()``.

    ``is_dict``: whether it is exactly a ``dict``; ``keys``: every key not starting with
    ``wsgi.``, sorted, space-separated; ``cgi``: those whose value is a ``str``, with it;
    ``not_str``: the keys (``repr``) whose key or value is not exactly ``str`` (a correct
    host: none); ``body_length`` and ``body_head`` (its first 64 bytes, as Latin-1).
    """
    body = environ["wsgi.input"].read()
    cgi = {key: value for key, value in environ.items() if not str(key).startswith("wsgi.")}
    not_str = [key for key, value in cgi.items() if type(key) is not str or type(value) is not str]
    return _json(start_response, {
        "is_dict": type(environ) is dict,
        "keys": " ".join(sorted(map(str, cgi))),
        "cgi": {key: value for key, value in cgi.items() if key not in not_str},
        "not_str": sorted(map(repr, not_str)),
        "body_length": len(body),
        "body_head": body[:64].decode("latin-1"),
    })


def wsgi_keys(environ, start_response):
    """The ``wsgi.*`` keys as JSON, and one line written to ``wsgi.errors``.

    ``keys``: the ``wsgi.*`` keys, sorted, space-separated. A correct host: ``version``
    ``"(1, 0)"`` (the tuple's ``repr``), ``url_scheme`` ``http``, ``errors_is_stderr``,
    ``multithread`` and ``input_terminated`` true, ``multiprocess`` and ``run_once`` false,
    ``file_wrapper`` true (present and callable), and the line
    ``pep3333_apps.wsgi_keys: wsgi.errors is the server's stderr`` on its stderr.
    """
    environ["wsgi.errors"].write("pep3333_apps.wsgi_keys: wsgi.errors is the server's stderr\n")
    environ["wsgi.errors"].flush()
    return _json(start_response, {
        "keys": " ".join(sorted(key for key in environ if key.startswith("wsgi."))),
        "version": repr(environ["wsgi.version"]),
        "url_scheme": environ["wsgi.url_scheme"],
        "errors_is_stderr": environ["wsgi.errors"] is sys.stderr,
        "multithread": environ["wsgi.multithread"],
        "multiprocess": environ["wsgi.multiprocess"],
        "run_once": environ["wsgi.run_once"],
        "input_terminated": environ["wsgi.input_terminated"],
        "file_wrapper": callable(environ.get("wsgi.file_wrapper")),
    })


def _summary(data):
    """A result as ``[length, sha256 prefix]``; a list of lines as a list of those."""
    if isinstance(data, list):
        return [_summary(line) for line in data]
    return [len(data), hashlib.sha256(data).hexdigest()[:12]]


# Each step: its name, and what it does to a binary file object.
STEPS = [
    ("read(0)", lambda f: f.read(0)),
    ("read(10)", lambda f: f.read(10)),
    ("readline()", lambda f: f.readline()),
    ("readline(5)", lambda f: f.readline(5)),
    ("readline(0)", lambda f: f.readline(0)),
    ("readline(1000)", lambda f: f.readline(1000)),
    ("read(7000)", lambda f: f.read(7000)),
    ("readlines(100)", lambda f: f.readlines(100)),
    ("3 lines by iteration", lambda f: list(itertools.islice(f, 3))),
    ("read(1)", lambda f: f.read(1)),
    ("read(30000)", lambda f: f.read(30000)),
]
ENDINGS = {
    "read": ("read()", lambda f: f.read()),
    "iterate": ("iteration to the end", lambda f: list(f)),
    "readlines": ("readlines()", lambda f: f.readlines()),
}
AFTER_END = [
    ("read() at the end", lambda f: f.read()),
    ("read(10) at the end", lambda f: f.read(10)),
    ("readline() at the end", lambda f: f.readline()),
    ("readlines() at the end", lambda f: f.readlines()),
    ("iteration at the end", lambda f: list(f)),
]


def input_like_a_file(environ, start_response):
    """``wsgi.input`` and ``open(FILE, 'rb')`` read by the same steps, side by side.

    ``?file=PATH&ending=E``: ``PATH`` holds the bytes the client posts. The steps are
    `STEPS`, then the ending (``read``: ``read()``; ``iterate``: ``list(input)``;
    ``readlines``: ``readlines()``), then `AFTER_END`. The JSON answer: ``steps``, the
    names; ``differ``, ``[name, input's result, file's result]`` (each a `_summary`) for every
    step whose results differ; ``total``, the bytes ``wsgi.input`` gave in all. A correct
    host: ``differ`` empty, ``total`` the body's length.
    """
    ending = ENDINGS[_query(environ, "ending")]
    steps = STEPS + [ending] + AFTER_END
    stream = environ["wsgi.input"]
    got = [step(stream) for _, step in steps]
    with open(_query(environ, "file"), "rb") as file:
        expected = [step(file) for _, step in steps]
    total = sum(len(b"".join(result)) if isinstance(result, list) else len(result) for result in got)
    differ = [[name, _summary(a), _summary(b)] for (name, _), a, b in zip(steps, got, expected) if a != b]
    return _json(start_response, {"steps": [name for name, _ in steps], "differ": differ, "total": total})


def readlines_hint(environ, start_response):
    """``?hint=N``: ``readlines(N)`` on ``wsgi.input`` and on a file of the same bytes, as
    Latin-1 text (``input`` and ``file``).

    The file is a real one (``tempfile.TemporaryFile``, an ``io.BufferedRandom``, as
    ``open(path, 'rb+')`` gives). For ``one\\ntwo\\nthree\\n`` and ``hint=4`` it gives
    ``["one\\n", "two\\n"]``: it stops once the lines read *exceed* the hint (``io.BytesIO``
    stops once they reach it). A host whose input reads as a file gives the same.
    """
    hint = int(_query(environ, "hint"))
    got = environ["wsgi.input"].readlines(hint)
    with tempfile.TemporaryFile() as file:
        file.write(b"".join(got) + environ["wsgi.input"].read())
        file.seek(0)
        expected = file.readlines(hint)
    return _json(start_response, {
        "input": [line.decode("latin-1") for line in got],
        "file": [line.decode("latin-1") for line in expected],
    })


def tuple_body(environ, start_response):
    """A tuple body and no ``Content-Length``: a correct host sends ``Hello, World!`` in
    one response with ``Content-Length: 13``, not chunked."""
    start_response("200 OK", TEXT)
    return (b"Hello, ", b"World!")


CHUNK = b"\xab" * 65536
PROGRESS = {"yielded": 0}


def big_stream(environ, start_response):
    """``GET /?chunks=N``: a generator of N chunks of 64 KiB (bytes ``0xAB``), no
    ``Content-Length``; ``GET /progress``: how many chunks the latest stream has yielded.

    A correct host streams it chunk by chunk with a few chunks in flight: memory stays flat
    however long the stream, and while the client does not read, the generator stops
    (``/progress`` stays put, far below N).
    """
    if environ["PATH_INFO"] == "/progress":
        text = str(PROGRESS["yielded"]).encode()
        start_response("200 OK", TEXT + [("Content-Length", str(len(text)))])
        return [text]
    chunks = int(_query(environ, "chunks"))
    PROGRESS["yielded"] = 0
    start_response("200 OK", [("Content-Type", "application/octet-stream")])

    def body():
        for _ in range(chunks):
            PROGRESS["yielded"] += 1
            yield CHUNK

    return body()


def wrapped_file(environ, start_response):
    """``?file=PATH``: ``environ['wsgi.file_wrapper'](open(PATH, 'rb'))``, no length.

    A correct host streams it, and the client gets the file's bytes exactly.
    """
    start_response("200 OK", [("Content-Type", "application/octet-stream")])
    return environ["wsgi.file_wrapper"](open(_query(environ, "file"), "rb"))


def generator_shorter_than_its_length(environ, start_response):
    """Declares ``Content-Length: 100`` and yields 10 bytes (``0123456789``) from a generator.

    The head is out before the host can know: a correct host sends the 10 bytes, then closes
    the connection, so the client sees the end of the stream, not a wait for 90 more bytes.
    """
    start_response("200 OK", TEXT + [("Content-Length", "100")])

    def body():
        yield b"0123456789"

    return body()


def exc_info_first(environ, start_response):
    """Catches an error and calls ``start_response`` for the first time with ``exc_info``,
    as Bottle does for its 500 page.

    Nothing was sent, so the call is accepted: a correct host answers
    ``503 Service Unavailable`` with ``X-Handled: yes`` and ``handled``.
    """
    try:
        raise ValueError("exc_info_first: caught by the app")
    except ValueError:
        start_response("503 Service Unavailable", TEXT + [("X-Handled", "yes")], sys.exc_info())
    return [b"handled\n"]
