"""GrokSerDe (`input.format`, `input.grokCustomPatterns`): Logstash grok patterns as a regex.

`%{PATTERN:field}` captures into the column named `field`; a bare
`%{PATTERN}` captures under the pattern's own name (the Athena guide's
Postfix example fills a `syslogbase` column from `%{SYSLOGBASE}`), and the
named captures inside a pattern fill their columns too.  Column names match
capture names case-insensitively, the first capture of a name wins, and a
line that does not match is a row of NULLs.  `:type` suffixes are ignored:
the column types decide.  A field name may hold spaces, as the grok reference syntax
allows (the Athena guide's Apache and IIS tables end on `%{DATA: returned_obj_size}`):
the pattern still matches, under the name as written (not trimmed, so it fills no
`returned_obj_size` column; which column Athena fills for it is not documented).

The built-in table holds the standard Logstash patterns (the list Athena's
documentation links), written for RE2: Logstash uses atomic groups and
lookbehinds in a few of them as optimisations or word-boundary guards; here
those are plain groups and `\\b`, which match the same log lines.  Custom
patterns are Java regexes and go through the same translation as
RegexSerDe's (a construct RE2 lacks is NOT_SUPPORTED).
"""
from __future__ import annotations

import re

from ..catalog.model import Table
from ..errors import InvalidDdl
from ..errors import NotSupported
from .javaregex import JavaRegex
from .regex import regex_scan
from .scan import Scan, ScanFile

PATTERNS = r"""
USERNAME [a-zA-Z0-9._-]+
USER %{USERNAME}
EMAILLOCALPART [a-zA-Z][a-zA-Z0-9_.+-=:]+
EMAILADDRESS %{EMAILLOCALPART}@%{HOSTNAME}
INT (?:[+-]?(?:[0-9]+))
BASE10NUM (?:[+-]?(?:(?:[0-9]+(?:\.[0-9]+)?)|(?:\.[0-9]+)))
NUMBER (?:%{BASE10NUM})
BASE16NUM (?:[+-]?(?:0x)?(?:[0-9A-Fa-f]+))
BASE16FLOAT \b(?:[+-]?(?:0x)?(?:(?:[0-9A-Fa-f]+(?:\.[0-9A-Fa-f]*)?)|(?:\.[0-9A-Fa-f]+)))\b
POSINT \b(?:[1-9][0-9]*)\b
NONNEGINT \b(?:[0-9]+)\b
WORD \b\w+\b
NOTSPACE \S+
SPACE \s*
DATA .*?
GREEDYDATA .*
QUOTEDSTRING (?:"(?:\\.|[^\\"]+)*"|'(?:\\.|[^\\']+)*'|`(?:\\.|[^\\`]+)*`)
QS %{QUOTEDSTRING}
UUID [A-Fa-f0-9]{8}-(?:[A-Fa-f0-9]{4}-){3}[A-Fa-f0-9]{12}
CISCOMAC (?:(?:[A-Fa-f0-9]{4}\.){2}[A-Fa-f0-9]{4})
WINDOWSMAC (?:(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2})
COMMONMAC (?:(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2})
MAC (?:%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC})
IPV4 (?:(?:25[0-5]|2[0-4][0-9]|[0-1]?[0-9]{1,2})[.](?:25[0-5]|2[0-4][0-9]|[0-1]?[0-9]{1,2})[.](?:25[0-5]|2[0-4][0-9]|[0-1]?[0-9]{1,2})[.](?:25[0-5]|2[0-4][0-9]|[0-1]?[0-9]{1,2}))
IPV6 (?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,7}:|(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,5}(?::[0-9A-Fa-f]{1,4}){1,2}|(?:[0-9A-Fa-f]{1,4}:){1,4}(?::[0-9A-Fa-f]{1,4}){1,3}|(?:[0-9A-Fa-f]{1,4}:){1,3}(?::[0-9A-Fa-f]{1,4}){1,4}|(?:[0-9A-Fa-f]{1,4}:){1,2}(?::[0-9A-Fa-f]{1,4}){1,5}|[0-9A-Fa-f]{1,4}:(?::[0-9A-Fa-f]{1,4}){1,6}|:(?:(?::[0-9A-Fa-f]{1,4}){1,7}|:)|(?:[0-9A-Fa-f]{1,4}:){6}%{IPV4}|::(?:[Ff]{4}:)?%{IPV4})(?:%\w+)?
IP (?:%{IPV6}|%{IPV4})
HOSTNAME \b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*(?:\.?|\b)
HOST %{HOSTNAME}
IPORHOST (?:%{IP}|%{HOSTNAME})
HOSTPORT %{IPORHOST}:%{POSINT}
UNIXPATH (?:/[\w_%!$@:.,+~-]*)+
TTY (?:/dev/(?:pts|tty(?:[pq])?)(?:\w+)?/?(?:[0-9]+))
WINPATH (?:[A-Za-z]+:|\\)(?:\\[^\\?*]*)+
PATH (?:%{UNIXPATH}|%{WINPATH})
URIPROTO [A-Za-z]+(?:\+[A-Za-z+]+)?
URIHOST %{IPORHOST}(?::%{POSINT:port})?
URIPATH (?:/[A-Za-z0-9$.+!*'(){},~:;=@#%_\-]*)+
URIPARAM \?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\-\[\]<>]*
URIPATHPARAM %{URIPATH}(?:%{URIPARAM})?
URI %{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?
MONTH \b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b
MONTHNUM (?:0?[1-9]|1[0-2])
MONTHNUM2 (?:0[1-9]|1[0-2])
MONTHDAY (?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])
DAY (?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)
YEAR (?:\d\d){1,2}
HOUR (?:2[0123]|[01]?[0-9])
MINUTE (?:[0-5][0-9])
SECOND (?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)
TIME %{HOUR}:%{MINUTE}(?::%{SECOND})?
DATE_US %{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}
DATE_EU %{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}
ISO8601_TIMEZONE (?:Z|[+-]%{HOUR}(?::?%{MINUTE}))
ISO8601_SECOND (?:%{SECOND}|60)
TIMESTAMP_ISO8601 %{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?
DATE %{DATE_US}|%{DATE_EU}
DATESTAMP %{DATE}[- ]%{TIME}
TZ (?:[PMCE][SD]T|UTC)
DATESTAMP_RFC822 %{DAY} %{MONTH} %{MONTHDAY} %{YEAR} %{TIME} %{TZ}
DATESTAMP_RFC2822 %{DAY}, %{MONTHDAY} %{MONTH} %{YEAR} %{TIME} %{ISO8601_TIMEZONE}
DATESTAMP_OTHER %{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{TZ} %{YEAR}
DATESTAMP_EVENTLOG %{YEAR}%{MONTHNUM2}%{MONTHDAY}%{HOUR}%{MINUTE}%{SECOND}
SYSLOGTIMESTAMP %{MONTH} +%{MONTHDAY} %{TIME}
PROG (?:[\w._/%-]+)
SYSLOGPROG %{PROG:program}(?:\[%{POSINT:pid}\])?
SYSLOGHOST %{IPORHOST}
SYSLOGFACILITY <%{NONNEGINT:facility}.%{NONNEGINT:priority}>
HTTPDATE %{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}
SYSLOGBASE %{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:logsource} %{SYSLOGPROG}:
COMMONAPACHELOG %{IPORHOST:clientip} %{USER:ident} %{USER:auth} \[%{HTTPDATE:timestamp}\] "(?:%{WORD:verb} %{NOTSPACE:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})" %{NUMBER:response} (?:%{NUMBER:bytes}|-)
COMBINEDAPACHELOG %{COMMONAPACHELOG} %{QS:referrer} %{QS:agent}
LOGLEVEL (?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo|INFO|[Ww]arn?(?:ing)?|WARN?(?:ING)?|[Ee]rr?(?:or)?|ERR?(?:OR)?|[Cc]rit?(?:ical)?|CRIT?(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)
"""
_REFERENCE = re.compile(r"%\{(\w+)(?::([\w@.\[\] -]+))?(?::\w+)?\}")
MAX_DEPTH = 50


