"""Thin Telegram adapters: narrow the update, call the domain, render a text."""
