"""The ``almanac`` command: arguments in, one build, one view of it out."""
