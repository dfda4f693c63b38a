"""What each top-level item is, and its canonical spelling.

An item is classified by what it contains: a plain tag by the knowledge base,
a weighted group or schedule by its tags (``(1girl, solo:1.2)`` is a people
item and moves as one), extra networks and wildcards by their syntax.
Canonical spelling is applied only to tags the knowledge base knows; LoRA
names, embeddings and unknown words keep their exact text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .categories import Category
from .memo import ContentMemo, revision_of
from .syntax import Braces, Comment, Escape, Item, Network, Node, Paren, Square, Text, render_nodes
from .syntax.constructs import reads_as_construct
from .syntax.parse import SCHEDULE_NUMBER
from .tagdb.keys import normalize_key
from .tagdb_protocol import TagInfo, TagLookup

_WILDCARD = re.compile(r"^__[^_\s](?:[^\s]*[^_\s])?__$")
_SPACES = re.compile(r"[ \t]{2,}")
_NEEDS_ESCAPE = re.compile(r"([\\()\[\]])")

# Template rank: lower comes first. Body categories share one rank.
_RANK = {
    Category.PEOPLE: 0,
    Category.CHARACTER: 1,
    Category.COPYRIGHT: 2,
    Category.RATING: 3,
    Category.ARTIST: 4,
    Category.YEAR: 4,
    Category.META: 4,
    Category.GENERAL: 4,
    Category.NETWORK: 4,
    Category.WILDCARD: 4,
    Category.QUALITY: 5,
    Category.SCORE: 5,
}
_TAIL = (Category.QUALITY, Category.SCORE)


@dataclass(frozen=True, slots=True)
class Leaf:
    """One tag inside an item, as written and as resolved."""

    written: str  # literal text, escapes resolved (``firefly (honkai: star rail)``)
    info: TagInfo | None
    weighted: bool  # inside emphasis, a schedule or an alternation


@dataclass(frozen=True, slots=True)
class Analysis:
    item: Item  # normalised (or the original when it must not be touched)
    original: Item
    category: Category
    leaves: tuple[Leaf, ...]
    key: str  # rendered normalised text: equal keys are duplicates
    source: str  # rendered original text
    has_network: bool = False  # holds an extra network: the host applies every occurrence
    named: bool = False  # a plain name was rewritten to its character tag (reported as its own change)
    #: The single tag this item is, weighted or not; None for groups and other syntax. Set once:
    #: the ordering asks it of every item several times per prompt.
    tag: Leaf | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tag", self.leaves[0] if len(self.leaves) == 1 else None)


@dataclass(frozen=True)
class Normaliser:
    """Per-call settings for canonical spelling (passed down, never global)."""

    db: TagLookup
    replace_underscores: bool = True
    keep_spelling: frozenset[str] = frozenset()  # e.g. the host's embedding names
    schedules: bool = True  # the host's schedule parser reads this sub-prompt (see host_reads_schedules)
    plain_names: bool = True  # "makima" -> "makima (chainsaw man)" where the name table is sure

    #: These settings as a memo key, the knowledge base by its revision (None: not memoisable).
    memo_key: tuple[object, ...] | None = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        revision = revision_of(self.db)
        key = None if revision is None else (
            revision, self.replace_underscores, self.keep_spelling, self.schedules, self.plain_names
        )
        object.__setattr__(self, "memo_key", key)


# An underscore between two word characters, in a word of 4+ characters: "long_hair", not ">_<" or "o_o".
_WORD_UNDERSCORE = re.compile(r"(?<=[^\W_])_+(?=[^\W_])")


def _unknown_spelling(text: str, norm: Normaliser) -> str:
    """Unknown words are mostly general tags the bundled lists lack, so underscores become
    spaces; but names (any capital letter), short emoticon-like words, ``__wildcards__``
    and protected names (embeddings) keep their exact spelling, word by word."""
    if not norm.replace_underscores or "_" not in text:
        return text
    return _WORD.sub(lambda m: _respell_word(m.group(), norm), text)


# Words end at a ":" or "|" the host kept as text as well as at spaces: in "o_o:x2.5" (reForge's
# repeat weight, text to A1111) the word is the emoticon "o_o", which keeps its underscore.
_WORD = re.compile(r"[^\s:|]+")


def _respell_word(word: str, norm: Normaliser) -> str:
    if (
        "_" not in word
        or len(word) < 4
        or word != word.lower()
        or word in norm.keep_spelling
        or (word.startswith("__") and word.endswith("__"))
    ):
        return word
    return _WORD_UNDERSCORE.sub(" ", word)


def escape_tag(name: str) -> str:
    """A tag's own brackets must be escaped, or the host reads them as emphasis."""
    return _NEEDS_ESCAPE.sub(r"\\\1", name)


