"""The HTML graph explorer: one self-contained page, generated from pyvis, that works offline.

pyvis's own templates load vis-network and Bootstrap from CDNs (even ``in_line`` links
Bootstrap), so a page written by them stays grey or logs errors with no network. Here a
``pyvis.Network`` still holds the nodes, edges and options and renders through its template
mechanism (``generate_html``), but with our template (``templates/explorer.html``), which
inlines the vis-network JS and CSS that pyvis ships and carries a Content-Security-Policy
that forbids any request. Nodes and edges are put into ``net.nodes``/``net.edges`` in bulk:
``add_node`` is quadratic.

Strings from notes are untrusted: they reach the page only as JSON inside non-executed
``<script type="application/json">`` blocks, with ``<``, ``>``, ``&``, U+2028 and U+2029
escaped, and the page's JS inserts them with ``textContent``; Jinja autoescapes the rest.
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
from typing import Any

import rdflib
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from confkg.errors import ConfkgError
from confkg.outputs.explorer_model import (
    ExplorerCounts,
    ExplorerData,
    ExplorerEdge,
    ExplorerNode,
    LegendEntry,
    explorer_data,
    short_label,
)

__all__ = ["ExplorerData", "LegendEntry", "explorer_data", "render_explorer", "script_json", "write_explorer"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "explorer.html"
DEFAULT_TITLE = "confkg explorer"

_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
# Executable scripts are the bare <script> blocks; data blocks carry a type.
_EXEC_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


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


# ------------------------------------------------------------------------------ vis records


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _vis_node(n: ExplorerNode) -> dict[str, Any]:
    return {
        "id": n.id,
        "label": short_label(n.label),
        "shape": n.shape,
        "size": n.size,
        "x": n.x,
        "y": n.y,
        "color": {
            "background": n.color,
            "border": "#333333",
            "highlight": {"background": n.color, "border": "#000000"},
            "hover": {"background": n.color, "border": "#000000"},
        },
        # Structured, not HTML: the page builds the tooltip element with textContent.
        "tip": {
            "name": n.label,
            "type": n.type,
            "degree": n.degree,
            "aliases": list(n.aliases),
            "notes": [[r.title, r.path] for r in n.notes],
            "more": n.more_notes,
        },
    }


def _vis_edge(e: ExplorerEdge) -> dict[str, Any]:
    if e.kind == "comention":
        return {
            "id": e.id,
            "from": e.source,
            "to": e.target,
            "kind": e.kind,
            "dashes": True,
            "width": round(min(1.0 + math.log2(max(e.weight, 1.0)), 6.0), 2),
            "color": {"color": "#b3b3b3", "highlight": "#707070", "hover": "#8a8a8a"},
            "tip": {"weight": e.weight, "confidence": _round(e.confidence)},
        }
    return {
        "id": e.id,
        "from": e.source,
        "to": e.target,
        "kind": e.kind,
        "label": e.label,
        "arrows": "to",
        "width": 1.5,
        "color": {"color": "#5f5f5f", "highlight": "#000000", "hover": "#222222"},
        "tip": {
            "confidence": _round(e.confidence),
            "evidence": [[ev.note_title, ev.sentence, _round(ev.confidence)] for ev in e.evidence],
        },
    }


def _vis_options(data: ExplorerData, seed: int) -> dict[str, Any]:
    """Physics off: positions come from Python, so the first draw is immediate and repeatable."""
    busy = len(data.edges) > 2000
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "multiselect": True,
            "hideEdgesOnDrag": busy,
            "hideEdgesOnZoom": busy,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "color": "#222222", "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "smooth": False,
            "selectionWidth": 1.5,
            "font": {"size": 10, "align": "middle", "color": "#444444", "strokeWidth": 3},
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


def _render(data: ExplorerData, *, title: str, seed: int, min_confidence: float, csp: str) -> str:
    """Fill a pyvis Network in bulk and let it render our template."""
    from pyvis import __version__ as pyvis_version
    from pyvis.network import Network

    vis_version, vis_js, vis_css = vis_assets()
    net = Network(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
    net.nodes = [_vis_node(n) for n in data.nodes]
    net.edges = [_vis_edge(e) for e in data.edges]
    net.node_ids = [n.id for n in data.nodes]
    net.node_map = {n["id"]: n for n in net.nodes}
    net.options = _vis_options(data, seed)
    net.set_template_dir(str(TEMPLATE_DIR) + os.sep, TEMPLATE_NAME)
    env = _environment()
    env.globals.update(
        csp=csp,
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        vis_version=vis_version,
        pyvis_version=pyvis_version,
        legend=data.legend,
        counts=data.counts,
        min_confidence=min_confidence,
    )
    net.templateEnv = env
    return net.generate_html()


@cache
def _script_sources() -> str:
    """The CSP's ``script-src``: the hashes of vis-network and of the template's own script.

    They are taken from a page rendered with no data at all, never from the page being
    written, so a script that data somehow smuggled into a page would not be allowed to run.
    """
    empty = ExplorerData((), (), (), ExplorerCounts(0, 0, 0, 0, 0, 0))
    page = _render(empty, title=DEFAULT_TITLE, seed=0, min_confidence=0.0, csp="")
    bodies = _EXEC_SCRIPT.findall(page)
    vis_js = vis_assets()[1]
    own = [b for b in bodies if b != vis_js]
    if len(bodies) != 2 or len(own) != 1:
        raise ConfkgError(f"{TEMPLATE_NAME} must hold exactly one script of its own besides vis-network")
    return " ".join(sorted({_sha256(vis_js), _sha256(own[0])}))


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
    graph: rdflib.Graph,
    dest: Path,
    *,
    min_confidence: float = 0.0,
    max_nodes: int = 1500,
    seed: int = 42,
    title: str = DEFAULT_TITLE,
) -> Path:
    """Write the explorer page for ``graph`` to ``dest`` and return ``dest``.

    The page is written to a temporary file beside ``dest`` and moved over it with
    ``os.replace``, so a reader (or a browser reloading) never sees a half-written page and
    a failure leaves any previous page intact.
    """
    data = explorer_data(graph, min_confidence=min_confidence, max_nodes=max_nodes, seed=seed)
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
