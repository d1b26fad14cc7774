"""Machinery that turns a standings CSV into gradient-descent figures and animations.

Data flows one way: CSV -> data -> descent -> History -> scene -> frames -> writer -> file.
"""
