"""Rules: the guarded commands common to all policies, and the kernels policies share.

This package's ``__init__`` imports nothing, so that policies can use the shared
kernels (``auctions``, ``waterfall``) while the common rules use the policies' hooks.
"""
