#!/usr/bin/python3
# Licensed under the Apache License, Version 2.0 (the "License"); you may not use this file
# except in compliance with the License. You may obtain a copy of the License at
# http://www.apache.org/licenses/LICENSE-2.0
"""One AMQP 1.0 permission probe for PermissionMatrixIT (Qpid Proton, a client not written here).

    amqp-probe.py URL USER PASSWORD send|receive ADDRESS

Prints "allowed" and exits 0 if the broker let USER attach (and, for send, settle one message), "refused ..." and
exits 3 if it refused, exits 2 if it could not tell.
"""
import sys

from proton import ConnectionException, Message, ProtonException, Timeout
from proton.utils import BlockingConnection, LinkDetached, SendException


def main():
    url, user, password, mode, address = sys.argv[1:6]
    try:
        conn = BlockingConnection(url, user=user, password=password, timeout=10, allowed_mechs="PLAIN")
    except ConnectionException as e:
        print("refused: %s" % e)
        return 3
    except (Timeout, ProtonException, OSError) as e:
        print("unknown: %s" % e)
        return 2
    try:
        if mode == "send":
            sender = conn.create_sender(address)
            sender.send(Message(body="permission-probe", durable=True))
        else:
            conn.create_receiver(address)
        print("allowed")
        return 0
    except (LinkDetached, SendException, ConnectionException) as e:
        print("refused: %s" % e)
        return 3
    except (Timeout, ProtonException) as e:
        print("unknown: %s" % e)
        return 2
    finally:
        try:
            conn.close()
        except Exception:
            pass


if __name__ == "__main__":
    sys.exit(main())
