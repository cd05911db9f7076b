"""Self-test of the apps the gateway-python tests serve: are the apps themselves right?

Run it with the tests' virtualenv, from anywhere::

    target/test-venv/bin/python crates/gateway-python/tests/apps/check_apps.py

It needs only the standard library, Flask and Bottle. Each correct app (``environment``,
``get_form``, ``post_form``, ``flask_app``, ``bottle_app``, and the correct ones of
``bad_apps``) is served by ``wsgiref.simple_server`` on 127.0.0.1 (a free port, in a thread),
wrapped in ``wsgiref.validate.validator``, and asked over HTTP with ``urllib.request``
(redirects are not followed). Every request runs twice:

- ``[wsgiref]``: the environ as ``wsgiref`` makes it, under the validator unrelaxed.
- ``[host]``: the environ as ``microframe-wsgi`` makes it: the body already framed
  (``wsgi.input`` ends where the body does) and ``wsgi.input_terminated`` true, under the
  validator relaxed in one place: ``read()`` may be called without a size. That PEP 333
  rule is gone from PEP 3333, and Werkzeug (so Flask) relies on it once
  ``wsgi.input_terminated`` is set: it reads a form or a JSON body with ``read()``. A check
  below shows the unrelaxed validator refusing exactly that. (Bottle always reads with a
  size; the tutorial's programs do too.)

Anything the validator raises, in the app call, the body or ``close()``, fails the
request's check, and so does a ``WSGIWarning`` (made an error here). The mistakes of
``bad_apps`` are checked in process: each app does make the mistake its docstring names.

It prints one line per check, ``ok`` or ``FAIL``, then ``N passed, N failed``, and exits 0
only when every check passed.

The host's tests can serve the apps under the same relaxed validator, through
``microframe-wsgi check_apps:validated_flask`` (and ``validated_bottle``,
``validated_environment``, ``validated_get_form``, ``validated_post_form``), with this
directory as the working directory. A validator assertion then is a 500 (logged), and an
iterable the host never closes prints ``Iterator garbage collected without being closed``
to stderr.
"""

import contextlib
import io
import json
import os
import socket
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
import warnings
from http.cookies import SimpleCookie
from wsgiref import validate
from wsgiref.handlers import SimpleHandler
from wsgiref.simple_server import WSGIRequestHandler, make_server
from wsgiref.util import FileWrapper, setup_testing_defaults

# No __pycache__ beside the apps, in the work tree.
sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import bad_apps  # noqa: E402
import bottle_app  # noqa: E402
import environment  # noqa: E402
import flask_app  # noqa: E402
import get_form  # noqa: E402
import post_form  # noqa: E402


# The validator, relaxed in one place.


class RelaxedInput(validate.InputWrapper):
    """``wsgiref.validate``'s input check, but ``read()`` may come without a size (PEP 3333)."""

    def read(self, *args):
        validate.assert_(len(args) <= 1, "read() takes at most one argument")
        data = self.input.read(*args)
        validate.assert_(type(data) is bytes, "wsgi.input.read() must return bytes")
        return data


def relaxed_validator(app):
    """`wsgiref.validate.validator`, except that ``wsgi.input.read()`` needs no size."""

    def unwrap_input(environ, start_response):
        environ["wsgi.input"] = RelaxedInput(environ["wsgi.input"].input)
        return app(environ, start_response)

    return validate.validator(unwrap_input)


# For the host's tests: `microframe-wsgi check_apps:validated_flask`, and so on.
validated_environment = relaxed_validator(environment.application)
validated_get_form = relaxed_validator(get_form.application)
validated_post_form = relaxed_validator(post_form.application)
validated_flask = relaxed_validator(flask_app.app)
validated_bottle = relaxed_validator(bottle_app.app)


# Checks and their report.

PASSED = []
FAILED = []


@contextlib.contextmanager
def check(label):
    """One check: ``ok LABEL`` when the block ends, ``FAIL LABEL: why`` when it raises."""
    try:
        yield
    except Exception as error:  # noqa: BLE001  (every failure is reported, then counted)
        FAILED.append(label)
        print(f"FAIL {label}: {type(error).__name__}: {error}", flush=True)
    else:
        PASSED.append(label)
        print(f"ok   {label}", flush=True)


