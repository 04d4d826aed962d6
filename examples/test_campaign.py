from pathlib import Path

import pytest
from playwright.sync_api import expect

APP = Path(__file__).parent / "dialer"  # takes a "leads" record and results it


@pytest.fixture
def wwe_host_config(static_site, tmp_path):
    (tmp_path / "leads.csv").write_text("phone,name\n+15550101,Ada\n+15550102,Ben\n")
    app = static_site(APP)
    return {
        "interaction-workspace": {
            "service-client-api.accepted-web-content-origins": f"{app} (outbound.*)",
            "service-client-api.workspace-web-content.dial-only": "false",
            "workspace.web-content": "Dialer",
        },
        "Dialer": {"url": f"{app}/dialer.html"},
        "agent:ann": {"firstname": "Ann", "lastname": "Lee", "employeeId": "7",
                      "password": "pw", "number": "5001"},
        "campaign:leads": {"agents": "ann", "records": str(tmp_path / "leads.csv")},
    }


def test_the_dialer_results_a_record(sim, desktop):
    assert sim.campaign("leads", "load")["status"] == "LOADED"
    assert sim.campaign("leads", "start")["status"] == "RUNNING"
    desktop.page.get_by_role("tab", name="Dialer").click()
    dialer = desktop.frame("Dialer")
    dialer.get_by_role("button", name="Next record").click()
    expect(dialer.get_by_text("Resulted Ada")).to_be_visible()
    ada, ben = sim.campaign_records("leads")
    assert (ada["agent"], ada["callResult"]["name"]) == ("ann", "Answer")
    assert (ben["status"], ben["callResult"]) == ("READY", None)
