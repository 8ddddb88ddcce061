"""The HTML views of the service, one module per resource (rendered through service/render.py)."""
