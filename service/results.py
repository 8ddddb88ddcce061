"""Serialising SPARQL results, capped at a row limit, and the result formats a request picks
(by the Accept rule of service/negotiation.py).

SELECT solutions are written by the functions here (not pyoxigraph's serialisers) so that they can
stop at `row_limit` rows and say whether more were left:

- SPARQL 1.1 Query Results JSON  https://www.w3.org/TR/sparql11-results-json/
- SPARQL Query Results XML       https://www.w3.org/TR/rdf-sparql-XMLres/
- SPARQL 1.1 Query Results CSV and TSV  https://www.w3.org/TR/sparql11-results-csv-tsv/
  (CSV: plain values, CRLF line ends, RFC 4180 quoting; TSV: `?var` headers and terms written as in
  N-Triples, LF line ends)

ASK results are JSON and XML as the specs say, and `true`/`false` for CSV and TSV. CONSTRUCT and
DESCRIBE results (at most `row_limit` triples) are Turtle, N-Triples, JSON-LD or RDF/XML through
pyoxigraph's serialiser.

Result kinds: "solutions" (SELECT), "boolean" (ASK), "graph" (CONSTRUCT, DESCRIBE).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from kkr.service.negotiation import negotiate_media
from kkr.sparql_terms import NAMESPACES, literal

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
ITS_NS = "http://www.w3.org/2005/11/its"

KINDS = ("solutions", "boolean", "graph")

# Prefixes written in Turtle and RDF/XML output: the vocabulary's and rdf/rdfs/xsd (owl left out:
# no instance data uses it, and an unused @prefix would only lengthen every answer).
PREFIXES = {prefix: namespace for prefix, namespace in NAMESPACES.items() if prefix != "owl"}


@dataclass(frozen=True)
class Format:
    """One result format: `media_type` is what the response says; `media_types` all it answers to
    in an Accept header; `names` the values of a `format=` (or `output=`) parameter that pick it."""

    key: str
    kinds: tuple[str, ...]
    media_type: str
    media_types: tuple[str, ...]
    names: tuple[str, ...]
    rdf_format: ox.RdfFormat | None = None  # for graph formats
    label: str = ""

    @property
    def content_type(self) -> str:
        """Content-Type header value (text types say their charset)."""
        return self.media_type + ("; charset=utf-8" if self.media_type.startswith("text/") else "")


RESULT_KINDS = ("solutions", "boolean")
FORMATS: tuple[Format, ...] = (
    # Results formats, in the order of preference when the client does not mind (JSON first).
    Format(
        "json",
        RESULT_KINDS,
        "application/sparql-results+json",
        ("application/sparql-results+json", "application/json"),
        ("json", "srj"),
        label="SPARQL JSON",
    ),
    Format(
        "xml",
        RESULT_KINDS,
        "application/sparql-results+xml",
        ("application/sparql-results+xml", "application/xml", "text/xml"),
        ("xml", "srx"),
        label="SPARQL XML",
    ),
    Format("csv", RESULT_KINDS, "text/csv", ("text/csv",), ("csv",), label="CSV"),
    Format("tsv", RESULT_KINDS, "text/tab-separated-values", ("text/tab-separated-values",), ("tsv",), label="TSV"),
    # Graph formats (Turtle first).
    Format(
        "turtle",
        ("graph",),
        "text/turtle",
        ("text/turtle", "application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"),
        ("turtle", "ttl", "n3"),
        ox.RdfFormat.TURTLE,
        label="Turtle",
    ),
    Format(
        "ntriples",
        ("graph",),
        "application/n-triples",
        ("application/n-triples",),
        ("ntriples", "n-triples", "nt"),
        ox.RdfFormat.N_TRIPLES,
        label="N-Triples",
    ),
    Format(
        "jsonld",
        ("graph",),
        "application/ld+json",
        ("application/ld+json", "application/x-json+ld", "application/json"),
        ("jsonld", "json-ld", "json"),
        ox.RdfFormat.JSON_LD,
        label="JSON-LD",
    ),
    Format(
        "rdfxml",
        ("graph",),
        "application/rdf+xml",
        ("application/rdf+xml", "application/xml", "text/xml"),
        ("rdfxml", "rdf+xml", "rdf", "xml"),
        ox.RdfFormat.RDF_XML,
        label="RDF/XML",
    ),
)


def formats_for(kind: str) -> list[Format]:
    """The formats of a result kind, in the server's order of preference (the default first)."""
    return [f for f in FORMATS if kind in f.kinds]


def format_by_media_type(kind: str, media_type: str) -> Format | None:
    for f in formats_for(kind):
        if f.media_type == media_type:
            return f
    return None


# ---------------------------------------------------------------------------------------------
# Format parameters and negotiation of a result kind's format


class UnknownFormat(ValueError):
    """A `format=` value that names no format at all."""


def format_from_param(values: Iterable[str], kind: str) -> Format | None:
    """The format a `format=`/`output=` parameter picks for a kind (a name such as `json`, `ttl`,
    or a media type). Returns None when the values name formats, but none of this kind; raises
    UnknownFormat when no value names any format."""
    known = False
    for value in values:
        v = value.strip().lower()
        if not v:
            continue
        for f in FORMATS:
            if v in f.names or v in f.media_types:
                known = True
                if kind in f.kinds:
                    return f
    if not known:
        raise UnknownFormat(", ".join(values))
    return None


def negotiate(kind: str, accept: str | None, format_values: Iterable[str] = ()) -> Format | None:
    """The format of a result kind for a request: an explicit `format=` parameter wins (unknown
    names are ignored), else the Accept header with q-values; None if nothing acceptable."""
    values = [v for v in format_values if v and v.strip()]
    if values:
        try:
            return format_from_param(values, kind)
        except UnknownFormat:
            pass
    candidates = formats_for(kind)
    chosen = negotiate_media(
        accept, [f.media_type for f in candidates], {f.media_type: f.media_types for f in candidates}
    )
    return format_by_media_type(kind, chosen) if chosen else None


