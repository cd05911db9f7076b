"""Small WSGI apps for gateway-python's own tests (tests/wsgi/): one behaviour each."""


def hello(environ, start_response):
    """A list body: sent in one write, with its Content-Length."""
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"Hello, ", b"World!"]


def path(environ, start_response):
    """PATH_INFO as the app sees it, and what Flask would make of it."""
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    raw = environ["PATH_INFO"]
    return [f"{raw!r} {raw.encode('latin-1').decode('utf-8')!r}".encode("utf-8")]


def stream(environ, start_response):
    """A generator: streamed, chunk by chunk."""
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    for number in range(3):
        yield f"chunk {number}\n".encode()


def boom(environ, start_response):
    """Raises before start_response: a 500, the traceback on stderr only."""
    raise ValueError("the secret cause")


def cookies(environ, start_response):
    """Two Set-Cookie headers, and the body echoed."""
    start_response("200 OK", [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
    return [environ["wsgi.input"].read()]


def no_os_environment(environ, start_response):
    """Whether the OS environment leaked into the environ (it must not)."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str("PATH" in environ or "HOME" in environ).encode()]


def head_like_flask(environ, start_response):
    """HEAD answered as Flask and Bottle do: no body, the GET's Content-Length."""
    body = b"Hello, World!"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def where_am_i(environ, start_response):
    """SCRIPT_NAME and PATH_INFO, to check mounting."""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"SCRIPT_NAME={environ['SCRIPT_NAME']} PATH_INFO={environ['PATH_INFO']}".encode()]


def who(environ, start_response):
    """The client, scheme and mount point the app sees, and the body it read."""
    body = environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "text/plain")])
    said = (
        f"REMOTE_ADDR={environ['REMOTE_ADDR']} scheme={environ['wsgi.url_scheme']} "
        f"SCRIPT_NAME={environ['SCRIPT_NAME']} PATH_INFO={environ['PATH_INFO']} body={len(body)}"
    )
    return [said.encode()]