def equal(actual, expected, what="value"):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def holds(text, part, what="body"):
    if part not in text:
        raise AssertionError(f"{what} lacks {part!r}: {text[:600]!r}")


def lacks(text, part, what="body"):
    if part in text:
        raise AssertionError(f"{what} holds {part!r}: {text[:600]!r}")


# A server, in a thread, for one app.


class QuietHandler(WSGIRequestHandler):
    """``wsgiref``'s request handler without the access log on stderr."""

    def log_message(self, format, *args):
        pass


UNRAISABLE = []


def record_unraisable(unraisable):
    # The validator's `Iterator garbage collected without being closed` lands here.
    UNRAISABLE.append(f"{unraisable.exc_type.__name__}: {unraisable.exc_value}")


class Watched:
    """The body iterable, as the server sees it: records errors, and counts the ends."""

    def __init__(self, served, result):
        self.served = served
        self.result = result
        self.iterator = iter(result)

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self.iterator)
        except StopIteration:
            raise
        except BaseException as error:
            self.served.failures.append(f"in the body: {type(error).__name__}: {error}")
            raise

    def close(self):
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        except BaseException as error:
            self.served.failures.append(f"in close(): {type(error).__name__}: {error}")
            raise
        finally:
            self.served.finished()


class Served:
    """``APP`` on ``wsgiref.simple_server``, under the validator, in a thread.

    ``mode`` is ``wsgiref`` (its environ, the validator unrelaxed) or ``host`` (a framed
    body, ``wsgi.input_terminated``, the validator relaxed). ``wsgi.errors`` is a new
    buffer for each request: ``last_errors`` is the latest one's text.
    """

    def __init__(self, app, mode):
        self.mode = mode
        self.failures = []
        self.errors = []
        self.done = 0
        self.condition = threading.Condition()
        checked = relaxed_validator(app) if mode == "host" else validate.validator(app)

        def server_side(environ, start_response):
            errors = io.StringIO()
            self.errors.append(errors)
            environ["wsgi.errors"] = errors
            if mode == "host":
                try:
                    size = int(environ.get("CONTENT_LENGTH") or 0)
                except ValueError:
                    size = 0
                environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(size))
                environ["wsgi.input_terminated"] = True
            try:
                result = checked(environ, start_response)
            except BaseException as error:
                self.failures.append(f"in the app call: {type(error).__name__}: {error}")
                self.finished()
                raise
            return Watched(self, result)

        self.httpd = make_server("127.0.0.1", 0, server_side, handler_class=QuietHandler)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def finished(self):
        with self.condition:
            self.done += 1
            self.condition.notify_all()

    def wait(self, count, timeout=10):
        with self.condition:
            if not self.condition.wait_for(lambda: self.done >= count, timeout):
                raise AssertionError("the server did not finish the request")

    @property
    def last_errors(self):
        return self.errors[-1].getvalue() if self.errors else ""

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects come back as they are (an `HTTPError` with the 3xx), never followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


class Answer:
    def __init__(self, status, headers, body, errors):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8")
        self.errors = errors

    def header(self, name):
        return self.headers.get(name)

    def cookies(self):
        return self.headers.get_all("Set-Cookie") or []


def fetch(served, path, method=None, data=None, headers=None):
    """The app's answer to one request; fails on anything the validator or app raised."""
    count = served.done + 1
    request = urllib.request.Request(served.url(path), data=data, method=method, headers=headers or {})
    try:
        with OPENER.open(request, timeout=10) as response:
            status, answer_headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, body = error.code, error.headers, error.read()
        error.close()
    served.wait(count)
    if served.failures or UNRAISABLE:
        failures = served.failures + UNRAISABLE
        served.failures.clear()
        UNRAISABLE.clear()
        raise AssertionError("; ".join(failures))
    return Answer(status, answer_headers, body, served.last_errors)


def form(**fields):
    return urllib.parse.urlencode(fields, doseq=True).encode("ascii")


