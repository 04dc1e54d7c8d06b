from tests.notifications.capture import all_log_records, delivered  # noqa: F401 - fixtures
