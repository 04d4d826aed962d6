"""What the configuration tests share: the documented example and small valid files."""

from __future__ import annotations

import pytest

from wwe_host.config import Config, ConfigError, parse_config

# The example of configuration.md, completed with the sections it names but leaves out
# (Dialer, Notes, Wiki, agent asmith): a listed section that does not exist is an error.
EXAMPLE = """\
[wwe-host]                       ; the server itself (ours)
listen = 127.0.0.1:8080
public-url = http://127.0.0.1:8080
data-dir = ./var                 ; SQLite file and other state live here
database = sqlite:///./var/wwe-host.db   ; or postgresql://user@host/db
bus = memory                     ; or redis://127.0.0.1:6379/0
admin-token = change-me          ; bearer token for the admin/simulation API
smtp = smtp://127.0.0.1:1025     ; optional
max-message-bytes = 65536
insecure-plain-password = false ; true lets agent passwords be plain text

[interaction-workspace]          ; the application's options
service-client-api.accepted-web-content-origins = http://127.0.0.1:9001 (*), \
http://127.0.0.1:9002 (agent.*, voice.dial)
service-client-api.rate-limit = 0
service-client-api.rate-limit.voice.dial = 4
service-client-api.rate-limit.email.create = 2
service-client-api.rate-limit-quarantine-delay = 30
service-client-api.user-data.read-allowed = Key1,Key2,Key3
service-client-api.user-data.write-allowed = Key1,Key3
service-client-api.workspace-web-content.dial-only = true
workspace.web-content = Dialer
interaction.web-content = CRM, Notes
agent-status.enabled-actions-global = Ready, NotReady, NotReadyReason, AfterCallWork, Dnd, LogOff
agent-status.not-ready-reasons = Break, Lunch
security.inactivity-timeout = 0             ; minutes, decimals allowed; 0 = off
security.inactivity-alert-dialog-before-timeout = 30   ; seconds
voice.auto-answer = false
; false = the agent starts NOT_READY on that media at login
login.voice.is-auto-ready = false
sim.voice.answer-delay = 1.0                ; seconds

[action-codes]                   ; not-ready reasons: name = code
Break = 1511
Lunch = 1512

[CRM]                            ; a web-content section
label = CRM
url = http://127.0.0.1:9001/crm.html?case=$Interaction.CaseId$&ani=$Interaction.ANI$
mode = tab                       ; tab | popup | background | hidden
icon = http://127.0.0.1:9001/icon.svg   ; optional

[Notes]
url = http://127.0.0.1:9001/notes.html#/case/$Interaction.CaseId$
mode = popup
allow = clipboard-write

[Dialer]
label = Click to dial
url = http://127.0.0.1:9002/dialer.html?agent=$Agent.UserName$

[Wiki]
url = https://wiki.example.com/#/home   ; fragment kept

[agent:jdoe]                     ; the part after ':' is the username
firstname = John
lastname = Doe
employeeId = 1001
password = {hash}           ; a hash made by `wwe-host hash-password`
roles = ROLE_AGENT, ROLE_ADMIN
number = 5001                    ; DN of the agent's place
media = voice, email, chat
; agent-level overrides of non-security interaction-workspace options:
workspace.web-content = Dialer, Wiki

[agent:asmith]
firstname = Anna
lastname = Smith
employeeId = 1002
password = {hash}
number = 5002
media = voice

[queue:sales]                    ; routing target for the simulator
media = voice, email, chat
agents = jdoe, asmith
"""


def parse_example(password_hash: str) -> Config:
    """The example, its agent jdoe's password being ``password_hash``."""
    return parse_config(EXAMPLE.replace("{hash}", password_hash), "example.ini")


def minimal(extra: str = "", *, plain: bool = True) -> str:
    """A small valid file with one agent, to which a test adds its sections."""
    return (
        f"[wwe-host]\ninsecure-plain-password = {'true' if plain else 'false'}\n"
        "[agent:a1]\nfirstname = A\nlastname = One\nemployeeId = 1\npassword = pw\n"
        "number = 5001\n" + extra
    )


def error_of(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    return str(info.value)
