#!/usr/bin/env python3
"""Writes a log file in one built-in text format, for benches/formats.sh.

Every entry gets a level drawn from a fixed mix (TRACE..FATAL), written the way that
format's library spells it; some ERROR/FATAL entries carry a multi-line stack trace
(Java or Python) where the format allows continuation lines, and some messages contain
level words (`error`, `WARN`) that must not count. The file is built from a pool of
distinct entries sampled with a seeded PRNG, so the same arguments give the same bytes.

Prints one line to stdout: `ENTRIES<TAB>WARN_OR_ABOVE`, the true number of entries and
of entries whose level is WARN or above (counted from the generator's own choices,
never by parsing the text). Formats without a level column have 0 such entries, except
those whose whole line is plain text (`cri`, `compose`): there the level is the one each
message template declares by the README's plain-text rule.

    python3 benches/genformats.py FORMAT SIZE_BYTES OUT [SEED]
    python3 benches/genformats.py --list
    python3 benches/genformats.py --rg FORMAT   # the rg baseline regex
"""

import json
import random
import sys

# Canonical levels, in order; index >= WARN counts.
TRACE, DEBUG, INFO, WARN, ERROR, FATAL = range(6)
WEIGHTS = [4, 20, 56, 11, 7, 2]
POOL = 20000

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

# Message templates, each with the level a reader of PLAIN text must give it by the
# README's rule ("Levels in plain text"): a level name counts only when it is shaped as
# one (ALL CAPS, `[error]`, `error:`), so `fatal flag cleared` and `no error found` are
# message text and `WARN threshold crossed` is a warning. Formats with a level column
# ignore this (their level is the column's); it is the truth only where the whole line is
# the message (an envelope around plain text: `cri`, `compose`).
MESSAGES = [
    ("user login ok for user_{n}", None),
    ("connected to db-{n} in {ms} ms", None),
    ("request finished in {ms} ms status=200", None),
    ("cache miss for key session:{n}", None),
    ("retrying after error in upstream call (attempt {n})", None),
    ("WARN threshold crossed: queue depth {n}", WARN),
    ("no error found while checking shard {n}", None),
    ("fatal flag cleared on node-{n}", None),
    ("processed {n} records, 0 failed", None),
    ("slow query took {ms} ms: SELECT * FROM orders WHERE id = {n}", None),
    ("job {n} completed - next run in {ms}s", None),
    ("[worker-{n}] heartbeat", None),
]

JAVA_TRACE = (
    "java.lang.IllegalStateException: connection pool exhausted\n"
    "\tat com.example.db.Pool.acquire(Pool.java:{n})\n"
    "\tat com.example.api.Handler.handle(Handler.java:88)\n"
    "Caused by: java.io.IOException: broken pipe\n"
    "\tat java.base/sun.nio.ch.SocketDispatcher.write0(Native Method)\n"
    "\t... 12 more\n"
)
PY_TRACE = (
    "Traceback (most recent call last):\n"
    '  File "/srv/app/worker.py", line {n}, in run\n'
    "    result = handler(job)\n"
    "ValueError: invalid literal for int() with base 10: 'x'\n"
)


def spell(*names):
    """Spellings of the six canonical levels, TRACE..FATAL."""
    assert len(names) == 6
    return names


class Ctx:
    """Random parts of one entry."""

    def __init__(self, rng, level):
        self.rng = rng
        self.level = level
        self.y = 2024
        self.mo = rng.randint(1, 12)
        self.d = rng.randint(1, 28)
        self.h = rng.randint(0, 23)
        self.mi = rng.randint(0, 59)
        self.s = rng.randint(0, 59)
        self.us = rng.randint(0, 999999)
        self.n = rng.randint(1, 9999)
        template, self.plain_level = rng.choice(MESSAGES)
        self.msg = template.format(n=self.n, ms=rng.randint(1, 5000))

    def iso(self, sep="T", frac=3, zone="Z"):
        t = f"{self.y}-{self.mo:02}-{self.d:02}{sep}{self.h:02}:{self.mi:02}:{self.s:02}"
        if frac:
            t += "." + f"{self.us:06}"[:frac]
        return t + zone

    def hms(self):
        return f"{self.h:02}:{self.mi:02}:{self.s:02}"

    def mon(self):
        return MONTHS[self.mo - 1]