# ---------------------------------------------------------------------------------------------
# Terms


def nt_term(term) -> str:
    """A term in N-Triples syntax (as TSV wants it: `literal` escapes TAB and line breaks too).
    IRIs, language tags and datatypes are written as the engine gives them, valid already."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        quoted = literal(term.value)
        if term.language:
            direction = getattr(term, "direction", None)
            return quoted + "@" + term.language + (f"--{_direction(direction)}" if direction else "")
        if term.datatype.value == XSD_STRING:
            return quoted
        return f"{quoted}^^<{term.datatype.value}>"
    if isinstance(term, ox.Triple):
        return f"<<( {nt_term(term.subject)} {nt_term(term.predicate)} {nt_term(term.object)} )>>"
    return str(term)


def _direction(direction) -> str:
    text = str(getattr(direction, "name", direction)).lower()
    return "rtl" if "rtl" in text else "ltr"


def json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction:
                out["its:dir"] = _direction(direction)
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": json_term(term.subject),
                "predicate": json_term(term.predicate),
                "object": json_term(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


# Characters XML 1.0 cannot carry at all; they are replaced by U+FFFD.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    text = _XML_ILLEGAL.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def xml_attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            direction = getattr(term, "direction", None)
            extra = f' its:dir="{_direction(direction)}" xmlns:its="{ITS_NS}"' if direction else ""
            return f'<literal xml:lang="{xml_attr(term.language)}"{extra}>{xml_text(term.value)}</literal>'
        if term.datatype.value != XSD_STRING:
            return f'<literal datatype="{xml_attr(term.datatype.value)}">{xml_text(term.value)}</literal>'
        return f"<literal>{xml_text(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{xml_term(term.subject)}</subject><predicate>{xml_term(term.predicate)}"
            f"</predicate><object>{xml_term(term.object)}</object></triple>"
        )
    raise TypeError(f"not an RDF term: {term!r}")


def csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return nt_term(term)
    return term.value


# ---------------------------------------------------------------------------------------------
# Serialisers


def take(iterable, row_limit: int | None) -> tuple[list, bool]:
    """At most `row_limit` items (all when None) and whether more were left."""
    if row_limit is None:
        return list(iterable), False
    items = list(islice(iterable, row_limit + 1))
    if len(items) > row_limit:
        return items[:row_limit], True
    return items, False


def solutions_rows(solutions: ox.QuerySolutions, row_limit: int | None):
    """(variable names, rows as tuples of terms or None, truncated)."""
    names = [v.value for v in solutions.variables]
    rows, truncated = take(solutions, row_limit)
    return names, [tuple(row[name] for name in names) for row in rows], truncated


def write_solutions(names: list[str], rows: list[tuple], fmt: str) -> bytes:
    """SELECT results in `fmt` (json, xml, csv or tsv)."""
    if fmt == "json":
        bindings = [{n: json_term(t) for n, t in zip(names, row, strict=False) if t is not None} for row in rows]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sparql xmlns="{SPARQL_RESULTS_NS}">\n<head>\n']
        out += [f'  <variable name="{xml_attr(n)}"/>\n' for n in names]
        out.append("</head>\n<results>\n")
        for row in rows:
            out.append("  <result>\n")
            out += [
                f'    <binding name="{xml_attr(n)}">{xml_term(t)}</binding>\n'
                for n, t in zip(names, row, strict=False)
                if t is not None
            ]
            out.append("  </result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow([csv_value(t) for t in row])
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join("?" + n for n in names)]
        lines += ["\t".join("" if t is None else nt_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def write_boolean(value: bool, fmt: str) -> bytes:
    """ASK results in `fmt` (json, xml, csv or tsv)."""
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": bool(value)}).encode("utf-8")
    if fmt == "xml":
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n'
            f"<head/>\n<boolean>{word}</boolean>\n</sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        return word.encode("ascii")
    raise ValueError(f"unknown results format {fmt!r}")


def write_graph(triples: list, fmt: Format) -> bytes:
    """Triples in a graph format, with the vocabulary's prefixes where the syntax has them."""
    prefixes = PREFIXES if fmt.key in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=fmt.rdf_format, prefixes=prefixes) or b""


def result_kind(results) -> str:
    if isinstance(results, ox.QuerySolutions):
        return "solutions"
    if isinstance(results, ox.QueryBoolean):
        return "boolean"
    return "graph"


@dataclass
class Serialized:
    body: bytes
    media_type: str  # Content-Type value
    truncated: bool
    kind: str
    count: int  # rows (SELECT), triples (CONSTRUCT/DESCRIBE), 1 (ASK)


def serialize(results, fmt: Format, row_limit: int | None) -> Serialized:
    """Serialise pyoxigraph query results in `fmt`, keeping at most `row_limit` rows or triples."""
    kind = result_kind(results)
    if kind not in fmt.kinds:
        raise ValueError(f"{fmt.label} is not a format for {kind}")
    if kind == "solutions":
        names, rows, truncated = solutions_rows(results, row_limit)
        return Serialized(write_solutions(names, rows, fmt.key), fmt.content_type, truncated, kind, len(rows))
    if kind == "boolean":
        return Serialized(write_boolean(bool(results), fmt.key), fmt.content_type, False, kind, 1)
    triples, truncated = take(results, row_limit)
    return Serialized(write_graph(triples, fmt), fmt.content_type, truncated, kind, len(triples))
