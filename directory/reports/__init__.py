"""Reports for the coordination: the evaluation tables and the region × sector gap map."""
