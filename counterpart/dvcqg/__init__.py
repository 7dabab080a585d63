"""The counterpart DVCQG: the national public-service portal as the tests and make run see it.

The contract (JSON over HTTP, every message Vietnamese):

- ``POST /dvcqg/api/LayToken`` ``{"username", "password"}`` → ``{"error_code": 0, "session",
  "expires_in": 3600}``; a wrong account → 401 ``error_code`` 1.
- ``POST /dvcqg/api/`` ``{"session", "madonvi", "service", "isUpdating"?, "data": [...]}``:
  an unknown or expired session → 401 ``error_code`` 99; a body it cannot read (not JSON, no
  data list, no madonvi, an unknown service, isUpdating not "True"/"False") → 400
  ``error_code`` 2. Services: DongBoHoSoMC, CapNhatTienDoHoSoMC (sync.py: an invalid item →
  200 ``error_code`` 2, a step before its dossier → 200 ``error_code`` 3, an accepted one →
  ``error_code`` 0 with ``duplicate`` true when its MaThongDiep was already recorded; more
  than one item → ``{"error_code": 0, "results": [...]}``), TraCuuHoSo ``{"mahoso"}``,
  LayDanhSachHoSoMoi, XacNhanDaNhanHoSo (offers.py).
- ``GET /dvcqg/api/tep/<id>?session=...`` (or ``Authorization: Bearer <session>``): a file of
  an offered dossier.
- ``/dvcqg/control/...`` with ``Authorization: Bearer <CONTROL_TOKEN>`` (else 403): faults
  (faults.py says what each mode does), messages, stats, reset, expire-sessions, offer, push,
  offered (control.py).
"""
