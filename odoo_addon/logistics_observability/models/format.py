# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How values and durations read, as the backend's server/sli/format.ts says them: "18 days", "4.5 hr", "94.6%"
in English, "18 j", "94,6 %" in French. Units and digits come from the language's CLDR data through Babel, as
Intl does in the backend and the dashboard; tests/format_cases.json holds both to the same cases."""
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit


def _locale(lang):
    try:
        return Locale.parse((lang or "en_US").split("@")[0])
    except (ValueError, TypeError):
        return Locale.parse("en_US")


def _digits(value):
    """One decimal below 10, none above; trailing zeros dropped."""
    return "#,##0.#" if abs(value) < 10 else "#,##0"


def _half_up(value, places):
    """Rounds halves away from zero, as Intl does ("78.5 min" is 79 in both); Python and Babel round them to even."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _unit(value, unit, locale):
    value = _half_up(value, 1 if abs(value) < 10 else 0)
    return format_unit(value, unit, length="short", locale=locale, format=_digits(value))


def format_duration(seconds, lang=None):
    """ "12 sec", "6 min", "4.5 hr", "18 days": the largest unit that keeps the number readable."""
    locale = _locale(lang)
    s = abs(seconds)
    if s < 60:
        return _unit(seconds, "duration-second", locale)
    if s < 90 * 60:
        return _unit(_half_up(seconds / 60, 0), "duration-minute", locale)
    if s < 48 * 3600:
        return _unit(seconds / 3600, "duration-hour", locale)
    return _unit(seconds / 86400, "duration-day", locale)


def _bytes(value, locale):
    units = ["digital-byte", "digital-kilobyte", "digital-megabyte", "digital-gigabyte", "digital-terabyte"]
    i = 0
    while abs(value) >= 1000 and i < len(units) - 1:
        value /= 1000
        i += 1
    return _unit(value, units[i], locale)


def format_value(value, unit, lang=None):
    """A value in the unit people read it in; "—" when there is none."""
    if value is None or value != value:
        return "—"
    locale = _locale(lang)
    if unit == "seconds":
        return format_duration(value, lang)
    if unit == "days":
        return format_duration(value * 86400, lang)
    if unit == "ratio":
        # The language's own percent pattern, with one decimal: 94.6% must not read as a met 95% objective.
        pattern = locale.percent_formats[None].pattern.replace("#,##0", "#,##0.#", 1)
        return format_percent(value, pattern, locale=locale)
    if unit == "bytes":
        return _bytes(value, locale)
    if unit == "per_second":
        return format_decimal(value, "#,##0.##" if abs(value) < 10 else "#,##0", locale=locale) + "/s"
    return format_decimal(value, _digits(value), locale=locale)


def format_objective(better, objective, unit, lang=None):
    """ "≤ 10", "≥ 95%"."""
    return f"{'≤' if better == 'lower' else '≥'} {format_value(objective, unit, lang)}"