def parse_patterns(text: str) -> dict[str, str]:
    """'NAME regex' lines (blank lines and # comments skipped)."""
    patterns = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, body = line.partition(" ")
            patterns[name] = body.strip()
    return patterns


BUILTIN = parse_patterns(PATTERNS)


def expand(fmt: str, patterns: dict[str, str]) -> tuple[str, list[str]]:
    """The Java regex for a grok expression, and the capture name of each `(?<gN>` group."""
    names: list[str] = []

    def substitute(text: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise InvalidDdl(f"Grok pattern refers to itself: {fmt}")

        def one(m: re.Match) -> str:
            name, field = m.group(1), m.group(2)
            if name not in patterns:
                raise InvalidDdl(f"Unknown grok pattern %{{{name}}} in input.format: {fmt}")
            names.append((field or name).lower())
            group = f"g{len(names) - 1}"
            return f"(?<{group}>{substitute(patterns[name], depth + 1)})"
        return _REFERENCE.sub(one, text)

    return substitute(fmt, 0), names


def build_scan(table: Table, files: list[ScanFile]) -> Scan:
    props = table.serde_properties
    fmt = props.get("input.format")
    if not fmt:
        raise InvalidDdl("This table has no serde property 'input.format' (required by GrokSerDe)")
    patterns = {**BUILTIN, **parse_patterns(props.get("input.grokCustomPatterns", ""))}
    java, names = expand(fmt, patterns)
    try:
        regex = JavaRegex(java)
    except NotSupported as e:
        raise NotSupported(f"{e.message} (grok input.format {fmt})") from None
    first: dict[str, int] = {}
    for i, name in enumerate(names):
        first.setdefault(name, regex.names[f"g{i}"])
    return regex_scan(table, files, regex, [first.get(col.name) for col in table.columns])


__all__ = ["BUILTIN", "build_scan", "expand", "parse_patterns"]
