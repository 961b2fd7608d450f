"""Families answering the demo survey and forum members reading results, for Locust.

Each family is a new browser: it starts the survey, fills in every page it is shown (the
form is read from the page, so routing and new questions need no change here), sometimes
saves and resumes with its code on "another device", checks its answers and submits. It
writes down the reference it was given and the questions it answered; `verify.py` then
checks every acknowledged reference is stored once with all those answers.

Like a person, a family whose page fails (a 5xx or a dropped connection) waits and tries the
same step again; the fault tests rely on that. Run through `loadtest/run.sh`.
"""

import json
import os
import random
import re
import tempfile
import time
from html.parser import HTMLParser

from locust import HttpUser, between, events, task
from locust.exception import StopUser

SLUG = os.environ.get("SURVEY_SLUG", "communication-with-the-send-service-wave-4")
ACKS = os.environ.get("ACKS_FILE") or os.path.join(tempfile.gettempdir(), "feedback-load", "acks.jsonl")
FORUM_PASSWORD_FILE = os.environ.get("FORUM_PASSWORDS", "")
SAVE_SHARE = float(os.environ.get("SAVE_SHARE", "0.25"))
RETRIES = 8
REFERENCE = re.compile(r"FB-[A-Z0-9]{8}")
RESUME_CODE = re.compile(r'app-resume-code">([A-Z0-9]{4}-[A-Z0-9]{4})<')
COMMENTS = [
    "Nobody rings back when I call the EHCP team, it took three weeks to hear anything.",
    "The caseworker was kind and explained the plan clearly.",
    "Letters use words I do not understand. Please write in plain English.",
    "Emails go unanswered and I have to chase every time.",
    "The annual review was late again and the school did not know what was happening.",
    "",
]
RETRIED = {"count": 0}


class FormReader(HTMLParser):
    """The fields of the first POST form on a page: hidden values, radio and checkbox
    groups, text inputs, selects and textareas (with maxlength)."""

    def __init__(self):
        super().__init__()
        self.hidden, self.radios, self.checkboxes = {}, {}, {}
        self.texts, self.selects, self.textareas = [], {}, {}
        self._select = None
        self._forms = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._forms += 1
        if self._forms != 1:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                self.hidden[name] = a.get("value", "")
            elif kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value"))
            elif kind == "checkbox":
                self.checkboxes.setdefault(name, []).append(a.get("value"))
            elif kind in ("text", "number", "email") and name != "website":
                self.texts.append(name)
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select and a.get("value"):
            self.selects[self._select].append(a["value"])
        elif tag == "textarea" and name:
            self.textareas[name] = int(a.get("maxlength") or 300)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def read_form(html: str) -> FormReader:
    reader = FormReader()
    reader.feed(html)
    return reader


def fill(form: FormReader) -> tuple[dict, set]:
    """Answers a family might give; returns the POST data and the question ids answered."""
    data, answered = dict(form.hidden), set()

    def question_id(name):
        match = re.match(r"q(\d+)", name)
        return int(match.group(1)) if match else None

    for name, values in form.radios.items():
        data[name] = random.choice(values)
        answered.add(question_id(name))
    for name, values in form.checkboxes.items():
        if name.startswith("q"):
            data[name] = random.sample(values, k=random.randint(1, min(2, len(values))))
        else:
            data[name] = values[0] if random.random() < 0.5 else []
        answered.add(question_id(name))
    for name in dict.fromkeys(form.texts):
        if form.texts.count(name) == 3:  # a date: day, month and year boxes share the name
            data[name] = [str(random.randint(1, 28)), str(random.randint(1, 12)), "2026"]
        else:
            data[name] = str(random.randint(0, 10))
        answered.add(question_id(name))
    for name, values in form.selects.items():
        data[name] = random.choice(values)
    for name, limit in form.textareas.items():
        text = random.choice(COMMENTS)[:limit]
        data[name] = text
        if text:
            answered.add(question_id(name))
    answered.discard(None)
    return data, answered


