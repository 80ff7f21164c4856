"""Cleaning block emissions: template tags, bare URLs and left-over markup.

Template tags are masked *before* parsing (replaced by spaces, line breaks kept) so markdown sees
blanks where they stood and ``![x]({{ "/img/a.png" | absolute_url }})`` parses as an image; the
pieces that cover masked characters are then cut out here. Bare URLs (``http://``, ``https//``,
``www.``, ``domain.tld/path``) leave the text and become anchors (empty links) where they stood.
Nothing is ever rewritten: pieces are only split or dropped, so offsets stay exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from confkg.ingest.emissions import Anchor, Emission, LinkClose, LinkOpen, Piece, Sep

# --------------------------------------------------------------------------------------------
# Template tags: masked before parsing so that markdown sees blanks where they stood.

_LIQUID_BLOCK = re.compile(
    r"\{%-?\s*(highlight|comment|raw)\b.{0,500}?%\}.*?\{%-?\s*end\1\s*-?%\}", re.DOTALL | re.IGNORECASE
)
_LIQUID_TAG = re.compile(r"\{\{.{0,500}?\}\}|\{%.{0,500}?%\}|\{:[^{}\n]{0,200}\}", re.DOTALL)


def template_spans(text: str) -> list[tuple[int, int]]:
    """Spans of Liquid tags (``{{ }}``, ``{% %}``, whole highlight/comment/raw blocks) and
    kramdown attribute lists (``{: ...}``): Jekyll renders them away, so they are not prose."""
    spans: list[tuple[int, int]] = []
    taken = bytearray(len(text))
    for rx in (_LIQUID_BLOCK, _LIQUID_TAG):
        for m in rx.finditer(text):
            if not any(taken[m.start() : m.end()]):
                spans.append(m.span())
                taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    return sorted(spans)


def mask(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with every character of ``spans`` except line breaks replaced by a space.

    Lengths and line numbers do not change, so offsets found in the masked text are offsets in
    ``text``; the pieces that cover masked characters are cut out again by :func:`clean`."""
    if not spans:
        return text
    out = list(text)
    for s, e in spans:
        for i in range(s, e):
            if out[i] not in "\r\n":
                out[i] = " "
    return "".join(out)


# --------------------------------------------------------------------------------------------
# Cleaning: URLs, stray markup and left-over link syntax inside verbatim pieces.

_TLDS = (
    "com|org|net|edu|gov|mil|int|io|ai|co|me|ly|cc|info|dev|app|uk|de|fr|ca|us|ml|tv|gl|gg|be|it|nl"
    "|ch|jp|cn|in|ru|eu|xyz|site|page|blog|tech|so|to|sh|fm|am|is|gle|ws|li|la"
)
_URL_CHARS = r"[^\s<>\"'`|\[\]{}]"
URL_RE = re.compile(
    rf"(?:(?:https?|ftp):?//|www\.){_URL_CHARS}*"
    rf"|(?<![\w@./:-])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})/{_URL_CHARS}*",
    re.IGNORECASE,
)
_STRAY = r"\*\*|\$\$|\{\{|\}\}|\{%|%\}|\{:"
_MARKUP = re.compile(
    r"(?P<mdlink>(?P<bang>!?)\[(?P<anchor>[^\[\]\n]{0,300})\]"
    r"\((?P<dest>[^()\n]{0,500}(?:\([^()\n]{0,200}\)[^()\n]{0,200})?)\))"
    rf"|(?P<url>{URL_RE.pattern})|(?P<stray>{_STRAY})",
    re.IGNORECASE,
)
_ANCHOR_MARKUP = re.compile(rf"(?P<url>{URL_RE.pattern})|(?P<stray>{_STRAY})", re.IGNORECASE)
_TRAILING = ".,;:!?*'\"”’"


