"""Browser tests: drstui serve and the HTML report in headless Chromium."""

# Waits are on conditions, so a long bound costs nothing when things are quick; a loaded
# 2-core machine can take many seconds to start Chromium or a viewer process.
WAIT_MS = 90_000
