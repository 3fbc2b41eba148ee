"""What a person takes away: the printable report, CSV files, the break calendar."""
