"""SESLIP Intranet.

This package imports no Flask on purpose: `seslip.formengine` must be importable alone.
The web application is built by `seslip.factory.create_app`.
"""