class Jar:
    """The cookies a browser would keep from the answers it got (a cookie with Max-Age 0 or
    less, or an empty value, is deleted), sent back as one ``Cookie`` header."""

    def __init__(self):
        self.cookies = {}

    def keep(self, answer):
        for line in answer.cookies():
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                max_age = morsel["max-age"]
                if morsel.value == "" or (max_age and int(max_age) <= 0):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value
        return self

    def names(self):
        return sorted(self.cookies)

    def header(self):
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}


# The tutorial's programs.

TUTORIAL_PAGE = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Profile</title>
</head>
<body>
<form method="get" action="">
<p>Age: <input type="text" name="age" value="10"></p>
<p>Hobbies:
<label><input name="hobbies" type="checkbox" value="software" checked> Software</label>
<label><input name="hobbies" type="checkbox" value="tunning" checked> Auto Tunning</label>
</p>
<p><input type="submit" value="Submit"></p>
</form>
<p>
Age: 10<br>
Hobbies: software, tunning
</p>
</body>
</html>"""


def results(answer):
    """The page's results: the ``Age: ...<br>`` line and the ``Hobbies: ...`` line."""
    lines = answer.text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("<br>"))
    return lines[at], lines[at + 1]


def check_environment(mode):
    with Served(environment.application, mode) as served:
        with check(f"environment [{mode}] GET /some/path?x=1: 200 text/plain, sorted KEY: value lines"):
            answer = fetch(served, "/some/path?x=1")
            equal(answer.status, 200, "status")
            equal(answer.header("Content-Type"), "text/plain; charset=utf-8", "Content-Type")
            equal(answer.header("Content-Length"), str(len(answer.body)), "Content-Length")
            lines = answer.text.splitlines()
            keys = [line.split(": ", 1)[0] for line in lines]
            equal(keys, sorted(keys), "key order")
            for line in ["REQUEST_METHOD: GET", "PATH_INFO: /some/path", "QUERY_STRING: x=1",
                         "SERVER_PORT: %d" % served.port, "wsgi.version: (1, 0)", "wsgi.url_scheme: http"]:
                holds(lines, line, "lines")
            if mode == "host":
                holds(lines, "wsgi.input_terminated: True", "lines")
        with check(f"environment [{mode}] writes the same text to wsgi.errors"):
            equal(answer.errors, answer.text, "wsgi.errors")


def check_get_form(mode):
    with Served(get_form.application, mode) as served:
        with check(f"get_form [{mode}] GET /?age=10&hobbies=software&hobbies=tunning: the Rust example's page, 486 bytes"):
            answer = fetch(served, "/?age=10&hobbies=software&hobbies=tunning")
            equal(answer.status, 200, "status")
            equal(answer.header("Content-Type"), "text/html; charset=utf-8", "Content-Type")
            equal(answer.header("Content-Length"), "486", "Content-Length")
            equal(answer.text, TUTORIAL_PAGE, "page")
        with check(f"get_form [{mode}] GET /?age=10&age=11: the first age, No Hobbies"):
            answer = fetch(served, "/?age=10&age=11")
            equal(results(answer), ("Age: 10<br>", "Hobbies: No Hobbies"), "results")
            lacks(answer.text, " checked")
        with check(f"get_form [{mode}] GET /?age=: Empty, and an empty input"):
            answer = fetch(served, "/?age=")
            equal(results(answer), ("Age: Empty<br>", "Hobbies: No Hobbies"), "results")
            holds(answer.text, 'name="age" value=""')
        with check(f"get_form [{mode}] GET /?age=<script>alert(1)</script> (urlencoded): escaped twice, no <script>"):
            answer = fetch(served, "/?" + urllib.parse.urlencode({"age": "<script>alert(1)</script>"}))
            holds(answer.text, 'value="&lt;script&gt;alert(1)&lt;/script&gt;"')
            holds(answer.text, "Age: &lt;script&gt;alert(1)&lt;/script&gt;<br>")
            lacks(answer.text, "<script>")
        with check(f"get_form [{mode}] GET /?age=\"><script>: the quote is &quot;"):
            answer = fetch(served, "/?" + urllib.parse.urlencode({"age": '"><script>'}))
            holds(answer.text, 'value="&quot;&gt;&lt;script&gt;"')
        with check(f"get_form [{mode}] GET /?age=a+b%zz&hobbies=%ff: + is a space, %zz stays, bad UTF-8 is U+FFFD"):
            answer = fetch(served, "/?age=a+b%zz&hobbies=%ff")
            equal(results(answer), ("Age: a b%zz<br>", "Hobbies: \ufffd"), "results")
        with check(f"get_form [{mode}] GET /other/path?age=7 and POST / (a body, no query): any path, the query only"):
            answer = fetch(served, "/other/path?age=7")
            equal(results(answer)[0], "Age: 7<br>", "age")
            answer = fetch(served, "/", data=form(age="10"))
            equal(answer.status, 200, "status")
            equal(results(answer), ("Age: Empty<br>", "Hobbies: No Hobbies"), "results")


