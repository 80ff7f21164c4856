"""The HTML graph explorer: one self-contained page, generated from pyvis, that works offline.

pyvis's own templates load vis-network and Bootstrap from CDNs (even ``in_line`` links
Bootstrap), so a page written by them stays grey or logs errors with no network. Here a
``pyvis.Network`` still holds the nodes, edges and options and renders through its template
mechanism (``generate_html``), but with our template (``templates/explorer.html``), which
inlines the vis-network JS and CSS that pyvis ships, our own script and stylesheet
(``templates/explorer.js``, ``explorer.css``), and carries a Content-Security-Policy that
forbids any request. Nodes and edges are put into ``net.nodes``/``net.edges`` in bulk:
``add_node`` is quadratic.

Strings from notes are untrusted: they reach the page only as JSON inside non-executed
``<script type="application/json">`` blocks, with ``<``, ``>``, ``&``, U+2028 and U+2029
escaped, and the page's JS inserts them with ``textContent`` (never ``innerHTML``); Jinja
autoescapes the rest.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from confkg.errors import ConfkgError
from confkg.outputs.explorer_model import (
    OPEN_NODES,
    RELATIONS,
    TYPE_STYLE,
    ExplorerCounts,
    ExplorerData,
    ExplorerEdge,
    ExplorerNode,
    LegendEntry,
    Source,
    _local_name,
    explorer_data,
    short_label,
)
from confkg.outputs.explorer_source import GraphSource

if TYPE_CHECKING:
    from confkg.store import GraphStore

__all__ = [
    "ExplorerData",
    "LegendEntry",
    "explorer_data",
    "page_data",
    "render_explorer",
    "script_json",
    "write_explorer",
    "write_explorer_from_store",
]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "explorer.html"
SCRIPT_NAME = "explorer.js"
STYLE_NAME = "explorer.css"
DEFAULT_TITLE = "confkg explorer"

_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
# Executable scripts are the bare <script> blocks; data blocks carry a type.
_EXEC_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
# A source map comment would make an open DevTools fetch the map: nothing may be fetched.
_SOURCE_MAP = re.compile(r"^[ \t]*//[#@] sourceMappingURL=.*$|/\*[#@] sourceMappingURL=.*?\*/", re.MULTILINE)


# ------------------------------------------------------------------------------ escaping


def script_json(value: Any) -> Markup:
    """JSON that is safe verbatim inside an HTML ``<script>`` element.

    ``<`` and ``>`` are escaped so no ``</script>`` or ``<!--`` can close or confuse the
    element, ``&`` so the text means the same if it is ever moved into an attribute, and
    U+2028/U+2029 because older JS parsers treat them as line ends. Keys are sorted and
    separators fixed so that the page is byte-for-byte reproducible.
    """
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_SCRIPT_ESCAPES))


def _script_json_text(text: str) -> Markup:
    """``script_json`` for a value pyvis hands over already serialised (its options)."""
    return script_json(json.loads(text))


def _inline_safe(code: str, tag: str) -> str:
    """Library code made safe to inline in ``<tag>``: ``</tag`` would end the element early.

    ``<\\/`` means the same as ``</`` inside JS strings and regexes and inside CSS strings.
    pyvis 0.3.2's vis-network 9.1.2 contains neither sequence; this keeps a later one safe.
    """
    code = _SOURCE_MAP.sub("", code)
    return re.sub(rf"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE).replace("<!--", "<\\!--")


# ------------------------------------------------------------------------------ assets


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", path.name))


@cache
def vis_assets() -> tuple[str, str, str]:
    """(version, JS, CSS) of the newest vis-network bundled with pyvis, read once per process.

    pyvis ships it as ``lib/vis-<version>/`` (and a copy under ``templates/lib``); reading it
    from the installed package keeps the page offline with no vendored copy of our own.
    """
    import pyvis

    root = Path(pyvis.__file__).resolve().parent
    candidates = [
        d
        for base in (root / "lib", root / "templates" / "lib")
        if base.is_dir()
        for d in base.glob("vis-*")
        if (d / "vis-network.min.js").is_file() and (d / "vis-network.css").is_file()
    ]
    if not candidates:
        raise ConfkgError(f"pyvis at {root} has no bundled vis-network (lib/vis-*/vis-network.min.js)")
    best = max(candidates, key=lambda d: (_version_key(d), str(d)))
    js = (best / "vis-network.min.js").read_text(encoding="utf-8")
    css = (best / "vis-network.css").read_text(encoding="utf-8")
    return best.name.removeprefix("vis-"), _inline_safe(js, "script"), _inline_safe(css, "style")


# ------------------------------------------------------------------------------ page data


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def utf16_offset(text: str, index: int) -> int:
    """A code-point offset into ``text`` as the UTF-16 offset JavaScript's strings use."""
    return len(text[:index].encode("utf-16-le")) // 2


