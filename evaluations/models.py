"""Models of the evaluations app."""
