"""Placeholder blueprint, replaced by its real module."""
from flask import Blueprint

bp = Blueprint("resources", __name__)
