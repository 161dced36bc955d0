"""Users, roles and API tokens (``services``); who may write what (``permissions``)."""
