"""Loading: text files of a workspace -> raw records that remember their file and line."""
