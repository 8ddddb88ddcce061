"""The RDF of a section's tables (see vocabulary.md, "table"): kkr:Table → kkr:TableRow → kkr:TableCell.

IRIs are deterministic, under the section as its paragraphs are: …/section/3/table/1,
…/table/1/row/2, …/row/2/cell/1. A table's schema:position counts among the paragraphs of its
section. Mentions found in a cell (amounts, dates, organisations) hang on the cell, so an
amount keeps its row label (the row's first cell) and its column (the cell's position).
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Graph, Literal, URIRef

from kkr.ingest.tables import Table, TableCell
from kkr.vocab import KKR, PROV, RDF, SCHEMA


def table_iri(section: URIRef, number: int) -> URIRef:
    """The IRI of the section's `number`th table (1-based)."""
    return URIRef(f"{section}/table/{number}")


def add_table(
    g: Graph,
    section: URIRef,
    number: int,
    table: Table,
    position: int,
    mentions: Callable[[URIRef, TableCell], None],
) -> URIRef:
    """Add one table of `section` at `position` among its paragraphs; `mentions(node, cell)` adds
    a cell's mentions (the paragraphs' own mention code). The table's prov:value is its text, row
    by row ("label: cell; cell"), and kkr:page the page it starts on, so it can be searched and cited."""
    t_iri = table_iri(section, number)
    g.add((section, KKR.table, t_iri))
    g.add((t_iri, RDF.type, KKR.Table))
    g.add((t_iri, SCHEMA.position, Literal(position)))
    g.add((t_iri, KKR.page, Literal(table.page)))
    g.add((t_iri, PROV.value, Literal(table.text)))
    for r_pos, row in enumerate(table.rows, start=1):
        r_iri = URIRef(f"{t_iri}/row/{r_pos}")
        g.add((t_iri, KKR.row, r_iri))
        g.add((r_iri, RDF.type, KKR.TableRow))
        g.add((r_iri, SCHEMA.position, Literal(r_pos)))
        g.add((r_iri, KKR.isHeader, Literal(row.header)))
        for c_pos, cell in enumerate(row.cells, start=1):
            c_iri = URIRef(f"{r_iri}/cell/{c_pos}")
            g.add((r_iri, KKR.cell, c_iri))
            g.add((c_iri, RDF.type, KKR.TableCell))
            g.add((c_iri, SCHEMA.position, Literal(c_pos)))
            g.add((c_iri, PROV.value, Literal(cell.text)))
            if cell.text:
                mentions(c_iri, cell)
    return t_iri
