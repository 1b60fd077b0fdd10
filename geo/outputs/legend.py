"""Shared visual vocabulary for statuses: colours and one-line definitions.

The map, the legend and the KML export all import from here so a status looks
the same everywhere. Colours are a colour-blind-safe diverging palette
(ColorBrewer PRGn/PuOr): green, orange and purple stay distinct for the common
forms of colour blindness and in greyscale print.
"""
from __future__ import annotations

STATUS_COLOURS = {
    "staying": "#1b7837",
    "withdrawing": "#e08214",
    "withdrawn": "#762a83",
}

# A shape per status too, so the map reads without colour (and in greyscale).
STATUS_SHAPES = {
    "staying": "circle",
    "withdrawing": "triangle",
    "withdrawn": "square",
}

STATUS_DEFINITIONS = {
    "staying": "The force remains, or will remain, deployed at the place.",
    "withdrawing": "A withdrawal is announced, agreed, planned, begun or under way.",
    "withdrawn": "The withdrawal is complete: the force has left the place.",
}
