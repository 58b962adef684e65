"""axe-core in a Playwright page: which WCAG 2.2 A and AA rules the page breaks.

The kiosk's Content-Security-Policy allows only same-origin scripts, so axe cannot come in
through a ``<script>`` tag. ``page.evaluate`` runs over the DevTools protocol, which the
CSP does not govern, so axe goes in that way. The vendored copy is pinned:
``vendor/axe-VERSION.min.js``, with its licences beside it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

VERSION = "4.14.1"
SOURCE = Path(__file__).resolve().parent / "vendor" / f"axe-{VERSION}.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# null when axe is not in the page yet. resultTypes: only violations are reported in full
# (passes and the rest are cut short, which makes a run about a third faster).
_RUN = """tags => typeof window.axe !== 'object' ? null : axe.run(document, {
  runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
}).then(result =>
  result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
  })))"""


# With JavaScript off (java_script_enabled=False) DevTools still evaluates, and promise
# jobs still run, but timers never fire, and axe waits on setTimeout(f, 0) between rules.
# Short timers become promise jobs; axe's longer ones only guard against stuck frames or
# downloads, so they never fire. Nothing of the page's runs with JavaScript off anyway.
_TIMERS_WITHOUT_JAVASCRIPT = """() => {
  window.setTimeout = (callback, ms, ...args) => {
    if (!(ms > 1)) Promise.resolve().then(() => callback(...args));
    return 0;
  };
  window.clearTimeout = () => {};
}"""


@cache
def _source() -> str:
    return SOURCE.read_text(encoding="utf-8")


def preload(context: Any) -> None:
    """Load axe into every document ``context`` opens, as an init script (which the CSP
    does not govern either), so that :func:`violations` need not send it to each page.
    A context with JavaScript off runs no init script: it gets axe as before."""
    context.add_init_script(path=str(SOURCE))


def violations(page: Any, javascript: bool = True) -> list[dict[str, Any]]:
    """axe's violations of the WCAG 2.0/2.1/2.2 A and AA rules on ``page`` as it is now;
    ``javascript`` says whether the page's browser context runs JavaScript."""
    found = page.evaluate(_RUN, TAGS)
    if found is None:
        if not javascript:
            page.evaluate(_TIMERS_WITHOUT_JAVASCRIPT)
        page.evaluate(_source())
        found = page.evaluate(_RUN, TAGS)
    return list(found)


def report(found: list[dict[str, Any]]) -> str:
    """``found`` as text a person can act on: rule, impact, elements, what to do."""
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}")
            lines.append(f"    {node['html'][:200]}")
            for line in (node["summary"] or "").splitlines():
                lines.append(f"    {line}")
    return "\n".join(lines)


MIN_TARGET = 48  # CSS px each way: the kiosk's own rule (WCAG 2.5.8 asks for 24)

# Every clickable target smaller than `least` CSS px either way; a radio or checkbox counts
# together with its label (the whole row takes the tap); the skip link only once focused.
SMALL_TARGETS = """least => {
  const small = [];
  const ticks = c => c && (c.type === 'radio' || c.type === 'checkbox');
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
    if (el.type === 'hidden' || el.getClientRects().length === 0) continue;
    if (el.closest('.visually-hidden, dialog:not([open])')) continue;
    if (el.matches('.skip-link') && el !== document.activeElement) continue;
    const rects = (ticks(el) ? [el, ...el.labels] : [el]).map(p => p.getBoundingClientRect());
    const width = Math.max(...rects.map(r => r.right)) - Math.min(...rects.map(r => r.left));
    const height = Math.max(...rects.map(r => r.bottom)) - Math.min(...rects.map(r => r.top));
    if (width + 0.5 < least || height + 0.5 < least) {
      small.push(`${el.outerHTML.slice(0, 120)}: ${width.toFixed(1)} x ${height.toFixed(1)}`);
    }
  }
  return small;
}"""
