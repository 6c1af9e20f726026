"""End-to-end acceptance tests: the real console, service, device agent and nginx on 127.0.0.1."""
