"""`python -m planlang` runs the command line."""

from planlang.cli import main

main()
