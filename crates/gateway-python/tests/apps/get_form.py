"""The tutorial's second program: a form sent with GET, parsed from the query string.

`application` answers every path and method with a profile page: a form (a text input
``age``, two checkboxes ``hobbies``: ``software`` and ``tunning``) filled again with what
``QUERY_STRING`` holds, and the results under it, ``Age: <age><br>`` and
``Hobbies: a, b`` (``Empty`` and ``No Hobbies`` when there is none). The first ``age``
counts, every ``hobbies`` does, and every value is escaped with `html.escape`. The
tutorial's ``cgi.parse_qs`` and ``cgi.escape`` are gone from Python 3: `urllib.parse.parse_qs`
and `html.escape` are what replaced them.

For plain values, the page is byte for byte the one of the Rust ``example-get-form``. The
gateway-python tests serve it with ``microframe-wsgi get_form:application``.

Run on its own (``python get_form.py``), it serves on http://127.0.0.1:8051/ with ``wsgiref``.
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
<form method="get" action="">
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
    # Returns a dictionary in which the values are lists.
    d = parse_qs(environ.get("QUERY_STRING", ""))

    # As there can be more than one value for a variable, a list is the default value.
    age = d.get("age", [""])[0]  # Returns the first age value.
    hobbies = d.get("hobbies", [])  # Returns a list of hobbies.

    # Always escape user input to avoid script injection.
    age = escape(age)
    hobbies = [escape(hobby) for hobby in hobbies]

    response_body = html % {  # Fill the above html template in.
        "checked-software": ("", " checked")["software" in hobbies],
        "checked-tunning": ("", " checked")["tunning" in hobbies],
        "age": age,
        "age-result": age or "Empty",
        "hobbies": ", ".join(hobbies or ["No Hobbies"]),
    }
    body = response_body.encode("utf-8")

    status = "200 OK"
    # Now the content type is text/html.
    response_headers = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ]
    start_response(status, response_headers)
    return [body]


if __name__ == "__main__":
    httpd = make_server("127.0.0.1", 8051, application)
    # Now it is serve_forever() instead of handle_request().
    httpd.serve_forever()
