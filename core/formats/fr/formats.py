"""French formats (``FORMAT_MODULE_PATH``): Django's, with the time written one way, « 09h00 »
(French typographic convention), in every named format that carries a time. What is not set
here falls back to ``django/conf/locale/fr/formats.py``."""

TIME_FORMAT = r"H\hi"
DATETIME_FORMAT = r"j F Y à H\hi"
SHORT_DATETIME_FORMAT = r"d/m/Y H\hi"
