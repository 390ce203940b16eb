"""Cross-cutting web concerns: languages, errors, security headers, static pages."""
