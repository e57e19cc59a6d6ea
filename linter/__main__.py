"""``python -m stripe_perm_lint``. Python puts the current folder first on ``sys.path`` for
``-m``: run from inside an app, the app's own ``click.py`` or ``yaml.py`` would be imported in
place of the real package. The analysed code is never imported, so that folder comes off the path
before anything else is."""

import os
import sys

_here = os.getcwd()
sys.path[:] = [p for p in sys.path if p not in ("", ".", _here)]

from stripe_perm_lint.cli import main  # noqa: E402

main()
