"""The rendered reports: notebook helpers, parameters, rendering and the HTML finish.

``notebook`` (what a report cell calls: start, say, missing), ``parameters``
(the parameters every notebook declares), ``snapshot`` (the loaded dataset
handed to the kernels), ``render`` (papermill, nbconvert, the index page),
``templates/`` (the nbconvert template). May import every floor below:
core, load, view, metrics, analysis, and :mod:`b2bkit.plots`.
"""
