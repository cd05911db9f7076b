"""boofuzz against a running server: mutations of one HTTP/1.1 request, each on its own
connection, and a liveness probe every 25 cases.

    python http_fuzz.py HOST PORT CASES

Fails (exit code 1, each failure printed) when a mutated request gets a 5xx, or no answer at
all (the connection closed or went silent without a byte: a dropped response; a malformed
head must get its 400), or when a probe `GET /` is not answered 200. The last line is
`cases=N failures=M`. Run by tests (examples/post-form/tests/attack_tools.rs) with the
virtualenv `scripts/test` makes.
"""

import os
import socket
import sys
import tempfile

import boofuzz
from boofuzz import s_delim, s_get, s_initialize, s_static, s_string


def probe(host, port):
    """One plain GET /; True when it is answered 200."""
    try:
        with socket.create_connection((host, port), timeout=5) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
            return sock.recv(12) == b"HTTP/1.1 200"
    except OSError:
        return False


def main():
    host, port, cases = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    failures = []

    def check(target, fuzz_data_logger, session, *args, **kwargs):
        index = session.total_mutant_index
        answer = session.last_recv or b""
        if not answer:
            failures.append(f"case {index}: no answer (dropped)")
        elif answer.startswith(b"HTTP/1.1 5") or answer.startswith(b"HTTP/1.0 5"):
            failures.append(f"case {index}: {answer[:40]!r}")
        if index % 25 == 0 and not probe(host, port):
            failures.append(f"case {index}: the probe GET / was not answered 200")

    s_initialize("request")
    s_string("GET", name="method")
    s_delim(" ", name="space-1")
    s_string("/index.html", name="target")
    s_delim(" ", name="space-2")
    s_string("HTTP/1.1", name="version")
    s_static("\r\nHost: ")
    s_string("localhost", name="host")
    s_static("\r\nUser-Agent: ")
    s_string("boofuzz", name="agent")
    s_static("\r\nAccept: ")
    s_string("text/html", name="accept")
    s_static("\r\nConnection: close\r\n\r\n")

    results = os.path.join(tempfile.mkdtemp(prefix="boofuzz-"), "results.db")
    connection = boofuzz.TCPSocketConnection(host, port, send_timeout=5.0, recv_timeout=5.0)
    session = boofuzz.Session(
        target=boofuzz.Target(connection=connection),
        index_end=cases,
        web_port=None,
        keep_web_open=False,
        fuzz_loggers=[],
        db_filename=results,
        receive_data_after_each_request=True,
        receive_data_after_fuzz=True,
        post_test_case_callbacks=[check],
        ignore_connection_reset=True,
        ignore_connection_aborted=True,
    )
    session.connect(s_get("request"))
    session.fuzz()
    if not probe(host, port):
        failures.append("after the run: the probe GET / was not answered 200")
    for failure in failures:
        print(failure)
    print(f"cases={session.total_mutant_index} failures={len(failures)}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
