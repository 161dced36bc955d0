"""Users, roles and API tokens. Write permission itself is ``registry.services.can_write``."""
