"""The shared kernel: money and the one error base. It imports nothing else of Trackify's, and
every app may import it."""