def _trim_url(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the URL (and unbalanced brackets)."""
    while url:
        if url[-1] in _TRAILING or (url[-1] == ")" and url.count("(") < url.count(")")):
            url = url[:-1]
        else:
            break
    return url


def normalise_url(url: str) -> str:
    """A usable absolute URL for a URL as written: fixes ``https//`` and adds a missing scheme."""
    low = url.lower()
    for scheme in ("http", "https", "ftp"):
        if low.startswith(scheme + "//"):
            return url[: len(scheme)] + ":" + url[len(scheme) :]
    if re.match(r"(?:https?|ftp)://", low):
        return url
    return "http://" + url


def _has_host(url: str) -> bool:
    host = re.sub(r"^(?:(?:https?|ftp):?//)", "", url, flags=re.IGNORECASE).strip("/")
    return bool(host) and host.lower() != "www"


def _clean_run(start: int, text: str, out: list[Emission], *, in_anchor: bool = False) -> None:
    """Split one verbatim run into kept pieces, links and anchors.

    Bare URLs become anchors, stray ``$$``/``{{``/``{%`` are dropped, and link or image syntax
    that the markdown parser did not accept (or that stands in a plain-text note) is undone:
    the anchor text stays and is linked, an image goes with its alt text.
    """
    rx = _ANCHOR_MARKUP if in_anchor else _MARKUP
    pos = 0
    while pos < len(text):
        m = rx.search(text, pos)
        if m is None:
            break
        if m.start() > pos:
            out.append(Piece(start + pos, text[pos : m.start()]))
        end = m.end()
        if m.group("url") is not None:
            url = _trim_url(m.group("url"))
            end = m.start() + max(len(url), 1)
            if _has_host(url):
                out.append(Anchor(normalise_url(url)))
        elif not in_anchor and m.group("mdlink") is not None and not m.group("bang"):
            dest = m.group("dest").split()
            out.append(LinkOpen(dest[0].strip("<>") if dest else ""))
            _clean_run(start + m.start("anchor"), m.group("anchor"), out, in_anchor=True)
            out.append(LinkClose())
        pos = end
    if pos < len(text):
        out.append(Piece(start + pos, text[pos:]))


def clean(emissions: Iterable[Emission], masked: bytearray | None) -> list[Emission]:
    """Merge contiguous pieces, cut out masked characters, URLs and stray markup."""
    merged: list[Emission] = []
    for em in emissions:
        last = merged[-1] if merged else None
        if isinstance(em, Piece) and isinstance(last, Piece) and last.start + len(last.text) == em.start:
            merged[-1] = Piece(last.start, last.text + em.text)
        else:
            merged.append(em)
    out: list[Emission] = []
    for em in merged:
        if not isinstance(em, Piece):
            out.append(em)
            continue
        for s, t in _unmasked_runs(em, masked):
            _clean_run(s, t, out)
    return out


def _unmasked_runs(piece: Piece, masked: bytearray | None) -> list[tuple[int, str]]:
    """The runs of ``piece`` that hold no masked (template) character."""
    if masked is None or not any(masked[piece.start : piece.start + len(piece.text)]):
        return [(piece.start, piece.text)]
    runs: list[tuple[int, str]] = []
    run_start = None
    for i in range(len(piece.text)):
        if not masked[piece.start + i]:
            if run_start is None:
                run_start = i
        elif run_start is not None:
            runs.append((piece.start + run_start, piece.text[run_start:i]))
            run_start = None
    if run_start is not None:
        runs.append((piece.start + run_start, piece.text[run_start:]))
    return runs


def trim(emissions: list[Emission]) -> list[Emission]:
    """Strip whitespace at both ends of a block, looking through link markers."""
    ems: list[Emission | None] = list(emissions)
    for order in (range(len(ems)), range(len(ems) - 1, -1, -1)):
        for i in order:
            em = ems[i]
            if isinstance(em, Sep):
                if em.text.strip():
                    break
                ems[i] = None
            elif isinstance(em, Piece):
                if order.step > 0:
                    kept = em.text.lstrip()
                    start = em.start + len(em.text) - len(kept)
                else:
                    kept = em.text.rstrip()
                    start = em.start
                if kept:
                    ems[i] = Piece(start, kept)
                    break
                ems[i] = None
    return [em for em in ems if em is not None]


def tidy_line_ends(emissions: list[Emission]) -> list[Emission]:
    """Drop spaces left at the end of a line (before a soft break) once markup was removed."""
    out: list[Emission] = []
    last_piece = -1
    for em in emissions:
        breaks = isinstance(em, Piece | Sep) and em.text.startswith("\n")
        prev = out[last_piece] if last_piece >= 0 else None
        if breaks and isinstance(prev, Piece):
            kept = prev.text.rstrip(" \t")
            out[last_piece] = Piece(prev.start, kept) if kept else Sep("")
        if isinstance(em, Piece):
            last_piece = len(out)
        out.append(em)
    return out
