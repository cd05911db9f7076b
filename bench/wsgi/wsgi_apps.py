"""The benchmark's three scenarios as plain PEP 3333 callables, for the `microframe-wsgi`
target of bench/run.sh: `microframe-wsgi --no-access-log wsgi_apps:SCENARIO ADDR`.

They answer as example-bench-server does (status, Content-Type and body bytes; run.sh
checks it before measuring):

* ``hello``: any request -> 200 ``Hello, World!`` (text/plain; charset=utf-8).
* ``query``: ``GET /?age=10&hobbies=software&hobbies=tunning`` -> the page of
  templates/profile.html with the age and one ``<li>`` per hobby, escaped as microframe
  escapes; 400 when ``age`` is missing or not a ``u32``.
* ``post``: ``POST /`` with the urlencoded form ``age=10&hobbies=a&hobbies=b`` -> the same.

Only the standard library is used, so no virtualenv is needed.
"""

from urllib.parse import parse_qs

HELLO = b"Hello, World!"
TEXT = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(HELLO)))]

# templates/profile.html, rendered.
HEAD = "<!DOCTYPE html>\n<html><head><title>Profile</title></head>\n<body>\n<h1>Age: %d</h1>\n<ul>"
ITEM = "\n<li>%s</li>"
TAIL = "\n</ul>\n</body>\n</html>"

# microframe's HTML escaper (crates/microframe/src/response/escape.rs).
ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"})


def hello(environ, start_response):
    start_response("200 OK", list(TEXT))
    return [HELLO]


def _answer(start_response, status, content_type, body):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def _page(form, start_response):
    params = parse_qs(form, keep_blank_values=True)
    age = params.get("age", [""])[0]
    if not (age.isascii() and age.isdigit()) or int(age) > 2**32 - 1:
        return _answer(start_response, "400 Bad Request", "text/plain; charset=utf-8", b"Bad Request")
    items = "".join(ITEM % hobby.translate(ESCAPES) for hobby in params.get("hobbies", []))
    page = (HEAD % int(age) + items + TAIL).encode()
    return _answer(start_response, "200 OK", "text/html; charset=utf-8", page)


def query(environ, start_response):
    return _page(environ.get("QUERY_STRING", ""), start_response)


def post(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return _page(environ["wsgi.input"].read(length).decode("latin-1"), start_response)
