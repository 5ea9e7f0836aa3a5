"""Report building blocks: the tables and sentences the notebooks show.

Notebooks only call these and display the results; the logic lives here so
it is tested like the rest of the package.
"""
