"""Stands in for the host's built-in "Comments" script (A1111 v1.10.1
``modules/processing_scripts/comments.py``), written from what it does to a prompt:

- Its ``process()`` runs after every extension's (processing scripts load last, A: scripts.py:493),
  and only when ``opts.enable_prompt_comments`` is on (default on, A: shared_options.py).
- It rewrites ``all_prompts``, ``all_negative_prompts``, ``main_prompt``, ``main_negative_prompt`` and,
  with hires fix, ``all_hr_prompts``, ``all_hr_negative_prompts``, ``hr_prompt``, ``hr_negative_prompt``
  (A: comments.py:19-34).
- What a comment is (A: comments.py:5-9, two passes over the text; checked here against the host on
  random texts of ``a``, ``#``, space and newline):
  1. a line that starts with ``#`` is removed together with one of its two line breaks; at the start or
     the end of the text it leaves an empty line instead, and a one-line text becomes two empty lines.
     A ``#`` line right after a removed one is not removed by this pass (its line break is gone);
  2. then, on every line still holding a ``#``, the text from the first ``#`` to the end of the line is
     cut; on the last line that also adds a line break.
"""

from modules import scripts, shared


def strip_comments(text):
    lines = text.split("\n")
    kept = []
    taken = False  # the line break before this line went with a removed comment line
    for i, line in enumerate(lines):
        first, last = i == 0, i == len(lines) - 1
        if not line.startswith("#") or taken:
            kept.append(line)
            taken = False
        elif first and last:
            kept += ["", ""]
        elif first or last:
            kept.append("")
            taken = first
        else:
            taken = True
    out = []
    for i, line in enumerate(kept):
        cut = line.find("#")
        out.append(line if cut < 0 else line[:cut])
        if cut >= 0 and i == len(kept) - 1:
            out.append("")
    return "\n".join(out)


class ScriptStripComments(scripts.Script):
    def title(self):
        return "Comments"

    def show(self, is_img2img):
        return scripts.AlwaysVisible

    def process(self, p, *args):
        if not getattr(shared.opts, "enable_prompt_comments", True):
            return
        for name in ("all_prompts", "all_negative_prompts"):
            setattr(p, name, [strip_comments(x) for x in getattr(p, name)])
        for name in ("main_prompt", "main_negative_prompt"):
            setattr(p, name, strip_comments(getattr(p, name)))
        if getattr(p, "enable_hr", False):
            for name in ("all_hr_prompts", "all_hr_negative_prompts"):
                setattr(p, name, [strip_comments(x) for x in getattr(p, name)])
            for name in ("hr_prompt", "hr_negative_prompt"):
                if hasattr(p, name):
                    setattr(p, name, strip_comments(getattr(p, name)))
