"""The tutorial's third program: a form sent with POST, parsed from the request body.

`application` answers every path and method with the profile page of ``get_form``, with
``method="post"``, filled from the body: ``CONTENT_LENGTH`` says how many bytes of
``wsgi.input`` to read, and is read in a ``try``, since it may be missing or empty (then 0
bytes are read, and the form is empty). The query string is never read: this form's fields
travel in the body. The body is parsed with `urllib.parse.parse_qs` and every value escaped
with `html.escape` (the tutorial's removed ``cgi.parse_qs`` and ``cgi.escape``); bytes of the
body that are not UTF-8 become U+FFFD rather than an error.

``read`` is always given a size, so the program runs under ``wsgiref.validate`` unrelaxed. A
chunked request has no ``CONTENT_LENGTH``: this program reads nothing from it and shows
the empty form, as the tutorial's would (a test should expect that, not the fields).

The gateway-python tests serve it with ``microframe-wsgi post_form:application``. Run on its
own (``python post_form.py``), it serves on http://127.0.0.1:8051/ with ``wsgiref``.
"""

from html import escape
from urllib.parse import parse_qs
from wsgiref.simple_server import make_server

html = """\
<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Profile</title>
</head>
<body>
<form method="post" action="">
<p>Age: <input type="text" name="age" value="%(age)s"></p>
<p>Hobbies:
<label><input name="hobbies" type="checkbox" value="software"%(checked-software)s> Software</label>
<label><input name="hobbies" type="checkbox" value="tunning"%(checked-tunning)s> Auto Tunning</label>
</p>
<p><input type="submit" value="Submit"></p>
</form>
<p>
Age: %(age-result)s<br>
Hobbies: %(hobbies)s
</p>
</body>
</html>"""


def application(environ, start_response):
    # The environment variable CONTENT_LENGTH may be empty or missing.
    try:
        request_body_size = int(environ.get("CONTENT_LENGTH", 0))
    except ValueError:
        request_body_size = 0

    # When the method is POST the variables are sent in the HTTP request body, which is
    # passed by the WSGI server in the file-like wsgi.input environment variable.
    request_body = environ["wsgi.input"].read(request_body_size)
    d = parse_qs(request_body.decode("utf-8", "replace"))

    age = d.get("age", [""])[0]  # Returns the first age value.
    hobbies = d.get("hobbies", [])  # Returns a list of hobbies.

    # Always escape user input to avoid script injection.
    age = escape(age)
    hobbies = [escape(hobby) for hobby in hobbies]

    response_body = html % {
        "checked-software": ("", " checked")["software" in hobbies],
        "checked-tunning": ("", " checked")["tunning" in hobbies],
        "age": age,
        "age-result": age or "Empty",
        "hobbies": ", ".join(hobbies or ["No Hobbies"]),
    }
    body = response_body.encode("utf-8")

    status = "200 OK"
    response_headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ]
    start_response(status, response_headers)
    return [body]


if __name__ == "__main__":
    httpd = make_server("127.0.0.1", 8051, application)
    httpd.serve_forever()
