"""Apps that read the request body in the ways PEP 3333 allows, for the streamed-input tests."""

import hashlib


def digest(environ, start_response):
    """Reads the body in 64 KiB pieces; answers its length and SHA-256."""
    body = environ["wsgi.input"]
    total, sha = 0, hashlib.sha256()
    while True:
        piece = body.read(65536)
        if not piece:
            break
        total += len(piece)
        sha.update(piece)
    text = f"{total} {sha.hexdigest()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))])
    return [text]


def lines(environ, start_response):
    """Counts the body's lines, read by iterating the input, and the bytes of the longest."""
    count, longest = 0, 0
    for line in environ["wsgi.input"]:
        count += 1
        longest = max(longest, len(line))
    text = f"{count} lines, longest {longest}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))])
    return [text]


def hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]
