"""Dialogs that change something in the cloud: each one a ModalScreen in its own module.

- `confirm.py`: shows exactly what will be sent (method, path, headers that matter, JSON body)
  and asks once; every action goes through it.
- `create_comparison.py` (key c), `export_report.py` (key e), `sms_export.py` (key s).
- `base.py`: what they share (Send button, confirmation, one request in flight, close).
- `frame.py`: how every dialog looks at the keyboard (visible focus that never moves the form,
  `[x]` / `(•)` toggles, the form scrolling above the problems line and the buttons).
- `launch.py`: what the keys do (read-only and "no job selected" refusals, then the dialog).

The dialogs reach the cloud only through `drstui.monitor.actions.Actions`; they build request
*objects* (api models), never URLs.
"""

READ_ONLY_NOTICE = "read-only: actions are disabled"
