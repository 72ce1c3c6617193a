"""Deployment settings and the municipality configuration."""
