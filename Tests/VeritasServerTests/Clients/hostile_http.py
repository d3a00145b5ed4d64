"""Raw HTTP against a Veritas server, as a hostile client would send it.

usage: hostile_http.py BASE CHECK
  slow-head  a request head trickled one byte a second is cut off after about 30 s, while an
             idle keep-alive connection lives on until about 75 s
  bad-form   a malformed form key and deep JSON nesting get 4xx with a JSON body
Prints "ok" on success; exits non-zero with the reason otherwise.
"""
import json
import socket
import sys
import threading
import time
import urllib.parse

base, check = sys.argv[1], sys.argv[2]
url = urllib.parse.urlsplit(base)
host, port = url.hostname, url.port


def fail(message):
    print(message)
    sys.exit(1)


def closed_after(sock, deadline):
    """Seconds until the server closed `sock` (reading until EOF), or None past `deadline`."""
    start = time.monotonic()
    sock.settimeout(1)
    while time.monotonic() - start < deadline:
        try:
            data = sock.recv(65536)
            if data == b"":
                return time.monotonic() - start
        except socket.timeout:
            continue
        except ConnectionResetError:
            return time.monotonic() - start
    return None


def request(raw):
    """One raw request; the status code and the body as text."""
    with socket.create_connection((host, port), timeout=10) as sock:
        try:
            sock.sendall(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading a body it refuses
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = [line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
            if length and len(body) >= int(length[0].split(b":")[1]):
                break
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")


if check == "slow-head":
    results = {}

    def trickle():
        sock = socket.create_connection((host, port))
        start = time.monotonic()
        head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200
        sock.settimeout(1)
        for byte in head:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            try:
                if sock.recv(1) == b"":
                    break
            except socket.timeout:
                pass
            except OSError:
                break
            if time.monotonic() - start > 60:
                break
        results["trickle"] = time.monotonic() - start

    def idle():
        sock = socket.create_connection((host, port))
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        sock.recv(65536)
        results["idle"] = closed_after(sock, 100)

    threads = [threading.Thread(target=trickle), threading.Thread(target=idle)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not (25 <= results["trickle"] <= 40):
        fail(f"a trickled head was cut after {results['trickle']:.1f} s, not about 30")
    if results["idle"] is None or not (70 <= results["idle"] <= 90):
        fail(f"an idle keep-alive connection was closed after {results['idle']} s, not about 75")
elif check == "bad-form":
    for body in [b"a[=1&b]]=2", b"%zz=1", b"status[[[[[=x", b"a=%ff%fe"]:
        raw = (b"POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        status, text = request(raw)
        if not (400 <= status < 500):
            fail(f"form {body!r} answered {status}")
        json.loads(text)
    nested = b"[" * 100000 + b"]" * 100000
    status, text = request(b"POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                           + str(len(nested)).encode() + b"\r\nConnection: close\r\n\r\n" + nested)
    if not (400 <= status < 500):
        fail(f"deeply nested JSON answered {status}")
    big = b"a=" + b"x" * (2 << 20)
    status, text = request(b"POST /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                           b"Content-Length: " + str(len(big)).encode() + b"\r\nConnection: close\r\n\r\n" + big)
    if status != 413:
        fail(f"a 2 MiB body answered {status}, not 413")
else:
    fail(f"unknown check {check}")
print("ok")
