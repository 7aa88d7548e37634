"""`drstui report`: one self-contained file to hand on after (or during) a cutover.

- `options.py`: the command's flags and time parsing (light: imported by the CLI parser).
- `records.py`: the Report's records (plain frozen data).
- `model.py`: a Report built from cutover-log records and a `drstui snapshot --json` document
  (pure data, no I/O); every field the document may lack degrades to "not known".
- `text.py`: cleaning and escaping of API text for HTML and Markdown.
- `chart.py`: the replication lag over time as an inline SVG.
- `html.py`, `markdown.py`: the two renderings.
- `command.py`: reads the logs, takes a fresh snapshot (unless --offline), writes the file;
  `demo.py` makes a short rehearsal on the simulator for `--demo`.
"""
