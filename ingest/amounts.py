"""Danish money amounts in text ("1,3 mio. kr.", "900.000 kr.", "2,5 mia. kr.") normalised to whole kroner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Number forms: "900.000", "1,3", "2." (the source's "2. mio. kr."), "1 500 000".
_NUMBER = r"(?P<num>\d{1,3}(?:[.\u00a0 ]\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?P<stray>\.)?"
_SCALE = r"(?P<scale>mio|mia|millioner|million|milliarder|milliard|mill|t\.?kr|tusind)\.?"
_CURRENCY = r"(?P<cur>kr\.?|kroner|DKK)(?![a-zæøå])"
AMOUNT = re.compile(
    r"(?<![\d,.])(?:(?P<pre>kr\.|DKK)\s*)?" + _NUMBER + r"\s*(?:" + _SCALE + r"\s*)?" + r"(?:" + _CURRENCY + r")?",
    re.IGNORECASE,
)
# What a bare "2 mio." counts when it is not money.
NOT_MONEY_AFTER = re.compile(
    r"\s*(?:euro|eur|usd|dollar\w*|pund|indbygger\w*|borger\w*|person\w*|menneske\w*|time\w*|besøg\w*|"
    r"bruger\w*|patient\w*|elev\w*|ton\w*|km|kwh|liter|stk)\b",
    re.IGNORECASE,
)
SCALES = {
    "mio": 10**6,
    "million": 10**6,
    "millioner": 10**6,
    "mill": 10**6,
    "mia": 10**9,
    "milliard": 10**9,
    "milliarder": 10**9,
    "tusind": 10**3,
    "t.kr": 10**3,
    "tkr": 10**3,
}
# Words that make a bare "1,0 mio." money: the amount is allocated, funded, paid or costs.
MONEY_CONTEXT = re.compile(
    r"afsæt|finansier|budget|bevil|kontingent|koste|midler|udgift|tilskud|beløb|betal|pulje|ramme|"
    r"besparelse|underskud|overskud|indtægt|investering|bidrag|lønsum|økonomi",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AmountMention:
    """An amount of money: `value` in whole DKK, `text` as printed."""

    value: Decimal
    text: str
    begin: int
    stop: int


def _to_decimal(num: str) -> Decimal:
    digits = re.sub(r"[.\u00a0 ](?=\d{3}\b)", "", num)
    return Decimal(digits.replace(",", "."))


def find_amounts(text: str, context_window: int = 80) -> list[AmountMention]:
    """Every amount of money in `text`.

    An amount needs a currency ("kr.", "kroner", "DKK"), or a scale word ("mio.", "mia.") with
    money words nearby ("afsættes 1,0 mio. ekstra"), so that "20 pct." or "2 årsværk" stay out.
    """
    found = []
    for m in AMOUNT.finditer(text):
        currency = m["cur"] or m["pre"] or (m["scale"] or "").lower().replace(".", "") == "tkr"
        if not (currency or m["scale"]):
            continue
        if m["stray"] and not m["scale"] and not m["cur"]:
            continue
        if not currency:
            if NOT_MONEY_AFTER.match(text, m.end()):
                continue
            window = text[max(0, m.start() - context_window) : m.end() + context_window]
            if not MONEY_CONTEXT.search(window):
                continue
        scale_word = (m["scale"] or "").lower().replace(" ", "")
        scale = SCALES.get(scale_word.rstrip("."), 1)
        value = (_to_decimal(m["num"]) * scale).quantize(Decimal(1))
        printed = m.group(0).rstrip()
        found.append(AmountMention(value, printed, m.start(), m.start() + len(printed)))
    return found
