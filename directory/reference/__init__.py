"""Reference data: regions, sectors, populations, municipalities and postal-code areas."""