def _literal(nodes: tuple[Node, ...] | list[Node]) -> str | None:
    """The text of a run that could be one tag; None when it holds real syntax."""
    out = []
    for n in nodes:
        t = type(n)
        if t is Text:
            out.append(n.text)  # type: ignore[union-attr]
        elif t is Escape:
            out.append(n.char)  # type: ignore[union-attr]
        elif t is Paren and n.weight is None and n.closed:  # type: ignore[union-attr]
            inner = _literal(n.children)  # type: ignore[union-attr]
            if inner is None:
                return None
            out.append("(" + inner + ")")
        else:
            return None
    return "".join(out)


def _has_bare_paren(nodes: tuple[Node, ...] | list[Node]) -> bool:
    return any(type(n) is Paren for n in nodes)


def _character_named(text: str, info: TagInfo | None, norm: Normaliser) -> TagInfo | None:
    """The character tag a plain name surely means (``miku`` -> ``hatsune miku``), else None.

    Asked only for text that is no tag or is an artist (the database knows which artists
    a name may shadow); a database without a name table (``plain_name``) knows no names.
    """
    if not norm.plain_names or (info is not None and info.category is not Category.ARTIST):
        return None
    plain_name = getattr(norm.db, "plain_name", None)
    match = plain_name(text) if plain_name is not None else None
    if match is None or match.unique is None:
        return None
    return norm.db.lookup(match.unique)


def _spell(info: TagInfo, written: str, norm: Normaliser) -> str:
    name = info.name
    if not norm.replace_underscores and "_" in written:
        name = name.replace(" ", "_")
    return escape_tag(name)


def _split(nodes: tuple[Node, ...] | list[Node], chars: str) -> list[tuple[list[Node], str]]:
    """Split a node run at depth-0 characters of ``chars``: [(chunk, separator_after)]."""
    chunks: list[tuple[list[Node], str]] = []
    cur: list[Node] = []
    for n in nodes:
        if type(n) is Text and any(c in n.text for c in chars):  # type: ignore[union-attr]
            start = 0
            text = n.text  # type: ignore[union-attr]
            for i, ch in enumerate(text):
                if ch in chars:
                    if i > start:
                        cur.append(Text(text[start:i]))
                    chunks.append((cur, ch))
                    cur = []
                    start = i + 1
            if start < len(text):
                cur.append(Text(text[start:]))
        else:
            cur.append(n)
    chunks.append((cur, ""))
    return chunks


