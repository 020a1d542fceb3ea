"""AppTest settings shared by the page tests."""

from __future__ import annotations

# Seconds one AppTest run may take. Generous on purpose: the heaviest pages (hot spots with permutations,
# equity with its bootstrap) run several times slower on a loaded 2-core machine, and a passing run ends
# as soon as the script does, so the bound costs nothing.
APP_TIMEOUT = 300
