"""The load scenario of `make bench` (bench/bench_load.py runs it; issue #22, item 6): the
people of a province's counters at work against nginx → gunicorn → PostgreSQL → workers.

- a **clerk** logs in, then receives a dossier at the counter (the reception form, Mẫu 01
  issued), searches the list, opens the inbox, hands a finished dossier over;
- a **citizen** looks a dossier up by its code and check code, or submits one online with two
  files (the public API, multipart);
- a **TV display** of a counter polls who is being served, as its page does.

Think times are those of people, shortened (a clerk does one thing every 3–9 s, a citizen
every 2–8 s; the TV polls every second, as its page does), so "users" are people at a busy
hour. What each user needs (accounts, procedures, dossiers with their check codes) is read
from the JSON file named by LOAD_DATA, written by the benchmark from the database it loaded."""

import io
import itertools
import json
import os
import random
import uuid
from collections import deque

from locust import HttpUser, between, constant, task

DATA = json.loads(open(os.environ["LOAD_DATA"], encoding="utf-8").read())  # noqa: SIM115
LOOKUPS = DATA["lookups"]
# Finished dossiers waiting at each counter, handed over once each (users share them).
READY = {clerk["unit"]: deque(clerk["ready"]) for clerk in DATA["clerks"]}
CLERKS = itertools.cycle(DATA["clerks"])
DISPLAYS = itertools.cycle(DATA["displays"])
SERIAL = itertools.count(1)
PAPER = (  # two small files of the kind citizens upload: a one-page PDF and a PNG
    (
        "don.pdf",
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
        b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n",
        "application/pdf",
    ),
    ("cccd.png", bytes.fromhex(DATA["png_hex"]), "image/png"),
)


class Browser(HttpUser):
    """A person with a browser: Django's CSRF cookie sent back as its form field, the page
    it came from as Referer (Django checks it over HTTPS)."""

    abstract = True

    def on_start(self):
        self.client.verify = False  # the benchmark's self-signed certificate

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def post_form(self, path, data, name=None, **kwargs):
        return self.client.post(
            path,
            data={**data, "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": f"{self.host}{path}"},
            name=name or path,
            allow_redirects=False,
            **kwargs,
        )


class Clerk(Browser):
    weight = 3
    wait_time = between(3, 9)

    def on_start(self):
        super().on_start()
        self.me = next(CLERKS)
        self.client.get("/dang-nhap/", name="/dang-nhap/")
        answer = self.post_form(
            "/dang-nhap/",
            {"username": self.me["username"], "password": DATA["password"]},
            name="/dang-nhap/ (đăng nhập)",
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.me['username']} could not log in: {answer.status_code}")

    @task(3)
    def receive(self):
        procedure = self.me["procedure"]
        self.client.get(f"/tiep-nhan/?thu_tuc={procedure}", name="/tiep-nhan/ (mở)")
        n = next(SERIAL)
        form = {
            "procedure": procedure,
            "idempotency_key": uuid.uuid4().hex,
            "kind": "person",
            "id_number": f"0140{random.randrange(10**8):08d}",
            "name": f"Lò Văn Tải {n}",
            "phone": f"09{random.randrange(10**8):08d}",
            "address": "Bản Đông, xã Bắc Yên",
        }
        for pk, copies in self.me["components"]:
            form[f"c{pk}"], form[f"n{pk}"] = "1", str(copies)
        with self.client.post(
            "/tiep-nhan/",
            data={**form, "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": f"{self.host}/tiep-nhan/"},
            name="/tiep-nhan/ (tiếp nhận)",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302 or "?moi=1" not in answer.headers.get("Location", ""):
                answer.failure(f"not received: HTTP {answer.status_code}")
                return
        self.client.get(answer.headers["Location"], name="/ho-so/<mã>/ (vừa nhận)")

    @task(3)
    def search(self):
        self.client.get(
            f"/ho-so/?q={random.choice(('Lò', 'Cầm', 'Hà', 'Sùng', 'Tòng'))}", name="/ho-so/?q="
        )

    @task(2)
    def inbox(self):
        self.client.get("/ho-so/lien-thong/", name="/ho-so/lien-thong/")

    @task(1)
    def hand_over(self):
        waiting = READY.get(self.me["unit"])
        if not waiting:
            return self.search()
        code = waiting.popleft()
        self.client.get(f"/ho-so/{code}/", name="/ho-so/<mã>/")
        with self.client.post(
            f"/ho-so/{code}/thao-tac/return_result/",
            # As the confirmation page's button posts it (the workflow marks the hand-over
            # "confirm": it cannot be undone).
            data={"note": "", "confirmed": "1", "csrfmiddlewaretoken": self.csrf()},
            headers={"Referer": f"{self.host}/ho-so/{code}/"},
            name="/ho-so/<mã>/thao-tac/return_result/",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"not handed over: HTTP {answer.status_code}")


class Citizen(Browser):
    weight = 6
    wait_time = between(2, 8)

    @task(6)
    def look_up(self):
        code, check = random.choice(LOOKUPS)
        with self.client.get(
            f"/tra-cuu/?ma={code}&kt={check}", name="/tra-cuu/?ma=&kt=", catch_response=True
        ) as answer:
            if answer.status_code != 200 or code not in answer.text:
                answer.failure(f"not found: HTTP {answer.status_code}")

    @task(1)
    def submit_online(self):
        online = DATA["online"]
        files = [("files", (name, io.BytesIO(body), kind)) for name, body, kind in PAPER]
        with self.client.post(
            "/api/v1/public/submissions/",
            data={
                "procedure": online["procedure"],
                "unit": online["unit"],
                "kind": "person",
                "id_number": f"0140{random.randrange(10**8):08d}",
                "name": f"Hà Thị Nộp {next(SERIAL)}",
                "components": [str(n) for n in online["components"]],
                "token": uuid.uuid4().hex,
            },
            files=files,
            name="/api/v1/public/submissions/",
            catch_response=True,
        ) as answer:
            if answer.status_code != 201:
                answer.failure(f"not submitted: HTTP {answer.status_code} {answer.text[:200]}")


class Display(Browser):
    weight = 1
    wait_time = constant(1)  # as the page polls (hx-trigger="every 1s")

    def on_start(self):
        super().on_start()
        self.unit = next(DISPLAYS)
        self.client.get(f"/xep-hang/{self.unit}/man-hinh/", name="/xep-hang/<đv>/man-hinh/")

    @task
    def poll(self):
        self.client.get(
            f"/xep-hang/{self.unit}/man-hinh/?partial=1", name="/xep-hang/<đv>/man-hinh/?partial"
        )


class Probe(HttpUser):
    """The reference: /healthz through nginx at the same load (the process answers, no
    database), twice a second."""

    fixed_count = 1
    wait_time = constant(0.5)

    def on_start(self):
        self.client.verify = False

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz")
