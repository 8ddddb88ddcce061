"""kkr package."""
