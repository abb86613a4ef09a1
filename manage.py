#!/usr/bin/env python
from gaoxin.cli import main

if __name__ == "__main__":
    main()
