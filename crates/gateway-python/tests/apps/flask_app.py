"""A Flask 3 app, written as any Flask app is, for the gateway-python tests.

The tests serve it, unchanged, with ``microframe-wsgi flask_app:app`` (and mounted under a
prefix, where every ``url_for`` gains the ``SCRIPT_NAME``). Nothing in it knows about the
host. Its routes:

- ``GET /``: an HTML page with a link to ``url_for('hello', name='World')``, a form that
  posts to ``url_for('sign')``, the flashed messages, and ``Signed in as NAME`` once the
  session has a name.
- ``GET /hello/<name>``: ``<p>Hello, NAME!</p>``, the name escaped.
- ``GET /greet?name=NAME``: a 302 redirect to ``url_for('hello', name=NAME)`` (``World``
  when there is no name).
- ``POST /sign``: reads ``request.form['name']``, keeps it in ``session['name']``, flashes
  ``Signed as NAME``, and redirects (302) to ``/``, with the session cookie.
- ``GET /api``, ``POST /api``: JSON (`jsonify`) about the request; a POSTed JSON body comes
  back as ``received``.
- ``GET /cookie``: sets two cookies, ``a=1`` and ``b=2`` (two ``Set-Cookie`` headers), and
  answers ``received: `` and the cookies it was sent.
- ``GET /stream``: a generator of five chunks, ``chunk 0`` to ``chunk 4``, one per line,
  with no ``Content-Length``.
- ``GET /boom``: raises, so Flask answers its 500 page and logs the traceback.
- anything else: a 404 HTML page from the app's own error handler.

Once a host sets ``wsgi.input_terminated``, Werkzeug reads a form or JSON body with
``wsgi.input.read()``, without a size: ``wsgiref.validate`` refuses that (a PEP 333 rule
that PEP 3333 dropped), so this app runs under the validator relaxed there
(``check_apps.relaxed_validator``).
"""

from flask import (
    Flask,
    Response,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from markupsafe import escape

app = Flask(__name__)
# Fixed, for tests: a real app reads its secret from its configuration.
app.secret_key = "microframe-gateway-python-tests"

INDEX = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Flask app</title>
</head>
<body>
<h1>Flask app</h1>
{% for message in get_flashed_messages() %}
<p class="flash">{{ message }}</p>
{% endfor %}
{% if name %}
<p>Signed in as {{ name }}</p>
{% endif %}
<p><a href="{{ url_for('hello', name='World') }}">Say hello</a></p>
<form method="post" action="{{ url_for('sign') }}">
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
<p>Nothing here at {{ path }}.</p>
</body>
</html>
"""


@app.route("/")
def index():
    return render_template_string(INDEX, name=session.get("name"))


@app.route("/hello/<name>")
def hello(name):
    return f"<p>Hello, {escape(name)}!</p>"


@app.route("/greet")
def greet():
    name = request.args.get("name", "World")
    return redirect(url_for("hello", name=name))


@app.route("/sign", methods=["POST"])
def sign():
    name = request.form.get("name", "")
    if name:
        session["name"] = name
        flash(f"Signed as {name}")
    else:
        flash("A name, please")
    return redirect(url_for("index"))


@app.route("/api", methods=["GET", "POST"])
def api():
    return jsonify(
        framework="flask",
        method=request.method,
        path=request.path,
        script_root=request.script_root,
        hello_url=url_for("hello", name="World"),
        args=request.args.to_dict(flat=False),
        received=request.get_json(silent=True) if request.method == "POST" else None,
    )


@app.route("/cookie")
def cookie():
    received = "; ".join(f"{key}={value}" for key, value in sorted(request.cookies.items()))
    response = make_response(f"received: {received}\n")
    response.mimetype = "text/plain"
    response.set_cookie("a", "1")
    response.set_cookie("b", "2")
    return response


@app.route("/stream")
def stream():
    def generate():
        for i in range(5):
            yield f"chunk {i}\n"

    return Response(generate(), mimetype="text/plain")


@app.route("/boom")
def boom():
    raise RuntimeError("boom: an error the client must not see")


@app.errorhandler(404)
def not_found(error):
    return render_template_string(NOT_FOUND, path=request.path), 404
