"""The build: articles -> reports (cached, serial or parallel) -> postures -> outputs.

Takes input paths and options; gives a :class:`~geo.pipeline.run.BuildResult`
and the output folder. Sits on top of every stage and may import all of them.
"""
