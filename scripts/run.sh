#!/usr/bin/env bash
# `make run`: embedded mode (SQLite, tasks in-process), demo district, served on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system.sh run
scripts/install-python.sh
export PORTAL_MODE=embedded DEBUG=false
# Plain HTTP on loopback: a Secure cookie would not come back over http://127.0.0.1.
export SECURE_COOKIES=${SECURE_COOKIES:-false}
PY=.venv/bin/python
$PY manage.py migrate --noinput -v0
scripts/collect-static.sh
$PY manage.py load_demo
$PY manage.py make_signing_certs
port=${PORT:-8000}
cat <<MSG

  Cổng Một cửa Bắc Yên đang chạy: http://127.0.0.1:${port}/
  Tài khoản mẫu (mật khẩu chung BacYen@2026):
    motcua.huyen1      Cán bộ TTPVHCC xã Bắc Yên (tiếp nhận, trả kết quả)
    motcua.xa-ta-xua   Cán bộ TTPVHCC xã Tà Xùa
    chuyenvien.xa-ta-xua, lanhdao.xa-ta-xua  Chuyên viên, lãnh đạo xã Tà Xùa
    motcua.tinh        Cán bộ TTPVHCC tỉnh Sơn La
    vanphong           Văn phòng UBND tỉnh (báo cáo mọi xã, danh mục, quản trị)
    luutru             Cán bộ lưu trữ (xã Bắc Yên)
    quantri            Quản trị hệ thống
  Dừng: Ctrl+C

MSG
exec .venv/bin/gunicorn bacyen_portal.wsgi:application --bind "127.0.0.1:${port}" \
  --workers 1 --threads 8 --access-logfile - --log-level warning
