"""Malformed input, from every side a user can give it: files, arguments, output paths.

Each format has fixed cases for the classes of bad input found so far and a Hypothesis
property over generated ones (``strategies``): the answer is a result or a clear
``file:line: field: ...`` error with exit status 2, never a traceback, a hang or a
partially written file. Traces are left to ``tests/crosscheck`` (their decoder).
"""
