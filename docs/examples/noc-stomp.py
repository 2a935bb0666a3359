#!/usr/bin/python3
# Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
# except in compliance with the License. You may obtain a copy of the License at
# http://www.apache.org/licenses/LICENSE-2.0
"""Talks to vmha over STOMP 1.2 (docs/noc-api.md): sends one NOC command and prints the reply, or prints events.

Needs Debian's STOMP client library (apt-get install python3-stomp). Examples, run from the distribution's
directory (the password is read from etc/vmha-credentials.properties, which the node's first start writes;
--password or --credentials FILE name another):

    examples/noc-stomp.py --port 61613 --user operator command power-on '{"vm": "VM07"}'
    examples/noc-stomp.py --port 61613 --user noc events --count 5

"command" subscribes to its own reply queue ha.replies.<user>.<uuid> (anycast), sends the request to ha.commands
with that reply-to and a correlation-id, prints the reply and exits 0 (ok), 1 (error reply), 2 (refused or
unreachable) or 3 (no reply in time). "events" subscribes to ha.events (multicast: each subscriber gets every
event), says "noc-stomp: subscribed to ha.events" on stderr once the broker confirmed it, prints each event's JSON
on a line, then exits 0 after --count events (0: forever), 2 if the subscription is refused, or 3 when --timeout
passes without an event.
"""
import argparse
import json
import os
import queue
import sys
import uuid

import stomp
from stomp.exception import ConnectFailedException, StompException


class Inbox(stomp.ConnectionListener):
    """Collects the frames the broker sends: messages, and errors (a refused subscription or send)."""

    def __init__(self):
        self.messages = queue.Queue()
        self.errors = queue.Queue()
        self.receipts = queue.Queue()

    def on_receipt(self, frame):
        self.receipts.put(True)

    def on_message(self, frame):
        self.messages.put(frame)

    def on_error(self, frame):
        self.errors.put(frame)
        self.messages.put(None)
        self.receipts.put(False)


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


def refused(inbox):
    frame = inbox.errors.get_nowait()
    return "%s %s" % (frame.headers.get("message", ""), (frame.body or "").strip())


def command(conn, inbox, a):
    try:
        args = json.loads(a.args)
    except ValueError as e:
        print("noc-stomp: args is not JSON: %s" % e, file=sys.stderr)
        return 2
    if not isinstance(args, dict):
        print("noc-stomp: args must be a JSON object", file=sys.stderr)
        return 2
    request_id = str(uuid.uuid4())
    # the reply queue must be ha.replies.<user>.<name>: the node answers only there (docs/noc-api.md)
    reply_to = "ha.replies.%s.%s" % (a.user, uuid.uuid4().hex)
    # plain names, no routing headers: ha.replies.# are anycast queues, ha.commands an anycast queue (the broker knows)
    conn.subscribe(destination=reply_to, id="replies", ack="auto")
    body = json.dumps({"command": a.command, "id": request_id, "args": args})
    conn.send(destination="ha.commands", body=body, content_type="application/json",
              headers={"reply-to": reply_to, "correlation-id": request_id})
    try:
        frame = inbox.messages.get(timeout=a.timeout)
    except queue.Empty:
        print("noc-stomp: no reply within %.0f s" % a.timeout, file=sys.stderr)
        return 3
    if frame is None:
        print("noc-stomp: the broker refused %s (does it have the ha-operator role?): %s" % (a.user, refused(inbox)),
              file=sys.stderr)
        return 2
    print(frame.body)
    return 0 if json.loads(frame.body).get("ok") else 1


def events(conn, inbox, a):
    # a plain SUBSCRIBE destination:ha.events: ha.events is multicast, so each subscriber gets every event
    conn.subscribe(destination="ha.events", id="events", ack="auto", headers={"receipt": "subscribed"})
    try:
        confirmed = inbox.receipts.get(timeout=a.timeout)
    except queue.Empty:
        print("noc-stomp: the broker did not confirm the subscription within %.0f s" % a.timeout, file=sys.stderr)
        return 3
    if not confirmed:
        print("noc-stomp: the broker refused the subscription of %s: %s" % (a.user, refused(inbox)), file=sys.stderr)
        return 2
    print("noc-stomp: subscribed to ha.events", file=sys.stderr, flush=True)
    seen = 0
    while a.count == 0 or seen < a.count:
        try:
            frame = inbox.messages.get(timeout=a.timeout)
        except queue.Empty:
            print("noc-stomp: no event within %.0f s" % a.timeout, file=sys.stderr)
            return 3
        if frame is None:
            print("noc-stomp: the broker refused the subscription of %s: %s" % (a.user, refused(inbox)),
                  file=sys.stderr)
            return 2
        print(frame.body, flush=True)
        seen += 1
    return 0


def main():
    p = argparse.ArgumentParser(description="Send a vmha NOC command or print events over STOMP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=61613, help="the STOMP port, vmha.broker.stomp.port (default %(default)s)")
    p.add_argument("--user", default="operator")
    p.add_argument("--password", help="default: the user's line of --credentials")
    p.add_argument("--credentials", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "etc",
                                                         "vmha-credentials.properties"),
                   help="user=password lines (default: the distribution's etc/vmha-credentials.properties)")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the reply or the next event")
    sub = p.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("command", help="send one command and print its reply")
    c.add_argument("command", help="command name, e.g. status, power-on, why")
    c.add_argument("args", nargs="?", default="{}", help="the args object as JSON (default {})")
    e = sub.add_parser("events", help="print the events of ha.events")
    e.add_argument("--count", type=int, default=0, help="exit after this many events (default 0: never)")
    a = p.parse_args()
    password = a.password if a.password is not None else password_of(a.credentials, a.user)
    if password is None:
        print("noc-stomp: no --password, and %s has no line for %s" % (a.credentials, a.user), file=sys.stderr)
        return 2
    conn = stomp.Connection12([(a.host, a.port)], heartbeats=(0, 0), reconnect_attempts_max=1)
    inbox = Inbox()
    conn.set_listener("inbox", inbox)
    try:
        conn.connect(a.user, password, wait=True)
    except (StompException, OSError) as ex:
        why = str(ex) or ("the broker refused the login (wrong user or password?)"
                          if isinstance(ex, ConnectFailedException) else type(ex).__name__)
        print("noc-stomp: cannot connect to %s:%d as %s: %s" % (a.host, a.port, a.user, why), file=sys.stderr)
        return 2
    if not inbox.errors.empty():
        print("noc-stomp: the broker refused the login of %s: %s" % (a.user, refused(inbox)), file=sys.stderr)
        return 2
    try:
        return command(conn, inbox, a) if a.mode == "command" else events(conn, inbox, a)
    finally:
        try:
            conn.disconnect()
        except (StompException, OSError):
            pass


if __name__ == "__main__":
    sys.exit(main())
