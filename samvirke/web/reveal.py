"""The one way a page shows sensitive data: an explicit, logged reveal.

Opening a page (GET) never writes to the audit log; a crawler, a prefetch or a reload leaves no
entry in anyone's access log. A page that shows sensitive data renders without it and offers one
button (``web/_reveal.html``): a POST to the same address with ``reveal=<what>``. The view
checks the same permission as for the page, writes the read entry and renders the page with the
sensitive part. A page that also takes POST for another purpose (saving attendance, a note)
tells the two apart by this field.
"""

from __future__ import annotations

from django.http import HttpRequest

FIELD = "reveal"


def reveal_asked(request: HttpRequest, what: str) -> bool:
    """Whether this request is the explicit reveal of ``what`` (a POST with ``reveal=what``)."""
    return request.method == "POST" and request.POST.get(FIELD) == what
