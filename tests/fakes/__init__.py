"""Local stand-ins for services outside Upstream, speaking their real protocols."""
