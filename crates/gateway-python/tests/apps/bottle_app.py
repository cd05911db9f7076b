"""A Bottle 0.13 app, written as any Bottle app is, for the gateway-python tests.

The tests serve it, unchanged, with ``microframe-wsgi bottle_app:app`` (and mounted under a
prefix, where every ``app.get_url`` gains the ``SCRIPT_NAME``). It has the shape of
``flask_app``, in Bottle's terms. Its routes:

- ``GET /``: an HTML page with a link to ``app.get_url('hello', name='World')``, a form that
  posts to ``app.get_url('sign')``, the flashed message (a signed ``flash`` cookie, deleted
  once shown), and ``Signed in as NAME`` once the signed ``name`` cookie is set.
- ``GET /hello/<name>``: ``<p>Hello, NAME!</p>``, the name escaped.
- ``GET /greet?name=NAME``: a redirect to ``app.get_url('hello', name=NAME)`` (``World`` when
  there is no name): 303 to an HTTP/1.1 request, 302 to an HTTP/1.0 one, and Bottle makes
  the ``Location`` absolute (``http://HOST/hello/NAME``).
- ``POST /sign``: reads ``request.forms``, sets the signed ``name`` and ``flash``
  (``Signed as NAME``) cookies, and redirects (303) to ``/``.
- ``GET /api``, ``POST /api``: a dict, which Bottle sends as JSON; a POSTed JSON body comes
  back as ``received``.
- ``GET /cookie``: sets two cookies, ``a=1`` and ``b=2`` (two ``Set-Cookie`` headers), and
  answers ``received: `` and the cookies it was sent.
- ``GET /stream``: a generator of five chunks, ``chunk 0`` to ``chunk 4``, one per line,
  with no ``Content-Length``.
- ``GET /boom``: raises, so Bottle answers its 500 page (calling ``start_response`` with
  ``exc_info``) and writes the traceback to ``wsgi.errors``.
- anything else: a 404 HTML page from the app's own ``@app.error(404)`` handler.

Bottle reads a body only as far as ``CONTENT_LENGTH`` says (or decodes it itself when
``Transfer-Encoding: chunked`` is in the environ): a chunked request that a host has already
decoded, with neither, reaches these routes with an empty body.
"""

from urllib.parse import quote

import bottle
from bottle import redirect, request, response, template

app = bottle.Bottle()
# Fixed, for tests: a real app reads its secret from its configuration.
SECRET = "microframe-gateway-python-tests"

INDEX = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Bottle app</title>
</head>
<body>
<h1>Bottle app</h1>
% if message:
<p class="flash">{{message}}</p>
% end
% if name:
<p>Signed in as {{name}}</p>
% end
<p><a href="{{hello_url}}">Say hello</a></p>
<form method="post" action="{{sign_url}}">
<p>Name: <input type="text" name="name"></p>
<p><input type="submit" value="Sign"></p>
</form>
</body>
</html>
"""

NOT_FOUND = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Not Found</title>
</head>
<body>
<h1>Not Found</h1>
<p>Nothing here at {{path}}.</p>
</body>
</html>
"""


@app.get("/", name="index")
def index():
    message = request.get_cookie("flash", secret=SECRET)
    if message:
        response.delete_cookie("flash", path="/")
    return template(
        INDEX,
        message=message,
        name=request.get_cookie("name", secret=SECRET),
        hello_url=app.get_url("hello", name="World"),
        sign_url=app.get_url("sign"),
    )


@app.get("/hello/<name>", name="hello")
def hello(name):
    return template("<p>Hello, {{name}}!</p>", name=name)


@app.get("/greet")
def greet():
    name = request.query.getunicode("name") or "World"
    # `get_url` puts a value in the path as it is: quoting it is the app's job.
    redirect(app.get_url("hello", name=quote(name)))


@app.post("/sign", name="sign")
def sign():
    name = request.forms.getunicode("name") or ""
    if name:
        response.set_cookie("name", name, secret=SECRET, path="/", httponly=True)
        response.set_cookie("flash", f"Signed as {name}", secret=SECRET, path="/", httponly=True)
    else:
        response.set_cookie("flash", "A name, please", secret=SECRET, path="/", httponly=True)
    redirect(app.get_url("index"))


@app.route("/api", method=["GET", "POST"])
def api():
    return {
        "framework": "bottle",
        "method": request.method,
        "path": request.path,
        "script_root": request.script_name.rstrip("/"),
        "hello_url": app.get_url("hello", name="World"),
        "args": {key: request.query.getall(key) for key in request.query},
        "received": request.json if request.method == "POST" else None,
    }


@app.get("/cookie")
def cookie():
    received = "; ".join(f"{key}={request.cookies[key]}" for key in sorted(request.cookies))
    response.content_type = "text/plain; charset=utf-8"
    response.set_cookie("a", "1", path="/")
    response.set_cookie("b", "2", path="/")
    return f"received: {received}\n"


@app.get("/stream")
def stream():
    response.content_type = "text/plain; charset=utf-8"
    for i in range(5):
        yield f"chunk {i}\n"


@app.get("/boom")
def boom():
    raise RuntimeError("boom: an error the client must not see")


@app.error(404)
def not_found(error):
    return template(NOT_FOUND, path=request.path)