def check_post_form(mode):
    post_page = TUTORIAL_PAGE.replace('method="get"', 'method="post"')
    with Served(post_form.application, mode) as served:
        with check(f"post_form [{mode}] POST / age=10&hobbies=software&hobbies=tunning: the page, method=post"):
            answer = fetch(served, "/", data=b"age=10&hobbies=software&hobbies=tunning")
            equal(answer.status, 200, "status")
            equal(answer.header("Content-Type"), "text/html; charset=utf-8", "Content-Type")
            equal(answer.header("Content-Length"), str(len(answer.body)), "Content-Length")
            equal(answer.text, post_page, "page")
        with check(f"post_form [{mode}] GET /?age=10: the empty form (the query is not read)"):
            answer = fetch(served, "/?age=10")
            equal(results(answer), ("Age: Empty<br>", "Hobbies: No Hobbies"), "results")
            holds(answer.text, '<form method="post" action="">')
        with check(f"post_form [{mode}] POST / with an empty body: the empty form"):
            answer = fetch(served, "/", data=b"")
            equal(results(answer), ("Age: Empty<br>", "Hobbies: No Hobbies"), "results")
        with check(f"post_form [{mode}] POST / age=<script>: escaped"):
            answer = fetch(served, "/", data=form(age="<script>", hobbies=["<b>"]))
            equal(results(answer), ("Age: &lt;script&gt;<br>", "Hobbies: &lt;b&gt;"), "results")
            lacks(answer.text, "<script>")
        with check(f"post_form [{mode}] POST / age=\\xff (raw, not UTF-8): U+FFFD"):
            answer = fetch(served, "/", data=b"age=\xff")
            equal(results(answer)[0], "Age: \ufffd<br>", "age")


def check_post_form_lengths():
    """The try/except around CONTENT_LENGTH, called in process (wsgiref would refuse `abc`)."""
    cases = [("missing", None, b"age=10"), ("empty", "", b"age=10"), ("abc", "abc", b"age=10")]
    for label, length, body in cases:
        with check(f"post_form [in process] CONTENT_LENGTH {label}: 0 bytes read, the empty form"):
            answer = call(post_form.application, body=body, content_length=length)
            equal(answer["status"], "200 OK", "status")
            holds(b"".join(answer["chunks"]).decode(), "Age: Empty<br>")
            equal(answer["input"].tell(), 0, "bytes read")
    with check("post_form [in process] CONTENT_LENGTH 6 of a longer body: only 6 bytes read"):
        answer = call(post_form.application, body=b"age=10&hobbies=software", content_length="6")
        page = b"".join(answer["chunks"]).decode()
        holds(page, "Age: 10<br>\nHobbies: No Hobbies")
        equal(answer["input"].tell(), 6, "bytes read")


# Flask and Bottle, the same checks, their differences spelled out.

FRAMEWORKS = {
    "flask": {"app": flask_app.app, "redirect": 302, "absolute": False, "session": ["session"]},
    "bottle": {"app": bottle_app.app, "redirect": 303, "absolute": True, "session": ["name", "flash"]},
}


def location(served, answer, path, absolute):
    equal(answer.header("Location"), served.url(path) if absolute else path, "Location")


