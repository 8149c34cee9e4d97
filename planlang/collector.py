"""The cyclic garbage collector, paused where planlang makes many objects that live on.

A compilation, a parse and a comparison of two plans make many objects and free few (the syntax tree, the model
and the diagnostics all live on), so collections during them find nothing and slow them down — about twofold at
100k lines. Start-up is the same: pydantic's model classes and the grammar are tens of thousands of objects that
live until exit. Reference counting still frees whatever is dropped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(freeze_after: int | None = None) -> Iterator[None]:
    """Pause the cyclic GC for the block; it runs again afterwards if it ran before. With `freeze_after`, when
    more objects than that were left young by the block (made, less freed), what lives is frozen first (moved
    out of the collector's way: still freed by reference counting when dropped), so that the collector's next
    young collection does not walk all of them to find nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if freeze_after is not None and gc.get_count()[0] > freeze_after:
                gc.freeze()
            gc.enable()


def startup_begins() -> None:
    """The command line's start: the collector is off while modules load (see `startup_done`)."""
    gc.disable()


def startup_done() -> None:
    """The end of start-up. The collector was off while modules loaded (pydantic's model classes, the grammar:
    objects that live until exit, which every collection would scan again — about a tenth of `check`'s start);
    here those objects are moved out of its way (frozen) and it is turned back on for the work itself."""
    gc.freeze()
    gc.enable()
