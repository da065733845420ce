"""Renderers: everything derived from the campaign model with Jinja2 templates."""
