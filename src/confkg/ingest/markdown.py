"""Markdown notes: block drafts located exactly in the source with markdown-it-py.

markdown-it gives every block token a line range (``.map``) but no character offsets for inline
text, so each kept text token is found again in the source, searching forward from a cursor
inside its block's line range. Skipped constructs (link targets, images, inline HTML, math,
footnote references) move the cursor past themselves, so later text cannot be matched inside
them. Text that cannot be found verbatim (an escaped pipe in a table, a code span that spanned
lines) is located word by word, and a word that still cannot be found is dropped: an offset is
never guessed.

What is kept out of the clean text: fenced and indented code blocks, HTML (blocks and inline),
images with their alt text, ``$``/``$$`` math, Liquid tags, link targets, footnote markers and
emphasis markers. Inline code *is* kept (backticks removed): in notes it mostly names software
(``pandas``, ``kubectl``) that later stages should see. Footnote definitions stay where they are
written, as paragraphs of the section that holds them; an inline footnote ``^[...]`` keeps its
text in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from confkg.ingest.emissions import Anchor, BlockDraft, Emission, LinkClose, LinkOpen, Piece, Sep
from confkg.model import BlockKind

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# The innermost container decides a paragraph's kind (a quote inside a list item is a quote).
_KINDS: dict[str, BlockKind] = {"item": "list_item", "quote": "quote", "cell": "table_cell"}
_SKIPPED_BLOCKS = {"fence", "code_block", "html_block", "math_block", "math_block_label", "hr"}


def _parser() -> MarkdownIt:
    """CommonMark plus the extensions notes use (tables, strikethrough, footnotes, math)."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    # Definitions stay in place (not moved to the end) so they fall in the section that has them.
    md.use(footnote_plugin, move_to_end=False)
    # No space inside and no digit outside the dollars: "$5 and $10" is money, not math.
    md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    # Keep escapes and entities as separate tokens: their source form differs from their text.
    md.disable("text_join")
    return md