class _Texts:
    """A table of the sentences the page quotes: each is written once, however often quoted."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        i = self.index.get(text)
        if i is None:
            i = self.index[text] = len(self.index)
        return i

    def table(self) -> list[str]:
        return list(self.index)


def _source_record(s: Source, texts: _Texts) -> list[Any]:
    """[note, line, sentence, mark start, mark end, confidence]; the mark in UTF-16 units, -1 if none."""
    if s.mark is None:
        a = b = -1
    else:
        a, b = utf16_offset(s.sentence, s.mark[0]), utf16_offset(s.sentence, s.mark[1])
    return [s.note, s.line, texts(s.sentence), a, b, _round(s.confidence)]


def page_data(data: ExplorerData, *, min_confidence: float = 0.0) -> dict[str, Any]:
    """Everything the page's script reads besides vis-network's own node and edge records.

    Nodes are referred to by their index in ``data.nodes`` (their vis id), notes by their
    index in ``data.notes``, sentences by their index in ``texts``.
    """
    texts = _Texts()
    index = {n.id: i for i, n in enumerate(data.nodes)}
    type_index = {t: i for i, t in enumerate(TYPE_STYLE)}
    events = {iri: i for i, (iri, _label) in enumerate(data.events)}
    relations = [e for e in data.edges if e.kind == "relation"]
    comentions = [e for e in data.edges if e.kind == "comention"]
    return {
        "types": [[t, *TYPE_STYLE[t]] for t in TYPE_STYLE],
        "predicates": {name: list(phrases) for name, phrases in RELATIONS.items()},
        "notes": [[n.path, n.title, events.get(n.event, -1)] for n in data.notes],
        "events": [[label, index.get(iri, -1)] for iri, label in data.events],
        "nodes": [
            {
                "name": n.label,
                "type": type_index[n.type],
                "aliases": list(n.aliases),
                "facts": [list(f) for f in n.facts],
                "notes": list(n.notes),
                "sources": [_source_record(s, texts) for s in n.sources],
                "more": n.more_sources,
                "degree": n.degree,
            }
            for n in data.nodes
        ],
        "relations": [
            [
                index[e.source],
                index[e.target],
                _local_name(e.predicate),
                _round(e.confidence),
                [_source_record(s, texts) for s in e.evidence],
                e.more_evidence,
                list(e.notes),
            ]
            for e in relations
        ],
        "comentions": [
            [
                index[e.source],
                index[e.target],
                e.weight,
                _round(e.confidence),
                [[s.note, s.heading] for s in e.sections],
                list(e.notes),
            ]
            for e in comentions
        ],
        "texts": texts.table(),
        "open": data.counts.open_nodes,
        "minConfidence": min_confidence,
    }


def _vis_node(n: ExplorerNode, i: int) -> dict[str, Any]:
    links = "1 link" if n.degree == 1 else f"{n.degree} links"
    return {
        "id": i,
        "label": short_label(n.label),
        "group": n.type,
        "value": n.size,
        "x": n.x,
        "y": n.y,
        # vis-network shows a string title with innerText: it stays text.
        "title": f"{n.label}\n{n.type} \u00b7 {links}",
    }


def _vis_edge(e: ExplorerEdge, index: dict[str, int]) -> dict[str, Any]:
    """Co-mentions take the options' edge defaults (dashed, grey); relations override them."""
    if e.kind == "comention":
        return {
            "id": e.id,
            "from": index[e.source],
            "to": index[e.target],
            "width": round(min(1.0 + math.log2(max(e.weight, 1.0)), 6.0), 2),
        }
    return {
        "id": e.id,
        "from": index[e.source],
        "to": index[e.target],
        "label": e.label,
        "arrows": "to",
        "dashes": False,
        "width": 1.6,
        "color": dict(RELATION_COLOR),
        "font": {"size": 11},
    }


RELATION_COLOR = {"color": "#4d4d4d", "highlight": "#000000", "hover": "#1a1a1a", "opacity": 1.0}
COMENTION_COLOR = {"color": "#bdbdbd", "highlight": "#6e6e6e", "hover": "#8a8a8a", "opacity": 0.8}


def _vis_options(data: ExplorerData, seed: int) -> dict[str, Any]:
    """Physics off: positions come from Python, so the first draw is immediate and repeatable."""
    busy = len(data.edges) > 3000 or len(data.nodes) > 1500
    groups = {
        t: {
            "shape": shape,
            "color": {
                "background": colour,
                "border": "#333333",
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
        }
        for t, (colour, shape, _glyph) in TYPE_STYLE.items()
    }
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "groups": groups,
        "interaction": {
            "hover": True,
            "tooltipDelay": 200,
            "multiselect": False,
            "hideEdgesOnDrag": busy,
            "hideEdgesOnZoom": busy,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
            # Sizes follow node_size (log of degree); so do labels, and small ones are not
            # drawn until zoomed in, which keeps a big graph readable from afar.
            "scaling": {
                "min": 7,
                "max": 30,
                "label": {"enabled": True, "min": 11, "max": 20, "drawThreshold": 7, "maxVisible": 24},
            },
        },
        "edges": {
            "smooth": False,
            "dashes": True,
            "color": dict(COMENTION_COLOR),
            "selectionWidth": 1.5,
            "font": {"size": 11, "align": "middle", "color": "#333333", "strokeWidth": 3},
        },
    }


