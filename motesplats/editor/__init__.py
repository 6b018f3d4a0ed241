"""The browser editor: forms over the workspace's own TOML files, written back as a person would.

`edits` turns the forms' changes into new file text (comments, order and layout kept), `forms`
describes the files' records for the page, `overview` reads the year and its choices from the
files, `session` checks and saves edits against the whole workspace, and `server` is the local
HTTP front with its token.
"""
