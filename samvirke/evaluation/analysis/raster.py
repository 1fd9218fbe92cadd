"""PNG copies of the engine's SVG charts, through CairoSVG (libcairo, via cairocffi).

libcairo is a system library (``libcairo2`` on Debian, installed by ``make system-packages``;
Chromium and WeasyPrint's hosts usually have it). Where it cannot be loaded, :func:`available`
says so and the pages offer the SVG only. The charts carry no external resources or script, and
CairoSVG is run in its safe mode (no file or network access), so rasterising one reads nothing
but the SVG text.
"""

from __future__ import annotations

from functools import cache

SCALE = 2.0  # pixels per SVG unit: sharp enough to print and to paste into a slide


@cache
def available() -> bool:
    """Whether CairoSVG and libcairo load on this machine (checked once per process)."""
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def svg_to_png(svg: str, *, scale: float = SCALE) -> bytes:
    """The chart as PNG bytes (``RuntimeError`` when :func:`available` is false)."""
    if not available():
        raise RuntimeError("CairoSVG or libcairo is not installed")
    import cairosvg

    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale, unsafe=False)
    return bytes(png)
