"""The mechanics as a library: what a code, a receipt or a loyalty purchase history earns."""
