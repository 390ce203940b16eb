"""The listing pages: an organisation's public page and its management by editors."""
