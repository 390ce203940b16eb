"""Evaluation after every meeting: the questionnaire (online and imported) and its report."""