def check_framework(name, mode):
    spec = FRAMEWORKS[name]
    redirect, absolute = spec["redirect"], spec["absolute"]
    with Served(spec["app"], mode) as served:
        with check(f"{name} [{mode}] GET /: 200 text/html, a link to url_for('hello', name='World')"):
            index = fetch(served, "/")
            equal(index.status, 200, "status")
            equal(index.header("Content-Type").lower(), "text/html; charset=utf-8", "Content-Type")
            holds(index.text, '<a href="/hello/World">Say hello</a>')
            holds(index.text, '<form method="post" action="/sign">')
            lacks(index.text, "Signed in as")
        with check(f"{name} [{mode}] HEAD /: 200, no body, the GET's Content-Length"):
            answer = fetch(served, "/", method="HEAD")
            equal(answer.status, 200, "status")
            equal(answer.body, b"", "body")
            equal(answer.header("Content-Length"), str(len(index.body)), "Content-Length")
        with check(f"{name} [{mode}] GET /hello/World: <p>Hello, World!</p>"):
            answer = fetch(served, "/hello/World")
            equal(answer.status, 200, "status")
            equal(answer.text, "<p>Hello, World!</p>", "body")
        with check(f"{name} [{mode}] GET /hello/%3Cb%3E: the name escaped"):
            answer = fetch(served, "/hello/%3Cb%3E")
            equal(answer.text, "<p>Hello, &lt;b&gt;!</p>", "body")
        with check(f"{name} [{mode}] GET /hello/caf%C3%A9: PATH_INFO in Latin-1 comes back as café"):
            answer = fetch(served, "/hello/caf%C3%A9")
            equal(answer.text, "<p>Hello, café!</p>", "body")
        with check(f"{name} [{mode}] GET /greet?name=Ada%20Lovelace: {redirect} to /hello/Ada%20Lovelace"):
            answer = fetch(served, "/greet?name=Ada%20Lovelace")
            equal(answer.status, redirect, "status")
            location(served, answer, "/hello/Ada%20Lovelace", absolute)
        with check(f"{name} [{mode}] GET /greet: {redirect} to /hello/World"):
            answer = fetch(served, "/greet")
            equal(answer.status, redirect, "status")
            location(served, answer, "/hello/World", absolute)
        with check(f"{name} [{mode}] POST /sign name=Adé: {redirect} to /, then / says Signed in as Adé, flashed once"):
            answer = fetch(served, "/sign", data=form(name="Adé"))
            equal(answer.status, redirect, "status")
            location(served, answer, "/", absolute)
            jar = Jar().keep(answer)
            equal(jar.names(), sorted(spec["session"]), "cookies set")
            page = fetch(served, "/", headers=jar.header())
            holds(page.text, "<p>Signed in as Adé</p>")
            holds(page.text, '<p class="flash">Signed as Adé</p>')
            again = fetch(served, "/", headers=jar.keep(page).header())
            holds(again.text, "<p>Signed in as Adé</p>")
            lacks(again.text, 'class="flash"')
        with check(f"{name} [{mode}] POST /sign name=<b>: the name escaped on /"):
            answer = fetch(served, "/sign", data=form(name="<b>"))
            page = fetch(served, "/", headers=Jar().keep(answer).header())
            holds(page.text, "<p>Signed in as &lt;b&gt;</p>")
            lacks(page.text, "<b>")
        with check(f"{name} [{mode}] GET /sign: 405"):
            answer = fetch(served, "/sign")
            equal(answer.status, 405, "status")
        with check(f"{name} [{mode}] GET /api?x=1&x=2: 200 application/json"):
            answer = fetch(served, "/api?x=1&x=2")
            equal(answer.status, 200, "status")
            equal(answer.header("Content-Type"), "application/json", "Content-Type")
            expected = {"framework": name, "method": "GET", "path": "/api", "script_root": "",
                        "hello_url": "/hello/World", "args": {"x": ["1", "2"]}, "received": None}
            equal(json.loads(answer.body), expected, "JSON")
        with check(f"{name} [{mode}] POST /api a JSON body: it comes back as received"):
            sent = {"n": 1, "s": "é", "list": [True, None]}
            answer = fetch(served, "/api", data=json.dumps(sent).encode(),
                           headers={"Content-Type": "application/json"})
            equal(answer.status, 200, "status")
            equal(json.loads(answer.body)["received"], sent, "received")
        with check(f"{name} [{mode}] GET /cookie (Cookie: c=3; d=4): two Set-Cookie, a=1 and b=2"):
            answer = fetch(served, "/cookie", headers={"Cookie": "c=3; d=4"})
            equal(answer.status, 200, "status")
            equal(answer.cookies(), ["a=1; Path=/", "b=2; Path=/"], "Set-Cookie")
            equal(answer.text, "received: c=3; d=4\n", "body")
        with check(f"{name} [{mode}] GET /stream: 200 text/plain, five chunks, no Content-Length"):
            answer = fetch(served, "/stream")
            equal(answer.status, 200, "status")
            equal(answer.header("Content-Type").lower(), "text/plain; charset=utf-8", "Content-Type")
            equal(answer.header("Content-Length"), None, "Content-Length")
            equal(answer.text, "".join(f"chunk {i}\n" for i in range(5)), "body")
        with check(f"{name} [{mode}] GET /no/such/page: 404 from the app's handler"):
            answer = fetch(served, "/no/such/page")
            equal(answer.status, 404, "status")
            equal(answer.header("Content-Type").lower(), "text/html; charset=utf-8", "Content-Type")
            holds(answer.text, "<h1>Not Found</h1>")
            holds(answer.text, "<p>Nothing here at /no/such/page.</p>")
        with check(f"{name} [{mode}] GET /%3Cscript%3E: 404, the path escaped"):
            answer = fetch(served, "/%3Cscript%3E")
            equal(answer.status, 404, "status")
            holds(answer.text, "Nothing here at /&lt;script&gt;.")
        with check(f"{name} [{mode}] GET /boom: 500, the traceback in wsgi.errors, not in the body"):
            answer = fetch(served, "/boom")
            equal(answer.status, 500, "status")
            holds(answer.text, "Internal Server Error")
            lacks(answer.text, "must not see")
            holds(answer.errors, "RuntimeError: boom: an error the client must not see", "wsgi.errors")


