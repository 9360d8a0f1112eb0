import sys

from kcxbrl.dts.generate import main

sys.exit(main())
