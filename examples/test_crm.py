from pathlib import Path

import pytest
from playwright.sync_api import expect

APP = Path(__file__).parent / "crm"  # your app's files


@pytest.fixture
def wwe_host_config(static_site):
    app = static_site(APP)  # its own origin; /wwe-service-client-api.js is served beside it
    return {
        "interaction-workspace": {
            "service-client-api.accepted-web-content-origins": f"{app} (*)",
            "interaction.web-content": "CRM",
        },
        "CRM": {"url": f"{app}/crm.html?interaction=$Interaction.Id$"},
        "agent:ann": {"firstname": "Ann", "lastname": "Lee", "employeeId": "7",
                      "password": "pw", "number": "5001"},
    }


def test_crm_shows_the_caller_and_saves_the_disposition(sim, desktop):
    sim.call("ann", "5551234", user_data={"CustomerId": "42"})
    desktop.answer()
    crm = desktop.frame("CRM")
    expect(crm.get_by_text("Caller 5551234, customer 42")).to_be_visible()
    crm.get_by_role("button", name="Resolved").click()
    sim.wait_for_interaction(lambda i: i["userData"].get("Disposition") == "Resolved")
