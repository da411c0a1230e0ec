"""Proactive Parthenon: scheduled queries, alert rules, result hooks, partition upkeep.

A schedule runs a query through the Athena service on a cron or rate timing, checks
rules over the result and runs their actions (webhook, command, write, e-mail);
hooks do the same for any finished query; upkeep schedules add partitions.  The
scheduler runs inside `parthenon serve` and as `parthenon scheduler`.

    models       definitions, runs            store        SQLite (scheduler.db)
    cron         timing and misfire plans     templates    {{ run_time | date(...) }}
    rules        conditions over results      alerts       what an alert carries
    actions      webhook/command/write/email  upkeep       partition upkeep SQL
    execution    one run, through the service runner       the loop, leases, hooks
    definitions  YAML apply                   cli          the subcommands
"""
__all__ = ["FakeClock", "Scheduler", "SystemClock"]


def __getattr__(name: str):
    # lazy: `parthenon query` imports the CLI, which must not pull in croniter and Jinja2
    if name in __all__:
        from . import runner
        return getattr(runner, name)
    raise AttributeError(name)
