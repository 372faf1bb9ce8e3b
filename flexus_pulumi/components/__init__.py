"""Component resources: ``Server`` (an instance with its extras, :mod:`.server`) and
``Fleet`` (a fleet definition turned into groups and servers, :mod:`.fleet`).

Import them from :mod:`flexus_pulumi`: the one place every public name comes from.
"""
