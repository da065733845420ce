"""A server process takes its start-up state out of the garbage collector's way."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_after_settling_a_full_collection_walks_only_what_came_since() -> None:
    # In a fresh interpreter: gc.freeze is process-wide and would outlive this test.
    script = textwrap.dedent(
        """
        import gc
        import campaignctl.runtime.app  # the server's imports: FastAPI, SQLAlchemy, ...
        from campaignctl.runtime.serve import settle_heap

        before = len(gc.get_objects())
        settle_heap()
        made_since = [{"n": i} for i in range(100)]
        print(before, gc.get_freeze_count(), len(gc.get_objects()))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    before, frozen, tracked = map(int, done.stdout.split())
    assert before > 50_000  # what a full collection walked before
    assert frozen >= before * 0.9
    assert tracked < 5_000  # what it walks now: what was made since
