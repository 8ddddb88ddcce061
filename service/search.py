"""Placeholder blueprint, replaced by its real module."""
from flask import Blueprint

bp = Blueprint("search", __name__)
