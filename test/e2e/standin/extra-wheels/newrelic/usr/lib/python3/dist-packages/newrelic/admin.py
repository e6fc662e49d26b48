import os
import sys


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "run-program":
        sys.stderr.write("usage: newrelic-admin run-program CMD [ARGS...]\n")
        return 2
    os.environ["NEW_RELIC_STANDIN"] = "1"
    os.execvp(args[1], args[1:])
    return 0