_MD = _parser()


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The YAML text between the ``---`` lines and the 0-based file line it starts on."""

    text: str
    first_line: int


@dataclass(frozen=True, slots=True)
class MarkdownDoc:
    """A parsed markdown note: its front matter (if any) and its blocks in source order."""

    front_matter: FrontMatter | None
    drafts: list[BlockDraft]


def parse_markdown(text: str) -> MarkdownDoc:
    """Parse ``text`` (template tags already masked) into front matter and block drafts."""
    env: dict[str, Any] = {}
    tokens = _MD.parse(text, env)
    front = None
    if tokens and tokens[0].type == "front_matter" and tokens[0].map:
        front = FrontMatter(tokens[0].content, tokens[0].map[0] + 1)
    return MarkdownDoc(front, _Walker(text, env).blocks(tokens))


class _Walker:
    """Walks the token stream, tracking the containers (lists, quotes, cells) of each block."""

    def __init__(self, text: str, env: dict[str, Any]) -> None:
        self.src = text
        self.env = env
        self.line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def _window(self, tok: Token, fallback: tuple[int, int]) -> tuple[int, int]:
        """Character range of a token's lines: the only place its text may be searched."""
        if not tok.map:
            return fallback
        first, last = tok.map
        lo = self.line_starts[first] if first < len(self.line_starts) else len(self.src)
        hi = self.line_starts[last] if last < len(self.line_starts) else len(self.src)
        return lo, hi

    def blocks(self, tokens: list[Token]) -> list[BlockDraft]:
        """One draft per inline token (heading, paragraph, list item, cell...), in source order."""
        drafts: list[BlockDraft] = []
        stack: list[str] = []
        heading_level = 0
        window = (0, len(self.src))
        cursor = 0
        for tok in tokens:
            t = tok.type
            if t == "heading_open":
                heading_level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
            elif t == "heading_close":
                heading_level = 0
            elif t == "list_item_open":
                stack.append("item")
            elif t == "blockquote_open":
                stack.append("quote")
            elif t in ("th_open", "td_open"):
                stack.append("cell")
            elif t == "footnote_reference_open":
                stack.append("footnote")
            elif t in (
                "list_item_close",
                "blockquote_close",
                "th_close",
                "td_close",
                "footnote_reference_close",
            ):
                if stack:
                    stack.pop()
            elif t == "inline":
                window = self._window(tok, window)
                # Table cells of one row share a line range: go on from the previous cell.
                start = cursor if window[0] <= cursor < window[1] else window[0]
                ems, cursor = self.inline(tok.children or [], start, window[1])
                depth = stack.count("item")
                if heading_level:
                    drafts.append(BlockDraft("heading", ems, 0, heading_level))
                    continue
                inner = next((c for c in reversed(stack) if c != "footnote"), "")
                drafts.append(BlockDraft(_KINDS.get(inner, "paragraph"), ems, depth))
            elif t in _SKIPPED_BLOCKS and tok.map:
                window = self._window(tok, window)
        return drafts

    # ---------------------------------------------------------------------------------------

    def _find(self, needle: str, cur: int, hi: int) -> int:
        return self.src.find(needle, cur, hi) if needle else -1

    def _locate(self, text: str, cur: int, hi: int, out: list[Emission]) -> int:
        """Emit ``text`` as verbatim pieces found from ``cur``; returns the new cursor."""
        pos = self._find(text, cur, hi)
        if pos >= 0:
            out.append(Piece(pos, text))
            return pos + len(text)
        for m in re.finditer(r"\S+", text):  # word by word; words not found are dropped
            pos = self._find(m.group(), cur, hi)
            if pos >= 0:
                out.append(Piece(pos, m.group()))
                cur = pos + len(m.group())
        return cur

    def _skip(self, needle: str, cur: int, hi: int) -> int:
        pos = self._find(needle, cur, hi)
        return cur if pos < 0 else pos + len(needle)

    def inline(self, children: list[Token], cur: int, hi: int) -> tuple[list[Emission], int]:
        """Emissions of one inline token's children, and the cursor after them."""
        out: list[Emission] = []
        in_autolink = False
        for tok in children:
            t = tok.type
            if in_autolink:
                if t == "link_close":
                    in_autolink = False
                    cur = self._skip(">", cur, hi)
                continue
            if t == "text":
                cur = self._locate(tok.content, cur, hi, out)
            elif t == "text_special":
                pos = self._find(tok.markup, cur, hi)
                if pos < 0:
                    continue
                if tok.info == "entity" and tok.content.isspace():
                    out.append(Sep(" "))  # &nbsp; and friends
                elif tok.info == "entity" or not tok.markup.endswith(tok.content):
                    out.append(Piece(pos, tok.markup))  # other entities stay as written
                else:
                    n = len(tok.markup) - len(tok.content)
                    out.append(Piece(pos + n, tok.content))  # "\*" -> "*"
                cur = pos + len(tok.markup)
            elif t in ("softbreak", "hardbreak"):
                m = _LINE_BREAK.search(self.src, cur, hi)
                if m is None:
                    out.append(Sep("\n"))
                elif m.group().endswith("\n"):
                    out.append(Piece(m.end() - 1, "\n"))
                    cur = m.end()
                else:
                    out.append(Sep("\n"))
                    cur = m.end()
            elif t == "code_inline":
                cur = self._skip(tok.markup, cur, hi)
                cur = self._locate(tok.content, cur, hi, out)
                cur = self._skip(tok.markup, cur, hi)
            elif t == "link_open":
                href = str(tok.attrs.get("href", ""))
                if tok.markup == "autolink":
                    out.append(Anchor(href))
                    in_autolink = True
                    cur = self._skip("<", cur, hi)
                else:
                    out.append(LinkOpen(href))
                    cur = self._skip("[", cur, hi)
            elif t == "link_close":
                out.append(LinkClose())
                cur = _skip_link_tail(self.src, cur, hi)
            elif t == "image":
                pos = self._find("![", cur, hi)
                if pos >= 0:
                    cur = _skip_link_tail(self.src, _skip_brackets(self.src, pos + 1, hi), hi)
            elif t == "html_inline":
                cur = self._skip(tok.content, cur, hi)
            elif t in ("math_inline", "math_inline_double"):
                cur = self._skip(tok.markup, cur, hi)
                cur = self._skip(tok.content + tok.markup, cur, hi)
            elif t == "footnote_ref":
                cur = self._footnote_ref(tok, cur, hi, out)
        return out, cur

    def _footnote_ref(self, tok: Token, cur: int, hi: int, out: list[Emission]) -> int:
        meta = tok.meta or {}
        if "label" in meta:
            return self._skip(f"[^{meta['label']}]", cur, hi)
        note = self.env.get("footnotes", {}).get("list", {}).get(meta.get("id"), {})
        pos = self._find("^[", cur, hi)
        if pos < 0 or "tokens" not in note:
            return cur
        ems, cur = self.inline(note["tokens"], pos + 2, hi)
        out.extend(ems)
        return self._skip("]", cur, hi)


def _skip_brackets(src: str, pos: int, hi: int) -> int:
    """Position after the ``]`` matching the ``[`` at ``pos`` (or ``pos`` if unmatched)."""
    depth = 0
    i = pos
    while i < hi:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return pos


def _skip_link_tail(src: str, cur: int, hi: int) -> int:
    """Position after a link's ``](target "title")`` or ``][ref]`` starting at or after ``cur``."""
    pos = src.find("]", cur, hi)
    if pos < 0:
        return cur
    i = pos + 1
    if i < hi and src[i] == "[":
        end = src.find("]", i, hi)
        return end + 1 if end >= 0 else i
    if i >= hi or src[i] != "(":
        return i
    depth = 0
    quote = ""
    while i < hi:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and src[i - 1].isspace():
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return pos + 1
