//! The built-in text formats as data: one [`Def`] per logging library or system, each a
//! line pattern with named captures, compiled once by `format::pattern`.
//!
//! Capture names: `ts` (the timestamp), `level`, `service` (logger, program, target),
//! `source` (caller, file:line), `msg` (the message; the rest of the line when absent),
//! `pri` (a syslog priority, read as the level when there is no `level`), `kv`
//! (`key=value` pairs after the message, which become fields; an unquoted value
//! runs to the next ` key=`), `json` (a JSON object
//! whose members become fields) and `request_id` (the request id field). Any other name (`thread`,
//! `host`, `pid`, `status`, ...) becomes a field of that name. A capture that is empty or
//! `-` is absent. Definitions are tried in table order, so on an equal score the earlier
//! (more specific) one wins.

use crate::format::level::Level;

/// How the `ts` capture reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Time {
    /// Any form the timestamp parser reads (ISO 8601, syslog, CLF, ctime, glog, ...);
    /// forms without a year take it from the time context.
    Auto,
    /// A time of day only (`14:23:45.123`, `3:04PM`): the date comes from the time
    /// context.
    TimeOfDay,
}

/// Which lines that do not match the pattern continue an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cont {
    /// Lines with a continuation shape (indentation, `at `, `Caused by:`, `Traceback`,
    /// an exception line, a JSON block, `... N more`) and any line that is not an entry
    /// of some other known format.
    Shape,
    /// Every line up to the next match (records written over two lines, such as
    /// java.util.logging's).
    Any,
    /// Every line up to the next match, in blocks of any length headed by lines only
    /// this format writes (the MySQL slow query log's `# Time:`, `# User@Host:`; header
    /// lines in a row are one header): detection counts every line from the first match
    /// on.
    Block,
    /// As `Shape`, and a line the pattern reads that has no `ts` continues the entry
    /// above when the line before it carries the same leading `[tag]`s (the same
    /// request id, or none): Rails writes `Processing by` and `Completed` as their
    /// own log lines, timed only by their request's `Started` line.
    Request,
}

/// Extra reading of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// The message as captured.
    Plain,
    /// A quoted message followed by `key=value` pairs (klog structured logging): the
    /// message is the unquoted text, the pairs become fields.
    QuotedKv,
    /// The message is on the entry's second line, as `LEVEL: message`
    /// (java.util.logging's SimpleFormatter).
    SecondLine,
    /// CSV columns: a capture written in double quotes (`"a ""b"", c"`) is unquoted.
    Csv,
    /// `    key: value` lines under the first line (pino-pretty) are read as fields.
    IndentedProps,
    /// `# Key: value  Key2: value` lines under the first line (the MySQL slow query
    /// log) are read as fields; the other lines are the message.
    CommentFields,
}

/// A text format definition.
#[derive(Debug, Clone, Copy)]
pub struct Def {
    pub name: &'static str,
    /// Which library or system writes it.
    pub title: &'static str,
    /// One line it reads.
    pub example: &'static str,
    /// The line pattern (Rust regex syntax, matched against the entry's first line).
    pub pattern: &'static str,
    pub time: Time,
    pub cont: Cont,
    pub msg: Msg,
    /// Read a 5xx `status` as ERROR, 4xx as WARN, others as INFO (access logs).
    pub status_level: bool,
    /// The level of a line that writes none (Gin's debug lines).
    pub level: Option<Level>,
}

const fn def(
    name: &'static str,
    title: &'static str,
    example: &'static str,
    pattern: &'static str,
) -> Def {
    Def {
        name,
        title,
        example,
        pattern,
        time: Time::Auto,
        cont: Cont::Shape,
        msg: Msg::Plain,
        status_level: false,
        level: None,
    }
}

const fn time_of_day(mut d: Def) -> Def {
    d.time = Time::TimeOfDay;
    d
}

const fn with_msg(mut d: Def, msg: Msg, cont: Cont) -> Def {
    d.msg = msg;
    d.cont = cont;
    d
}

