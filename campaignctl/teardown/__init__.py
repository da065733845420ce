"""Taking a campaign down: archive what must be kept, destroy the personal data, stop the stack."""
