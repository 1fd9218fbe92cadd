"""The evaluation engine: what works, alone and together (issue 11).

Plain numpy/pandas/scipy/statsmodels, no Django (only ``text.py`` uses Django's gettext for the
plain-language sentences), so it can be tested against published reference results and run in a
background task on a DataFrame built from the outcome data.

The input is a *long* DataFrame, one row per participant, time point and instrument
(see :mod:`samvirke.evaluation.analysis.frame` for the columns and :func:`~.frame.validate`).
"""
