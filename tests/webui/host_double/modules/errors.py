"""Mirrors ``modules/errors.py`` ``report``/``display``: print and keep going; tests read ``reported``."""

import traceback

reported: list[str] = []


def report(message, *, exc_info=False):
    reported.append(message + ("\n" + traceback.format_exc() if exc_info else ""))
    print(message)


def display(e, task):
    report(f"{task}: {type(e).__name__}: {e}")
