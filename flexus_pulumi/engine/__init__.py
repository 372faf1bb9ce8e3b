"""The member engine: one way to buy, find, change and unsubscribe Flexus L instances.

``Instance`` is a set of one member, ``InstanceGroup`` a set of ``count``; a fleet is a set
of sets. Everything here works from typed specs (:mod:`flexus_pulumi.schema.specs`) and the
cloud client; nothing imports Pulumi. Internal: not a public API.
"""
