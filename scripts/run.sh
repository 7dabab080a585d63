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
# The local counterpart of the national platforms (DVCQG, VNeID), its own process and port:
# the demo's dossiers are synchronised to it and citizens log in through its VNeID.
cp_port=${COUNTERPART_PORT:-8100}
export DVCQG_BASE_URL=${DVCQG_BASE_URL:-http://127.0.0.1:${cp_port}/dvcqg/api}
export VNEID_ISSUER=${VNEID_ISSUER:-http://127.0.0.1:${cp_port}/vneid/o}
export POPULATION_BASE_URL=${POPULATION_BASE_URL:-http://127.0.0.1:${cp_port}/population/api}
export PAYMENT_BASE_URL=${PAYMENT_BASE_URL:-http://127.0.0.1:${cp_port}/payment/api}
# The counterpart payment platform's default partner secret (counterpart/settings.py).
export PAYMENT_SECRET=${PAYMENT_SECRET:-counterpart-payment-secret}
export COUNTERPART_VNEID_REDIRECT_URIS=${COUNTERPART_VNEID_REDIRECT_URIS:-http://127.0.0.1:${port}/vneid/callback/}
# The postal counterpart takes the shipment orders and pushes deliveries back, signed.
export POST_BASE_URL=${POST_BASE_URL:-http://127.0.0.1:${cp_port}/post/api}
export POST_CALLBACK_SECRET=${POST_CALLBACK_SECRET:-counterpart-post-secret}
export COUNTERPART_POST_CALLBACK_SECRET=${COUNTERPART_POST_CALLBACK_SECRET:-$POST_CALLBACK_SECRET}
export COUNTERPART_POST_PUSH_URL=${COUNTERPART_POST_PUSH_URL:-http://127.0.0.1:${port}/api/v1/integrations/buu-chinh/hanh-trinh/}
cp_dir=${PORTAL_VAR_DIR:-var}/counterpart
mkdir -p "$cp_dir"
$PY -m counterpart --port "$cp_port" --dir "$cp_dir" > "$cp_dir.log" 2>&1 &
cp_pid=$!
trap 'kill $cp_pid 2>/dev/null || true' EXIT INT TERM
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
    Cổng DVCQG, VNeID cục bộ: http://127.0.0.1:${cp_port}/ (nhật ký ${cp_dir}.log)
    Đối soát đồng bộ:         http://127.0.0.1:${port}/dong-bo/
  Dừng: Ctrl+C

MSG
.venv/bin/gunicorn bacyen_portal.wsgi:application --bind "127.0.0.1:${port}" \
  --config scripts/gunicorn-embedded.py --workers 1 --threads 8 --access-logfile - \
  --log-level warning
