"""Offset invariants on the sample notes and on random notes built from known constructs.

Whatever the input, every clean character must trace back to the very same source character:
pieces are verbatim, pieces follow the source in order, blocks and links stay inside the text,
and any whitespace-delimited word maps to exactly that word in the file.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from confkg.ingest import load_note, read_notes
from confkg.model import Note

NOTES = Path(__file__).resolve().parents[2] / "data" / "notes"
LEAKS = ("http", "](", "{{", "{%", "$$", "<iframe", "```")


def check_invariants(note: Note) -> None:
    """Assert every offset invariant of a loaded note."""
    src = note.source
    assert [s.index for s in note.sections] == list(range(len(note.sections)))
    last_source = 0
    for s in note.sections:
        clean_end = 0
        for p in s.offsets.pieces:
            assert p.length > 0
            assert p.clean_start >= clean_end, "pieces overlap in the clean text"
            assert p.source_start >= last_source, "pieces do not follow the source"
            clean = s.text[p.clean_start : p.clean_start + p.length]
            assert clean == src[p.source_start : p.source_start + p.length]
            clean_end = p.clean_start + p.length
            last_source = p.source_start + p.length
        covered = sum(p.length for p in s.offsets.pieces)
        inserted = len(s.text) - covered
        assert all(ch.isspace() for ch in _inserted(s.text, s.offsets.pieces)), "only separators are inserted"
        assert inserted >= 0
        prev_end = -1
        for b in s.blocks:
            assert 0 <= b.start < b.end <= len(s.text)
            assert b.start > prev_end
            assert s.text[b.start : b.end] == s.text[b.start : b.end].strip()
            prev_end = b.end
        for lk in s.links:
            assert 0 <= lk.start <= lk.end <= len(s.text) and lk.url
        for m in re.finditer(r"\S+", s.text):
            a, b = s.offsets.span_to_source(m.start(), m.end())
            assert src[a:b] == m.group(), (m.group(), src[a:b])
        if s.heading is not None:
            assert s.blocks[0].kind == "heading" and s.text[s.blocks[0].start : s.blocks[0].end] == s.heading


def _inserted(text: str, pieces) -> str:
    covered = bytearray(len(text))
    for p in pieces:
        covered[p.clean_start : p.clean_start + p.length] = b"\x01" * p.length
    return "".join(ch for ch, c in zip(text, covered, strict=True) if not c)


@pytest.fixture(scope="module")
def samples() -> dict[str, Note]:
    notes = list(read_notes([NOTES]))
    assert all(isinstance(n, Note) for n in notes), notes
    return {n.note_id: n for n in notes if isinstance(n, Note)}


def test_all_samples_load(samples: dict[str, Note]) -> None:
    assert sorted(samples) == [
        "icml-2017.txt",
        "neurips-2019.md",
        "scaledml-2017.txt",
        "scaledml-2020.md",
        "socml-2017.md",
    ]


@pytest.mark.parametrize("name", sorted(p.name for p in NOTES.iterdir()))
def test_sample_invariants(samples: dict[str, Note], name: str) -> None:
    note = samples[name]
    check_invariants(note)
    assert note.sections
    for s in note.sections:
        for leak in LEAKS:
            assert leak not in s.text, (name, s.index, leak)


@pytest.mark.parametrize(
    ("name", "anchor", "url"),
    [
        ("scaledml-2020.md", "ScaledML 2020 videos", "https://info.matroid.com/scaledml-media-archive-2020"),
        ("scaledml-2020.md", "Matroid", "https://www.matroid.com/"),
        ("socml-2017.md", "Ian Goodfellow", "http://www.iangoodfellow.com/"),
        ("neurips-2019.md", "", "https://arxiv.org/pdf/1905.10347.pdf"),
        ("icml-2017.txt", "", "https://github.com/kolesman/FaceGeneration"),
        ("icml-2017.txt", "", "https://github.com/SKTBrain/DiscoGAN"),
        (
            "scaledml-2017.txt",
            "",
            "https://papers.nips.cc/paper/5656-hidden-technical-debt-in-machine-learning-systems.pdf",
        ),
    ],
)
def test_sample_links(samples: dict[str, Note], name: str, anchor: str, url: str) -> None:
    found = {(s.text[lk.start : lk.end], lk.url) for s in samples[name].sections for lk in s.links}
    assert (anchor, url) in found


def test_sample_metadata(samples: dict[str, Note]) -> None:
    got = {k: (n.format, n.title, n.date, n.categories) for k, n in samples.items()}
    assert got["scaledml-2020.md"] == ("markdown", "ScaledML 2020 Notes", "2020-03-01", ("ml", "notes"))
    assert got["neurips-2019.md"] == ("markdown", "NeurIPS 2019", None, ("ML",))
    assert got["socml-2017.md"][2:] == ("2019-01-01", ("conference",))
    assert got["icml-2017.txt"] == ("text", "ICML 2017", "2017-08-06", ())
    assert got["scaledml-2017.txt"][:2] == ("text", "Scaled Machine Learning Conference 2017")


def test_sample_text_headings(samples: dict[str, Note]) -> None:
    speakers = [s.heading for s in samples["scaledml-2017.txt"].sections]
    assert speakers[:4] == ["Scaled Machine Learning Conference 2017", "Ion Stoica", "Reza Zadeh", "David Ku"]
    assert "Panel" in speakers and "Matroid demo was really cool" not in speakers
    icml = [s.heading for s in samples["icml-2017.txt"].sections]
    for heading in (
        "Day 1 - Tutorials",
        "Session 1 - Deep Generative Models 1",
        "PixelCNN Models with Auxiliary Variables",
        "Invited Talk: Latanya Sweeney",
        "Invited Talk by Joshua Achiam: Constrained Policy Optimization",
    ):
        assert heading in icml
    assert not any(h and h.startswith(("Posted", "Code:", "Idea ->")) for h in icml)


def test_sample_markdown_structure(samples: dict[str, Note]) -> None:
    note = samples["scaledml-2020.md"]
    heading = "Turning ML Research into Products for Industry - Reza Zadeh & Matroid Team"
    assert note.sections[1].heading == heading
    depths = {b.depth for s in note.sections for b in s.blocks if b.kind == "list_item"}
    assert depths >= {1, 2, 3, 4, 5}
    socml = samples["socml-2017.md"]
    assert "Given a dataset, model, and an epoch budget" in socml.sections[-1].text  # footnote definition
    assert "Me a little star struck" not in "".join(s.text for s in socml.sections)  # inside an HTML block


# ---------------------------------------------------------------------------------------------
# Random notes.

_WORDS = ["alpha", "Beta", "gamma", "ICML", "x_y", "(paren)", "end.", "a,b", "über", "naïve", "2020", "-"]
_INLINE = [
    lambda r: r.choice(_WORDS),
    lambda r: f"*{r.choice(_WORDS)}*",
    lambda r: f"**{r.choice(_WORDS)} {r.choice(_WORDS)}**",
    lambda r: f"_{r.choice(_WORDS)}_",
    lambda r: f"~~{r.choice(_WORDS)}~~",
    lambda r: f"`{r.choice(_WORDS)}`",
    lambda r: f"[{r.choice(_WORDS)}](https://example.com/{r.choice(_WORDS)})",
    lambda r: f'[{r.choice(_WORDS)}](<http://a b> "title")',
    lambda r: f"![{r.choice(_WORDS)}](img/{r.randint(0, 9)}.png)",
    lambda r: '![x]({{ "/img/a.png" | absolute_url}})',
    lambda r: "{{ site.baseurl }}",
    lambda r: "{% include x.html %}",
    lambda r: "$$p(y|x)$$",
    lambda r: "$a+b$",
    lambda r: "$5",
    lambda r: "https://arxiv.org/abs/1912.03263.",
    lambda r: "www.example.org",
    lambda r: "<https://auto.example.com>",
    lambda r: "<br>",
    lambda r: "<span>in</span>",
    lambda r: "\\*",
    lambda r: "&amp;",
    lambda r: "&nbsp;",
    lambda r: "[^1]",
    lambda r: "^[inline note]",
    lambda r: "[not a link]",
]
_BLOCKS = [
    lambda r, line: line,
    lambda r, line: f"# {line}",
    lambda r, line: f"### {line}",
    lambda r, line: f"{' ' * 4 * r.randint(0, 3)}- {line}",
    lambda r, line: r.choice(["", "\t", "    "]) + f"* {line}",
    lambda r, line: f"{r.randint(1, 9)}. {line}",
    lambda r, line: f"> {line}",
    lambda r, line: f"| {line} | b |\n|---|---|\n| c | {line} |",
    lambda r, line: "```python\nprint('{{ x }}')\n```",
    lambda r, line: "    indented code",
    lambda r, line: '<iframe src="https://youtube.com/embed/x"></iframe>',
    lambda r, line: "$$\nE = mc^2\n$$",
    lambda r, line: f"[^1]: {line}",
    lambda r, line: f"{line}\n{line}",
    lambda r, line: "{% highlight python %}\ncode\n{% endhighlight %}",
]


def _random_markdown(r: random.Random) -> str:
    parts = []
    if r.random() < 0.3:
        parts.append("---\ntitle: Random\ncategories: a, b\n---")
    for _ in range(r.randint(1, 12)):
        line = " ".join(r.choice(_INLINE)(r) for _ in range(r.randint(1, 8)))
        parts.append(r.choice(_BLOCKS)(r, line))
    sep = r.choice(["\n", "\n\n"])
    text = sep.join(parts) + "\n"
    return text.replace("\n", r.choice(["\n", "\r\n"]))


def _random_text(r: random.Random) -> str:
    lines = []
    for _ in range(r.randint(1, 25)):
        vocabulary = [*_WORDS, "http://x.org/a", "Code:", "Day 1 -", "o"]
        words = " ".join(r.choice(vocabulary) for _ in range(r.randint(1, 9)))
        kind = r.random()
        if kind < 0.2:
            lines.append("")
        elif kind < 0.6:
            marker = r.choice(["- ", "* ", "\u2022 ", "o ", "\u25a0 ", "1. ", "- o "])
            lines.append(" " * r.randint(0, 6) + marker + words)
        else:
            lines.append(words.title() if r.random() < 0.3 else words)
    return "\n".join([*lines, "closing words"]) + "\n"


@pytest.mark.parametrize("seed", range(8))
def test_random_markdown_keeps_invariants(tmp_path: Path, seed: int) -> None:
    r = random.Random(seed)
    for i in range(40):
        path = tmp_path / f"r{i}.md"
        path.write_text(_random_markdown(r), encoding="utf-8", newline="")
        note = load_note(path, tmp_path)
        check_invariants(note)
        for s in note.sections:
            for leak in ("http", "{{", "{%", "$$", "<iframe", "```", "<br>"):
                assert leak not in s.text, (path.read_text(), s.text)


@pytest.mark.parametrize("seed", range(4))
def test_random_text_keeps_invariants(tmp_path: Path, seed: int) -> None:
    r = random.Random(1000 + seed)
    for i in range(40):
        path = tmp_path / f"r{i}.txt"
        path.write_text(_random_text(r), encoding="utf-8", newline="")
        note = load_note(path, tmp_path)
        check_invariants(note)
        assert not any("http" in s.text for s in note.sections)