class _Walker:
    """Normalises a node run and collects the tags in it (one instance per item)."""

    __slots__ = (
        "norm", "leaves", "has_network", "has_wildcard", "has_other", "in_schedule", "in_square", "named", "names_ok"
    )

    def __init__(self, norm: Normaliser) -> None:
        self.norm = norm
        self.in_schedule = False  # inside [a:b:n] / [a|b]: a respelling must not add ":" or "|"
        # Inside [...] or {...}: the host may read a piece together with its neighbours
        # ("[(1girls)] 1boy" is one piece "1girls 1boy"), so no alias swaps a word there;
        # only case, underscores and escapes are normalised.
        self.in_square = False
        self.leaves: list[Leaf] = []
        self.has_network = False
        self.has_wildcard = False
        self.has_other = False
        self.named = False
        # Plain names only in an item that is one weighted tag, "(makima:1.2)": the host merges
        # pieces of equal weight ("1BOY\n(miku:1)" is one piece "1boy miku"), so elsewhere a
        # name may not be a piece of its own.
        self.names_ok = False

    def chunk(self, nodes: list[Node], weighted: bool) -> list[Node]:
        """One comma-delimited chunk: a tag if the knowledge base knows it, else recurse."""
        # Keep the chunk's own edge whitespace exactly; normalise what is inside.
        lead = trail = ""
        if nodes and type(nodes[0]) is Text:
            t = nodes[0].text  # type: ignore[union-attr]
            s = t.lstrip()
            lead = t[: len(t) - len(s)]
            nodes = ([Text(s)] if s else []) + nodes[1:]
        if nodes and type(nodes[-1]) is Text:
            t = nodes[-1].text  # type: ignore[union-attr]
            s = t.rstrip()
            trail = t[len(s) :]
            nodes = nodes[:-1] + ([Text(s)] if s else [])
        body = self._chunk_body(nodes, weighted)
        if lead:
            body.insert(0, Text(lead))
        if trail:
            body.append(Text(trail))
        return body

    def _chunk_body(self, nodes: list[Node], weighted: bool) -> list[Node]:
        if not nodes:
            return nodes
        literal = _literal(nodes)
        if literal is not None:
            info = self.norm.db.lookup(literal)
            named_ok = self.names_ok and not self.in_square
            character = _character_named(literal, info, self.norm) if named_ok else None
            if character is not None:
                self.named = True
                info = character
            if info is not None:
                self.leaves.append(Leaf(literal, info, weighted))
                spelled = _spell(info, literal, self.norm)
                if self.in_schedule and (":" in spelled or "|" in spelled):
                    return nodes  # "hsr" -> "honkai: star rail" would add a schedule field
                if self.in_square and normalize_key(literal) != normalize_key(info.name):
                    return nodes  # an alias: keep the word as written
                return [Text(spelled)]
            if not _has_bare_paren(nodes):
                stripped = literal.strip()
                if _WILDCARD.match(stripped):
                    self.has_wildcard = True
                    return nodes
                self.leaves.append(Leaf(stripped, None, weighted))
                if len(nodes) == 1 and type(nodes[0]) is Text:  # plain text: tidy spaces, maybe underscores
                    return [Text(_unknown_spelling(_SPACES.sub(" ", nodes[0].text), self.norm))]  # type: ignore[union-attr]
                return nodes
            return self.parts(nodes, weighted)
        return self.nodes(nodes, weighted)

    def nodes(self, nodes: list[Node] | tuple[Node, ...], weighted: bool) -> list[Node]:
        """A run of nodes beside real syntax (``x_\\(y\\) <lora:z:1>``): each maximal run of
        plain text, escapes and bare parentheses is one candidate tag, looked up whole."""
        out: list[Node] = []
        run: list[Node] = []
        for n in nodes:
            t = type(n)
            if t is Text or t is Escape or (t is Paren and n.weight is None and n.closed):  # type: ignore[union-attr]
                run.append(n)
                continue
            if run:
                out.extend(self.chunk(run, weighted) if len(run) < len(nodes) else self.parts(run, weighted))
                run = []
            out.extend(self.parts([n], weighted))
        if run:
            out.extend(self.chunk(run, weighted) if len(run) < len(nodes) else self.parts(run, weighted))
        return out

    def parts(self, nodes: list[Node], weighted: bool) -> list[Node]:
        """Node by node, when the run as a whole is no known tag: ``red (eyes)`` is text and
        emphasis. Text fragments are not looked up on their own: ``makima_`` in
        ``makima_\\(x\\)`` is part of a word, not a tag."""
        out: list[Node] = []
        for n in nodes:
            t = type(n)
            if t is Paren:
                out.append(Paren(tuple(self.group(n.children, ",", True)), n.weight, n.closed))  # type: ignore[union-attr]
            elif t is Square:
                out.append(Square(tuple(self.square(n)), n.closed))  # type: ignore[union-attr]
            elif t is Braces:
                outer, self.in_square = self.in_square, True
                out.append(Braces(tuple(self.group(n.children, ",|", weighted)), n.closed))  # type: ignore[union-attr]
                self.in_square = outer
            elif t is Network:
                self.has_network = True
                out.append(n)
            elif t is Text:
                text = n.text  # type: ignore[union-attr]
                if text.strip():
                    self.leaves.append(Leaf(text.strip(), None, weighted))
                    out.append(Text(_unknown_spelling(text, self.norm)))
                else:
                    out.append(n)
            else:
                if t is Comment:
                    self.has_other = True
                out.append(n)
        return out

    def group(self, children: tuple[Node, ...], seps: str, weighted: bool) -> list[Node]:
        out: list[Node] = []
        for chunk, sep in _split(children, seps):
            out.extend(self.chunk(chunk, weighted))
            if sep:
                out.append(Text(sep))
        return _merge(out)

    def square(self, node: Square) -> list[Node]:
        outer, self.in_square = self.in_square, True
        try:
            return self._square(node)
        finally:
            self.in_square = outer

    def _square(self, node: Square) -> list[Node]:
        children = node.children
        # The host reads "[a:b:0.5]" literally where its schedule parser fails on the sub-prompt,
        # and a "[" that opens no whole construct ("[a:[:d]:0.5]") is a stray character to it.
        if not self.norm.schedules or not (node.closed and reads_as_construct(render_nodes((node,)))):
            return self.group(children, ",", True)
        alternatives = _split(children, "|")
        if len(alternatives) > 1:
            return self._pieces(alternatives)
        pieces = _split(children, ":")
        when = _literal(pieces[-1][0])
        if len(pieces) in (2, 3) and when is not None and SCHEDULE_NUMBER.match(when):
            return self._pieces(pieces[:-1]) + list(pieces[-1][0])
        return self.group(children, ",", True)

    def _pieces(self, pieces: list[tuple[list[Node], str]]) -> list[Node]:
        out: list[Node] = []
        outer, self.in_schedule = self.in_schedule, True
        for chunk, sep in pieces:
            for sub, comma in _split(chunk, ","):
                out.extend(self.chunk(sub, True))
                if comma:
                    out.append(Text(comma))
            if sep:
                out.append(Text(sep))
        self.in_schedule = outer
        return _merge(out)


