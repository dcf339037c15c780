"""Fake Discord and Slack servers (real HTTP and WebSocket endpoints) and their helpers."""
