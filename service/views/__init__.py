"""The service's resources, one module each: its data computed once, rendered as JSON, HTML or
RDF through views/base.py."""
