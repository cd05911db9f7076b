"""The tutorial's first program: the environ, sent back to the client.

`application` answers every request with the WSGI environ it was called with, one
``KEY: value`` line per key, sorted by key, as ``text/plain; charset=utf-8`` with a
``Content-Length``. It writes the same text to ``wsgi.errors``, the server's terminal.
The gateway-python tests serve it with ``microframe-wsgi environment:application`` to see
the environ a host builds (and that ``wsgi.errors`` reaches its stderr).

Run on its own (``python environment.py``), it serves on http://127.0.0.1:8051/ with
``wsgiref``, as the tutorial does.
"""

from wsgiref.simple_server import make_server


def application(environ, start_response):
    # Sorting and stringifying the environment's key, value pairs.
    response_body = "".join(f"{key}: {value}\n" for key, value in sorted(environ.items()))

    # The server's terminal gets the same text.
    environ["wsgi.errors"].write(response_body)

    body = response_body.encode("utf-8")
    status = "200 OK"
    response_headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        # The length of the bytes sent, not of the text.
        ("Content-Length", str(len(body))),
    ]
    start_response(status, response_headers)
    # A list of one byte string: sent in one write, not byte by byte.
    return [body]


if __name__ == "__main__":
    httpd = make_server("127.0.0.1", 8051, application)
    httpd.serve_forever()
