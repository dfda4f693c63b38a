"""Mirrors A1111 v1.10.1 ``modules/processing_scripts/comments.py``: in ``process()``, when
``opts.enable_prompt_comments`` (default True) is on, strip ``#`` comments from every prompt list
(``all_prompts``, negatives, ``main_*`` and, with hires fix, ``all_hr_*``). It runs after every
extension's ``process()`` because processing scripts load last (scripts.py:493)."""

import re

from modules import scripts, shared


def strip_comments(text):
    text = re.sub("(^|\n)#[^\n]*(\n|$)", "\n", text)
    text = re.sub("#[^\n]*(\n|$)", "\n", text)
    return text


class ScriptStripComments(scripts.Script):
    def title(self):
        return "Comments"

    def show(self, is_img2img):
        return scripts.AlwaysVisible

    def process(self, p, *args):
        if not getattr(shared.opts, "enable_prompt_comments", True):
            return
        p.all_prompts = [strip_comments(x) for x in p.all_prompts]
        p.all_negative_prompts = [strip_comments(x) for x in p.all_negative_prompts]
        p.main_prompt = strip_comments(p.main_prompt)
        p.main_negative_prompt = strip_comments(p.main_negative_prompt)
        if getattr(p, "enable_hr", False):
            p.all_hr_prompts = [strip_comments(x) for x in p.all_hr_prompts]
            p.all_hr_negative_prompts = [strip_comments(x) for x in p.all_hr_negative_prompts]
