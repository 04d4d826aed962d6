"""The effective configuration as ``check-config`` prints it (no secrets)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from wwe_host import catalog
from wwe_host.security.origins import frame_allowed
from wwe_host.security.secrets import mask_secrets
from wwe_host.settings import AgentOptions, Config, ServerSettings, WebContent, url_host

from .names import ORIGINS_OPTION

__all__ = ["render_effective"]


def _wrap(label: str, words: Iterable[str], indent: str = "      ") -> list[str]:
    text = ", ".join(words) or "(none)"
    return textwrap.wrap(
        text, width=100, initial_indent=indent + label, subsequent_indent=indent + " " * len(label)
    )


def _frame_set(config: Config, wc: WebContent, agent_level: bool) -> str:
    allowed = frame_allowed(
        config.security.origins,
        wc.origin,
        agent_level=agent_level,
        dial_only=config.security.dial_only,
    )
    if allowed is None:
        return "API: none (origin not accepted)"
    if allowed >= frozenset(catalog.REQUESTS):
        return "API: every request"
    if len(allowed) > 6:
        return f"API: {len(allowed)} requests (the origin's filter)"
    return "API: " + ", ".join(sorted(allowed))


def _setting_lines(options: AgentOptions) -> list[str]:
    reasons = ", ".join(f"{r} (code {c or 'none'})" for r, c in options.not_ready_reasons)
    timeout = options.inactivity_timeout_minutes
    alert = options.inactivity_alert_seconds
    auto = ", ".join(f"{m}={'yes' if v else 'no'}" for m, v in options.auto_ready.items())
    return [
        f"state actions: {', '.join(options.enabled_actions) or '(none)'}",
        f"not-ready reasons: {reasons or '(none)'}",
        "inactivity timeout: "
        + (f"{timeout:g} min, alert {alert:g} s before" if timeout else "off"),
        f"voice auto-answer: {'yes' if options.voice_auto_answer else 'no'}",
        f"auto-ready at login: {auto}",
        f"far end answers outbound calls after: {options.answer_delay:g} s",
        "disposition codes: "
        + (
            f"{', '.join(options.disposition_codes)} (key {options.disposition_key}, "
            f"{'required' if options.disposition_mandatory else 'optional'})"
            if options.disposition_codes
            else "(none)"
        ),
        f"after-call work: {'yes' if options.after_call_work else 'no'}",
    ]


def _web_content_lines(config: Config, options: AgentOptions) -> list[str]:
    lines: list[str] = []
    for title, contents, agent_level in (
        ("workspace web content", options.workspace_web_content, True),
        ("interaction web content", options.interaction_web_content, False),
    ):
        lines.append(f"{title}:" if contents else f"{title}: (none)")
        for wc in contents:
            mode = "tab (workspace)" if agent_level else wc.mode
            lines.append(
                f"  [{wc.section}] {wc.label!r}, {mode}, {_frame_set(config, wc, agent_level)}"
            )
            lines.append(f"    {wc.url}")
    return lines


def _lifetimes(server: ServerSettings) -> str:
    idle, most = server.session_idle_timeout_minutes, server.session_max_lifetime_minutes
    return (
        f"idle timeout {f'{idle:g} min' if idle else 'none'}, "
        f"max lifetime {f'{most:g} min' if most else 'none'}"
    )


def render_effective(config: Config) -> str:
    """The effective configuration as ``check-config`` prints it (no secrets)."""
    s = config.server
    sec = config.security
    plain = "ALLOWED (demo and tests only)" if s.insecure_plain_password else "refused"
    frame_src = ", ".join(config.framable_origins()) or "(none)"
    app_settings = _setting_lines(config.options)
    out = [
        f"configuration: {config.source}",
        "",
        "server:",
        f"  listen: {url_host(s.listen_host)}:{s.listen_port}",
        f"  public url: {s.public_url}",
        f"  data dir: {s.data_dir}",
        f"  database: {mask_secrets(s.database)}",
        f"  bus: {mask_secrets(s.bus)}",
        f"  admin token: {'set' if s.admin_token else 'not set (ROLE_ADMIN sessions only)'}",
        f"  smtp: {mask_secrets(s.smtp or 'none (outbound e-mail kept in the outbox)')}",
        f"  max message bytes: {s.max_message_bytes}",
        f"  max requests in flight per frame: {s.max_requests_in_flight}",
        f"  plain-text passwords: {plain}",
        f"  frame-ancestors: {s.frame_ancestors}",
        "  desktop origins (login, logout, desktop WebSocket, cookie changes): "
        + (", ".join(sorted(s.accepted_desktop_origins)) or "(none)"),
        f"  desktop connections per session: at most {s.max_desktop_connections}",
        f"  session tokens: {_lifetimes(s)}",
        f"  audit retention: {s.audit_retention.describe()}",
        f"  JWT (auth.getJwtToken): valid {s.jwt_lifetime} s, key "
        + (f"from {s.jwt_signing_key}" if s.jwt_signing_key else "kept in the database"),
        "  garbage collector: "
        + (
            f"survivors frozen, a full scan at most every {s.gc_full_scan_minutes:g} minutes"
            if s.gc_full_scan_minutes > 0
            else "the interpreter's own policy"
        ),
        f"  web-content origins (frame-src): {frame_src}",
        "",
        f"accepted origins ({ORIGINS_OPTION}):",
    ]
    if not sec.origins.entries:
        out.append("  (none: every request fails [NOT_ALLOWED])")
    for entry in sec.origins.entries:
        filters = f"({', '.join(entry.filters)})" if entry.filters else "(no filter)"
        out.append(f"  {entry.origin} {filters} -> {len(entry.requests)} request(s):")
        out += _wrap("", sorted(entry.requests), "      ")
    if sec.dial_only:
        out.append("  workspace tabs: click-to-dial only (voice.dial, system.getAllowedServices)")
    else:
        out.append("  workspace tabs: their origin's filter (dial-only = false)")
    rl = sec.rate_limits
    delay = rl.quarantine_delay
    out += [
        "",
        "rate limits (requests per minute per agent session; 0 = unlimited):",
        f"  default: {rl.default}",
        *(f"  {request}: {limit}" for request, limit in sorted(rl.per_request.items())),
        f"  quarantine: {f'{delay:g} s' if delay else 'forever'}",
        "",
        "attached data:",
        f"  read-allowed: {sec.read_allowed.describe()}",
        f"  write-allowed: {sec.write_allowed.describe()}",
        "",
        "options frames may read (configuration.getOption; never secrets nor [wwe-host]):",
        f"  {', '.join(sec.options_read.items) or '(none)'}",
        "",
        "application options:",
        *(f"  {line}" for line in app_settings),
        *(f"  {line}" for line in _web_content_lines(config, config.options)),
        "",
        f"agents ({len(config.agents)}):",
    ]
    for agent in config.agents.values():
        out.append(
            f"  {agent.username}: {agent.full_name}, employee {agent.employee_id}, "
            f"number {agent.number}, media {', '.join(agent.media)}, "
            f"roles {', '.join(agent.roles) or '(none)'}"
        )
        own = [line for line in _setting_lines(agent.options) if line not in app_settings]
        out += [f"    {line}" for line in own or ["other options: as the application"]]
        out += [f"    {line}" for line in _web_content_lines(config, agent.options)]
    out += ["", f"queues ({len(config.queues)}):"]
    for queue in config.queues.values():
        out.append(
            f"  {queue.name}: media {', '.join(queue.media)}; "
            f"agents {', '.join(queue.agents) or '(none)'}"
        )
    out += [
        "",
        f"campaigns ({len(config.campaigns)}; loaded from the REST API, CLI or admin page):",
    ]
    for campaign in config.campaigns.values():
        results = campaign.call_results
        out.append(
            f"  {campaign.name}: {campaign.mode}, {len(campaign.rows)} record(s) from "
            f"{campaign.records_file}; agents {', '.join(campaign.agents) or '(none)'}; "
            "call results " + (", ".join(f"{n}={c}" for n, c in results) if results else "built-in")
        )
    out += ["", "warnings:" if config.warnings else "warnings: none"]
    out += [f"  - {w}" for w in config.warnings]
    return "\n".join(out) + "\n"
