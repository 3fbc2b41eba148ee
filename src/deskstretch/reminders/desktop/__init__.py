"""The desktop edges of the reminder service: idle time, busy signals, D-Bus, notifications."""
