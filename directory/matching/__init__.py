"""Recommend the external experts to invite to a case meeting: a pure library.

Frozen dataclasses in (`types.Case`, `types.Candidate`), an explained `types.Result` out; no
Flask, no database session. The meetings domain builds the inputs from the database.
"""
