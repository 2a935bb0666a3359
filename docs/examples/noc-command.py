#!/usr/bin/python3
# Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
# except in compliance with the License. You may obtain a copy of the License at
# http://www.apache.org/licenses/LICENSE-2.0
"""Sends one vmha NOC command over AMQP 1.0 and prints the reply (docs/noc-api.md).

Needs the Qpid Proton Python binding (Debian: apt-get install python3-qpid-proton). Example:

    examples/noc-command.py --url amqp://127.0.0.1:5672 --user operator --password operator \\
        power-on '{"vm": "VM07"}'

Exit code: 0 for an "ok" reply, 1 for an error reply, 2 for a usage or connection problem, 3 when no reply
arrived in time.
"""
import argparse
import json
import sys
import uuid

from proton import ConnectionException, Message, ProtonException, Timeout, symbol
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
    p.add_argument("--password", default="operator")
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
    request_id = str(uuid.uuid4())
    # the reply queue must be ha.replies.<user>.<name>: the node answers only there (docs/noc-api.md)
    reply_to = "ha.replies.%s.%s" % (a.user, uuid.uuid4().hex)
    try:
        conn = BlockingConnection(a.url, user=a.user, password=a.password, timeout=a.timeout,
                                  allowed_mechs="PLAIN")
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
