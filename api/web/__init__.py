"""The web pages: Jinja2 templates and static JS/CSS (no build step)."""
