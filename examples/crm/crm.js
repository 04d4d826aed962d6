// A minimal third-party app: shows who is calling, and records a disposition.
const service = window.genesys.wwe.service;
const interactionId = new URLSearchParams(location.search).get("interaction");

async function show() {
  await service.ready();
  const reply = await service.interaction.getByInteractionId(interactionId);
  const call = reply.data;
  const customer = call?.userData?.CustomerId ?? "unknown";
  document.getElementById("caller").textContent = `Caller ${call?.ani}, customer ${customer}`;
}

for (const button of document.querySelectorAll("[data-disposition]")) {
  button.addEventListener("click", async () => {
    const disposition = button.dataset.disposition;
    await service.interaction.setUserData(interactionId, { Disposition: disposition });
    document.getElementById("saved").textContent = `Saved: ${disposition}`;
  });
}

show().catch((error) => {
  document.getElementById("caller").textContent = String(error?.message ?? error?.errorMessage);
});