# The correct ones of bad_apps.


def check_bad_apps_served(mode):
    with Served(bad_apps.uses_write, mode) as served:
        with check(f"bad_apps.uses_write [{mode}]: 200, written 1, written 2"):
            answer = fetch(served, "/")
            equal(answer.status, 200, "status")
            equal(answer.text, "written 1\nwritten 2\n", "body")
    with Served(bad_apps.exc_info_replaces_headers, mode) as served:
        with check(f"bad_apps.exc_info_replaces_headers [{mode}]: 500, X-Replaced, no X-First"):
            answer = fetch(served, "/")
            equal(answer.status, 500, "status")
            equal(answer.header("X-Replaced"), "yes", "X-Replaced")
            equal(answer.header("X-First"), None, "X-First")
            equal(answer.text, "replaced\n", "body")
    with Served(bad_apps.file_wrapper, mode) as served:
        with check(f"bad_apps.file_wrapper [{mode}]: 200, the bytes of bad_apps.py"):
            answer = fetch(served, "/")
            equal(answer.status, 200, "status")
            with open(bad_apps.__file__, "rb") as source:
                equal(answer.body, source.read(), "body")
    if mode == "host":  # read() without a size: wsgiref's own input would wait for more
        with Served(bad_apps.reads_input_lines, mode) as served:
            with check(f"bad_apps.reads_input_lines [{mode}]: three lines, readline(4), the rest, then b''"):
                answer = fetch(served, "/", data=b"one\ntwo\nthree\nfour-five\nsix")
                equal(answer.header("Content-Type"), "application/json", "Content-Type")
                equal(json.loads(answer.body), {"lines": ["one\n", "two\n", "three\n"], "readline_4": "four",
                                                "rest": "-five\nsix", "after_end": ""}, "JSON")
            with check(f"bad_apps.reads_input_lines [{mode}] an empty body: nothing at all"):
                answer = fetch(served, "/", data=b"")
                equal(json.loads(answer.body), {"lines": [], "readline_4": "", "rest": "", "after_end": ""}, "JSON")
    with Served(bad_apps.slow_generator_with_close, mode) as served:
        with check(f"bad_apps.slow_generator_with_close [{mode}]: close() runs once the client is gone"):
            with tempfile.TemporaryDirectory() as directory:
                marker = os.path.join(directory, "closed")
                count = served.done + 1
                with socket.create_connection(("127.0.0.1", served.port), timeout=10) as client:
                    query = urllib.parse.urlencode({"marker": marker})
                    client.sendall(f"GET /?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                    received = b""
                    while received.count(b"chunk ") < 3:
                        data = client.recv(4096)
                        if not data:
                            raise AssertionError(f"the body ended early: {received!r}")
                        received += data
                served.wait(count)
                with open(marker, encoding="utf-8") as file:
                    text = file.read()
                if not text.startswith("closed after ") or int(text.split()[2]) >= 100:
                    raise AssertionError(f"marker: {text!r}")
                if served.failures or UNRAISABLE:
                    raise AssertionError("; ".join(served.failures + UNRAISABLE))


# Calls in process (no socket), and the mistakes of bad_apps.


def test_environ():
    """``wsgiref.util.setup_testing_defaults``, with the ``QUERY_STRING`` every host sets."""
    environ = {"QUERY_STRING": ""}
    setup_testing_defaults(environ)
    return environ


def call(app, body=b"", content_length=None, query=""):
    """Calls ``app`` as a strict host would, and records what it did."""
    environ = test_environ()
    stream = io.BytesIO(body)
    environ.update({"QUERY_STRING": query, "wsgi.input": stream, "wsgi.errors": io.StringIO(),
                    "wsgi.file_wrapper": FileWrapper})
    if content_length is not None:
        environ["CONTENT_LENGTH"] = content_length
    got = {"status": None, "headers": None, "calls": 0, "chunks": [], "sent": False, "error": None,
           "input": stream}

    def write(data):
        got["chunks"].append(data)
        got["sent"] = True

    def start_response(status, headers, exc_info=None):
        got["calls"] += 1
        if exc_info is not None:
            if got["sent"]:
                raise exc_info[1].with_traceback(exc_info[2])
        elif got["status"] is not None:
            raise AssertionError("start_response called a second time without exc_info")
        got["status"], got["headers"] = status, headers
        return write

    result = None
    try:
        result = app(environ, start_response)
        for chunk in result:
            got["chunks"].append(chunk)
            got["sent"] = got["sent"] or bool(chunk)
    except Exception as error:  # noqa: BLE001  (the error is what is checked)
        got["error"] = error
    finally:
        if hasattr(result, "close"):
            result.close()
    return got


def under_wsgiref(app):
    """What ``wsgiref``, with the validator, sends for ``app``: the bytes, and its log."""
    environ = test_environ()
    out, log = io.BytesIO(), io.StringIO()
    SimpleHandler(io.BytesIO(), out, log, environ).run(validate.validator(app))
    return out.getvalue(), log.getvalue()


def check_bad_apps_mistakes():
    refused = {
        # app: what wsgiref (or its validator) logs when it refuses it with a 500
        "raises_before_start": "RuntimeError: raises_before_start: raised before start_response",
        "raises_after_start": "RuntimeError: raises_after_start: raised in the iterable",
        "start_twice": "AssertionError: Headers already set!",
        "returns_none": "The application must return an iterator",
        "returns_str": "Iterator yielded non-bytestring ('text')",
        "status_without_reason": "should be a three-digit integer followed by a single space",
        "header_with_newline": "Bad header value: 'a\\r\\nX-Injected: 1'",
    }
    for name, logged in refused.items():
        with check(f"bad_apps.{name} [in process]: wsgiref with the validator answers 500 ({logged})"):
            sent, log = under_wsgiref(getattr(bad_apps, name))
            holds(sent.decode("latin-1"), "HTTP/1.0 500 Internal Server Error\r\n", "response")
            holds(log, logged, "log")
            lacks(sent.decode("latin-1"), "must not be sent", "response")
    with check("bad_apps.start_twice [in process]: the second call has no exc_info"):
        got = call(bad_apps.start_twice)
        equal(got["calls"], 2, "calls")
        holds(str(got["error"]), "second time", "error")
    with check("bad_apps.header_not_latin1 [in process]: X-Name has no Latin-1 form (wsgiref breaks off its answer)"):
        got = call(bad_apps.header_not_latin1)
        equal(dict(got["headers"])["X-Name"], "ünicode✓", "X-Name")
        try:
            dict(got["headers"])["X-Name"].encode("latin-1")
        except UnicodeEncodeError:
            pass
        else:
            raise AssertionError("X-Name encodes in Latin-1")
        sent, log = under_wsgiref(bad_apps.header_not_latin1)
        holds(log, "UnicodeEncodeError", "log")
    with check("bad_apps.generator_raises_midway [in process]: two chunks, then the error"):
        got = call(bad_apps.generator_raises_midway)
        equal(got["chunks"], [b"chunk 1\n", b"chunk 2\n"], "chunks")
        holds(str(got["error"]), "raised after two chunks", "error")
    with check("bad_apps.short_body [in process]: Content-Length 100, 10 bytes"):
        got = call(bad_apps.short_body)
        equal(dict(got["headers"])["Content-Length"], "100", "Content-Length")
        equal(b"".join(got["chunks"]), b"0123456789", "body")
    with check("bad_apps.slow_generator_with_close [in process]: MICROFRAME_CLOSE_MARKER, when there is no query"):
        with tempfile.TemporaryDirectory() as directory:
            marker = os.path.join(directory, "closed")
            os.environ["MICROFRAME_CLOSE_MARKER"] = marker
            try:
                result = bad_apps.slow_generator_with_close(test_environ(), lambda *args: None)
                next(iter(result))
                result.close()
            finally:
                del os.environ["MICROFRAME_CLOSE_MARKER"]
            with open(marker, encoding="utf-8") as file:
                equal(file.read(), "closed after 1 chunks\n", "marker")


# Why the validator is relaxed, shown.


def check_relaxation():
    def post(app):
        body = form(name="Ada")
        environ, log = test_environ(), io.StringIO()
        environ.update({"REQUEST_METHOD": "POST", "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/sign",
                        "wsgi.input": io.BytesIO(body),
                        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
                        "wsgi.input_terminated": True, "wsgi.errors": log})
        statuses = []
        result = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(result)
        result.close()
        return statuses[-1], log.getvalue()

    with check("flask [in process] wsgi.input_terminated, the validator unrelaxed: 500, read() had no size"):
        status, log = post(validate.validator(flask_app.app))
        equal(status, "500 INTERNAL SERVER ERROR", "status")
        holds(log, "AssertionError", "log")
        holds(log, "in read", "log")
    with check("flask [in process] wsgi.input_terminated, the validator relaxed: 302"):
        status, log = post(relaxed_validator(flask_app.app))
        equal(status, "302 FOUND", "status")
    with check("bottle [in process] wsgi.input_terminated, the validator unrelaxed: 303 (Bottle reads with a size)"):
        status, log = post(validate.validator(bottle_app.app))
        equal(status, "303 See Other", "status")
    with check("bad_apps.reads_input_lines [in process] the validator unrelaxed: refused (read() has no size)"):
        sent, log = under_wsgiref(bad_apps.reads_input_lines)
        holds(sent.decode("latin-1"), "HTTP/1.0 500 ", "response")
        holds(log, "in read", "log")


def main():
    warnings.simplefilter("error", validate.WSGIWarning)
    sys.unraisablehook = record_unraisable
    for mode in ("wsgiref", "host"):
        check_environment(mode)
        check_get_form(mode)
        check_post_form(mode)
        for name in FRAMEWORKS:
            check_framework(name, mode)
        check_bad_apps_served(mode)
    check_post_form_lengths()
    check_bad_apps_mistakes()
    check_relaxation()
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    return 0 if not FAILED else 1


if __name__ == "__main__":
    sys.exit(main())
