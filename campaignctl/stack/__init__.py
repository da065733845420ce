"""Infrastructure stacks: what a campaign needs in the cloud, built from its model.

One package per target; ``campaignctl.stack.yandex`` is the Yandex Cloud stack.
"""
