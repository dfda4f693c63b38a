"""Mirrors ``modules/sd_schedulers.py`` (A1111 v1.10.1:18-27 dataclass, 130-145 list and map).

reForge lists 25 schedulers (sd_schedulers.py:344-368); a subset with the same shape suffices.
"""

import dataclasses


@dataclasses.dataclass
class Scheduler:
    name: str
    label: str
    function: object = None
    default_rho: float = -1
    need_inner_model: bool = False
    aliases: list = None


schedulers = [
    Scheduler("automatic", "Automatic", None),
    Scheduler("uniform", "Uniform"),
    Scheduler("karras", "Karras", default_rho=7.0),
    Scheduler("exponential", "Exponential"),
    Scheduler("polyexponential", "Polyexponential", default_rho=1.0),
    Scheduler("sgm_uniform", "SGM Uniform", aliases=["SGMUniform"]),
    Scheduler("simple", "Simple"),
    Scheduler("normal", "Normal"),
    Scheduler("beta", "Beta"),
]

schedulers_map = {**{x.name: x for x in schedulers}, **{x.label: x for x in schedulers}}
