"""Keeping listings true: who must re-confirm which listing, and when."""
