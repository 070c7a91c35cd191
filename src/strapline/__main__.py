import sys

from strapline.cli import main

sys.exit(main())
