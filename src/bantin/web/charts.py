"""Charts as inline SVG, laid out here from series the library computes (articles per day, a story's members);
the templates only draw the shapes. No JavaScript: each bar carries a <title> tooltip and, where it narrows a
search, a link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

WIDTH = 720


def _bin_start(d: date, unit: str) -> date:
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    return d


def _next(d: date, unit: str) -> date:
    if unit == "week":
        return d + timedelta(days=7)
    if unit == "month":
        return (d.replace(day=28) + timedelta(days=4)).replace(day=1)
    return d + timedelta(days=1)


def bars(per_day: dict[str, int], *, link: Callable[[str, str], str] | None = None, height: int = 120,
         width: int = WIDTH) -> dict[str, Any] | None:
    """A bar chart of counts per day, binned by day (up to ~4 months), week (up to ~3 years) or month. Days
    without a count are zero bars; ``link(since, until)`` makes each bar a link (e.g. narrowing a search)."""
    days = []
    for k, n in per_day.items():
        try:
            days.append((date.fromisoformat(k), int(n)))
        except (TypeError, ValueError):
            continue
    if not days:
        return None
    days.sort()
    first, last = days[0][0], days[-1][0]
    span = (last - first).days + 1
    unit = "day" if span <= 120 else "week" if span <= 1100 else "month"
    bins: dict[date, int] = {}
    d = _bin_start(first, unit)
    while d <= last:
        bins[d] = 0
        d = _next(d, unit)
    for day, n in days:
        bins[_bin_start(day, unit)] += n
    top = max(bins.values()) or 1
    plot_h = height - 18
    bw = min(width / len(bins), 28.0)  # a few bins stay bars, not blocks
    out = []
    for i, (start, n) in enumerate(bins.items()):
        end = _next(start, unit) - timedelta(days=1)
        h = 0 if n == 0 else max(1.5, plot_h * n / top)
        label = start.isoformat() if unit == "day" else f"{start.isoformat()} – {end.isoformat()}"
        out.append({"x": round(i * bw, 2), "w": round(max(bw - (1 if bw > 3 else 0), 0.8), 2),
                    "y": round(plot_h - h, 2), "h": round(h, 2), "n": n, "label": label,
                    "href": link(start.isoformat(), end.isoformat()) if link and n else None})
    ticks = _ticks(list(bins), unit, bw, min_gap=width / 5)
    return {"unit": unit, "bars": out, "max": top, "width": width, "height": height, "plot_h": plot_h,
            "first": first.isoformat(), "last": last.isoformat(), "ticks": ticks,
            "total": sum(n for _d, n in days)}


def _ticks(starts: list[date], unit: str, bw: float, min_gap: float) -> list[dict[str, Any]]:
    """A few labels along the x axis (at most five, so they fit a phone): month or year starts."""
    out: list[dict[str, Any]] = []
    last_x = -1e9
    for i, d in enumerate(starts):
        if unit == "month":
            mark = d.month == 1 or i == 0
            text = str(d.year) if d.month == 1 or i == 0 else ""
        elif unit == "week":
            mark = i == 0 or d.day <= 7
            text = f"{d.month:02d}/{d.year}"
        else:
            mark = i == 0 or d.day == 1 or (len(starts) <= 14)
            text = f"{d.day:02d}/{d.month:02d}"
        x = i * bw
        if mark and text and x - last_x >= min_gap and x <= bw * len(starts) - min_gap / 2:
            out.append({"x": round(x, 2), "text": text})
            last_x = x
    return out


def _parse(ts: str | None) -> datetime | None:
    if not ts:
        return None
    try:
        dt = datetime.fromisoformat(ts)
    except ValueError:
        return None
    return dt if dt.tzinfo else None


def timeline(members: list[dict[str, Any]], *, width: int = WIDTH) -> dict[str, Any] | None:
    """A story's coverage: one row per outlet (in order of first report), one dot per article at its publication
    time; copies of another article are hollow. The first report is marked."""
    pts = [(dt, m) for m in members if (dt := _parse(m.get("published_at"))) is not None]
    if not pts:
        return None
    pts.sort(key=lambda p: p[0])
    rows: dict[str, int] = {}
    for _dt, m in pts:
        rows.setdefault(m.get("outlet") or "—", len(rows))
    t0, t1 = pts[0][0], pts[-1][0]
    spread = (t1 - t0).total_seconds() or 1.0
    left, right, row_h = 150, 16, 26
    plot_w = width - left - right
    height = row_h * len(rows) + 34
    dots = []
    for i, (dt, m) in enumerate(pts):
        frac = (dt - t0).total_seconds() / spread if t1 > t0 else 0.5
        dots.append({"cx": round(left + frac * plot_w, 2), "cy": rows[m.get("outlet") or "—"] * row_h + row_h / 2 + 4,
                     "is_copy": bool(m.get("duplicate_of")), "first": i == 0, "id": m.get("id"),
                     "title": f"{dt.strftime('%d/%m/%Y %H:%M')} · {m.get('outlet') or '—'} · {m.get('title') or ''}"})
    labels = [{"y": i * row_h + row_h / 2 + 8, "text": (name if len(name) <= 22 else name[:21] + "…")}
              for name, i in rows.items()]
    return {"width": width, "height": height, "left": left, "plot_w": plot_w, "dots": dots, "labels": labels,
            "axis_y": len(rows) * row_h + 8, "start": t0.strftime("%d/%m/%Y %H:%M"),
            "end": t1.strftime("%d/%m/%Y %H:%M")}
