"""keepalive.py PORT N SCENARIO [WAIT_SECS]: N requests of the bench SCENARIO (hello, query,
post) to 127.0.0.1:PORT, one after another on ONE keep-alive connection; every answer must
be 200 with a Content-Length body. Connecting is retried for up to WAIT_SECS (default 60),
so it also waits for a server that is still starting (e.g. under valgrind). Stdlib only."""
import socket
import sys
import time

# The head a minimal real client sends (curl's: Host with the port, User-Agent, Accept), not
# just `Host`: the number of request headers changes the servers' work (hyper reuses the
# previous response's header map for them), so a one-header probe would flatter some.
HEAD = b"Host: 127.0.0.1:{port}\r\nUser-Agent: keepalive.py\r\nAccept: */*\r\n"
REQUESTS = {
    "hello": b"GET / HTTP/1.1\r\n" + HEAD + b"\r\n",
    "query": b"GET /?age=10&hobbies=software&hobbies=tunning HTTP/1.1\r\n" + HEAD + b"\r\n",
    "post": b"POST / HTTP/1.1\r\n" + HEAD
    + b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 26\r\n\r\n"
    b"age=10&hobbies=a&hobbies=b",
}


def connect(port, wait):
    deadline = time.monotonic() + wait
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=60)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def read_response(sock, buf):
    """Reads one response from sock (buf: bytes already received); returns (status, rest)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("connection closed before a full response head")
        buf += chunk
    head, _, buf = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        sys.exit(f"response without Content-Length: {lines[0]!r}")
    while len(buf) < length:
        chunk = sock.recv(65536)
        if not chunk:
            sys.exit("connection closed inside a body")
        buf += chunk
    return status, buf[length:]


def main():
    port, n, scenario = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    wait = float(sys.argv[4]) if len(sys.argv) > 4 else 60.0
    request = REQUESTS[scenario].replace(b"{port}", str(port).encode())
    sock = connect(port, wait)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    rest = b""
    for i in range(n):
        sock.sendall(request)
        status, rest = read_response(sock, rest)
        if status != 200:
            sys.exit(f"request {i + 1}: status {status} for scenario {scenario}")
    sock.close()


if __name__ == "__main__":
    main()
