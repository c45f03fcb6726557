"""The starter catalog (reviews/) and the mood words (thesaurus.txt), shipped as ``bot.data``.

pyproject.toml maps this folder into the package; bot/settings.py finds it through the import
system, so the same code finds it in a checkout, an editable install and an installed wheel.
"""
