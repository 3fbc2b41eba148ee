"""The terminal player: the full-screen and plain screens, the real-time loop, the voice."""
