"""Organisations ask for an editor account, possibly proposing a new listing; admins decide."""
