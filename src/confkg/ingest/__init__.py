"""Ingest stage: note files in, ``Note`` records with clean, offset-mapped sections out.

Public API (used by the rest of the pipeline):

* :func:`discover` expands files and folders into ``(file, root)`` pairs of notes;
* :func:`load_note` reads one file into a ``Note`` or raises ``NoteError``;
* :func:`read_notes` does both, yielding errors in place;
* :func:`try_load_note` is ``load_note`` returning the error instead of raising it.

Every ``Section.text`` is prose only (markup, code, math, HTML, template tags and URLs left
out) and its ``OffsetMap`` maps any character back to ``Note.source``.
"""

from confkg.ingest.files import NOTE_SUFFIXES, discover, load_note, read_notes, try_load_note

__all__ = ["NOTE_SUFFIXES", "discover", "load_note", "read_notes", "try_load_note"]