class Family(HttpUser):
    wait_time = between(float(os.environ.get("THINK_MIN", "2")), float(os.environ.get("THINK_MAX", "6")))

    def on_start(self):
        # Each family comes from its own address, as real families do (the app trusts one
        # proxy in these tests), so per-address rate limits stay on and realistic.
        self.address = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.client.headers["X-Forwarded-For"] = self.address

    def step(self, method, url, name, **kwargs):
        """One page, tried again like a person would after an error page or a dropped line."""
        for attempt in range(RETRIES):
            with self.client.request(method, url, name=name, catch_response=True, allow_redirects=True,
                                     **kwargs) as response:
                if response.status_code >= 500 or response.status_code == 0:
                    response.failure(f"{response.status_code} on attempt {attempt + 1}")
                    RETRIED["count"] += 1
                    time.sleep(1 + attempt)
                    # A failed POST may have lost its session cookie change: reread the page.
                    if method == "POST" and "data" in kwargs:
                        page = self.client.get(url, name=name + " (reload)")
                        if page.status_code == 200 and "csrf_token" in page.text:
                            kwargs["data"]["csrf_token"] = read_form(page.text).hidden.get("csrf_token", "")
                    continue
                if response.status_code == 429:
                    response.failure("429 rate limited")
                    raise StopUser()
                response.success()
                return response
        raise StopUser()

    @task
    def answer_the_survey(self):
        self.client.cookies.clear()
        answered: dict[int, int] = {}
        start = self.step("GET", f"/surveys/{SLUG}", "start page")
        page = self.step("POST", f"/surveys/{SLUG}", "start (POST)",
                         data={"csrf_token": read_form(start.text).hidden["csrf_token"]})
        saved = random.random() < SAVE_SHARE
        resumed = False
        number, shown = 1, {}
        while "/pages/" in page.url:
            number = int(page.url.rsplit("/", 1)[1].split("?")[0])
            shown[number] = shown.get(number, 0) + 1
            if shown[number] > 3:  # the page keeps refusing our answers: a bug in this script
                raise StopUser()
            form = read_form(page.text)
            data, ids = fill(form)
            save_here = saved and number == 3
            if save_here:
                data["save"] = "1"
            self.wait()
            page = self.step("POST", page.url, f"page {number} (POST)", data=data)
            answered.update({qid: number for qid in ids})
            if save_here:
                page = self.resume_elsewhere(page, number)
                saved, resumed = False, True
        if "/about-you" in page.url:
            form = read_form(page.text)
            data, _ = fill(form)
            self.wait()
            page = self.step("POST", page.url, "about you (POST)", data=data)
        if "/check" not in page.url:
            return
        self.wait()
        done = self.step("POST", f"/surveys/{SLUG}/submit", "submit (POST)",
                         data={"csrf_token": read_form(page.text).hidden["csrf_token"]})
        match = REFERENCE.search(done.text)
        if match:
            with open(ACKS, "a") as out:
                out.write(json.dumps({"reference": match.group(0), "questions": sorted(answered),
                                      "resumed": resumed}) + "\n")

    def resume_elsewhere(self, saved_page, number):
        """Write the code down, close the browser, open it on a phone later."""
        code = RESUME_CODE.search(saved_page.text)
        if not code:
            raise StopUser()
        self.client.cookies.clear()
        self.wait()
        form = self.step("GET", "/resume", "resume page")
        page = self.step("POST", "/resume", "resume (POST)",
                         data={"code": code.group(1), "csrf_token": read_form(form.text).hidden["csrf_token"]})
        # Resuming opens the first page; carry on where we stopped.
        return self.step("GET", f"/surveys/{SLUG}/pages/{number}", f"page {number}")


class ForumReader(HttpUser):
    fixed_count = int(os.environ.get("FORUM_READERS", "20"))  # the rest of the users are families
    wait_time = between(3, 8)

    def on_start(self):
        self.address = f"10.200.{random.randint(0, 255)}.{random.randint(1, 254)}"
        self.client.headers["X-Forwarded-For"] = self.address
        self.results = []
        email, password = random.choice(forum_accounts())
        page = self.client.get("/sign-in", name="sign in page")
        self.client.post("/sign-in", name="sign in (POST)", data={
            "email": email, "password": password, "csrf_token": read_form(page.text).hidden["csrf_token"]})

    @task(3)
    def results_list(self):
        page = self.client.get("/results/", name="results list")
        self.results = sorted(set(re.findall(r'href="(/results/\d+)"', page.text))) or self.results

    @task(5)
    def a_survey_result(self):
        if self.results:
            self.client.get(random.choice(self.results), name="results for a wave")

    @task(2)
    def public_results(self):
        page = self.client.get("/results/public", name="public results list")
        links = re.findall(r'href="(/results/public/\d+)"', page.text)
        if links:
            self.client.get(random.choice(links), name="public summary")


def forum_accounts():
    accounts = []
    for line in open(FORUM_PASSWORD_FILE):
        parts = line.split()
        if len(parts) >= 3 and "@" in parts[-2] and line.startswith("Forum member"):
            accounts.append((parts[-2], parts[-1]))
    return accounts


@events.quitting.add_listener
def print_figures(environment, **kw):
    stats = environment.stats
    lines = [f"{'page':<28}{'requests':>9}{'failed':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"]
    for (name, method), entry in sorted(stats.entries.items()):
        if not entry.num_requests:
            continue
        lines.append(f"{name:<28}{entry.num_requests:>9}{entry.num_failures:>8}"
                     f"{entry.get_response_time_percentile(0.5):>8.0f}{entry.get_response_time_percentile(0.95):>8.0f}"
                     f"{entry.get_response_time_percentile(0.99):>8.0f}")
    total = stats.total
    lines.append(f"{'all':<28}{total.num_requests:>9}{total.num_failures:>8}"
                 f"{total.get_response_time_percentile(0.5):>8.0f}{total.get_response_time_percentile(0.95):>8.0f}"
                 f"{total.get_response_time_percentile(0.99):>8.0f}")
    five_xx = sum(e.occurrences for e in stats.errors.values() if re.search(r"\b5\d\d\b", str(e.error)))
    lines.append(f"5xx responses: {five_xx}; steps retried after an error: {RETRIED['count']}")
    summary = os.environ.get("SUMMARY_FILE")
    if summary:
        with open(summary, "w") as out:
            out.write("\n".join(lines) + "\n")
            out.write(json.dumps({"five_xx": five_xx, "requests": total.num_requests,
                                  "failures": total.num_failures}) + "\n")
    print("\n".join(lines))
