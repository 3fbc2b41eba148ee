"""deskstretch: short, safe, guided stretch breaks at the desk."""

__version__ = "0.2.0.dev0"
