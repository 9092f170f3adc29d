#!/usr/bin/python3
"""aiosmtpd interop server for the AsyncSmtp tests (run with Debian's /usr/bin/python3).

Two listeners on 127.0.0.1:
  --port       STARTTLS (certificate made at start), AUTH PLAIN/LOGIN after STARTTLS only,
               SMTPUTF8, 8BITMIME, SIZE;
  --port + 1   plain, refuses EHLO so that clients must fall back to HELO.
Every message received is saved in <dir>/messages as <id>.eml (the content bytes exactly as
received, after dot-unstuffing) and <id>.json (envelope and session facts), the JSON written
last so that a reader never sees half a message. The --info file tells the tests how to
connect. Runs until SIGTERM or SIGINT.
"""

import argparse
import json
import os
import signal
import ssl
import subprocess
import threading
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "alice"
PASSWORD = "interop-Secret-1"


def make_certificate(directory):
    """A self-signed certificate for localhost, made fresh at every start."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
         "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
         "-keyout", key, "-out", cert],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword)
          and auth_data.login == USER.encode()
          and auth_data.password == PASSWORD.encode())
    if not ok:
        # handled=False: aiosmtpd itself answers 535 (with handled=True it would say nothing).
        return AuthResult(success=False, handled=False)
    # auth_data is kept on the session, so the handler can record who logged in.
    return AuthResult(success=True, auth_data=auth_data)


class RecordingHandler:
    """Saves each message; the envelope and session facts go beside the content."""

    def __init__(self, messages_dir, listener):
        self._dir = messages_dir
        self._listener = listener

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        with open(os.path.join(self._dir, name + ".eml"), "wb") as f:
            f.write(envelope.original_content)
        auth = session.auth_data
        facts = {
            "listener": self._listener,
            "mailFrom": envelope.mail_from,
            "mailOptions": envelope.mail_options,
            "rcptTos": envelope.rcpt_tos,
            "rcptOptions": envelope.rcpt_options,
            "heloName": session.host_name,
            "extendedSmtp": session.extended_smtp,
            "encrypted": session.ssl is not None,
            "authenticatedUser": auth.login.decode("utf-8", "replace") if isinstance(auth, LoginPassword) else None,
            "content": name + ".eml",
        }
        temp = os.path.join(self._dir, name + ".tmp")
        with open(temp, "w", encoding="utf-8") as f:
            json.dump(facts, f, ensure_ascii=False)
        os.replace(temp, os.path.join(self._dir, name + ".json"))
        return "250 2.0.0 OK: saved as " + name


class HeloOnlyHandler(RecordingHandler):
    """Refuses EHLO, as an old server would; HELO works."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        return ["502 5.5.2 Error: command not recognized"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", required=True, help="where the certificate and the messages go")
    parser.add_argument("--info", required=True, help="the JSON file that tells the tests how to connect")
    args = parser.parse_args()

    messages = os.path.join(args.dir, "messages")
    os.makedirs(messages, exist_ok=True)
    cert, key = make_certificate(args.dir)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)

    common = dict(hostname="127.0.0.1", server_hostname="localhost", data_size_limit=52428800)
    main_server = Controller(RecordingHandler(messages, "starttls"), port=args.port,
                             tls_context=tls, authenticator=authenticate, auth_require_tls=True,
                             **common)
    helo_server = Controller(HeloOnlyHandler(messages, "helo-only"), port=args.port + 1, **common)
    main_server.start()
    helo_server.start()

    info = {
        "host": "127.0.0.1",  # the certificate names the address too
        "port": args.port,
        "heloOnlyPort": args.port + 1,
        "userName": USER,
        "password": PASSWORD,
        "certificate": cert,
        "messages": messages,
    }
    temp = args.info + ".tmp"
    with open(temp, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2)
    os.replace(temp, args.info)
    print(f"aiosmtpd listening on 127.0.0.1:{args.port} (STARTTLS, AUTH) and :{args.port + 1} (HELO only)", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    main_server.stop()
    helo_server.stop()


if __name__ == "__main__":
    main()
