"""The local counterpart of the national platforms: a separate small Django project, run as its
own process on its own port (``python -m counterpart --port P --dir D``), never imported by the
portal. It stands where the real platforms stand in production so that ``make run`` and the
tests cross a real HTTP boundary:

- ``counterpart.dvcqg``: the national public-service portal (Cổng DVCQG): token, the sync
  services (DongBoHoSoMC, CapNhatTienDoHoSoMC) it records, dossiers submitted there to be
  pulled or pushed, and faults it can be told to play (5xx, time-outs, slow answers, duplicate
  acknowledgements, rejected messages);
- ``counterpart.vneid``: an OpenID Connect provider with demo citizens, standing for VNeID.

Its state lives in one SQLite file under ``--dir``: stopping and starting it again on the same
directory keeps what it has recorded (a test closes its port and opens it again).
"""
