"""Mirrors ``modules/sd_samplers.py`` (A1111 v1.10.1) and the sampler table of ``sd_samplers_kdiffusion.py:11-27``.

- ``all_samplers_map`` keyed by canonical name (line 16); ``samplers_map`` lower-cased names and
  aliases -> name (``set_samplers``, 47-58).
- ``get_sampler_and_scheduler(sampler, scheduler, *, convert_automatic=True)`` (100-122): splits a
  legacy suffix such as "DPM++ 2M Karras"; an unknown sampler silently becomes ``samplers[0]``.
- ``fix_p_invalid_sampler_and_scheduler(p)`` (125-129), run by process_images after before_process.
- ``create_sampler(name, model)`` asserts a canonical name (33-44): "bad sampler name".
"""

from __future__ import annotations

import functools
from collections import namedtuple

from modules import sd_schedulers

SamplerData = namedtuple("SamplerData", ["name", "constructor", "aliases", "options"])

_table = [
    ("DPM++ 2M", ["k_dpmpp_2m"], {"scheduler": "karras"}),
    ("DPM++ SDE", ["k_dpmpp_sde"], {"scheduler": "karras"}),
    ("DPM++ 2M SDE", ["k_dpmpp_2m_sde"], {"scheduler": "exponential"}),
    ("Euler a", ["k_euler_a", "k_euler_ancestral"], {"uses_ensd": True}),
    ("Euler", ["k_euler"], {}),
    ("DDIM", ["ddim"], {}),
]

all_samplers = [SamplerData(name, None, aliases, options) for name, aliases, options in _table]
all_samplers_map = {x.name: x for x in all_samplers}
samplers = all_samplers
samplers_for_img2img = all_samplers
samplers_map = {}
for _s in all_samplers:
    samplers_map[_s.name.lower()] = _s.name
    for _alias in _s.aliases:
        samplers_map[_alias.lower()] = _s.name


def find_sampler_config(name):
    return all_samplers_map.get(name, None) if name is not None else all_samplers[0]


def create_sampler(name, model):
    config = find_sampler_config(name)
    assert config is not None, f"bad sampler name: {name}"
    return config


@functools.cache
def get_sampler_and_scheduler(sampler_name, scheduler_name, *, convert_automatic=True):
    default_sampler = samplers[0]
    found_scheduler = sd_schedulers.schedulers_map.get(scheduler_name, sd_schedulers.schedulers[0])
    name = sampler_name or default_sampler.name
    for scheduler in sd_schedulers.schedulers:
        name_options = [scheduler.label, scheduler.name, *(scheduler.aliases or [])]
        for name_option in name_options:
            if name.endswith(" " + name_option):
                found_scheduler = scheduler
                name = name[0 : -(len(name_option) + 1)]
                break
    sampler = all_samplers_map.get(name, default_sampler)
    if convert_automatic and sampler.options.get("scheduler", None) == found_scheduler.name:
        found_scheduler = sd_schedulers.schedulers[0]
    return sampler.name, found_scheduler.label


def fix_p_invalid_sampler_and_scheduler(p):
    p.sampler_name, p.scheduler = get_sampler_and_scheduler(p.sampler_name, p.scheduler, convert_automatic=False)