def sev(level):
    """A syslog severity for a canonical level."""
    return [7, 7, 6, 4, 3, 2][level]


# name -> (level spellings or None, render(ctx, spelled) -> first line, trace kind)
FORMATS = {}


# Formats written only inside a wrapper (not listed on their own).
UNLISTED = set()


def fmt(name, levels, trace=None, listed=True):
    def wrap(fn):
        FORMATS[name] = (levels, fn, trace)
        if not listed:
            UNLISTED.add(name)
        return fn

    return wrap


@fmt("syslog5424", None, "java")
def _(c, _l):
    return f"<{16 * 8 + sev(c.level)}>1 {c.iso()} host{c.n % 7} app{c.n % 3} {c.n} ID47 - {c.msg}"


@fmt("access", None)
def _(c, _l):
    status = [200, 304, 200, 404, 500, 503][c.level]
    if c.level == INFO and c.n % 3 == 0:
        status = 301
    return (
        f'10.0.{c.n % 256}.{c.n % 200} - - [{c.d:02}/{c.mon()}/{c.y}:{c.hms()} +0000] '
        f'"GET /api/v1/items/{c.n}?q=error HTTP/1.1" {status} {c.n * 3} '
        f'"https://example.com/page/{c.n}" "Mozilla/5.0 (X11; Linux x86_64)"'
    )


@fmt("apache-error", spell("debug", "debug", "notice", "warn", "error", "crit"), "java")
def _(c, l):
    return (
        f"[{DAYS[c.d % 7]} {c.mon()} {c.d:02} {c.hms()}.{c.us:06} {c.y}] [core:{l}] "
        f"[pid {c.n}:tid 4328636416] [client 10.0.0.{c.n % 256}] {c.msg}"
    )


@fmt("nginx-error", spell("debug", "debug", "info", "warn", "error", "crit"), "java")
def _(c, l):
    return f"{c.y}/{c.mo:02}/{c.d:02} {c.hms()} [{l}] {c.n}#0: *{c.n} {c.msg}"


@fmt("klog", spell("I", "I", "I", "W", "E", "F"), "java")
def _(c, l):
    return f'{l}{c.mo:02}{c.d:02} {c.hms()}.{c.us:06}    {c.n} pod_workers.go:{c.n}] "{c.msg}" pod="default/web-{c.n}"'


@fmt("hclog", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "ERROR"), "java")
def _(c, l):
    return f"{c.iso()} [{l}]{' ' * (6 - len(l))}agent.http: {c.msg}: id={c.n}"


@fmt("logrus", spell("TRAC", "DEBU", "INFO", "WARN", "ERRO", "FATA"), "java")
def _(c, l):
    return f"{l}[{c.n:04}] {c.msg:<44} port={c.n} component=api"


@fmt("env_logger", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "ERROR"), "java")
def _(c, l):
    return f"[{c.iso(frac=0)} {l:<5} app::db] {c.msg}"


@fmt("tracing", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "ERROR"), "java")
def _(c, l):
    span = f"request{{id={c.n}}}: " if c.n % 2 else ""
    return f"{c.iso(frac=6)} {l:>5} {span}app::http: {c.msg} n={c.n}"


