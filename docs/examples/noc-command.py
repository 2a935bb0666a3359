#!/usr/bin/python3
# Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
# except in compliance with the License. You may obtain a copy of the License at
# http://www.apache.org/licenses/LICENSE-2.0
"""Sends one vmha NOC command over AMQP 1.0 and prints the reply (docs/noc-api.md).

Needs the Qpid Proton Python binding (Debian: apt-get install python3-qpid-proton). Example, run from the
distribution's directory (the password is read from etc/vmha-credentials.properties, which the node's first start
writes; --password or --credentials FILE name another):

    examples/noc-command.py --url amqp://127.0.0.1:5672 --user operator power-on '{"vm": "VM07"}'

Over TLS (docs/security.md): --url amqps://127.0.0.1:5671 --cafile ca.pem (the broker's certificate must name the
host of the URL).

Exit code: 0 for an "ok" reply, 1 for an error reply, 2 for a usage or connection problem, 3 when no reply
arrived in time.
"""
import argparse
import json
import sys
import uuid

import os

from proton import ConnectionException, Message, ProtonException, SSLDomain, Timeout, symbol
from proton.reactor import ReceiverOption
from proton.utils import BlockingConnection, LinkDetached, SendException


class AnycastQueue(ReceiverOption):
    """Asks the broker for a queue (anycast) source, so the reply sent to that name reaches us."""

    def apply(self, receiver):
        receiver.source.capabilities.put_object(symbol("queue"))


def main():
    p = argparse.ArgumentParser(description="Send one vmha NOC command over AMQP and print the reply")
    p.add_argument("--url", default="amqp://127.0.0.1:5672", help="broker URL (default %(default)s)")
    p.add_argument("--user", default="operator")
    p.add_argument("--password", help="default: the user's line of --credentials")
    p.add_argument("--credentials", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "etc",
                                                         "vmha-credentials.properties"),
                   help="user=password lines (default: the distribution's etc/vmha-credentials.properties)")
    p.add_argument("--cafile", help="PEM CA certificate(s) to verify the broker with, for amqps:// URLs")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the reply")
    p.add_argument("command", help="command name, e.g. status, power-on, why")
    p.add_argument("args", nargs="?", default="{}", help="the args object as JSON (default {})")
    a = p.parse_args()
    try:
        args = json.loads(a.args)
    except ValueError as e:
        print("noc-command: args is not JSON: %s" % e, file=sys.stderr)
        return 2
    if not isinstance(args, dict):
        print("noc-command: args must be a JSON object", file=sys.stderr)
        return 2
    password = a.password if a.password is not None else password_of(a.credentials, a.user)
    if password is None:
        print("noc-command: no --password, and %s has no line for %s" % (a.credentials, a.user), file=sys.stderr)
        return 2
    ssl_domain = None
    if a.cafile:
        ssl_domain = SSLDomain(SSLDomain.MODE_CLIENT)
        ssl_domain.set_trusted_ca_db(a.cafile)
        ssl_domain.set_peer_authentication(SSLDomain.VERIFY_PEER_NAME)
    request_id = str(uuid.uuid4())
    # the reply queue must be ha.replies.<user>.<name>: the node answers only there (docs/noc-api.md)
    reply_to = "ha.replies.%s.%s" % (a.user, uuid.uuid4().hex)
    try:
        conn = BlockingConnection(a.url, user=a.user, password=password, timeout=a.timeout,
                                  allowed_mechs="PLAIN", ssl_domain=ssl_domain)
    except (ConnectionException, Timeout, ProtonException, OSError) as e:
        print("noc-command: cannot connect to %s as %s: %s" % (a.url, a.user, e), file=sys.stderr)
        return 2
    try:
        return exchange(conn, a, args, request_id, reply_to)
    except (LinkDetached, SendException, ConnectionException) as e:
        print("noc-command: the broker refused %s (does it have the ha-operator role?): %s" % (a.user, e),
              file=sys.stderr)
        return 2
    finally:
        conn.close()


def password_of(path, user):
    """The password of user in a user=password file (etc/vmha-credentials.properties), or None."""
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.strip().partition("=")
                if sep and not key.startswith("#") and key.strip() == user:
                    return value.strip()
    except OSError:
        return None
    return None


def exchange(conn, a, args, request_id, reply_to):
    """Sends the request with a reply-to and a correlation id, and waits for the reply."""
    receiver = conn.create_receiver(reply_to, options=AnycastQueue())
    sender = conn.create_sender("ha.commands")
    body = json.dumps({"command": a.command, "id": request_id, "args": args})
    sender.send(Message(body=body, reply_to=reply_to, correlation_id=request_id, durable=False))
    try:
        reply = receiver.receive(timeout=a.timeout)
    except Timeout:
        print("noc-command: no reply within %.0f s" % a.timeout, file=sys.stderr)
        return 3
    receiver.accept()
    text = reply.body if isinstance(reply.body, str) else bytes(reply.body).decode("utf-8")
    print(text)
    return 0 if json.loads(text).get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
