"""A long prompt gets one note saying how many 75-token chunks it makes (issue 13, item 5).

Counted with CLIP's own merge table where an installed package ships it, else estimated,
and the note says which. The merge-table counter is checked against OpenAI CLIP's tokenizer
as ``open_clip`` ships it, where a real-host venv has one (``../shared/realhost``).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest

from animagine_prompt.clip_bpe import ClipBPE
from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import get_preset

V40 = get_preset("4.0")
TAGS = [
    "1girl", "hatsune miku", "long hair", "twintails", "aqua eyes", "smile", "looking at viewer", "detached sleeves",
    "necktie", "skirt", "thighhighs", "outdoors", "night", "starry sky", "city lights", "from side", "upper body",
    "holding microphone", "music", "singing", "stage", "spotlight", "confetti", "open mouth", "blush",
    "hair ornament", "headset", "hand up", "wind", "cowboy shot",
]
LONG = ", ".join(TAGS)


def _notes(result):
    return [w for w in result.warnings if w.code == "chunks"]


def test_a_long_prompt_gets_one_note_with_its_chunk_count(real_tagdb):
    notes = _notes(format_prompt(LONG, db=real_tagdb, preset=V40))
    assert len(notes) == 1 and notes[0].level == "note"
    assert "makes 2 chunks of 75 tokens" in notes[0].message and "chunk 2 opens at" in notes[0].message


def test_a_short_prompt_or_one_split_only_by_break_gets_none(real_tagdb):
    assert not _notes(format_prompt("1girl, smile, night", db=real_tagdb, preset=V40))
    half = ", ".join(TAGS[:12])
    assert not _notes(format_prompt(f"{half} BREAK {half}", db=real_tagdb, preset=V40))


def test_weights_and_networks_are_not_counted_as_text(real_tagdb):
    # 20 tags under heavy weights and a LoRA stay one chunk: brackets and numbers are not tokens to CLIP.
    weighted = ", ".join(f"(({t}:1.3))" for t in TAGS[:14]) + ", <lora:some_style_lora_v2:0.8>"
    assert not _notes(format_prompt(weighted, db=real_tagdb, preset=V40))


def test_the_cli_prints_the_note_as_a_note():
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-m", "animagine_prompt", "format", LONG], capture_output=True, text=True,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "note: the prompt makes 2 chunks of 75 tokens" in done.stderr
    assert "warning: the prompt makes" not in done.stderr


def test_bpe_merges_lowest_rank_first(tmp_path):
    table = tmp_path / "vocab.txt.gz"
    table.write_bytes(gzip.compress(b"header\nh i\nhi g</w>\nt h\n"))
    bpe = ClipBPE.from_file(table)
    assert bpe.count("hig") == 1  # h+i, then hi+g</w>
    assert bpe.count("thig") == 2  # h+i (rank 0) before t+h (rank 2): "t", then "hi"+"g</w>"
    assert bpe.count("xyz, 12") == 6  # unmerged letters, the comma, one token per digit


def _oracle_python() -> Path | None:
    root = Path(os.environ.get("REALHOST_DIR", Path.home() / ".cache" / "realhost"))
    for host in ("a1111", "reforge"):
        for python in sorted((root / host / "venv" / "bin").glob("python3*")):
            return python
    return None


ORACLE = """
import gzip, random, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import open_clip
from open_clip.tokenizer import SimpleTokenizer
from animagine_prompt.clip_bpe import ClipBPE
table = Path(open_clip.__file__).parent / "bpe_simple_vocab_16e6.txt.gz"
ours, ref = ClipBPE.from_file(table), SimpleTokenizer()
words = [line.split()[0].replace("</w>", "") for line in gzip.open(table).read().decode().split("\\n")[1:5000] if line]
random.seed(7)
texts = [sys.argv[2], "score_9, >_<, ^_^, :3, 1990s \\\\(style\\\\), it's, 12345 3.14", "初音ミク, café, naïve"]
texts += [", ".join(random.choice(words) for _ in range(random.randint(1, 30))) for _ in range(400)]
bad = [(t, ours.count(t), len(ref.encode(t))) for t in texts if ours.count(t) != len(ref.encode(t))]
print(len(texts), bad[:3])
sys.exit(1 if bad else 0)
"""


def test_counts_match_openai_clips_tokenizer():
    python = _oracle_python()
    if python is None:
        pytest.skip("needs a ../shared/realhost venv (REALHOST_DIR) with open_clip, the host's own tokenizer package")
    probe = subprocess.run([str(python), "-c", "import open_clip"], capture_output=True)
    if probe.returncode:
        pytest.skip(f"{python} has no open_clip")
    root = str(Path(__file__).resolve().parents[2])
    done = subprocess.run([str(python), "-c", ORACLE, root, LONG], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert done.stdout.startswith("403 ")
