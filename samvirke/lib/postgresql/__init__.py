"""Django's PostgreSQL backend, reading timestamps with psycopg's compiled loader.

Django's psycopg 3 support replaces psycopg's ``timestamptz`` loader with one derived from the
pure-Python class, so that it can set the connection's time zone on what it reads; the
compiled loader of ``psycopg[binary]`` cannot be subclassed (Django ticket #36960, psycopg
issue #1273). Every row with a ``created_at`` and an ``updated_at`` then costs two parses in
Python: a page of 25 measures with their subproject and municipality reads 200 timestamps.
``base.DatabaseWrapper`` registers a loader that parses with the compiled class and sets the
time zone exactly as Django's does. ``settings.DATABASES`` names this package for PostgreSQL.
"""
