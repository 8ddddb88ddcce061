"""What a client's SPARQL may do, judged on the parse of a real SPARQL 1.1 parser (rdflib's), never
on the text.

`check(text, kind, limits)` parses a query or an update and refuses, before any engine sees it:

- anything longer than `limits.max_length` characters (`TooLarge`, HTTP 413);
- nesting deeper than `limits.max_depth` (`TooDeep`, 400): group patterns `{…}`, OPTIONAL,
  sub-SELECTs, bracketed expressions and function calls, property-path groups each count one level,
  and each step of a property-path sequence or alternative counts one too (Oxigraph nests those
  as a tree, and crashes on a few thousand);
- SERVICE and LOAD, the operations that make a server send requests to other servers
  (`OutboundRefused`, 400);
- text that does not parse (`Malformed`, 400, with the parser's message).

Why rdflib's parser beside Oxigraph's: pyoxigraph exposes no parse tree, and no way to turn
SERVICE off. A text filter cannot read SPARQL the way a parser does (a `<` that opens an IRI in
one reading is a less-than in another), so the judgement is made on the parse tree. Where two
parsers could still read one text differently, the query workers cannot open network sockets
anyway (service/sandbox.py): this module is the first wall, the sandbox the second.

The parser is recursive: it runs in a thread of its own with a large stack and a recursion budget
proportional to `max_depth`, so a text nested ten thousand deep is refused cleanly instead of
exhausting the interpreter.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kkr.service.query_errors import QueryError
from kkr.settings import DEFAULTS, MAX_QUERY_DEPTH_CAP

OUTBOUND = {"ServiceGraphPattern": "SERVICE", "Load": "LOAD"}
# Parse-tree nodes that open one level of nesting.
LEVELS = {"GroupGraphPatternSub", "ConditionalOrExpression", "SubSelect", "PathAlternative"}
# Parse-tree nodes whose operands Oxigraph nests one inside the other.
CHAINS = {"PathSequence", "PathAlternative"}
_FRAMES_PER_LEVEL = 30  # what rdflib's grammar spends on one level of the commonest nestings
_STACK_BYTES = 256 * 1024 * 1024
_stack_lock = threading.Lock()


class GuardError(QueryError):
    """A query or update refused before it runs."""

    status = 400


class Malformed(GuardError):
    """Not SPARQL 1.1: the message is the parser's."""


class TooDeep(GuardError):
    pass


class TooLarge(GuardError):
    status = 413


class OutboundRefused(GuardError):
    def __init__(self, keyword: str):
        self.keyword = keyword
        super().__init__(
            f"{keyword} is not allowed on this endpoint: it does not send requests to other "
            "servers (no federated queries, no LOAD)."
        )

    def __reduce__(self):  # sent from the query worker to the service over a pipe
        return (OutboundRefused, (self.keyword,))


@dataclass(frozen=True)
class Limits:
    """How large and how deeply nested a client's SPARQL may be."""

    max_length: int = DEFAULTS.max_query_length
    max_depth: int = DEFAULTS.max_query_depth


def check(text: str, kind: str = "query", limits: Limits = Limits()) -> None:
    """Refuse `text` (a "query" or an "update") with a GuardError unless it is SPARQL 1.1 within
    `limits` that sends nothing to other servers."""
    if len(text) > limits.max_length:
        raise TooLarge(
            f"The {kind} is {len(text):,} characters long; the limit is {limits.max_length:,}. "
            "Shorten it (fewer VALUES rows, a narrower pattern)."
        )
    tree = _parse(text, kind, min(max(1, limits.max_depth), MAX_QUERY_DEPTH_CAP))
    _judge(tree, kind, limits.max_depth)


def _parse(text: str, kind: str, max_depth: int):
    """The parse tree, parsed in a thread with a large stack and a bounded recursion budget."""
    parse = parseQuery if kind == "query" else parseUpdate
    budget = 300 + _FRAMES_PER_LEVEL * max_depth
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["tree"] = parse(text)
        except RecursionError:
            outcome["error"] = TooDeep(
                f"The {kind} is nested more deeply than the limit of {max_depth} levels; flatten it."
            )
        except ParseBaseException as exc:
            outcome["error"] = Malformed(f"The {kind} is not valid SPARQL 1.1: {_parser_message(exc)}")
        except Exception as exc:  # noqa: BLE001 - rdflib raises plain exceptions for some bad input
            outcome["error"] = Malformed(f"The {kind} is not valid SPARQL 1.1: {exc}")

    with _stack_lock:  # stack_size applies to threads started after it, process-wide
        old_stack = threading.stack_size(_STACK_BYTES)
        try:
            if sys.getrecursionlimit() < budget:
                sys.setrecursionlimit(budget)
            worker = threading.Thread(target=run, name="kkr-sparql-parse", daemon=True)
            worker.start()
        finally:
            threading.stack_size(old_stack)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["tree"]


def _parser_message(exc: ParseBaseException) -> str:
    return f"{exc.msg} at line {exc.lineno}, column {exc.col}"


def _judge(tree, kind: str, max_depth: int) -> None:
    """Walk the tree without recursion: outbound operations and nesting depth."""
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, CompValue):
            keyword = OUTBOUND.get(node.name)
            if keyword:
                raise OutboundRefused(keyword)
            if node.name in LEVELS:
                depth += 1
            if node.name in CHAINS:
                depth += max(0, len(node.get("part") or []) - 1)
            if depth > max_depth:
                raise TooDeep(
                    f"The {kind} is nested more deeply than the limit of {max_depth} levels "
                    "(each group, expression, function call and property-path step counts); "
                    "flatten it."
                )
            stack.extend((child, depth) for child in node.values())
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend((child, depth) for child in node)
        elif isinstance(node, dict):
            stack.extend((child, depth) for child in node.values())
