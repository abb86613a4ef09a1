"""The parts of `gaoxin generate`'s synthetic-data generator (demo/generate.py), one module
per concern."""
