"""SPARQL terms and vocabulary: the one place that writes values into query text.

Every query, update or N-Triples document the project builds from a value writes the value
through `literal()` (a quoted string, with language tag or datatype) or `iri()` (``<...>``), so
that any string, quotes, backslashes, line breaks, ``>`` and ``}`` included, comes back from the
engine exactly as it went in, and no string can end a term early and add query text of its own.
The output is valid in SPARQL 1.1 queries and updates, N-Triples and Turtle alike.

The PREFIX declarations come from the namespaces of the generated vocabulary (kkr/vocab.py,
made from ontology/kkr.ttl): `PREFIXES` for the queries of tracing, the pages and the answers,
`CONTRACT_PREFIXES` for the public contract's queries (kkr/contract.py), `prefixes()` for others.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kkr.vocab import PREFIXES as _VOCABULARY

__all__ = ["CONTRACT_PREFIXES", "NAMESPACES", "PREFIXES", "XSD", "checked_iri", "iri", "literal", "prefixes"]

#: prefix → namespace IRI: the vocabulary's (kkr, besluit, dct, org, prov, skos, foaf, schema)
#: and the standard ones (xsd, rdf, rdfs, owl), in the contract's order.
NAMESPACES: dict[str, str] = dict(_VOCABULARY)
XSD = NAMESPACES["xsd"]

# SPARQL 1.1 ECHAR where there is one; other control characters (Cc) as UCHAR. A line break
# must be ECHAR: a conforming parser decodes \u000A before it reads the string, ending it.
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_TO_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\ud800-\udfff]')
# IRIREF excludes these, controls and space; ox.NamedNode checks the rest (scheme, %-escapes)
_NOT_IN_IRIREF = re.compile('[<>"{}|^`\\\\\x00-\x20\x7f-\x9f\ud800-\udfff]')
_LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")


def _escaped(match: re.Match) -> str:
    c = match.group(0)
    if "\ud800" <= c <= "\udfff":
        raise ValueError(f"not Unicode text (a lone surrogate U+{ord(c):04X})")
    return _ECHAR.get(c) or f"\\u{ord(c):04X}"


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """`text` as a SPARQL / N-Triples string literal: ``"..."``, ``"..."@lang`` or ``"..."^^<datatype>``.

    Backslash, quote, LF, CR, TAB, BS and FF become ECHAR escapes, other control characters UCHAR
    (``\\u0000``); everything else is written as it is. ValueError for a malformed language
    tag, an invalid datatype IRI, both at once, or text with a lone surrogate."""
    if lang is not None and datatype is not None:
        raise ValueError("a literal has a language tag or a datatype, not both")
    quoted = '"' + _TO_ESCAPE.sub(_escaped, text) + '"'
    if lang is not None:
        if not _LANGTAG.fullmatch(lang):
            raise ValueError(f"not a language tag: {lang!r}")
        return f"{quoted}@{lang}"
    if datatype is not None:
        return f"{quoted}^^{iri(datatype)}"
    return quoted


def checked_iri(value: str) -> str:
    """`value` if it is an absolute IRI that can be written as ``<value>`` (SPARQL's IRIREF: no
    ``<>"{}|^`\\``, controls or spaces; a scheme; valid %-escapes and code points), else ValueError."""
    if not value or _NOT_IN_IRIREF.search(value):
        raise ValueError(f"not an IRI: {value!r}")
    try:
        ox.NamedNode(value)  # the engine's own IRI rules: scheme, percent-encoding, allowed code points
    except ValueError:
        raise ValueError(f"not an IRI: {value!r}") from None
    return value


def iri(value: str) -> str:
    """``<value>`` for an absolute IRI (see `checked_iri`); ValueError for anything else."""
    return f"<{checked_iri(value)}>"


def prefixes(*names: str, per_line: int = 2, aligned: bool = False) -> str:
    """PREFIX declarations of the named prefixes (keys of `NAMESPACES`), `per_line` to a line,
    each line ending in a newline; `aligned` pads the prefixes so that the IRIs line up."""
    width = max(len(n) + 1 for n in names) if aligned else 0
    declarations = [f"PREFIX {(n + ':').ljust(width)} <{NAMESPACES[n]}>" for n in names]
    return "".join(" ".join(declarations[i : i + per_line]) + "\n" for i in range(0, len(declarations), per_line))


#: The prologue of the tracing queries, the pages' queries and the answers' history query.
PREFIXES = prefixes("kkr", "besluit", "dct", "prov", "skos", "foaf", "schema", "org", "rdfs")
#: The prologue of the public contract's queries, as vocabulary.md writes it (one to a line, aligned).
CONTRACT_PREFIXES = prefixes(
    "kkr", "besluit", "dct", "org", "prov", "skos", "foaf", "schema", "xsd", per_line=1, aligned=True
)