const fn default_level(mut d: Def, level: Level) -> Def {
    d.level = Some(level);
    d
}

const fn status_level(mut d: Def) -> Def {
    d.status_level = true;
    d
}

/// An ISO 8601 date and time (`T` or a space, optional fraction and zone).
macro_rules! iso {
    () => {
        r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"
    };
}

/// The built-in formats, most specific first. Where it costs nothing, a pattern's
/// header is one-pass (at each byte at most one way on), so the regex crate reads its
/// captures with its one-pass engine instead of backtracking.
pub const BUILTIN: &[Def] = &[
    def(
        "syslog5424",
        "syslog RFC 5424",
        "<165>1 2003-10-11T22:14:15.003Z host app 1234 ID47 - message",
        r#"^<(?P<pri>\d{1,3})>1 (?P<ts>\S+) (?P<host>\S+) (?P<service>\S+) (?P<pid>\S+) (?P<msgid>\S+) (?P<sd>-|(?:\[(?:[^\]\\]|\\.)*\])+)(?: (?P<msg>.*))?$"#,
    ),
    status_level(def(
        "access",
        "Apache/Nginx access log (common and combined)",
        r#"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "http://x/" "Mozilla/5.0""#,
        r#"^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<ts>\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d(?: [+-]\d{4})?)\] "(?P<msg>(?:(?P<method>[A-Z]+) (?P<path>\S+)(?: (?P<protocol>[^" ]+))?)|(?:[^"\\]|\\.)*)" (?P<status>\d{3}) (?P<bytes>\d+|-)(?: "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<agent>(?:[^"\\]|\\.)*)")?"#,
    )),
    def(
        "apache-error",
        "Apache httpd error log",
        "[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187] File does not exist",
        r"^\[(?P<ts>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \d{4})\] \[(?:(?P<module>[\w-]+):)?(?P<level>[a-z]+\d?)\](?: \[pid (?P<pid>\d+)(?::tid (?P<tid>\d+))?\])?(?: \[client (?P<client>[^\]]+)\])? (?P<msg>.*)$",
    ),
    def(
        "nginx-error",
        "Nginx error log",
        "2024/01/15 14:23:45 [error] 1234#0: *1 open() failed",
        r"^(?P<ts>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[(?P<level>[a-z]+)\] (?P<pid>\d+)#(?P<tid>\d+): (?P<msg>.*)$",
    ),
    with_msg(
        def(
            "klog",
            "klog/glog (Kubernetes, C++ glog)",
            r#"E0507 12:04:17.597069       1 pod_workers.go:1300] "Error syncing pod" pod="default/x""#,
            r"^(?P<ts>(?P<level>[IWEF])\d{4}(?:\d{4})? \d\d:\d\d:\d\d\.\d+) +(?P<thread>\d+) (?P<source>[^ \]:]+:\d+)\] (?P<msg>.*)$",
        ),
        Msg::QuotedKv,
        Cont::Shape,
    ),
    def(
        "semantic_logger",
        "Ruby semantic_logger default text",
        "2024-05-07 12:04:17.597069 I [12345:puma srv tp 001 users_controller.rb:12] [req-1] (1.2ms) UsersController -- Listing users -- {:count=>3}",
        r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?P<level>[TDIWEF]) \[(?P<pid>\d+):(?P<thread>[^\]]*?)(?: (?P<source>[^\s\]]+:\d+))?\](?: (?P<tags>\[[^\]]*\](?: \[[^\]]*\])*))?(?: \{(?P<named_tags>[^}]*)\})?(?: \((?P<duration>[^)]*)\))? (?P<service>\S+)(?: -- (?P<msg>.*?))??(?: -- (?P<payload>\{.*\}))?(?: -- (?P<exception>Exception: .*))?$",
    ),
    default_level(status_level(with_msg(def(
        "rails",
        "Rails request log (`Started`, `Processing by`, `Completed`)",
        r#"[9f1c7a52-1b2c-4d3e-8f90-123456789abc] Started GET "/users" for 127.0.0.1 at 2024-05-07 12:04:17 +0000"#,
        r#"^(?:\[(?P<request_id>[\w-]*\d[\w-]*)\] )?(?:\[[^\]]*\] )*(?P<msg>Started (?P<method>[A-Z]+) "(?P<path>[^"]*)" for (?P<client>\S+) at (?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?: [+-]\d{4})?)|Processing by (?P<controller>[\w:]+)#(?P<action>\w+) as (?P<format>\S+)|Completed (?P<status>\d{3}) .*?in (?P<duration>[\d.]+ms).*|Redirected to \S+|Filter chain halted as .*)$"#,
    ), Msg::Plain, Cont::Request)), Level::Info),
    def(
        "nlog",
        "NLog default layout (.NET)",
        "2024-05-07 12:04:17.5970|INFO|MyApp.Program|Application started",
        r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{4})\|(?P<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL|OFF)\|(?P<service>[^|\s]*)\|(?P<msg>.*)$",
    ),
    with_msg(
        def(
            "nlog-csv",
            "NLog CsvLayout (`time,level,message,callsite,...`)",
            r#"2024-05-07 12:04:17.5970,Info,"Hello, ""world""",MyApp.Program.Main"#,
            r#"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{4}),(?P<level>Trace|Debug|Info|Warn|Error|Fatal|TRACE|DEBUG|INFO|WARN|ERROR|FATAL),(?P<msg>"(?:[^"]|"")*"|[^,"]*)(?:,(?P<source>"(?:[^"]|"")*"|[^,"]*))?(?:,(?P<stacktrace>"(?:[^"]|"")*"|[^,"]*))?(?:,(?P<exception>.*))?$"#,
        ),
        Msg::Csv,
        Cont::Shape,
    ),
    time_of_day(def(
        "zerolog",
        "zerolog ConsoleWriter (Go)",
        "3:04PM INF main.go:12 > listening addr=:8080",
        r"^(?P<ts>\d{1,2}:\d\d(?:AM|PM)|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?P<level>TRC|DBG|INF|WRN|ERR|FTL|PNC)(?: (?P<source>[^\s>]+:\d+) >)?(?: (?P<msg>.*?))??(?: (?P<kv>[\w.-]+=.*))?$",
    )),
    status_level(def(
        "gin",
        "Gin access log (Go)",
        r#"[GIN] 2024/11/12 - 15:19:06 | 200 |    1.234567ms |       127.0.0.1 | GET      "/ping""#,
        r#"^\[GIN\] (?P<ts>\d{4}/\d\d/\d\d - \d\d:\d\d:\d\d) \|(?:\x1b\[[\d;]*m)? *(?P<status>\d{3}) *(?:\x1b\[[\d;]*m)?\| *(?P<latency>[^|\s]*) *\| *(?P<client>[^|\s]*) *\|(?:\x1b\[[\d;]*m)? *(?P<method>[A-Z]+) *(?:\x1b\[[\d;]*m)? +"(?P<msg>(?P<path>(?:[^"\\]|\\.)*))"(?P<error>.*)$"#,
    )),
    default_level(
        def(
            "gin-debug",
            "Gin debug output (Go)",
            "[GIN-debug] GET    /ping                     --> main.main.func1 (3 handlers)",
            r"^\[GIN-debug\] (?:\[(?P<level>WARNING|ERROR)\] )?(?P<msg>.*)$",
        ),
        Level::Debug,
    ),
    def(
        "log4rs",
        "Rust log4rs default pattern (`{d} {l} {t} - {m}`)",
        "2024-05-07T12:04:17.597069+00:00 INFO my_app::server - listening",
        r"^(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?P<level>TRACE|DEBUG|INFO|WARN|ERROR) (?P<service>[^\s-][^\s]*) - (?P<msg>.*)$",
    ),
    def(
        "winston",
        "winston `simple` format (Node)",
        r#"info: user logged in {"user":"alice"}"#,
        r"^(?:\x1b\[[\d;]*m)?(?P<level>error|warn|info|http|verbose|debug|silly)(?:\x1b\[[\d;]*m)?: (?P<msg>.*?)(?: (?P<json>\{.*\}))?$",
    ),
    def(
        "winston-printf",
        "winston `printf` `timestamp [level]: message` (Node)",
        "2024-05-07T12:04:17.597Z [info]: user logged in",
        concat!(r"^(?P<ts>", iso!(), r") \[(?:\x1b\[[\d;]*m)?(?P<level>error|warn|info|http|verbose|debug|silly)(?:\x1b\[[\d;]*m)?\]: (?P<msg>.*)$"),
    ),
    def(
        "winston-label",
        "winston `printf` `timestamp [label] level: message` (Node)",
        "2024-05-07T12:04:17.597Z [api] info: user logged in",
        concat!(r"^(?P<ts>", iso!(), r") \[(?P<service>[^\]]*)\] (?:\x1b\[[\d;]*m)?(?P<level>error|warn|info|http|verbose|debug|silly)(?:\x1b\[[\d;]*m)?: (?P<msg>.*)$"),
    ),
    time_of_day(with_msg(
        def(
            "pino-pretty",
            "pino-pretty (Node)",
            "[12:04:17.597] INFO (483 on web-1): request completed",
            r"^\[(?P<ts>\d\d:\d\d:\d\d\.\d{3}|\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)?(?: ?(?:Z|[+-]\d\d:?\d\d))?|\d{13})\] (?P<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL|USERLVL)(?: \((?:(?P<service>[^()/\s]+)/)?(?P<pid>\d+)(?: on (?P<host>[^)]+))?\))?: (?P<msg>.*)$",
        ),
        Msg::IndentedProps,
        Cont::Shape,
    )),
    def(
        "calico",
        "Calico/felix (Kubernetes networking)",
        "2024-05-07 12:04:17.597 [INFO][123] felix/int_dataplane.go 1836: Received interface update ifaceName=\"eth0\"",
        r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) \[(?P<level>[A-Z]+)\]\[(?P<pid>\d+)\] (?P<source>\S+ \d+): (?P<msg>.*?)(?: (?P<kv>[A-Za-z_][\w.]*=.*))?$",
    ),
    def(
        "hclog",
        "hclog (Vault, Consul, Nomad, Terraform)",
        "2024-01-15T14:23:45.123Z [INFO]  agent: started: version=1.2",
        concat!(r"^(?P<ts>", iso!(), r") \[(?P<level>[A-Z]+)\] +(?:(?P<service>[\w./@-]+): )?(?P<msg>.*)$"),
    ),
    // `[0000]` counts seconds since the program started: not a time of the entry.
    def(
        "logrus",
        "logrus text on a terminal",
        "INFO[0000] started                                       port=8080",
        r"^(?P<level>PANI|FATA|ERRO|WARN|INFO|DEBU|TRAC)\[(?:\d{4,}|(?P<ts>[^\]]*))\] (?P<msg>.*?)(?: +(?P<kv>[\w.-]+=.*))?$",
    ),
    def(
        "env_logger",
        "Rust env_logger",
        "[2017-11-09T02:12:24Z ERROR main] this is printed by default",
        concat!(r"^\[(?P<ts>", iso!(), r") +(?P<level>[A-Z]+) +(?P<service>[^\]\s]+)\] ?(?P<msg>.*)$"),
    ),
    def(
        "tracing",
        "Rust tracing-subscriber fmt (full and compact)",
        "2022-02-15T18:40:14.289898Z  INFO fmt: preparing to shave yaks number_of_yaks=3",
        concat!(r"^(?P<ts>", iso!(), r") +(?P<level>TRACE|DEBUG|INFO|WARN|ERROR) (?:(?P<span>(?:[\w:-]+(?:\{[^}]*\})?:)+) )?(?P<service>[\w:-]+): (?P<msg>.*)$"),
    ),
    def(
        "loguru",
        "Python loguru",
        "2024-01-15 14:23:45.123 | INFO     | app.main:run:42 - started",
        r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?) \| (?P<level>[A-Z]+) *\| (?P<source>\S+) - (?P<msg>.*)$",
    ),
    def(
        "structlog",
        "Python structlog ConsoleRenderer",
        "2024-01-15 14:23:45 [info     ] user logged in                 user=alice",
        concat!(r"^(?P<ts>", iso!(), r") \[(?P<level>[a-z]+) *\] (?P<msg>.*?)(?: {2,}(?P<kv>[\w.-]+=.*))?$"),
    ),
    def(
        "python",
        "Python logging (`asctime - name - LEVEL - msg`)",
        "2024-01-15 14:23:45,123 - app.db - WARNING - slow query",
        concat!(r"^(?P<ts>", iso!(), r") - (?P<service>\S+) - (?P<level>[A-Z]+) - (?P<msg>.*)$"),
    ),
    def(
        "python-basic",
        "Python logging basicConfig (`LEVEL:name:msg`)",
        "WARNING:root:disk almost full",
        r"^(?P<level>CRITICAL|ERROR|WARNING|INFO|DEBUG|NOTSET):(?P<service>[\w.-]*):(?P<msg>.*)$",
    ),
    def(
        "ruby",
        "Ruby Logger",
        "I, [2024-01-15T14:23:45.123456 #1234]  INFO -- app: started",
        r"^[A-Z], \[(?P<ts>\S+) #(?P<pid>\d+)\] +(?P<level>[A-Z]+) -- (?P<service>[^:]*): (?:\[(?P<request_id>[\w-]*\d[\w-]*)\] )?(?P<msg>.*)$",
    ),
    def(
        "kafka",
        "Kafka / log4j `[date] LEVEL msg (logger)`",
        "[2024-01-15 14:23:45,123] INFO [KafkaServer id=0] started (kafka.server.KafkaServer)",
        r"^\[(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)\] (?P<level>[A-Z]+) (?P<msg>.*?)(?: \((?P<service>[\w.$]+)\))?$",
    ),
    def(
        "spdlog",
        "spdlog (C++)",
        "[2024-01-15 14:23:45.123] [net] [warning] retrying",
        r"^\[(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)\] (?:\[(?P<service>[^\]]+)\] )?\[(?P<level>trace|debug|info|warning|error|critical|off)\] (?P<msg>.*)$",
    ),
    time_of_day(def(
        "serilog",
        "Serilog console (.NET)",
        "[14:23:45 INF] Request finished in 12 ms",
        r"^\[(?P<ts>\d\d:\d\d:\d\d) (?P<level>VRB|DBG|INF|WRN|ERR|FTL)\] (?P<msg>.*)$",
    )),
    time_of_day(def(
        "logback",
        "logback / log4j2 default pattern",
        "14:23:45.123 [main] INFO  com.example.App - started",
        r"^(?P<ts>\d\d(?:\d\d-\d\d-\d\d[ T]\d\d)?:\d\d:\d\d[.,]\d{3}) \[(?P<thread>[^\]]*)\] +(?P<level>[A-Za-z]+) +(?P<service>\S+) +- (?P<msg>.*)$",
    )),
    def(
        "spring-boot",
        "Spring Boot default console pattern",
        "2024-01-15T14:23:45.123+01:00  INFO 12345 --- [main] c.e.App : started",
        concat!(r"^(?P<ts>", iso!(), r") +(?P<level>[A-Z]+) +(?P<pid>\d+) --- (?:\[(?P<app>[^\]]*)\] )?\[ *(?P<thread>[^\]]*?)\] +(?P<service>\S+) +: (?P<msg>.*)$"),
    ),
    def(
        "syslog-level",
        "rsyslog with severity names (ChromeOS)",
        "2016-10-25T12:37:23.297265-07:00 INFO periodic_scheduler[13707]: job completed",
        concat!(r"^(?P<ts>", iso!(), r") (?P<level>[A-Z]+) (?P<service>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$"),
    ),
    def(
        "pipes",
        "`date | LEVEL | [logger |] message` layouts",
        "2022-08-29 08:10:00 |  INFO | MessageMonitor: started",
        r"^(?P<ts>\d{4}[-./]\d\d[-./]\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?) *\| *(?P<level>[A-Za-z]+) *\| *(?:(?P<service>[\w.$-]+) *\| *)?(?P<msg>.*)$",
    ),
    def(
        "log4j-zookeeper",
        "log4j `date - LEVEL [thread:Class@line] - msg` (ZooKeeper)",
        "2015-07-29 17:41:44,747 - INFO  [main:QuorumPeer@913] - tickTime set to 2000",
        concat!(r"^(?P<ts>", iso!(), r") - (?P<level>[A-Z]+) +\[(?P<thread>.*):(?P<source>[^:\]]+@\d+)\] - (?P<msg>.*)$"),
    ),
    def(
        "log4j",
        "log4j `date LEVEL [thread] logger: msg` (Hadoop)",
        "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.App: started",
        concat!(r"^(?P<ts>", iso!(), r") +(?P<level>[A-Z]+) +\[(?P<thread>[^\]]*)\] +(?:(?P<service>[\w.$]+) *[:-] |\((?P<source>[^)]*)\) *[:-] |\[(?P<logger>[\w.$]+)\] +)?(?P<msg>.*)$"),
    ),
    def(
        "log4j-thread-last",
        "log4j `date LEVEL logger [thread] msg`",
        "2024-01-15 14:23:45,123 INFO o.a.App [main] started",
        concat!(r"^(?P<ts>", iso!(), r") +(?P<level>[A-Z]+) +\(?(?P<service>[\w.$]+)\)? +\[(?P<thread>[^\]]*)\] +(?:- )?(?P<msg>.*)$"),
    ),
    def(
        "log4j-short",
        "log4j `date LEVEL logger: msg` (HDFS, Spark)",
        "17/06/09 20:10:40 INFO executor.Executor: Finished task",
        r"^(?P<ts>\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?|\d{6} \d{6}|\d\d/\d\d/\d\d \d\d:\d\d:\d\d) (?:(?P<pid>\d+) )?(?P<level>[A-Z]+) +(?P<service>[\w.$-]+): (?P<msg>.*)$",
    ),
    with_msg(
        def(
            "jul",
            "java.util.logging SimpleFormatter (two lines)",
            "Jan 15, 2024 2:23:45 PM com.example.App main",
            r"^(?P<ts>[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d (?:AM|PM)) (?P<service>\S+)(?: (?P<source>\S+))?$",
        ),
        Msg::SecondLine,
        Cont::Any,
    ),
    def(
        "cri",
        "Kubernetes CRI container log",
        "2024-01-15T14:23:45.123456789Z stdout F hello",
        concat!(r"^(?P<ts>", iso!(), r") (?P<stream>stdout|stderr) (?P<tag>[FP]) (?P<msg>.*)$"),
    ),
    def(
        "journald-iso",
        "journalctl -o short-iso",
        "2024-01-15T14:23:45+0100 host sshd[123]: Accepted publickey",
        concat!(r"^(?P<ts>", iso!(), r") (?P<host>[\w.-]+) (?P<service>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: (?P<msg>.*)$"),
    ),
    def(
        "syslog",
        "syslog RFC 3164, journalctl short",
        "Jan 15 14:23:45 host sshd[123]: Accepted publickey",
        r"^(?:<(?P<pri>\d{1,3})>)?(?P<ts>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (?P<host>\S+) (?:(?P<service>[^\s\[:]+(?: [^\s\[:]+)??)(?:\[(?P<pid>\d+)\])?(?: \((?P<subsystem>[^)]*)\))?: )?(?P<msg>.*)$",
    ),
    def(
        "serilog-file",
        "Serilog file sink default (.NET)",
        "2018-07-06 09:02:17.148 +10:00 [INF] HTTP GET / responded 200 in 3 ms",
        r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d\d:\d\d) \[(?P<level>VRB|DBG|INF|WRN|ERR|FTL)\] (?P<msg>.*)$",
    ),
    def(
        "monolog",
        "PHP Monolog line format (Laravel, Symfony)",
        "[2023-05-15 18:19:32] local.ERROR: Target class does not exist. {} []",
        r"^\[(?P<ts>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d[^\]]*)\] (?P<service>[\w-]+)\.(?P<level>[A-Z]+): (?P<msg>.*)$",
    ),
    def(
        "logcat",
        "Android logcat threadtime",
        "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs",
        r"^(?P<ts>\d\d-\d\d \d\d:\d\d:\d\d\.\d+) +(?P<pid>\d+) +(?P<tid>\d+) (?P<level>[VDIWEFA]) (?P<service>[^:]*?) *: ?(?P<msg>.*)$",
    ),
    def(
        "oslo",
        "OpenStack oslo.log",
        "2017-05-16 00:00:00.008 25746 INFO nova.api.wsgi [req-1 - - - -] GET /v2 status: 200",
        concat!(r"^(?:(?P<file>\S+) )?(?P<ts>", iso!(), r") (?P<pid>\d+) (?P<level>[A-Z]+) (?P<service>[\w.]+) (?:\[(?P<context>[^\]]*)\] )?(?P<msg>.*)$"),
    ),
    def(
        "cbs",
        "Windows CBS/CSI log",
        "2016-09-28 04:30:30, Info                  CBS    Loaded Servicing Stack",
        r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d), (?P<level>[A-Za-z]+) +(?P<service>\w+) +(?P<msg>.*)$",
    ),
    def(
        "zap",
        "zap development console (Go)",
        "2024-01-15T14:23:45.123Z\tINFO\tmain.go:12\tstarted\t{\"port\": 8080}",
        concat!(r"^(?P<ts>", iso!(), r")\t(?P<level>[A-Za-z]+)\t(?:(?P<service>[^\t]+)\t)??(?:(?P<source>[\w./@-]+:\d+)\t)?(?P<msg>[^\t]*)(?:\t(?P<fields>\{.*\}))?$"),
    ),
    def(
        "compose",
        "docker compose output (`name  | line`)",
        "web-1  | started",
        r"^(?:\x1b\[[0-9;]*[A-Za-z])*(?P<service>[A-Za-z][\w.-]*) +\| (?P<msg>.*)$",
    ),
    def(
        "bgl",
        "Blue Gene/L RAS log",
        "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
        r"^(?P<label>\S+) (?P<epoch>\d{9,10}) (?P<date>\d{4}\.\d\d\.\d\d) (?P<node>\S+) (?P<ts>\d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d\.\d+) (?P<node_repeat>\S+) (?P<type>[A-Z]+) (?P<service>[A-Z_]+) (?P<level>[A-Z]+) (?P<msg>.*)$",
    ),
    def(
        "thunderbird",
        "Thunderbird supercomputer syslog (alert label, epoch, node)",
        "- 1131566461 2005.11.09 dn228 Nov 9 12:01:01 dn228/dn228 crond(pam_unix)[2915]: session closed for user root",
        r"^(?P<label>\S+) (?P<epoch>\d{9,10}) (?P<date>\d{4}\.\d\d\.\d\d) (?P<node>\S+) (?P<ts>[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d) (?P<host>\S+) (?:(?P<service>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: )?(?P<msg>.*)$",
    ),
    def(
        "healthapp",
        "`time|component|pid|message` (Android HealthApp)",
        "20171223-22:15:29:606|Step_LSC|30002312|onStandStepChanged 3579",
        r"^(?P<ts>\d{8}-\d\d?:\d\d?:\d\d?:\d+)\|(?P<service>[^|]+)\|(?P<pid>\d+)\|(?P<msg>.*)$",
    ),
    def(
        "proxifier",
        "Proxifier client log",
        "[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy",
        r"^\[(?P<ts>\d\d\.\d\d \d\d:\d\d:\d\d)\] (?P<service>\S+)(?: \*\d+)? - (?P<msg>.*)$",
    ),
    with_msg(
        def(
            "vdsm",
            "oVirt vdsm (`thread::LEVEL::time::module::line::logger::(function) msg`)",
            "Thread-15::DEBUG::2011-12-07 11:44:17,737::clientIF::54::vds::(wrapper) call getVdsCapabilities",
            r"^(?P<thread>[\w.-]+)::(?P<level>[A-Z]+)::(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+)::(?P<source>[\w.-]+::\d+)::(?P<service>[\w.-]+)::\((?P<function>[^)]*)\) ?(?P<msg>.*)$",
        ),
        Msg::Plain,
        Cont::Shape,
    ),
    with_msg(
        def(
            "mysql-slow",
            "MySQL/MariaDB slow query log (`# Time:` / `# User@Host:` blocks)",
            "# Time: 2021-01-26T23:45:57.678222Z",
            r"^# (?:Time: (?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?|\d{6} +\d{1,2}:\d\d:\d\d)|User@Host: \S+ @ .*)$",
        ),
        Msg::CommentFields,
        Cont::Block,
    ),
    def(
        "go-log",
        "Go standard library log",
        "2024/01/15 14:23:45 main.go:12: listening on :8080",
        r"^(?P<ts>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?:\[(?P<level>[A-Za-z]+)\] )?(?:(?P<source>[\w./-]+\.go:\d+): )?(?P<msg>.*)$",
    ),
    def(
        "celery",
        "Celery worker log (Python)",
        "[2024-01-15 14:23:45,123: ERROR/ForkPoolWorker-1] Task app.tasks.add[abc-123] raised unexpected: ValueError('x')",
        r"^\[(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}): (?P<level>[A-Z]+)/(?P<process>[^\]]+)\] (?P<msg>.*)$",
    ),
    status_level(def(
        "django",
        "Django runserver requests (`django.server`)",
        r#"[15/Jan/2024 14:23:45] "GET /api/users HTTP/1.1" 500 123"#,
        r#"^\[(?P<ts>\d\d/[A-Z][a-z]{2}/\d{4} \d\d:\d\d:\d\d)\] "(?P<msg>(?:(?P<method>[A-Z]+) (?P<path>\S+)(?: (?P<protocol>[^" ]+))?)|(?:[^"\\]|\\.)*)" (?P<status>\d{3}) (?P<bytes>\d+|-)$"#,
    )),
    def(
        "redis",
        "Redis server log (3.0 and later)",
        "1234:M 15 Jan 2024 14:23:45.123 * Ready to accept connections tcp",
        r"^(?P<pid>\d+):(?P<role>[XCSM]) (?P<ts>\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3}) (?P<level>[.*#-]) (?P<msg>.*)$",
    ),
    time_of_day(def(
        "elixir",
        "Elixir Logger default console format",
        "14:23:45.123 request_id=F1x2 [error] GenServer MyApp.Worker terminating",
        r"^(?P<ts>\d\d:\d\d:\d\d\.\d{3}) (?:(?P<kv>[\w.]+=\S*(?: [\w.]+=\S*)*) )?\[(?P<level>debug|info|notice|warn|warning|error|critical|alert|emergency)\] (?P<msg>.*)$",
    )),
];

/// A built-in definition by name.
pub fn by_name(name: &str) -> Option<usize> {
    BUILTIN.iter().position(|d| d.name == name)
}
