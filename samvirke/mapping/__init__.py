"""Resource mapping: occupation and education classifications (ISCO-08/STYRK/SSYK, ISCED)."""
