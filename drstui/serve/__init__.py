"""`drstui serve`: the monitor in a browser, read-only (server.py), one viewer process per
browser tab (viewer.py), on Textualize's textual-serve."""
