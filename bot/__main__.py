"""``python -m bot`` does what ``movienight`` does."""

import sys

from bot.cli import main

sys.exit(main())
