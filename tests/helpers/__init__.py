"""Code shared by the tests, imported as ``helpers.<module>`` (pytest puts tests/ on sys.path).

Test modules import from here and never from each other; fixtures stay in the conftest.py files.

- ``support``: test folders (Dirs), CLI results, safety answer files, a fake clock, text helpers.
- ``core_factories``: exercises, steps and routines built in code.
- ``store_factories``: session, check-in and measurement records for the store tests.
- ``progress_records``: a worked set of records for the progress views.
- ``postgres_server``: a throw-away local PostgreSQL server (when one is installed).
- ``web_client``: a TestClient that behaves like a browser, an HTML reader, safety form data.
- ``local_server``: a free loopback port; a real ``deskstretch app`` started and stopped.
- ``fake_notification_server``: a fake desktop notification server on a private D-Bus
  (also run as a script).
"""
