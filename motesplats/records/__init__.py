"""The meeting's record: adjusted minutes sealed once into the workspace, and held to.

When a meeting's minutes are adjusted they become a public record. `seal` renders them once into
`records/<organ>/<year>/<meeting>/` (minutes, extracts, the facts they were made from and a
manifest of digests), to be committed like the rest of the workspace. From then on `build`
publishes those files byte for byte (`folder`), and `check` holds the data to them (`compare`):
an edit that would make the data say something else than the record is an error at its line.

Later steps add to a record folder (signatures, PDF/A copies, the notice board's files) and list
what they add in its manifest; nothing here rewrites a file once it is in a record.
"""