def _merge(nodes: list[Node]) -> list[Node]:
    out: list[Node] = []
    for n in nodes:
        if type(n) is Text and out and type(out[-1]) is Text:
            out[-1] = Text(out[-1].text + n.text)  # type: ignore[union-attr]
        elif type(n) is Text and not n.text:  # type: ignore[union-attr]
            continue
        else:
            out.append(n)
    return out


def _aggregate(leaves: list[Leaf], has_network: bool, has_wildcard: bool) -> Category:
    cats = [leaf.info.category if leaf.info is not None else Category.GENERAL for leaf in leaves]
    if has_network:
        cats.append(Category.NETWORK)
    if has_wildcard:
        cats.append(Category.WILDCARD)
    if not cats:
        return Category.GENERAL
    if len(cats) == 1:
        return cats[0]
    head = [c for c in cats if c not in _TAIL]
    if not head:
        return Category.SCORE if all(c is Category.SCORE for c in cats) else Category.QUALITY
    best = min(head, key=_RANK.__getitem__)
    if _RANK[best] == 4 and any(c is not best for c in head):
        return Category.GENERAL
    return best


def analyse(item: Item, norm: Normaliser) -> Analysis:
    """Classify one top-level item and give its normalised form.

    Unbalanced items are left exactly as written: our nesting can differ from the
    host's pairing of crossing brackets, so touching them could change meaning.
    Results are memoised by content (the item's text, the settings, the knowledge base's
    revision): the same tags recur in nearly every prompt a user writes.
    """
    key = norm.memo_key
    if key is None:
        return _analyse(item, norm)
    memo_key = (item, key)
    found = _ANALYSES.get(memo_key)
    return found if found is not None else _ANALYSES.put(memo_key, _analyse(item, norm))


_ANALYSES: ContentMemo[Analysis] = ContentMemo(4096)  # the tags of a session; each entry is ~10 objects the GC walks


def _analyse(item: Item, norm: Normaliser) -> Analysis:
    nodes = item.nodes
    if len(nodes) == 1 and type(nodes[0]) is Text:  # the common case: one plain tag
        text = nodes[0].text  # type: ignore[union-attr]
        info = norm.db.lookup(text)
        character = _character_named(text, info, norm)
        if character is not None:
            key = _spell(character, text, norm)
            leaf = Leaf(text, character, False)
            return Analysis(Item((Text(key),), True, key), item, Category.CHARACTER, (leaf,), key, text, named=True)
        if info is not None:
            key = _spell(info, text, norm)
            return Analysis(Item((Text(key),), True, key), item, info.category, (Leaf(text, info, False),), key, text)
        if _WILDCARD.match(text):
            return Analysis(item, item, Category.WILDCARD, (), text, text)
        key = _unknown_spelling(_SPACES.sub(" ", text), norm)
        return Analysis(Item((Text(key),), True, key), item, Category.GENERAL, (Leaf(text, None, False),), key, text)
    walker = _Walker(norm)
    walker.names_ok = len(nodes) == 1 and type(nodes[0]) is Paren and nodes[0].weight is not None  # type: ignore[union-attr]
    if item.balanced:
        new_nodes = tuple(_merge(walker.chunk(list(nodes), False)))
        key = render_nodes(new_nodes)
        new = Item(new_nodes, True, key)
    else:
        walker.nodes(list(nodes), False)  # collect tags for classification only
        new, key = item, item.source
    category = _aggregate(walker.leaves, walker.has_network, walker.has_wildcard)
    named = walker.named and item.balanced
    return Analysis(new, item, category, tuple(walker.leaves), key, item.source, walker.has_network, named)
