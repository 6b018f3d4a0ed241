"""Renderers: each turns the validated Plan into one kind of output, knowing nothing of TOML."""
