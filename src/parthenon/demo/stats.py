"""GenerationStats: what `generate` wrote, and the answer the seed query should give."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .culprit import CULPRIT_EVENT_NAME


@dataclass
class GenerationStats:
    root: str
    account: str
    regions: tuple[str, ...]
    files: int
    digest_files: int
    records: int
    uncompressed_bytes: int            # log files only (the JSON text), not digests
    compressed_bytes: int              # log files only (the .json.gz sizes)
    seconds: float
    culprit_arn: str
    culprit_ip: str
    culprit_region: str
    culprit_event_name: str = CULPRIT_EVENT_NAME
    # (region, yyyy, MM, dd, absolute folder of that day's log files)
    partitions: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    # (region, yyyy, MM, dd, eventName, userIdentity.arn, sourceIPAddress) -> number of
    # records with errorCode = 'RequestLimitExceeded': the seed query's answer
    throttle_counts: dict[tuple, int] = field(default_factory=dict)

    @property
    def mb_per_s(self) -> float:
        return self.uncompressed_bytes / 2**20 / self.seconds if self.seconds else 0.0

    def top_throttled(self, region: str | None = None, day: tuple[str, str, str] | None = None,
                      n: int = 20) -> list[tuple[str, str | None, str, int]]:
        """(eventname, arn, sourceipaddress, count) of RequestLimitExceeded records, the
        answer the seed query should give, over everything or one region / (yyyy, MM, dd)."""
        agg: Counter = Counter()
        for (reg, y, m, d, name, arn, ip), c in self.throttle_counts.items():
            if region is not None and reg != region:
                continue
            if day is not None and (y, m, d) != tuple(day):
                continue
            agg[(name, arn, ip)] += c
        rows = sorted(agg.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or "", kv[0][2]))
        return [(k[0], k[1], k[2], c) for k, c in rows[:n]]