# ------------------------------------------------------------------------------ page


def _environment() -> Environment:
    """pyvis's default environment does not autoescape; ours does, and knows our filters."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    env.filters["script_json_text"] = _script_json_text
    return env


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def page_assets() -> tuple[str, str]:
    """(JS, CSS) of the page's own script and stylesheet, made safe to inline."""
    js = (TEMPLATE_DIR / SCRIPT_NAME).read_text(encoding="utf-8")
    css = (TEMPLATE_DIR / STYLE_NAME).read_text(encoding="utf-8")
    return _inline_safe(js, "script"), _inline_safe(css, "style")


def _render(data: ExplorerData, *, title: str, seed: int, min_confidence: float, csp: str) -> str:
    """Fill a pyvis Network in bulk and let it render our template."""
    from pyvis import __version__ as pyvis_version
    from pyvis.network import Network

    vis_version, vis_js, vis_css = vis_assets()
    page_js, page_css = page_assets()
    index = {n.id: i for i, n in enumerate(data.nodes)}
    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
    net.nodes = [_vis_node(n, i) for i, n in enumerate(data.nodes)]
    net.edges = [_vis_edge(e, index) for e in data.edges]
    net.node_ids = list(range(len(data.nodes)))
    net.node_map = dict(enumerate(net.nodes))
    net.options = _vis_options(data, seed)
    net.set_template_dir(str(TEMPLATE_DIR) + os.sep, TEMPLATE_NAME)
    env = _environment()
    env.globals.update(
        csp=csp,
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        page_js=Markup(page_js),
        page_css=Markup(page_css),
        vis_version=vis_version,
        pyvis_version=pyvis_version,
        legend=data.legend,
        counts=data.counts,
        min_confidence=min_confidence,
        info=page_data(data, min_confidence=min_confidence),
    )
    net.templateEnv = env
    return net.generate_html()


@cache
def _script_sources() -> str:
    """The CSP's ``script-src``: the hashes of vis-network and of the page's own script.

    They are taken from a page rendered with no data at all, never from the page being
    written, so a script that data somehow smuggled into a page would not be allowed to run.
    """
    empty = ExplorerData((), (), (), ExplorerCounts(0, 0, 0, 0, 0, 0))
    page = _render(empty, title=DEFAULT_TITLE, seed=0, min_confidence=0.0, csp="")
    bodies = _EXEC_SCRIPT.findall(page)
    vis_js, page_js = vis_assets()[1], page_assets()[0]
    if sorted(bodies) != sorted([vis_js, page_js]):
        raise ConfkgError(f"{TEMPLATE_NAME} must hold exactly two scripts: vis-network and {SCRIPT_NAME}")
    return " ".join(sorted({_sha256(vis_js), _sha256(page_js)}))


def render_explorer(
    data: ExplorerData, *, title: str = DEFAULT_TITLE, seed: int = 42, min_confidence: float = 0.0
) -> str:
    """The page for ``data`` as a string, rendered by pyvis through our template.

    Its Content-Security-Policy forbids every fetch (``default-src 'none'``), so the page
    cannot reach the network even by mistake, and runs only the two known scripts.
    """
    csp = (
        f"default-src 'none'; script-src {_script_sources()}; style-src 'unsafe-inline'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    return _render(data, title=title, seed=seed, min_confidence=min_confidence, csp=csp)


def write_explorer(
    source: GraphSource,
    dest: Path,
    *,
    min_confidence: float = 0.0,
    max_nodes: int | None = None,
    open_nodes: int = OPEN_NODES,
    seed: int = 42,
    title: str = DEFAULT_TITLE,
) -> Path:
    """Write the explorer page for ``source`` (an ``rdflib.Graph`` or a ``GraphStore``) to ``dest``.

    The page opens on the ``open_nodes`` most central entities (PageRank) and can show the
    rest; ``max_nodes`` leaves out all but that many. It is written to a temporary file beside
    ``dest`` and moved over it with ``os.replace``, so a reader (or a browser reloading) never
    sees a half-written page and a failure leaves any previous page intact.
    """
    data = explorer_data(source, min_confidence=min_confidence, max_nodes=max_nodes, open_nodes=open_nodes, seed=seed)
    html = render_explorer(data, title=title, seed=seed, min_confidence=min_confidence)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(html.encode("utf-8", errors="replace"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a page is meant to be read
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def write_explorer_from_store(store: GraphStore, dest: Path, **options: Any) -> Path:
    """``write_explorer`` reading a ``GraphStore`` directly (Oxigraph's SPARQL, no rdflib copy).

    The same page as ``write_explorer(store_graph(store), ...)``, byte for byte, several
    times faster: the pipeline and ``confkg explore`` should call this one.
    """
    return write_explorer(store, dest, **options)
