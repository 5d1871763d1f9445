"""A chart's numbers as text tables: the text alternative under every chart (components.chart).

Reads the Vega-Lite spec itself, so it works for every chart the app draws without each page
writing its own table: for each named dataset, the fields the tooltips show (with their titles
and d3 formats, turned into Norwegian numbers by core.fmt); a dataset without tooltips falls back
to the fields of its x, y, colour and text encodings. Pure functions, no Streamlit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from core import fmt

MAX_TABLES = 4
_FALLBACK_CHANNELS = ("x", "x2", "y", "y2", "color", "theta", "text", "size")
_D3_NUMBER = re.compile(r"^(?P<comma>,)?(?:\.(?P<decimals>\d+))?(?P<kind>[fde%s~r])?$")


@dataclass(frozen=True)
class Field:
    name: str
    title: str
    kind: str  # Vega-Lite type: quantitative, temporal, ordinal, nominal
    format: str | None


def _views(spec: dict, data: str | None) -> Iterator[tuple[dict, str | None]]:
    """(unit view, name of its dataset) for every view in a (layered/concatenated) spec."""
    own = spec.get("data")
    if isinstance(own, dict) and "name" in own:
        data = own["name"]
    if "mark" in spec:
        yield spec, data
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for child in spec.get(key, []) or []:
            if isinstance(child, dict):
                yield from _views(child, data)
    if isinstance(spec.get("spec"), dict):  # facet / repeat
        yield from _views(spec["spec"], data)


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _field(channel: dict, fallback_title: str | None = None) -> Field | None:
    if not isinstance(channel, dict) or not isinstance(channel.get("field"), str):
        return None
    name = channel["field"]
    title = channel.get("title")
    axis = channel.get("axis") or channel.get("legend")
    if title is None and isinstance(axis, dict):
        title = axis.get("title")
    fmt_ = channel.get("format")
    if fmt_ is None and isinstance(axis, dict):
        fmt_ = axis.get("format")
    return Field(name, str(title) if title else (fallback_title or name), channel.get("type", "nominal"),
                 fmt_ if isinstance(fmt_, str) else None)


def fields_by_dataset(spec: dict) -> dict[str, list[Field]]:
    """Dataset name → fields to show, in order: tooltips first; encodings when no view has a tooltip."""
    tips: dict[str, list[Field]] = {}
    encoded: dict[str, list[Field]] = {}
    for view, data in _views(spec, None):
        if data is None:
            continue
        enc = view.get("encoding") or {}
        for channel in _as_list(enc.get("tooltip")):
            f = _field(channel)
            if f is not None:
                tips.setdefault(data, []).append(f)
        for name in _FALLBACK_CHANNELS:
            f = _field(enc.get(name))
            if f is not None:
                encoded.setdefault(data, []).append(f)
    out: dict[str, list[Field]] = {}
    for data in dict.fromkeys([*tips, *encoded]):
        chosen = tips.get(data) or encoded.get(data, [])
        unique: dict[str, Field] = {}
        for f in chosen:
            unique.setdefault(f.name, f)
        out[data] = list(unique.values())
    return out


def format_value(value: object, field: Field) -> str:
    """One cell as text, in Norwegian format (the field's d3 format where it has one)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if field.kind == "temporal":
        try:
            stamp = pd.Timestamp(value, unit="ms") if isinstance(value, (int, float)) else pd.Timestamp(value)
        except (ValueError, TypeError):
            return str(value)
        return fmt.date(stamp, field.format or fmt.DATE)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    match = _D3_NUMBER.match(field.format or "")
    if field.format and match:
        kind = match["kind"] or ""
        decimals = int(match["decimals"]) if match["decimals"] else 0
        if kind == "%":
            return fmt.percent(value, decimals)
        if kind == "d" and not match["comma"]:
            return str(round(value))
        return fmt.number(value, decimals)
    if field.kind in ("ordinal", "nominal") and float(value).is_integer():
        return str(int(value))  # years and codes: no thousands separator
    return fmt.number(value, 0 if float(value).is_integer() else 2)


def _rows(dataset) -> list[dict]:
    if isinstance(dataset, pa.Table):
        return dataset.to_pylist()
    if isinstance(dataset, pd.DataFrame):
        return dataset.to_dict("records")
    return list(dataset) if isinstance(dataset, list) else []


def tables(spec: dict) -> list[pa.Table]:
    """The chart's data as text tables (Norwegian numbers), largest first, at most MAX_TABLES."""
    datasets = spec.get("datasets") or {}
    found: list[pa.Table] = []
    for name, fields in fields_by_dataset(spec).items():
        rows = _rows(datasets.get(name))
        if not rows:
            continue
        shown = [f for f in fields if f.name in rows[0]]
        if not shown:
            continue
        columns: dict[str, list[str]] = {}
        for f in shown:
            header = f.title
            while header in columns:
                header += " "
            columns[header] = [format_value(r.get(f.name), f) for r in rows]
        table = pa.table(columns)
        if not any(t.equals(table) for t in found):
            found.append(table)
    found.sort(key=lambda t: -t.num_rows)
    return found[:MAX_TABLES]
