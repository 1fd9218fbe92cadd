"""The demo: two cross-border programmes from the source documents, with made-up people.

What the demo holds lives in ``data/*.json``; the modules here read it and build it through
the domain services, so the demo keeps the same rules as the people who use Samvirke. Only
this package (and ``samvirke demo``) imports it: no domain app imports ``samvirke.demo``.
"""
