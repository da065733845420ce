from __future__ import annotations

import random

from campaignctl.draws.sampling import WeightTree


def test_weight_tree_finds_the_entry_holding_each_point() -> None:
    rng = random.Random(5)
    weights = [rng.randint(0, 5) for _ in range(37)]
    tree = WeightTree(weights)
    for _ in range(20):
        expected = [i for i, w in enumerate(weights) for _ in range(w)]
        assert tree.total == len(expected)
        assert [tree.find(t) for t in range(tree.total)] == expected
        victim = rng.randrange(len(weights))
        tree.remove(victim)
        weights[victim] = 0


def test_weight_tree_of_one() -> None:
    tree = WeightTree([3])
    assert [tree.find(t) for t in range(3)] == [0, 0, 0]
    tree.remove(0)
    assert tree.total == 0
