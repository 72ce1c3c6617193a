"""The council report: the statistics of a period laid out as one self-contained HTML file."""
