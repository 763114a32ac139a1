"""Knowledge to pages: Markdown through Jinja2 templates, charts, labels, feeds."""
