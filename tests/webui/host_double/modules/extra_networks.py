"""Stands in for ``modules/extra_networks.py`` (A1111 v1.10.1): ``parse_prompt`` removes every
``<name:args>`` tag (pattern at :175) and returns the text with the tags' arguments, split on ``:``,
grouped by network name (:178-191)."""

from __future__ import annotations

import re
from collections import defaultdict
from types import SimpleNamespace

re_extra_net = re.compile(r"<(\w+):([^>]+)>")  # extra_networks.py:175


def parse_prompt(prompt):
    found = defaultdict(list)

    def take(match):
        found[match.group(1)].append(SimpleNamespace(items=match.group(2).split(":")))
        return ""

    return re_extra_net.sub(take, prompt), found