@fmt("loguru", spell("TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "python")
def _(c, l):
    return f"{c.iso(sep=' ', zone='')} | {l:<8} | app.main:run:{c.n % 500} - {c.msg}"


@fmt("structlog", spell("debug", "debug", "info", "warning", "error", "critical"), "python")
def _(c, l):
    return f"{c.iso(sep=' ', frac=0, zone='')} [{l:<9}] {c.msg:<30}  user=u{c.n} shard={c.n % 8}"


@fmt("python", spell("DEBUG", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "python")
def _(c, l):
    return f"{c.iso(sep=' ', zone='').replace('.', ',')} - app.db - {l} - {c.msg}"


@fmt("python-basic", spell("NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "python")
def _(c, l):
    return f"{l}:app.worker:{c.msg}"


@fmt("ruby", spell("DEBUG", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{l[0]}, [{c.iso(frac=6, zone='')} #{c.n}] {l:>5} -- app: {c.msg}"


@fmt("kafka", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"[{c.iso(sep=' ', zone='').replace('.', ',')}] {l} [KafkaServer id={c.n % 3}] {c.msg} (kafka.server.KafkaServer)"


@fmt("spdlog", spell("trace", "debug", "info", "warning", "error", "critical"), "java")
def _(c, l):
    return f"[{c.iso(sep=' ', zone='')}] [net] [{l}] {c.msg}"


@fmt("serilog", spell("VRB", "DBG", "INF", "WRN", "ERR", "FTL"), "java")
def _(c, l):
    return f"[{c.hms()} {l}] {c.msg}"


@fmt("logback", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "ERROR"), "java")
def _(c, l):
    ts = c.hms() + f".{c.us // 1000:03}"
    if c.n % 4 == 0:
        ts = f"{c.y}-{c.mo:02}-{c.d:02} " + ts
    return f"{ts} [http-nio-8080-exec-{c.n % 10}] {l:<5} com.example.App - {c.msg}"


@fmt("spring-boot", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "ERROR"), "java")
def _(c, l):
    return f"{c.iso(zone='+01:00')} {l:>5} {c.n} --- [main] c.e.App                                  : {c.msg}"


@fmt("syslog-level", spell("DEBUG", "DEBUG", "INFO", "WARNING", "ERR", "CRIT"), "java")
def _(c, l):
    return f"{c.iso(frac=6, zone='-07:00')} {l} periodic_scheduler[{c.n}]: {c.msg}"


@fmt("pipes", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{c.iso(sep=' ', frac=0, zone='')} | {l:>5} | MessageMonitor | {c.msg}"


@fmt("log4j-zookeeper", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{c.iso(sep=' ', zone='').replace('.', ',')} - {l:<5} [main:QuorumPeer@{c.n}] - {c.msg}"


@fmt("log4j", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{c.iso(sep=' ', zone='').replace('.', ',')} {l} [main] org.apache.hadoop.App: {c.msg}"


@fmt("log4j-thread-last", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{c.iso(sep=' ', zone='').replace('.', ',')} {l} o.a.App [main] {c.msg}"


@fmt("log4j-short", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{c.y % 100:02}/{c.mo:02}/{c.d:02} {c.hms()} {l} executor.Executor: {c.msg}"


@fmt("jul", spell("FINEST", "FINE", "INFO", "WARNING", "SEVERE", "SEVERE"), "java")
def _(c, l):
    h12 = c.h % 12 or 12
    ampm = "AM" if c.h < 12 else "PM"
    return f"{c.mon()} {c.d}, {c.y} {h12}:{c.mi:02}:{c.s:02} {ampm} com.example.App main\n{l}: {c.msg}"


@fmt("nlog", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{c.iso(sep=' ', frac=4, zone='')}|{l}|MyApp.Services.Orders|{c.msg}"


@fmt("log4rs", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "ERROR"), "java")
def _(c, l):
    return f"{c.iso(frac=6, zone='+00:00')} {l} my_app::server - {c.msg}"


@fmt("calico", spell("DEBUG", "DEBUG", "INFO", "WARNING", "ERROR", "FATAL"), None)
def _(c, l):
    return f'{c.iso(sep=" ", zone="")} [{l}][{c.n}] felix/int_dataplane.go {c.n % 2000}: {c.msg} ifaceName="eth{c.n % 4}"'


@fmt("winston-printf", spell("silly", "debug", "info", "warn", "error", "error"), None)
def _(c, l):
    return f"{c.iso()} [{l}]: {c.msg}"


@fmt("winston-label", spell("silly", "debug", "info", "warn", "error", "error"), None)
def _(c, l):
    return f"{c.iso()} [api-{c.n % 3}] {l}: {c.msg}"


# Gin's debug output: a level tag only on warnings and errors, debug otherwise.
@fmt("gin-debug", spell("", "", "", "[WARNING] ", "[ERROR] ", "[ERROR] "), None)
def _(c, l):
    return f"[GIN-debug] {l}{c.msg}"


@fmt("zerolog", spell("TRC", "DBG", "INF", "WRN", "ERR", "FTL"), None)
def _(c, l):
    return f"{c.iso(frac=0, zone='+00:00')} {l} main.go:{c.n % 400} > {c.msg} shard={c.n % 8}"


@fmt("cri", None)
def _(c, _l):
    return f"{c.iso(frac=6)} stdout F {c.msg}"


@fmt("journald-iso", None, "java")
def _(c, _l):
    return f"{c.iso(frac=0, zone='+0100')} host{c.n % 5} sshd[{c.n}]: {c.msg}"


@fmt("syslog", None, "java")
def _(c, _l):
    return f"<{16 * 8 + sev(c.level)}>{c.mon()} {c.d:2} {c.hms()} host{c.n % 5} app[{c.n}]: {c.msg}"


@fmt("serilog-file", spell("VRB", "DBG", "INF", "WRN", "ERR", "FTL"), "java")
def _(c, l):
    return f"{c.iso(sep=' ', zone='')} +10:00 [{l}] {c.msg}"


@fmt("monolog", spell("DEBUG", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "java")
def _(c, l):
    return f"[{c.iso(sep=' ', frac=0, zone='')}] local.{l}: {c.msg} {{}} []"


@fmt("logcat", spell("V", "D", "I", "W", "E", "F"), "java")
def _(c, l):
    return f"{c.mo:02}-{c.d:02} {c.hms()}.{c.us // 1000:03}  {c.n:4}  {c.n + 7:4} {l} WindowManager: {c.msg}"


@fmt("oslo", spell("DEBUG", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "python")
def _(c, l):
    return f"{c.iso(sep=' ', zone='')} {c.n} {l} nova.api.wsgi [req-{c.n} - - - -] {c.msg}"


@fmt("cbs", spell("Debug", "Debug", "Info", "Warning", "Error", "Error"), "java")
def _(c, l):
    return f"{c.iso(sep=' ', frac=0, zone='')}, {l:<21} CBS    {c.msg}"


@fmt("zap", spell("DEBUG", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f'{c.iso()}\t{l}\tmain.go:{c.n % 300}\t{c.msg}\t{{"port": {c.n}}}'


@fmt("compose", None)
def _(c, _l):
    return f"web-{c.n % 3}  | {c.msg}"


@fmt("bgl", spell("INFO", "INFO", "INFO", "WARNING", "ERROR", "FATAL"))
def _(c, l):
    return (
        f"- 11178{c.n:05} {c.y}.{c.mo:02}.{c.d:02} R02-M1-N0-C:J12-U11 "
        f"{c.y}-{c.mo:02}-{c.d:02}-{c.h:02}.{c.mi:02}.{c.s:02}.{c.us:06} R02-M1-N0-C:J12-U11 RAS KERNEL {l} {c.msg}"
    )


@fmt("thunderbird", None)
def _(c, _l):
    return f"- 11315{c.n:05} {c.y}.{c.mo:02}.{c.d:02} dn{c.n % 300} {c.mon()} {c.d} {c.hms()} dn{c.n % 300}/dn{c.n % 300} crond[{c.n}]: {c.msg}"


@fmt("healthapp", None)
def _(c, _l):
    return f"{c.y}{c.mo:02}{c.d:02}-{c.h}:{c.mi}:{c.s}:{c.us // 1000}|Step_LSC|{30000000 + c.n}|{c.msg}"


@fmt("proxifier", None)
def _(c, _l):
    return f"[{c.mo:02}.{c.d:02} {c.hms()}] chrome.exe - proxy.example.com:{c.n} {c.msg}"


@fmt("go-log", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"), "java")
def _(c, l):
    return f"{c.y}/{c.mo:02}/{c.d:02} {c.hms()} [{l}] main.go:{c.n % 300}: {c.msg}"


def status(c):
    """An HTTP status for the entry's level (4xx WARN, 5xx ERROR)."""
    code = [200, 304, 200, 404, 500, 503][c.level]
    return 301 if c.level == INFO and c.n % 3 == 0 else code


@fmt("semantic_logger", spell("T", "D", "I", "W", "E", "F"), "java")
def _(c, l):
    return (
        f"{c.iso(sep=' ', frac=6, zone='')} {l} [{c.n}:puma srv tp 00{c.n % 4} users_controller.rb:{c.n % 90}] "
        f"[req-{c.n}] ({c.n % 50}.{c.n % 10}ms) UsersController -- {c.msg}"
    )


@fmt("nlog-csv", spell("Trace", "Debug", "Info", "Warn", "Error", "Fatal"))
def _(c, l):
    msg = c.msg.replace('"', '""')
    return f'{c.iso(sep=" ", frac=4, zone="")},{l},"{msg}",MyApp.Program.Main'


@fmt("gin", None)
def _(c, _l):
    return (
        f"[GIN] {c.y}/{c.mo:02}/{c.d:02} - {c.hms()} | {status(c)} | {c.n % 900:>8}.{c.n:04}µs | "
        f'{"10.0.0." + str(c.n % 250):>15} | GET      "/api/items/{c.n}?q=error"'
    )


@fmt("winston", spell("silly", "debug", "info", "warn", "error", "error"))
def _(c, l):
    return f'{l}: {c.msg} {{"n":{c.n},"service":"api"}}'


@fmt("pino-pretty", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"))
def _(c, l):
    line = f"[{c.hms()}.{c.us // 1000:03}] {l} ({c.n} on web-{c.n % 3}): {c.msg}"
    if c.n % 4 == 0:
        line += f"\n    reqId: {c.n}\n    responseTime: {c.n % 700}"
    return line


@fmt("vdsm", spell("DEBUG", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), "python")
def _(c, l):
    return (
        f"Thread-{c.n % 40}::{l}::{c.iso(sep=' ', frac=0, zone='')},{c.us // 1000:03}"
        f"::clientIF::{c.n % 600}::vds::(wrapper) {c.msg}"
    )


@fmt("mysql-slow", None)
def _(c, _l):
    head = "" if c.n % 3 == 0 else f"# Time: {c.iso(frac=6)}\n"
    return (
        f"{head}# User@Host: app[app] @ localhost []  Id: {c.n}\n"
        f"# Query_time: {c.n % 9}.{c.us:06}  Lock_time: 0.000{c.n % 90:02}  Rows_sent: {c.n % 40}  Rows_examined: {c.n}\n"
        f"SET timestamp={1700000000 + c.n};\n"
        f"SELECT * FROM orders WHERE id = {c.n};"
    )


@fmt("rails", None)
def _(c, _l):
    rid = f"{c.n:08x}-1b2c-4d3e-8f90-{c.us:012x}"
    code = status(c)
    return (
        f'[{rid}] Started GET "/users/{c.n}" for 127.0.0.1 at {c.iso(sep=" ", frac=0, zone=" +0000")}\n'
        f"[{rid}] Processing by UsersController#show as HTML\n"
        f"[{rid}] Completed {code} OK in {c.n % 300}ms (Views: {c.n % 50}.1ms | ActiveRecord: 2.{c.n % 9}ms)"
    )


@fmt("json", spell("trace", "debug", "info", "warn", "error", "fatal"), "java", listed=False)
def _(c, l):
    return f'{{"time":"{c.iso()}","level":"{l}","msg":"{c.msg}","n":{c.n}}}'


# JSON twins of text formats, for the field-query comparison (benches/textfields.sh):
# the same fields under JSON keys, one object per entry.
@fmt("access-json", None, listed=False)
def _(c, _l):
    status = [200, 304, 200, 404, 500, 503][c.level]
    if c.level == INFO and c.n % 3 == 0:
        status = 301
    return json.dumps(
        {
            "time": c.iso(),
            "client": f"10.0.{c.n % 256}.{c.n % 200}",
            "method": "GET",
            "path": f"/api/v1/items/{c.n}?q=error",
            "status": status,
            "bytes": c.n * 3,
            "referer": f"https://example.com/page/{c.n}",
            "agent": "Mozilla/5.0 (X11; Linux x86_64)",
        },
        separators=(",", ":"),
    )


@fmt("logback-json", spell("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "ERROR"), listed=False)
def _(c, l):
    return json.dumps(
        {
            "time": c.iso(),
            "level": l,
            "thread": f"http-nio-8080-exec-{c.n % 10}",
            "logger": "com.example.App",
            "msg": c.msg,
        },
        separators=(",", ":"),
    )


@fmt("logrus-json", spell("trace", "debug", "info", "warning", "error", "fatal"), listed=False)
def _(c, l):
    return json.dumps(
        {"level": l, "msg": c.msg, "port": c.n, "component": "api"},
        separators=(",", ":"),
    )


# Wrapped formats: name -> (envelope, inner format). Each physical line of an inner
# entry (stack frames too) is written in an envelope of its own, as a container
# runtime does; the entry and level truth are the inner format's.
WRAPPED = {
    "cri-logback": ("cri", "logback"),
    "cri-json": ("cri", "json"),
    "docker-logback": ("docker", "logback"),
    "docker-json": ("docker", "json"),
}


def envelope(kind, c, text):
    """`text` (an entry, lines ending in newlines) with each line in an envelope."""
    out = []
    for line in text.splitlines():
        if kind == "cri":
            out.append(f"{c.iso(frac=6)} stdout F {line}\n")
        else:
            log = json.dumps(line + "\n", ensure_ascii=False)
            out.append(f'{{"log":{log},"stream":"stdout","time":"{c.iso(frac=6)}"}}\n')
    return "".join(out)


# Formats whose whole line is plain text: an entry's level is its message's, by the
# plain-text rule (see MESSAGES).
PLAIN = {"cri", "compose"}


def has_level(name):
    """Whether the format writes a level (a column, a syslog priority or a status)."""
    levels = FORMATS[name][0]
    return levels is not None or name in ("syslog5424", "syslog", "access", "gin", "rails")


def rg_regex(name):
    """A ripgrep baseline for `level:>=WARN`: the format's WARN..FATAL words (empty
    where levels are letters, numbers or absent)."""
    name = WRAPPED.get(name, (None, name))[1]
    if name == "access":
        return '" [45][0-9][0-9] '
    if name == "gin":
        return "\\| [45][0-9][0-9] \\|"
    if name == "rails":
        return "Completed [45]"
    if name == "gin-debug":
        return "^\\[GIN-debug\\] \\[(WARNING|ERROR)\\]"
    levels = FORMATS[name][0]
    if not levels or any(len(w) < 2 for w in levels[WARN:]):
        return ""
    return "|".join(dict.fromkeys(levels[WARN:]))


def pool(name, rng):
    """Distinct entries and whether each is WARN or above."""
    kind, name = WRAPPED.get(name, (None, name))
    levels, render, trace = FORMATS[name]
    out = []
    for _ in range(POOL):
        level = rng.choices(range(6), WEIGHTS)[0]
        c = Ctx(rng, level)
        text = render(c, levels[level] if levels else None) + "\n"
        if trace and level >= ERROR and rng.random() < 0.3:
            text += (JAVA_TRACE if trace == "java" else PY_TRACE).format(n=c.n)
        if kind:
            text = envelope(kind, c, text)
        if name in PLAIN:
            warn = c.plain_level is not None and c.plain_level >= WARN
        else:
            warn = level >= WARN and has_level(name)
        out.append((text, warn))
    return out


def main():
    if sys.argv[1:] == ["--list"]:
        print("\n".join([n for n in FORMATS if n not in UNLISTED] + list(WRAPPED)))
        return
    if sys.argv[1:2] == ["--rg"]:
        print(rg_regex(sys.argv[2]))
        return
    name, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    rng = random.Random(f"{name}-{seed}")
    entries = pool(name, rng)
    avg = sum(len(t) for t, _ in entries) / len(entries)
    total = warn = written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        while written < size:
            k = max(1, min(50000, int((size - written) / avg) + 1))
            batch = rng.choices(entries, k=k)
            text = "".join(t for t, _ in batch)
            f.write(text)
            written += len(text.encode())
            total += k
            warn += sum(1 for _, w in batch if w)
    print(f"{total}\t{warn}")


if __name__ == "__main__":
    main()
